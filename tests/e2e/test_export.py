"""Export: the book's score (every section's code) out and back in, a section as a Strudel snippet,
and a section rendered offline to a WAV file."""

import json
import math
import struct

from test_sound import wait_level

from app.strudel.validate import validate

CODE = 'note("c3 e3 g3 b3").sound("triangle").release(0.3).gain(0.5)'


def download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    dl = info.value
    return dl.suggested_filename, open(dl.path(), "rb").read()


def test_score_downloads_every_section_and_imports_back(app, tmp_path):
    name, data = download(app, "#export-score")
    assert name.endswith(".score.json")
    score = json.loads(data)
    sections = app.evaluate("window.bookmusic.ui.state.book.sections.map((s) => s.id)")
    assert score["format"] == "bookmusic-score" and score["version"] == 1
    assert [s["id"] for s in score["sections"]] == sections
    assert all(s["style"] and "setcpm(" in s["code"] for s in score["sections"])

    # Change section 2's code in the file, import it: that section now plays the imported code.
    score["sections"][1]["code"] = CODE
    path = tmp_path / "edited.score.json"
    path.write_text(json.dumps(score))
    app.set_input_files("#import-score", str(path))
    app.wait_for_function("document.querySelector('#status').textContent.includes('Imported the score')")
    app.keyboard.press("ArrowDown")
    app.click("#play")
    app.wait_for_function(f"document.querySelector('#code').value === {json.dumps(validate(CODE).code)}")
    assert wait_level(app, above=0.01, timeout=20_000) > 0.01

    # A file that is not a score: a clear message, nothing changes.
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    app.set_input_files("#import-score", str(bad))
    app.wait_for_function("document.querySelector('#status').textContent.includes('not a BookMusic score')")
    assert app.input_value("#code") == validate(CODE).code
    assert app.console_errors == []


def test_section_saved_as_a_strudel_snippet(app):
    app.click("#play")
    wait_level(app, above=0.01, timeout=20_000)
    code = app.input_value("#code")
    name, data = download(app, "#save-snippet")
    text = data.decode()
    piece = app.evaluate("window.bookmusic.ui.state.piece")
    assert name == piece["file"] + ".strudel.js"  # the file name is Python's (show_code's `file`)
    assert name.endswith("-section-1.strudel.js")
    assert text.startswith("// The Lighthouse Keeper's Year, section 1")
    section_id = app.evaluate("window.bookmusic.ui.state.piece.id")
    assert f"section id: {section_id}" in text
    assert text.rstrip().endswith(code.strip())


def wav_info(data):
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    channels, rate = struct.unpack("<HI", data[22:28])
    bits = struct.unpack("<H", data[34:36])[0]
    samples = struct.unpack(f"<{(len(data) - 44) // 2}h", data[44:])
    rms = (sum(s * s for s in samples[::7]) / len(samples[::7])) ** 0.5 / 32768
    return channels, rate, bits, len(samples) / channels / rate, rms


def test_section_rendered_offline_to_wav(app):
    app.click("#play")
    wait_level(app, above=0.01, timeout=20_000)
    name, data = download(app, "#render-wav")
    # Python names the file and gives the section's length at the reader's pace (show_code).
    piece = app.evaluate("window.bookmusic.ui.state.piece")
    assert name == piece["file"] + ".wav" and name.endswith("-section-1.wav")
    channels, rate, bits, seconds, rms = wav_info(data)
    assert (channels, rate, bits) == (2, 44100, 16)
    assert abs(seconds - piece["seconds"]) < 0.1  # the length the MIDI export of it has too
    assert rms > 0.005, "the render is silent"
    # Live playback went on untouched while rendering.
    assert wait_level(app, above=0.01, timeout=10_000) > 0.01


def test_wav_render_is_deterministic_and_fails_clearly(app):
    digest = """async (code) => {
        const blob = await window.bookmusic.sound.renderWav(code, 2);
        const hash = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
        return [blob.size, [...new Uint8Array(hash)].map((b) => b.toString(16)).join('')];
    }"""
    first = app.evaluate(digest, CODE)
    second = app.evaluate(digest, CODE)
    assert first == second and first[0] == 44 + 2 * 2 * 44100 * 2
    other = app.evaluate(digest, CODE.replace("c3", "d3"))
    assert other[1] != first[1]
    error = app.evaluate(
        "(code) => window.bookmusic.sound.renderWav(code, 1).then(() => 'no error', (e) => e.message)",
        "this is not strudel(",
    )
    assert error != "no error" and error


def test_wav_export_fades_in_and_out_and_sits_at_the_target_level(app):
    """A drum style does not start on a full kick at sample 0 nor end on a hard cut, and the
    render is levelled to the live stage's target (issue #13)."""
    drums = validate('setcpm(30)\nstack(s("sbd*4").gain(0.5), '
                     'n("0 2 4 2").scale("C3:minor").sound("sawtooth").lpf(1200).gain(0.2))').code
    render = """async (code) => {
        const blob = await window.bookmusic.sound.renderWav(code, 4);
        return [...new Uint8Array(await blob.arrayBuffer())];
    }"""
    data = bytes(app.evaluate(render, drums))
    channels, rate, _, seconds, _ = wav_info(data)
    frames = struct.unpack(f"<{(len(data) - 44) // 2}h", data[44:])
    mono = [(frames[i] + frames[i + 1]) / 2 / 32768 for i in range(0, len(frames), channels)]
    edge = rate // 100  # 10 ms
    top = max(abs(x) for x in mono)
    assert abs(mono[0]) < 1e-3 and abs(mono[-1]) < 1e-3
    assert max(abs(x) for x in mono[:edge]) < 0.2 * top  # the first kick comes in, not at full scale
    assert max(abs(x) for x in mono[-edge:]) < 0.05 * top  # the end fades, no hard cut
    # Level: gated RMS in 100 ms blocks as the stage measures it, within 3 dB of its target.
    target = app.evaluate("(async () => (await import('./sound/leveller.js')).TARGET_DB)()")
    block = rate // 10
    squares = [sum(x * x for x in mono[i:i + block]) / block for i in range(0, len(mono) - block, block)]
    loud = [m for m in squares if m > 1e-7]
    kept = [m for m in loud if m > (sum(loud) / len(loud)) / 100]
    level = 10 * math.log10(sum(kept) / len(kept))
    assert abs(level - target) <= 3, (level, target)
    assert seconds == 4
