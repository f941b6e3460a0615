"""The listening bench's measuring stick (bench/_listen.py) on signals whose answer is known.

numpy is a dev dependency, not one of the Pyodide test wheels, and bench/ is not carried into
Pyodide: each test skips there (importorskip inside the test, so collection never imports numpy).
"""

import importlib
import math
import sys
from pathlib import Path

import pytest

RATE = 22050


def listen():
    pytest.importorskip("numpy")
    bench = Path(__file__).resolve().parents[2] / "bench"
    if not (bench / "_listen.py").exists():
        pytest.skip("bench/ is not here (the Pyodide run carries app/ and tests/ only)")
    if str(bench) not in sys.path:
        sys.path.insert(0, str(bench))
    return importlib.import_module("_listen")


def tone(freqs, seconds=2.0, amp=0.3):
    import numpy as np

    t = np.arange(int(RATE * seconds)) / RATE
    return sum(amp * np.sin(2 * np.pi * f * t) for f in freqs)


def test_a_sine_has_its_centroid_rolloff_and_band_at_its_frequency():
    lf = listen()
    for f in (220.0, 880.0, 3000.0):
        freqs, power = lf.mean_spectrum(tone([f]), RATE)
        assert lf.spectral_centroid(freqs, power) == pytest.approx(f, rel=0.03)
        assert lf.spectral_rolloff(freqs, power) == pytest.approx(f, rel=0.03)
    low, mid, high = lf.band_shares(*lf.mean_spectrum(tone([100.0]), RATE))
    assert low > 0.95 and high < 0.01 and low + mid + high == pytest.approx(1.0)
    assert lf.brightness(*lf.mean_spectrum(tone([4000.0]), RATE)) > 0.95
    assert lf.brightness(*lf.mean_spectrum(tone([300.0]), RATE)) < 0.05


def test_level_of_a_sine_ignores_silence_and_measures_spread():
    lf = listen()  # first: it skips where numpy is missing
    np = lf.np
    loud = tone([440.0], seconds=4, amp=1.0)  # a full-scale sine is -3 dBFS
    level, spread = lf.level_db(np.concatenate([loud, np.zeros(RATE * 4)]), RATE)
    assert level == pytest.approx(-3.01, abs=0.05) and spread == pytest.approx(0, abs=0.05)
    # Two seconds 20 dB quieter, out of six: the spread sees the drop, the level the power mean.
    swell = np.concatenate([tone([440.0], seconds=4, amp=1.0), tone([440.0], seconds=2, amp=0.1)])
    level, spread = lf.level_db(swell, RATE)
    assert spread == pytest.approx(20, abs=0.5)
    assert level == pytest.approx(10 * math.log10((4 * 0.5 + 2 * 0.005) / 6), abs=0.05)
    assert lf.level_db(np.zeros(RATE * 2), RATE) == (-math.inf, 0.0)


def test_clicks_at_known_times_are_counted_as_onsets():
    lf = listen()  # first: it skips where numpy is missing
    np = lf.np
    x = np.random.default_rng(1).normal(0, 1e-4, RATE * 5)  # a little noise: no onsets in it
    times = [0.5, 1.0, 1.25, 2.0, 2.6, 3.3, 4.1]
    for t in times:
        i = int(t * RATE)
        x[i:i + 200] += 0.8 * np.exp(-np.arange(200) / 40.0) * np.sin(np.arange(200) * 0.9)
    found = lf.onset_times(x, RATE)
    assert len(found) == len(times)
    assert np.max(np.abs(found - np.array(times))) < 0.03
    # A steady tone is one onset (its start), not a stream of them; nor is a slow swell.
    assert len(lf.onset_times(tone([330.0], seconds=4), RATE)) <= 1
    swell = np.minimum(np.arange(RATE * 4) / (2 * RATE), 1.0)
    assert len(lf.onset_times(tone([110.0, 220.0, 330.0], seconds=4) * swell, RATE)) <= 1


def test_a_steady_pulse_is_heard_at_its_tempo():
    lf = listen()
    np = lf.np

    def pulse(bpm, seconds=12.0, accent_every=0):
        x = np.random.default_rng(2).normal(0, 1e-4, int(RATE * seconds))
        for k, t in enumerate(np.arange(0.2, seconds - 0.2, 60.0 / bpm)):
            i = int(t * RATE)
            loud = 0.8 if accent_every and k % accent_every == 0 else 0.5
            x[i:i + 300] += loud * np.exp(-np.arange(300) / 50.0) * np.sin(np.arange(300) * 0.7)
        return x

    for bpm in (72.0, 96.0, 128.0, 150.0):
        assert abs(lf.tempo_bpm(pulse(bpm), RATE) - bpm) / bpm < 0.04, bpm
    # An accent every other beat does not halve the tempo; a held tone has no pulse to find.
    assert abs(lf.tempo_bpm(pulse(110.0, accent_every=2), RATE) - 110.0) < 5
    assert lf.tempo_bpm(np.zeros(RATE * 4), RATE) == 0.0


def test_a_major_triad_sounds_more_major_than_a_minor_one():
    lf = listen()
    c_major = lf.key_estimate(lf.chroma(tone([261.63, 329.63, 392.0], seconds=3), RATE))
    c_minor = lf.key_estimate(lf.chroma(tone([261.63, 311.13, 392.0], seconds=3), RATE))
    assert c_major.mode > 0 > c_minor.mode
    assert (c_major.tonic, c_major.major) == (0, True)
    assert (c_minor.tonic, c_minor.major) == (0, False)
    hiss = lf.np.random.default_rng(2).normal(0, 0.1, RATE * 3)
    noise = lf.key_estimate(lf.chroma(hiss, RATE))
    assert noise.clarity < c_major.clarity


def events(bar, cycles):
    """`bar(c)` gives (onset, note) pairs for cycle c; one layer, triangle."""
    lf = listen()
    return [lf.Event(0, c + t, c + t + 0.25, n, 0.5, "triangle") for c in range(cycles) for t, n in bar(c)]


def test_a_pattern_that_repeats_every_four_cycles_has_period_four():
    lf = listen()
    melody = [60, 62, 64, 67]
    four = events(lambda c: [(0, melody[c % 4]), (0.5, 48)], 64)
    assert lf.repetition_period(four, 64) == lf.Repetition(4, 0)
    # An intro of three different cycles, then the same loop: still period 4, from cycle 3.
    intro = events(lambda c: [(0, 70 + c)] if c < 3 else [(0, melody[c % 4])], 64)
    assert lf.repetition_period(intro, 64) == lf.Repetition(4, 3)
    # Never the same twice (a rising line): no period.
    assert lf.repetition_period(events(lambda c: [(0, c)], 64), 64).period_cycles is None
    # A period longer than half the span cannot be seen twice: absent, not guessed.
    assert lf.repetition_period(events(lambda c: [(0, c % 40)], 64), 64).period_cycles is None
    # Gain counts only when asked: a gain that changes every cycle breaks the exact repeat.
    ramp = [lf.Event(0, c, c + 0.5, 60, c / 64, "sine") for c in range(64)]
    assert lf.repetition_period(ramp, 64).period_cycles == 1
    assert lf.repetition_period(ramp, 64, with_gain=True).period_cycles is None


def test_layer_activity_counts_held_notes_in_every_cycle_they_sound():
    lf = listen()
    evs = [lf.Event(0, c, c + 0.5, 60, 1, "sine") for c in range(8)]
    evs += [lf.Event(1, 0, 4, 48, 1, "sine")]  # a pad held four cycles
    evs += [lf.Event(2, 6, 6.25, None, 1, "sbd")]
    activity = lf.layer_activity(evs, 8)
    assert (activity.min, activity.max, activity.distinct_sets) == (1, 2, 3)
    assert activity.mean == pytest.approx((4 * 2 + 3 * 1 + 2) / 8)


def test_scores_over_pieces():
    lf = listen()  # first: it skips where numpy is missing
    np = lf.np
    assert lf.code_similarity("abc", "abc") == 1.0
    assert lf.code_similarity("note(\"c e g\")", "s(\"sbd*4\")") < 0.6
    z = lf.standardise([[0, 10], [2, 10], [4, 10]])
    assert np.allclose(z[:, 0], [-1.2247, 0, 1.2247], atol=1e-3) and np.all(z[:, 1] == 0)
    # Two tight groups far apart: leave-one-out tells them all apart, same << between.
    rows = np.array([[0, 0], [0.1, 0], [0, 0.1], [5, 5], [5.1, 5], [5, 5.1]])
    labels = ["calm", "calm", "calm", "angry", "angry", "angry"]
    confusion = lf.leave_one_out(rows, labels, ["calm", "angry"])
    assert confusion.accuracy() == 1.0 and confusion.rows()["calm"] == "calm:3"
    medians = lf.pair_medians(lf.distance_matrix(rows), labels)
    assert medians["same_median"] < 0.2 < 7 < medians["between_median"]
    assert lf.quadrant(-0.9, 0.9) == "intense-dark" and lf.quadrant(0.4, -0.8) == "calm-bright"


def test_separation_names_the_nearest_mood_and_the_feature_that_parts_them():
    lf = listen()
    np = lf.np
    # Three groups on a line in feature "a"; the middle one varies in feature "b" only.
    rows = np.array([[0, 0], [0, 0], [2, 1], [2, -1], [9, 0], [9, 0]], dtype=float)
    labels = ["calm", "calm", "tense", "tense", "angry", "angry"]
    out = lf.separation(rows, labels, ["a", "b"])
    assert out["calm"]["nearest"] == "tense" and out["calm"]["gap"] == 2.0
    assert out["angry"]["nearest"] == "tense" and out["angry"]["gap"] == 7.0
    assert next(iter(out["calm"]["parted_by"])) == "a" and out["calm"]["parted_by"]["a"] == -2.0
    assert out["tense"]["spread"] == 1.0 and next(iter(out["tense"]["varies_in"])) == "b"
    assert out["calm"]["spread"] == 0.0
