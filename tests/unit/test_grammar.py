"""The emitted grammars, read back as text by an independent GBNF reader + Earley recognizer."""

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.music.styles import load_styles
from app.strudel.grammar import SOUNDS, ebnf, gbnf, rules
from app.strudel.validate import validate

from .gbnf_match import accepts, parse_gbnf
from .grammar_sample import draw

ROOT = Path(__file__).resolve().parents[2]
STYLES = load_styles()


@pytest.fixture(scope="module")
def grammar():
    return parse_gbnf(gbnf())


def test_every_style_example_is_in_the_grammar(grammar):
    assert len(STYLES) >= 12
    for style in STYLES.values():
        assert accepts(grammar, style.example), style.name


def test_both_dialects_come_from_the_same_rules():
    g, e = gbnf(), ebnf()
    assert g.count("::=") == e.count("::=")
    assert "_" not in "".join(line.split("::=")[0] for line in g.splitlines() if "::=" in line)
    assert "note_seq ::=" in e and "note-seq ::=" in g
    ebnf_grammar = parse_gbnf(e)
    assert all(accepts(ebnf_grammar, s.example) for s in STYLES.values())


@pytest.mark.parametrize(
    "code",
    [
        'setcpm(20)\nstack(\n  n("0 2 4").scale("C3:minor").sound("sine").gain(0.2)\n)',
        'setcpm(30)\nstack(\n  s("sbd*4").gain(0.3),\n  note("c3 [e3,g3]").sound("triangle")\n)',
        'setcpm(14)\nstack(\n  n("<0 [2 1]>/2").scale("Eb2:harmonic:minor").s("sawtooth")'
        '.lpf(sine.range(300, 900).slow(16)),\n'
        '  s("sbd(3,8), ~ sbd").pan(perlin.range(0.2, 0.8).fast(2).segment(4))\n)',
    ],
)
def test_grammar_accepts_the_subset(grammar, code):
    assert accepts(grammar, code)


@pytest.mark.parametrize(
    "code",
    [
        'fetch("https://evil")',
        'setcpm(20)\nstack(\n  n("0").sound("sine").constructor("x")\n)',
        'setcpm(20)\nstack(\n  n("0").sound("sine").gain(globalThis)\n)',
        'setcpm(20)\nstack(\n  n(`0`).sound("sine")\n)',
        'setcpm(20)\nstack(\n  n("0").sound("sine") // hi\n)',
        'setcpm(20)\nstack(\n  n("0").sound("gm_unknown")\n)',
        'setcpm(20)\nstack(\n  n("0").scale("C:klingon").sound("sine")\n)',
        'setcpm(20)\nstack(\n  n("0 ${x}").sound("sine")\n)',
        'setcpm(20)\nstack(\n  n("0").sound("sine"),\n  n("0").sound("sine"),\n  n("0").sound("sine"),\n'
        '  n("0").sound("sine"),\n  n("0").sound("sine"),\n  n("0").sound("sine")\n)',  # 6 layers
        "setcpm(20)\nstack(\n  n(\"0\").sound('sine')\n)",
        'setcpm(120)\nstack(\n  n("0").sound("sine")\n)',  # tempo outside the safe range
        'setcpm(7)\nstack(\n  n("0").sound("sine")\n)',
    ],
)
def test_grammar_refuses_everything_else(grammar, code):
    assert not accepts(grammar, code)


def test_sounds_parameter_narrows_the_whitelist():
    only = parse_gbnf(gbnf(["sine", "sbd"]))
    assert accepts(only, 'setcpm(20)\nstack(\n  n("0").sound("sine"),\n  s("sbd")\n)')
    assert not accepts(only, 'setcpm(20)\nstack(\n  n("0").sound("triangle")\n)')
    with pytest.raises(ValueError):
        gbnf(["kazoo"])
    assert set(SOUNDS) >= {"sine", "triangle", "sbd"}


def test_validated_code_is_always_in_the_grammar(grammar):
    # The validator's output is what plays, and what a model sees as "previous section" code.
    for style in STYLES.values():
        messy = style.example.replace(",", " , ").replace("(", "( ").replace("\n", "\n\n")
        result = validate(messy + ";")
        assert result.ok, (style.name, result.errors)
        assert accepts(grammar, result.code), style.name


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "node_modules").exists(),
                    reason="needs node and node_modules (CPython side)")
def test_webllm_xgrammar_compiles_the_ebnf_and_accepts_every_example():
    """The real XGrammar build inside WebLLM's bundle: compiles our EBNF and matches strings."""
    examples = [s.example for s in STYLES.values()]
    hostile = [examples[0].replace(".gain(", ".eval("), 'fetch("x")']
    for text in (ebnf(), gbnf()):
        out = subprocess.run(
            ["node", str(ROOT / "tests/grammar/xgrammar_accepts.mjs")],
            input=json.dumps({"grammar": text, "inputs": examples + hostile}),
            capture_output=True, text=True, timeout=120, check=True,
        )
        result = json.loads(out.stdout)
        assert result["compiled"], result
        assert result["accepted"] == [True] * len(examples) + [False, False]


def test_limits_narrow_the_program_size():
    two = parse_gbnf(gbnf(max_layers=2, max_methods=3))
    small = 'setcpm(20)\nstack(\n  n("0").sound("sine").gain(0.2),\n  s("sbd")\n)'
    assert accepts(two, small)
    assert not accepts(two, small.replace('  s("sbd")', '  s("sbd"),\n  s("sbd")'))
    assert not accepts(two, small.replace(".gain(0.2)", ".gain(0.2).pan(0.5).room(0.2)"))
    with pytest.raises(ValueError):
        gbnf(max_layers=9)


def test_max_steps_bounds_each_mini_notation_sequence():
    four = parse_gbnf(gbnf(max_steps=4, max_mods=2))
    piece = 'setcpm(20)\nstack(\n  n("{}").scale("C3:minor").sound("sine").gain(0.2)\n)'
    assert accepts(four, piece.format("0 2 4 5"))
    assert accepts(four, piece.format("<0 2 4 5> [1 2 3 4]"))  # each sequence counts on its own
    assert not accepts(four, piece.format("0 2 4 5 7"))
    assert accepts(four, piece.format("0*2@3 2"))
    assert not accepts(four, piece.format("0*2*3*4 2"))  # nor an endless chain of modifiers
    assert accepts(parse_gbnf(gbnf()), piece.format("0 2 4 5 7 9 11 12 14"))  # unbounded by default


PIECE = 'setcpm(20)\nstack(\n  {}\n)'


def test_voiced_layers_are_degrees_in_a_key_on_a_named_sound():
    voiced = parse_gbnf(gbnf(voiced=True, max_methods=4))
    assert accepts(voiced, PIECE.format('n("0 2").scale("C3:minor").sound("sine").gain(0.2).room(0.3)'))
    assert accepts(voiced, PIECE.format('s("sbd ~ sbd ~").gain(0.3)'))
    assert not accepts(voiced, PIECE.format('n("0 2")'))  # the default synth, no key
    assert not accepts(voiced, PIECE.format('n("0 2").sound("sine").scale("C3:minor")'))
    assert not accepts(voiced, PIECE.format('note("c3 e3").sound("sine")'))  # note names
    assert not accepts(voiced, PIECE.format(
        'n("0").scale("C3:minor").sound("sine").gain(0.2).room(0.3).lpf(900)'))  # 5 calls > 4
    with pytest.raises(ValueError):
        gbnf(voiced=True, max_methods=1)


def test_whole_numbers_keep_degrees_and_factors_integer():
    whole = parse_gbnf(gbnf(whole_numbers=True))
    layer = 'n("{}").scale("C3:minor").sound("sine").gain({})'
    assert accepts(whole, PIECE.format(layer.format("<0 -3 [2,4]>*2 1/2", "0.25")))
    assert not accepts(whole, PIECE.format(layer.format("2.13", "0.2")))
    assert not accepts(whole, PIECE.format(layer.format("2*1.5", "0.2")))
    assert not accepts(whole, PIECE.format(layer.format("2", "0.125")))  # two decimals at most


def test_factors_and_euclid_steps_are_never_zero():
    # The validator refuses them (no events, or a division by zero): the grammar must too.
    g = parse_gbnf(gbnf())
    for bad in ("0*0", "0/0", "0@0", "0(3,0)", "0*0.0"):
        assert not accepts(g, PIECE.format(f'n("{bad}").sound("sine")')), bad
    for good in ("0*0.5", "0/1.25", "0@3", "0(0,8)", "0*0.05"):
        assert accepts(g, PIECE.format(f'n("{good}").sound("sine")')), good


def test_max_depth_bounds_how_deep_groups_nest():
    two = parse_gbnf(gbnf(max_depth=2))
    layer = 'n("{}").sound("sine")'
    assert accepts(two, PIECE.format(layer.format("<[0,2,4] [-1,1,3]>")))
    assert not accepts(two, PIECE.format(layer.format("<[0 [2 4]] 1>")))
    assert accepts(parse_gbnf(gbnf()), PIECE.format(layer.format("<[0 [2 [4 5]]] 1>")))


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "node_modules").exists(),
                    reason="needs node and node_modules (CPython side)")
def test_webllm_xgrammar_compiles_the_budget_grammars(code_path):
    """The grammars the models actually write under (prompts/llm/prompt.toml budgets)."""
    from app.llm.prompt import build_request, load_config

    example = load_config().system.split("Example:\n", 1)[1].strip()
    for engine in ("webllm", "wllama"):
        request = build_request("abc", 1, "A calm sea.", "", engine=engine)
        text = request.grammar_ebnf or request.grammar_gbnf
        out = subprocess.run(
            ["node", str(ROOT / "tests/grammar/xgrammar_accepts.mjs")],
            input=json.dumps({"grammar": text, "inputs": [example, 'setcpm(20)\nstack(\n  n("0")\n)']}),
            capture_output=True, text=True, timeout=120, check=True,
        )
        result = json.loads(out.stdout)
        assert result["compiled"] and result["accepted"] == [True, False], (engine, result)


def test_ranged_values_keep_each_effect_in_its_own_magnitude():
    ranged = parse_gbnf(gbnf(voiced=True, ranged=True))
    layer = 'n("0 2").scale("C3:minor").sound("sine").{}'
    for good in ("gain(0.25)", "lpf(800)", "lpf(12000)", "hpf(2000)", "attack(1.5)", "room(1)", "slow(16)",
                 "lpf(sine.range(400, 2000).slow(16))", "pan(perlin.range(0.2, 0.8).segment(4))"):
        assert accepts(ranged, PIECE.format(layer.format(good))), good
    for bad in ("gain(50)", "gain(1.2)", "gain(1)", "gain(0.8)", "lpf(30)", "lpf(sine.range(30, 15))",
                "room(5)", "lpf(sine.slow(0))", "attack(123)"):
        assert not accepts(ranged, PIECE.format(layer.format(bad))), bad
        assert accepts(parse_gbnf(gbnf()), PIECE.format(layer.format(bad))), bad  # the subset clamps them


def test_bounded_grammars_bound_chords_and_scale_patterns_too():
    bounded = parse_gbnf(gbnf(max_steps=8, max_mods=1, max_depth=2))
    layer = 'n("{}").scale("{}").sound("sine")'
    assert accepts(bounded, PIECE.format(layer.format("<[0,2,4,6] [1,3,5]>", "<C3:minor A2:minor>")))
    assert not accepts(bounded, PIECE.format(layer.format("[0,2,4,6,8]", "C3:minor")))  # a 5-note chord
    five = ["C3:minor", "D3:minor", "E3:minor", "F3:minor", "G3:minor"]
    assert not accepts(bounded, PIECE.format(layer.format("0", " ".join(five))))  # 5 scale steps
    assert not accepts(bounded, PIECE.format(layer.format("0", ",".join(five))))  # 5 stacked scales


@pytest.mark.skipif(shutil.which("node") is None or not (ROOT / "node_modules").exists(),
                    reason="needs node and node_modules (CPython side)")
def test_strudels_own_parser_reads_every_mini_notation_the_validator_passes():
    """The subset is a subset of Strudel: every string in validated code (drawn from the whole
    grammar, hostile edits included) parses with Strudel's mini-notation parser."""
    rng, grammar, strings = random.Random(11), rules(max_depth=3), []
    edits = ("*16", "!16", ",0", " _", "_ ", "?", "@2", "(3,8)")
    while len(strings) < 400:
        program = draw(grammar, rng)
        for _ in range(rng.randrange(3)):
            at = rng.randrange(len(program) + 1)
            program = program[:at] + rng.choice(edits) + program[at:]
        checked = validate(program)
        if checked.ok:
            strings += re.findall(r'\("([^"]*)"\)', checked.code)
    # Edge cases Strudel's parser is strict about (a hold `_` first in a sequence).
    for mini in ("_ 0", "[_ 0] 1", "0, _", "<_ 1>", "0 _", "0 [1 _]", "~ _", "0?(3,8) _!2"):
        strings += re.findall(r'\("([^"]*)"\)', validate(f'n("{mini}").sound("sine")').code)
    out = subprocess.run(
        ["node", str(ROOT / "tests/grammar/strudel_mini_parses.mjs")],
        input=json.dumps(strings), capture_output=True, text=True, timeout=120, check=True,
    )
    refused = [(s, why) for s, why in zip(strings, json.loads(out.stdout), strict=True) if why]
    assert refused == []
