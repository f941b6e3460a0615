"""Ensembles: the grammar, the validator and every composer keep to exactly the chosen sounds."""

from __future__ import annotations

import itertools

import pytest

from app.compose.instant import compose
from app.music.ensemble import (
    EnsembleError,
    load_ensembles,
    make_ensemble,
    validate_for,
    voice_for,
)
from app.music.styles import load_styles
from app.strudel import subset
from app.strudel.grammar import ebnf, gbnf

PIECE = (
    'setcpm(20)\nstack(\n  n("0 2 4").scale("C3:minor").sound("sine").gain(0.2),\n'
    '  s("sbd ~ sbd ~").gain(0.3)\n)'
)


def test_presets_use_only_shipped_sounds_and_unshipped_ones_are_reported():
    ensembles, skipped = load_ensembles()
    assert {"synths", "soft-synths", "pads", "pulse-beat"} <= set(ensembles)
    for ensemble in ensembles.values():
        assert set(ensemble.sounds) <= set(subset.all_sounds())
    for note in skipped:  # e.g. General MIDI presets before the SoundFont ships
        assert "not in the sound palette" in note


@pytest.mark.parametrize(
    "sounds, message",
    [([], "at least one"), (["sine", "kazoo"], "kazoo"), (["sbd"], "plays notes"), (["sine"] * 1, "")],
)
def test_make_ensemble_refuses_what_cannot_be_played(sounds, message):
    if not message:
        assert make_ensemble(sounds).sounds == ("sine",)
        return
    with pytest.raises(EnsembleError, match=message):
        make_ensemble(sounds)


def test_too_many_instruments_are_refused():
    with pytest.raises(EnsembleError, match="at most"):
        make_ensemble(list(subset.all_sounds())[: subset.MAX_LAYERS + 1])


def test_the_grammar_spells_only_the_ensembles_sounds():
    ensemble = make_ensemble(["triangle", "pulse"])
    for dialect, rule in (("gbnf", "sound-name ::= "), ("ebnf", "sound_name ::= ")):
        emit = gbnf if dialect == "gbnf" else ebnf
        grammar = emit(sounds=list(ensemble.sounds))
        (line,) = [ln for ln in grammar.splitlines() if ln.startswith(rule)]
        spelled = {alt.strip().strip('"') for alt in line.removeprefix(rule).split("|")}
        assert spelled == {"triangle", "pulse"}
    full = gbnf()
    (line,) = [ln for ln in full.splitlines() if ln.startswith("sound-name ::= ")]
    assert "sawtooth" in line


def test_the_validator_refuses_a_piece_that_leaves_a_sound_out_or_adds_one():
    ensemble = make_ensemble(["sine", "sbd"])
    assert validate_for(PIECE, ensemble).ok
    missing = validate_for(PIECE, make_ensemble(["sine", "sbd", "pulse"]))
    assert not missing.ok and 'sound "pulse" is not used' in missing.errors[0]
    extra = validate_for(PIECE, make_ensemble(["sine"]))
    assert not extra.ok and 'sound "sbd" is not allowed' in extra.errors[0]


def every_ensemble():
    ensembles = list(load_ensembles()[0].values())
    palette = [s for s in subset.all_sounds() if s not in subset.PERCUSSIVE]
    # Custom picks too: every pair and a few larger sets, with and without a drum.
    ensembles += [make_ensemble(pair) for pair in itertools.combinations(palette, 2)]
    ensembles += [make_ensemble([*palette[i : i + 3], "sbd"]) for i in range(0, len(palette) - 2, 2)]
    ensembles += [make_ensemble(palette[i : i + 5]) for i in range(0, len(palette) - 4, 3)]
    return ensembles


def test_every_style_revoiced_for_every_ensemble_uses_exactly_its_sounds():
    styles = load_styles()
    for ensemble in every_ensemble():
        for style in styles.values():
            code = voice_for(style.example, ensemble)
            result = validate_for(code, ensemble)
            assert result.ok, (ensemble, style.name, result.errors)
            assert set(result.sounds) == set(ensemble.sounds), (ensemble, style.name)


def test_the_instant_composer_revoiced_uses_exactly_the_chosen_sounds():
    ensemble = make_ensemble(["triangle", "sawtooth", "pink"])
    texts = ["calm quiet sea", "storm and thunder", "joy and dancing", "sad and alone", "the door"]
    for i, text in enumerate(texts):
        piece = compose(f"section-{i}", text)
        result = validate_for(voice_for(piece.code, ensemble), ensemble)
        assert result.ok and result.sounds == ["pink", "sawtooth", "triangle"]


def test_without_an_ensemble_a_piece_is_only_validated():
    assert voice_for(PIECE, None) == validate_for(PIECE, None).code


def test_a_drums_only_piece_gets_a_drone_for_the_instruments():
    drums = 'setcpm(30)\nstack(\n  s("sbd ~ sbd ~").gain(0.3)\n)'
    ensemble = make_ensemble(["sine", "triangle"])
    result = validate_for(voice_for(drums, ensemble), ensemble)
    assert result.ok and result.sounds == ["sine", "triangle"]


def test_revoicing_twice_changes_nothing():
    ensemble = make_ensemble(["triangle", "pulse", "sbd"])
    for style in load_styles().values():
        once = voice_for(style.example, ensemble)
        assert voice_for(once, ensemble) == once
