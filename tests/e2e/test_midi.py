"""MIDI in the real page: a known pattern's file, the Export button, and Web MIDI out.

Headless Chromium has no MIDI devices. The MIDI-out tests give the page a MIDIOutput whose send()
records what it is given (added before the page loads): the app's own code chooses it, schedules
and sends the messages; the test reads them back and checks notes, channels and timing.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from app.midi.render import midi_file_from_json
from tests.unit.midi_reader import read

KNOWN = """setcpm(30)
stack(
  note("c4 e4 g4 ~").sound("triangle").gain(0.4),
  s("sbd ~ sbd ~").gain(0.2),
  n("<[0,4] [2,5]>").scale("C3:major").sound("sine").gain(0.2)
)"""

FAKE_MIDI = """
window.__midiSent = [];
navigator.requestMIDIAccess = async () => {
  const output = {
    id: "test-out", name: "Recording MIDI port", type: "output", state: "connected",
    send(data, timestamp) {
      window.__midiSent.push({data: Array.from(data), t: timestamp ?? performance.now()});
    },
  };
  return { outputs: new Map([[output.id, output]]), inputs: new Map(), onstatechange: null };
};
"""


def events(page, code, begin, end):
    found = page.evaluate("([c, b, e]) => window.bookmusic.sound.events(c, b, e)", [code, begin, end])
    return json.loads(found)


def test_known_pattern_becomes_a_file_with_its_notes_channels_and_timing(app):
    piece = events(app, KNOWN, 0, 2)
    assert piece["cps"] == 0.5 and piece["layers"] == 3
    midi = read(midi_file_from_json([piece]))
    assert len(midi.tracks) == 4
    assert [e.a for e in midi.tracks[0] if e.kind == "tempo"] == [500_000]  # 30 cpm = 120 bpm
    bar, beat = 1920, 480
    assert midi.notes(1) == [
        (0, 60, 127, 0, beat), (0, 64, 127, beat, 2 * beat), (0, 67, 127, 2 * beat, 3 * beat),
        (0, 60, 127, bar, bar + beat), (0, 64, 127, bar + beat, bar + 2 * beat),
        (0, 67, 127, bar + 2 * beat, bar + 3 * beat),
    ]
    assert midi.notes(2) == [(9, 36, 64, 0, beat), (9, 36, 64, 2 * beat, 3 * beat),
                             (9, 36, 64, bar, bar + beat), (9, 36, 64, bar + 2 * beat, bar + 3 * beat)]
    # C major chord degrees 0,4 then 2,5 from C3: C3+G3, then E3+A3, a bar each, on channel 3.
    assert midi.notes(3) == [(2, 48, 64, 0, bar), (2, 55, 64, 0, bar), (2, 52, 64, bar, 2 * bar),
                             (2, 57, 64, bar, 2 * bar)]


def test_export_button_downloads_the_current_section(app):
    from app.segment import DEFAULT_WPM

    app.click("#play")  # the reader's piece for section 1 is composed, shown and played
    app.wait_for_function("document.querySelector('#code').value.includes('stack(')")
    app.click("#play")
    code = app.input_value("#code")
    with app.expect_download() as info:
        app.click("#export-midi")
    download = info.value
    assert re.fullmatch(r"the-lighthouse-keeper.*-section-1\.mid", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    # The same bytes as the shown piece's events over the time section 1 takes to read.
    words = app.evaluate("window.bookmusic.ui.state.book.sections[0].words")
    seconds = words / DEFAULT_WPM * 60
    piece = json.loads(
        app.evaluate("([c, s]) => window.bookmusic.sound.events(c, 0, 0, s)", [code, seconds])
    )
    assert data == midi_file_from_json([piece])
    midi = read(data)
    assert len(midi.tracks) == 1 + code.count(".gain(")  # conductor + one track per layer
    assert piece["end"] >= seconds * piece["cps"] > piece["end"] - 1
    assert "Exported" in app.inner_text("#status")


def test_midi_out_without_a_device_says_so(app):
    app.click("#midi-connect")
    app.wait_for_function("document.querySelector('#midi-status').textContent.length > 0")
    message = app.inner_text("#midi-status")
    assert re.search(r"No MIDI output device|MIDI access was refused|no Web MIDI", message), message
    assert app.is_hidden("#midi-out")


def sent_notes(page):
    return [m for m in page.evaluate("window.__midiSent") if (m["data"][0] & 0xF0) == 0x90]


def test_midi_out_sends_the_playing_pattern_per_layer_channel_and_mutes_audio(page, site):
    page.add_init_script(FAKE_MIDI)
    page.goto(site)
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.click("#midi-connect")
    page.wait_for_selector("#midi-out:not([hidden])")
    assert page.input_value("#midi-output") == "test-out"
    page.check("#midi-enable")
    page.wait_for_function("document.querySelector('#midi-status').textContent.startsWith('Sending')")

    # 1. The reader's Play button: the composed piece reaches the MIDI port, audio stays muted.
    page.click("#play")
    page.wait_for_function("window.__midiSent.length > 4", timeout=20_000)
    assert page.evaluate("window.bookmusic.sound.level()") < 1e-4
    assert page.is_disabled("#volume")
    page.click("#play")  # pause: all notes off on the channels used
    page.wait_for_function("window.__midiSent.some(m => (m.data[0] & 0xf0) === 0xb0 && m.data[1] === 123)")

    # 2. A known pattern, followed from its start: exact notes, channels and timing.
    page.evaluate("window.__midiSent.length = 0")
    page.evaluate(
        "async (code) => { await window.bookmusic.sound.play(code);"
        " await window.bookmusic.modes.midiOut.follow(code); }",
        KNOWN,
    )
    page.wait_for_timeout(4500)  # a little over two cycles at 0.5 cycles per second
    ons = sent_notes(page)
    page.evaluate("window.bookmusic.sound.stop()")
    expected = {(0, 60), (0, 64), (0, 67), (9, 36), (2, 48), (2, 55), (2, 52), (2, 57)}
    got = {(m["data"][0] & 0x0F, m["data"][1]) for m in ons}
    assert got <= expected and {(0, 60), (9, 36)} <= got, got
    # Timing: the triangle layer plays a note every half second (a quarter of a 2 s cycle).
    lead = [m["t"] for m in ons if (m["data"][0] & 0x0F) == 0]
    gaps = [b - a for a, b in itertools.pairwise(lead)]
    assert gaps and all(abs(g - 500) < 40 or abs(g - 1000) < 40 for g in gaps), gaps
    # The drums land with the lead's first and third beats.
    drums = [m["t"] for m in ons if (m["data"][0] & 0x0F) == 9]
    assert all(min(abs(d - t) for t in lead) < 40 for d in drums)
    velocities = {m["data"][2] for m in ons if (m["data"][0] & 0x0F) == 0}
    assert velocities == {127}

    # 3. Unmuting gives the volume back to the listener; switching off says so.
    page.uncheck("#midi-mute")
    assert not page.is_disabled("#volume")
    page.uncheck("#midi-enable")
    assert "off" in page.inner_text("#midi-status")


def test_js_and_python_drum_maps_agree(app):
    from app.midi.gm import DRUM_KEYS

    js = app.evaluate("window.bookmusic.modes.midiOut.DRUM_KEYS")
    assert js == DRUM_KEYS


def test_a_midi_device_that_goes_away_stops_midi_out_with_a_message(page, site):
    # The same recording port, but it fails once a few messages went out (as when unplugged).
    page.add_init_script(FAKE_MIDI.replace(
        "window.__midiSent.push(",
        "if (window.__midiSent.length >= 6) throw new Error('port closed'); window.__midiSent.push(",
    ))
    page.goto(site)
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.click("#midi-connect")
    page.wait_for_selector("#midi-out:not([hidden])")
    page.check("#midi-enable")
    page.click("#play")
    page.wait_for_function(
        "document.querySelector('#midi-status').textContent.startsWith('MIDI out stopped')", timeout=20_000
    )
    assert "Recording MIDI port is not available" in page.inner_text("#midi-status")
    assert not page.is_checked("#midi-enable")
    # The audio is given back and keeps playing.
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000)
    assert not page.is_disabled("#volume")
    page.click("#play")
