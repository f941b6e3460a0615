"""Finishing a piece the token cap cut off: the grammar's shortest ending, then the validator."""

import random

import pytest

from app.llm.finish import check_piece, finish, trim_dangling
from app.llm.prompt import grammar_options
from app.music.ensemble import make_ensemble
from app.strudel.complete import completion
from app.strudel.grammar import gbnf, rules
from app.strudel.validate import validate

from .gbnf_match import accepts, parse_gbnf
from .grammar_sample import draw

SMALL = grammar_options("wllama")
LARGE = grammar_options("webllm")
HEAD = 'setcpm(18)\nstack(\n  '
LAYER = 'n("0 2 4").scale("D4:minor").sound("triangle")'


def test_completion_of_a_whole_program_is_empty_and_of_a_foreign_text_none():
    r = rules(**SMALL)
    assert completion(r, HEAD + LAYER + "\n)") == ""
    assert completion(r, 'fetch("x")') is None
    assert completion(r, HEAD + 'n("0 2.5') is None  # whole numbers only in this grammar
    assert completion(r, "") is not None  # even nothing can be finished


@pytest.mark.parametrize(
    ("cut", "ending"),
    [
        (HEAD + 'n("<0 2 [4', ']>").scale("A:major").s("sine"))'),  # never a rest, never the drum
        (HEAD + 'n("0 2 4").scale("D4:mi', 'nor").s("sine"))'),
        (HEAD + LAYER[:-5], 'gle"))'),
        (HEAD + LAYER + ",\n  s(\"sb", 'd"))'),
    ],
)
def test_completion_closes_what_is_open_with_the_shortest_ending(cut, ending):
    assert completion(rules(**SMALL), cut) == ending


@pytest.mark.parametrize(
    ("cut", "kept"),
    [
        (HEAD + LAYER + ".lpf(sine.range(4", HEAD + LAYER),  # no value nobody chose
        (HEAD + LAYER + ".gain(0.", HEAD + LAYER),
        (HEAD + LAYER + ".ro", HEAD + LAYER),  # a method name being written
        (HEAD + LAYER + ".", HEAD + LAYER),
        (HEAD + 'n("0 2*', HEAD + 'n("0 2'),  # a modifier waiting for its number
        (HEAD + 's("sbd(3,', HEAD + 's("sbd'),  # a half-written euclid rhythm
        (HEAD + 'n("<[0,2,', HEAD + 'n("<[0,2'),
        (HEAD + 'n("0 2").scale("D4:mi', HEAD + 'n("0 2").scale("D4:mi'),  # a word: completed
    ],
)
def test_trim_dangling_cuts_back_what_cannot_end_well(cut, kept):
    assert trim_dangling(cut) == kept


def test_a_finished_piece_keeps_everything_the_model_wrote_before_the_cut():
    cut = HEAD + LAYER + '.gain(0.2),\n  n("<0 -1 -3 [2,4'
    done = finish(cut, SMALL)
    assert done == cut + ']>").scale("A:major").s("sine"))'
    checked, how = check_piece(cut, "length", None, SMALL)
    assert checked.ok and how == "finished" and checked.layers == 2


def test_only_a_cut_off_piece_is_mended():
    cut = HEAD + 'n("0 2'
    checked, how = check_piece(cut, "stop", None, SMALL)  # the model stopped: its text is final
    assert not checked.ok and how == ""
    whole = HEAD + LAYER + "\n)"
    assert check_piece(whole, "length", None, SMALL) == (validate(whole), "")


def test_an_ensemble_piece_is_finished_with_the_ensembles_sounds():
    band = make_ensemble(["gm_piano", "sbd"])
    limits = grammar_options("wllama", "", band.sounds)
    cut = HEAD + 's("sbd ~ sbd").gain(0.3),\n  n("0 4 7").scale("C3:major").sound("gm_pi'
    checked, how = check_piece(cut, "length", band, limits)
    assert checked.ok and how == "finished" and set(checked.sounds) == {"gm_piano", "sbd"}


# The whole subset (free layer shape, decimals, note names) with its nesting bounded for drawing.
WHOLE_SUBSET = {"max_depth": 3}


def in_subset(code: str) -> bool:
    """Accepted, or refused only for how many notes it plays (too many, or none but rests): the
    grammar bounds the shape of a program, the validator also counts the notes of the whole of it
    (a count no grammar can keep)."""
    result = validate(code)
    return result.ok or all(e.startswith(("too many notes", "the music has no notes")) for e in result.errors)


@pytest.mark.parametrize("limits", [SMALL, LARGE, WHOLE_SUBSET], ids=["cpu", "webgpu", "whole-subset"])
def test_every_cut_of_every_program_finishes_into_the_grammar_and_the_validator(limits):
    """The property the model relies on: wherever the cap stops it, the piece can be made whole.
    Programs are drawn at random from the model's own grammar; the finished text is read back by
    the independent GBNF recognizer (the emitted grammar TEXT) and checked by the validator."""
    r, recognizer = rules(**limits), parse_gbnf(gbnf(**limits))
    rng = random.Random(5)
    for _ in range(12):
        program = draw(r, rng)
        assert in_subset(program), program  # the model's grammar is inside the validator's subset
        for cut in sorted(rng.sample(range(len(program)), min(8, len(program)))):
            done = finish(program[:cut], limits)
            assert done is not None, program[:cut]
            assert done.startswith(trim_dangling(program[:cut]))
            assert accepts(recognizer, done), done
            assert in_subset(done), (done, validate(done).errors)
