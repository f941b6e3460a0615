"""Endless mode and ensembles in the real page: pieces valid, sound unbroken across swaps,
exactly the chosen instruments, and memory that does not grow with the number of pieces."""

from __future__ import annotations

import itertools
import json

from app.music.ensemble import load_ensembles
from app.strudel.validate import validate

RECORD = """() => {
  window.__pieces = [];
  window.__levels = [];
  window.addEventListener('bookmusic:endless-piece', (e) => window.__pieces.push(
    {...e.detail, t: performance.now()}));
  setInterval(() => window.__levels.push([performance.now(), window.bookmusic.sound.level()]), 25);
}"""


def start_endless(page, seconds, mood="", ensemble=None):
    page.evaluate(
        "(s) => { const sel = document.querySelector('#endless-every');"
        " sel.append(new Option(`${s} s`, String(s))); sel.value = String(s); }",
        seconds,
    )
    if ensemble:
        page.select_option("#ensemble", ensemble)
    page.fill("#endless-mood", mood)
    page.evaluate(RECORD)
    page.click("#endless")


def wait_pieces(page, count, timeout=60_000):
    page.wait_for_function(f"window.__pieces.length >= {count}", timeout=timeout)
    return page.evaluate("window.__pieces")


def sounds_played(page, code, cycles=16):
    found = json.loads(page.evaluate("([c, n]) => window.bookmusic.sound.events(c, 0, n)", [code, cycles]))
    return sorted({e["sound"] for e in found["events"]})


def test_endless_pieces_are_valid_drift_gently_and_sound_never_breaks(app):
    start_endless(app, 3, mood="a calm grey sea")
    pieces = wait_pieces(app, 5)
    app.wait_for_timeout(1000)
    levels = app.evaluate("window.__levels")
    app.click("#endless")  # stop
    app.wait_for_function("document.querySelector('#endless').getAttribute('aria-pressed') === 'false'")
    assert [p["pieces"] for p in pieces[:5]] == [1, 2, 3, 4, 5]
    for prev, piece in itertools.pairwise(pieces):
        assert abs(piece["cpm"] - prev["cpm"]) <= 2
    for piece in pieces:
        result = validate(piece["code"])
        assert result.ok and result.code == piece["code"], result.errors
        assert sounds_played(app, piece["code"])  # Strudel evaluates it and it makes notes
    assert app.console_errors == []
    # Sound is continuous across every swap: from half a second before each swap to two seconds
    # after it (the crossfade), the level never falls near silence.
    for piece in pieces[1:5]:
        around = [(round(t - piece["t"]), lv) for t, lv in levels if -500 <= t - piece["t"] <= 2000]
        assert len(around) > 40, len(around)
        quiet = [(dt, lv) for dt, lv in around if lv <= 0.003]
        assert not quiet, f"near silence around swap {piece['pieces']} (ms from swap, level): {quiet[:12]}"
    whole = [lv for t, lv in levels if pieces[1]["t"] <= t <= pieces[4]["t"] + 1000]
    print("endless level min/median:", min(whole), sorted(whole)[len(whole) // 2])
    assert "Endless mode stopped" in app.inner_text("#status")
    app.wait_for_function("window.bookmusic.sound.level() < 0.001", timeout=15_000)


def test_an_ensemble_is_exactly_what_plays_in_reading_and_endless_mode(app):
    ensemble = load_ensembles()[0]["piano-trio"]  # General MIDI piano and bass, and the synth kick
    app.select_option("#ensemble", "piano-trio")
    app.wait_for_function("document.querySelector('#status').textContent.startsWith('Ensemble')")
    app.click("#play")
    app.wait_for_function("document.querySelector('#code').value.includes('stack(')")
    app.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000)
    assert sounds_played(app, app.input_value("#code")) == sorted(ensemble.sounds)
    app.keyboard.press("ArrowDown")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('Section 2')")
    app.wait_for_timeout(300)
    assert sounds_played(app, app.input_value("#code")) == sorted(ensemble.sounds)
    app.click("#play")

    # A custom pick in endless mode.
    app.select_option("#ensemble", "custom")
    for sound in ("triangle", "sawtooth", "pink"):
        app.check(f"#ensemble-custom input[value='{sound}']")
    app.wait_for_function("document.querySelector('#status').textContent.includes('pink')")
    start_endless(app, 2, mood="storm")
    pieces = wait_pieces(app, 3)
    app.click("#endless")
    for piece in pieces:
        assert sounds_played(app, piece["code"]) == ["pink", "sawtooth", "triangle"]


def test_a_bad_ensemble_is_a_message(app):
    app.select_option("#ensemble", "custom")
    app.check("#ensemble-custom input[value='sbd']")
    app.wait_for_function("document.querySelector('#status').textContent.includes('cannot play')")
    assert "plays notes" in app.inner_text("#status")


def test_memory_stays_flat_over_many_swaps(app):
    """JS heap (after forced GC) and the DOM, from swap 8 (caches warm) to swap 20.

    bench/endless.py measures the same over 120 swaps (and Python's wasm memory): flat.
    """
    cdp = app.context.new_cdp_session(app)
    cdp.send("HeapProfiler.enable")
    cdp.send("Performance.enable")

    def retained_heap():
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("HeapProfiler.collectGarbage")
        return cdp.send("Runtime.getHeapUsage")["usedSize"]

    def measure():
        # The least of three readings half a second apart: what the page keeps, not a piece
        # being compiled or scheduled at that instant (one CI run read 16.5, 15.4, 18.1 MB at
        # swaps 8, 14, 20: a transient, not a trend).
        heaps = []
        for _ in range(3):
            heaps.append(retained_heap())
            app.wait_for_timeout(500)
        heap = min(heaps)
        nodes = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["Nodes"]
        return heap, nodes

    start_endless(app, 2)
    samples = {}
    for n in (8, 14, 20):
        app.wait_for_function(f"window.bookmusic.modes.state.pieces >= {n}", timeout=90_000)
        app.evaluate("window.__pieces.length = 0; window.__levels.length = 0")  # the test's own records
        samples[n] = measure()
    app.click("#endless")
    print("endless heap/nodes by swap:", samples)
    growth = samples[20][0] - samples[8][0]
    assert growth < 1.5 * 2**20, f"JS heap grew {growth / 2**20:.2f} MiB over 12 swaps"
    assert abs(samples[20][1] - samples[8][1]) < 30


def test_export_in_endless_mode_writes_the_span_played(app):
    from pathlib import Path

    from tests.unit.midi_reader import read

    start_endless(app, 2, mood="joy")
    pieces = wait_pieces(app, 3)
    with app.expect_download() as info:
        app.click("#export-midi")
    app.click("#endless")
    download = info.value
    assert download.suggested_filename.startswith("endless-joy")
    midi = read(Path(download.path()).read_bytes())
    tempos = [e for e in midi.tracks[0] if e.kind == "tempo"]
    count = int(download.suggested_filename.rsplit("-", 1)[1].removesuffix(".mid"))
    assert count >= 3 and len(tempos) == count  # one tempo per piece kept, laid end to end
    expected = [round(60_000_000 / (p["cpm"] * 4)) for p in pieces[: len(tempos)]]
    assert [t.a for t in tempos][:3] == expected[:3]
    assert sum(len(midi.notes(t)) for t in range(1, len(midi.tracks))) > 0
