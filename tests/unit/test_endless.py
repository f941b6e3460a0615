"""Endless mode: each piece valid, grown from the one before with bounded drift, memory bounded."""

from __future__ import annotations

import itertools

from app.compose.drift import (
    CIRCLE_OF_FIFTHS,
    FOUNDATION_ROLES,
    MAX_CPM_STEP,
    MAX_LAYERS,
    MIN_LAYERS,
    Endless,
    mood_of,
)
from app.music.ensemble import make_ensemble, validate_for
from app.music.styles import load_moods, load_styles
from app.strudel.validate import validate

PHRASES = ["", "a misty harbour at dawn", "storm and rage", "joy and dancing", "noir", "dreamy"]


def fifths_apart(a: str, b: str) -> int:
    d = abs(CIRCLE_OF_FIFTHS.index(a) - CIRCLE_OF_FIFTHS.index(b))
    return min(d, len(CIRCLE_OF_FIFTHS) - d)


def test_every_piece_is_valid_and_drifts_within_bounds():
    for seed, phrase in enumerate(PHRASES):
        session = Endless(phrase, seed=seed)
        prev = None
        key_moves = []
        for _ in range(60):
            piece = session.next()
            result = validate(piece.code)
            assert result.ok and result.code == piece.code, result.errors
            state = piece.state
            assert session.cpm_band[0] <= state.cpm <= session.cpm_band[1]
            assert MIN_LAYERS <= len(state.layers) <= MAX_LAYERS
            assert any(i.role in FOUNDATION_ROLES for i in state.layers)
            if prev is not None:
                assert abs(state.cpm - prev.cpm) <= MAX_CPM_STEP
                assert fifths_apart(state.key, prev.key) <= 1
                key_moves.append(state.key != prev.key)
                if state.key != prev.key:
                    assert state.mode == prev.mode  # one harmonic change at a time
                # Continuity: at most one layer added, dropped or swapped.
                kept = set(state.layers) & set(prev.layers)
                assert len(kept) >= max(len(state.layers), len(prev.layers)) - 1
            prev = state
        assert not any(a and b for a, b in itertools.pairwise(key_moves))
        # It does move: over 60 pieces the key, tempo and texture all change at some point.
        states = [p.state for p in session.pieces]
        assert len({p.code for p in session.pieces}) > 1
        assert any(key_moves) and len(states) == session.history


def test_it_never_loops_back_to_an_identical_run():
    session = Endless("calm", seed=7)
    codes = [session.next().code for _ in range(40)]
    windows = {tuple(codes[i : i + 4]) for i in range(len(codes) - 3)}
    assert len(windows) == len(codes) - 3


def test_history_is_bounded_for_hours_of_play():
    session = Endless("calm", seed=3, history=5, seconds=45)
    for _ in range(500):  # ~6 hours at 45 s a piece
        session.next()
    assert len(session.pieces) == 5 and session.count == 500
    assert [p.index for p in session.pieces] == [495, 496, 497, 498, 499]


def test_an_ensemble_holds_for_every_piece():
    ensemble = make_ensemble(["triangle", "pulse", "sbd"])
    session = Endless("storm", seed=11, ensemble=ensemble)
    for _ in range(30):
        result = validate_for(session.next().code, ensemble)
        assert result.ok and result.sounds == ["pulse", "sbd", "triangle"]


def test_mood_phrase_picks_the_styles():
    routes = load_moods().routes
    names = set(load_styles())
    assert mood_of("something noir tonight", routes, names)[1] == ["noir"]
    assert mood_of("a dreamy sky", routes, names)[0] == "dreamy"
    assert mood_of("", routes, names)[0] == "calm"
    assert mood_of("thunder and storm", routes, names)[0] == "tense"


def test_every_mood_can_start_endless_mode():
    for mood in load_moods().routes:
        piece = Endless(mood, seed=1).next()
        assert validate(piece.code).ok


def test_an_ensemble_without_drums_is_never_offered_a_drum_layer():
    session = Endless("joy and dancing", seed=4, ensemble=make_ensemble(["triangle", "sawtooth"]))
    for _ in range(40):
        piece = session.next()
        assert "+drums" not in piece.change and "+kick" not in piece.change
        assert piece.summary()["layers"] == validate(piece.code).layers


def test_a_one_word_mood_phrase_is_enough():
    from app.compose.drift import mood_of
    from app.music.styles import load_moods, load_styles

    routes, styles = load_moods().routes, set(load_styles())
    assert [mood_of(p, routes, styles)[0] for p in ("joy", "storm", "love", "mystery")] == [
        "joyful", "tense", "tender", "mysterious",
    ]
