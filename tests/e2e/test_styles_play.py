"""Every style really plays (Web Audio in Chromium), evenly loud, and sections swap seamlessly."""

import base64
import io
import json
import math
import statistics
import struct
import wave
from pathlib import Path

import pytest

from app.music.styles import load_styles
from app.strudel.grammar import SOUNDS
from app.strudel.subset import GM_DRUMS, GM_SOUNDS
from tests.conftest import type_code

STYLES = load_styles()
SOUND = "window.bookmusic.sound"


def wav_rms(b64: str, skip_seconds: float = 1.0) -> float:
    with wave.open(io.BytesIO(base64.b64decode(b64))) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        raw = w.readframes(w.getnframes())
    samples = struct.unpack(f"<{len(raw) // 2}h", raw)[int(skip_seconds * rate) * channels :]
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768


@pytest.fixture
def sound_page(page, site):
    """A bare page at the site with the sound module loaded (no Python needed). Not window.sound:
    Strudel defines a global sound()."""
    page.goto(site + "sound/facts.json")
    page.evaluate("async () => { window.__sound = await import('./index.js'); }")
    return page


def test_page_check_accepts_every_style_and_refuses_foreign_sounds(sound_page):
    shipped = sound_page.evaluate("() => window.__sound.sounds()")
    assert shipped == sorted(SOUNDS)  # the page's whitelist is the Python one
    for style in STYLES.values():
        verdict = sound_page.evaluate("(code) => window.__sound.check(code)", style.example)
        assert verdict["ok"], (style.name, verdict)
        assert set(verdict["sounds"]) <= set(style.sounds) and verdict["events"] > 0
        assert verdict["ms"] < 500
    for bad, why in [
        ('note("c3").sound("jazz")', "whitelist"),  # a real Strudel sample name, but not shipped
        ('note("c3")', "no sound"),
        ('note("~ ~")', "no notes"),
        ('note("c3").sound("sine").undefinedMethod()', "not a function"),
    ]:
        verdict = sound_page.evaluate("(code) => window.__sound.check(code)", bad)
        assert not verdict["ok"] and why in verdict["error"], (bad, verdict)


def test_every_style_renders_audibly_with_even_loudness(browser, site):
    """Offline render (deterministic) of 12 s of each style: clearly audible, within +-6 dB."""
    levels = {}
    for style in STYLES.values():
        context = browser.new_context()  # Strudel's renderer takes over the audio context: fresh page
        page = context.new_page()
        page.goto(site + "sound/facts.json")
        b64 = page.evaluate(
            "async (code) => (await import('./index.js')).renderOffline(code, 12)", style.example
        )
        context.close()
        levels[style.name] = wav_rms(b64)
    median = statistics.median(levels.values())
    report = {name: round(20 * math.log10(rms / median), 1) for name, rms in levels.items()}
    print("style loudness, dB from the median:", report)
    for name, rms in levels.items():
        assert rms > 0.01, (name, rms)
        assert abs(20 * math.log10(rms / median)) <= 6, (name, report)


def sample_levels(page, seconds: float) -> list[float]:
    """RMS of the master output every 50 ms, each over the analyser's 46 ms window."""
    return page.evaluate(
        """async (seconds) => {
            const out = [];
            const end = performance.now() + seconds * 1000;
            while (performance.now() < end) {
                out.push(window.bookmusic.sound.level());
                await new Promise((r) => setTimeout(r, 50));
            }
            return out;
        }""",
        seconds,
    )


def smooth(levels: list[float], width: int = 6) -> list[float]:
    return [max(levels[i : i + width]) for i in range(0, len(levels) - width + 1)]


def test_swap_between_styles_is_seamless(app):
    """ambient (12 cpm, no drums) to anger (34 cpm): swap on a cycle boundary, never silent."""
    ambient, anger = STYLES["ambient"].example, STYLES["anger"].example
    app.evaluate(f"(code) => {SOUND}.play(code)", ambient)
    app.wait_for_function(f"{SOUND}.level() > 0.01", timeout=20_000, polling=50)
    before = sample_levels(app, 2.0)
    swap = app.evaluate(f"(code) => {SOUND}.play(code)", anger)
    pos = app.evaluate(f"{SOUND}.position()")
    old, new = pos["voices"][0], pos["voices"][-1]
    # The new piece starts exactly on a cycle boundary of the old one, and the old one fades out.
    cycles = (new["start"] - old["start"]) * old["cpm"] / 60
    assert abs(cycles - round(cycles)) < 1e-6 and new["start"] > pos["now"]
    assert old["end"] == pytest.approx(swap["start"] + swap["fade"])
    window = swap["start"] - pos["now"] + swap["fade"] + 1.0
    during = sample_levels(app, window)
    typical = statistics.median(before)
    floor = min(smooth(during))
    print(f"typical {typical:.4f}, lowest 300 ms max during the swap {floor:.4f}, fade {swap['fade']} s")
    assert floor > 0.2 * typical and floor > 0.005
    after = app.evaluate(f"{SOUND}.position()")
    assert after["voices"][-1]["cpm"] == pytest.approx(34)
    app.evaluate(f"{SOUND}.stop()")


# The newest piece plays alone: the one before it has faded out.
ALONE = (
    f"(() => {{ const p = {SOUND}.position(); const old = p.voices.at(-2);"
    " return !old || p.now > old.end; })()"
)


def test_intensity_cap_is_told_to_python_which_plays_the_piece_again_under_it(app):
    """The Intensity select emits the page event "intensity" with a preset name (a key of the
    page's facts); Python validates the piece again under that cap and plays it: softer, no drums."""
    presets = app.evaluate("window.bookmusic.facts.intensity")
    options = app.evaluate(
        "[...document.querySelectorAll('#intensity option')].map((o) => [o.value, o.text])"
    )
    assert options == [[name, preset["label"]] for name, preset in presets.items()]
    app.evaluate(
        "async () => { window.__intensity = [];"
        " (await import('./ui/bus.js')).on('intensity', (name) => window.__intensity.push(name)); }"
    )
    app.click("#play")
    app.wait_for_function(f"{SOUND}.level() > 0.005", timeout=20_000, polling=50)
    type_code(app, STYLES["anger"].example)
    app.click("#apply-code")
    app.wait_for_function(f"{SOUND}.position().voices.at(-1).cpm === 34", timeout=20_000)
    app.wait_for_function(ALONE, timeout=30_000, polling=200)
    loud = statistics.mean(sample_levels(app, 2.0))
    started = app.evaluate(f"{SOUND}.position().voices.at(-1).start")
    app.select_option("#intensity", "soft")
    assert app.evaluate("window.__intensity") == ["soft"]
    # Python plays the capped piece: a new voice crossfades in, then plays alone.
    app.wait_for_function(f"{SOUND}.position().voices.at(-1).start > {started}", timeout=20_000, polling=50)
    app.wait_for_function(ALONE, timeout=30_000, polling=200)
    soft = statistics.mean(sample_levels(app, 2.0))
    print(f"anger: {loud:.4f} full, {soft:.4f} capped")
    assert 0 < soft < 0.7 * loud
    app.click("#play")  # pause


def test_general_midi_instruments_play_live_from_local_files(app):
    """gm_* samples come from dist/vendor/soundfont (never the network), preloaded before playing."""
    gm = [s for s in SOUNDS if s.startswith("gm_")]
    assert len(gm) >= 8
    requested = []
    app.on("request", lambda r: requested.append(r.url) if "/vendor/soundfont/" in r.url else None)
    app.evaluate(f"(code) => {SOUND}.play(code)", STYLES["warm_piano"].example)
    # Preloaded: the very first notes sound, so the level rises within a second or two.
    app.wait_for_function(f"{SOUND}.level() > 0.01", timeout=5_000, polling=50)
    assert any("/gm_piano/" in url for url in requested)
    app.evaluate(f"{SOUND}.stop()")
    for name in gm:
        verdict = app.evaluate(
            "(code) => window.bookmusic.sound.check(code)", f'note("c3 e3 g3").sound("{name}").gain(0.3)'
        )
        assert verdict["ok"] and verdict["sounds"] == [name]


def test_shipped_instruments_are_exactly_the_whitelist():
    dist = Path(__file__).resolve().parents[2] / "dist"
    shipped = json.loads((dist / "sound/facts.json").read_text())
    assert shipped["sounds"] == list(SOUNDS)
    folders = sorted(p.name for p in (dist / "vendor/soundfont").iterdir() if p.is_dir())
    assert sorted(GM_SOUNDS + GM_DRUMS) == sorted(shipped["gm"]["map"])
    assert set(folders) <= set(shipped["gm"]["map"])  # a preset sharing another's samples has none
    assert (dist / "vendor/soundfont/LICENSE.md").read_text().count("MIT") >= 2
    used = set()
    for name, keyed in shipped["gm"]["map"].items():
        if name in GM_DRUMS:
            assert len(keyed) == 1, name  # one hit, played at its own pitch
            files = keyed
        else:
            # Enough key zones to cover the range without big repitching (timpani: a narrow one).
            assert len(keyed) >= (2 if name == "gm_timpani" else 5), name
            files = [fs[0] for fs in keyed.values()]
        for rel in files:
            assert (dist / "vendor/soundfont" / rel).read_bytes()[:4] == b"OggS"
        used |= set(files)
    shipped_files = {p.relative_to(dist / "vendor/soundfont").as_posix()
                     for p in (dist / "vendor/soundfont").rglob("*.ogg")}
    assert shipped_files == used  # nothing shipped that no map plays


def test_skimming_through_sections_never_goes_silent_and_lands_on_the_last_piece(app):
    """Reader scrolls fast: four swaps in a row queue up in order; the sound never stops."""
    order = ["lofi", "tense", "folk", "noir"]
    app.evaluate(f"(code) => {SOUND}.play(code)", STYLES["dreamy"].example)
    app.wait_for_function(f"{SOUND}.level() > 0.01", timeout=20_000, polling=50)
    app.evaluate(
        f"(codes) => Promise.all(codes.map((c) => {SOUND}.play(c)))",
        [STYLES[name].example for name in order],
    )
    levels = sample_levels(app, 8.0)
    assert min(smooth(levels)) > 0.003, min(smooth(levels))
    voices = app.evaluate(f"{SOUND}.position()")["voices"]
    assert voices[-1]["cpm"] == STYLES["noir"].example_cpm
    starts = [v["start"] for v in voices]
    assert starts == sorted(starts)
    app.evaluate(f"{SOUND}.stop()")


def test_long_soundfont_notes_fade_out_instead_of_stopping_dead(browser, site):
    """A long note ends in a fade, never dead: a looped sample (strings, choir, horn) holds through
    its loop and then releases; one without a loop (timpani) is shaped to fade before it ends."""
    for sound in ("gm_string_ensemble_1", "gm_choir_aahs", "gm_french_horn", "gm_timpani"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(site + "sound/facts.json")
        # A 6 s note, then 2 s for it to end.
        code = f'setcpm(7.5)\nstack(\n  note("c3@3 ~").sound("{sound}").release(0.1).gain(0.5)\n)'
        b64 = page.evaluate("async (code) => (await import('./index.js')).renderOffline(code, 8)", code)
        context.close()
        with wave.open(io.BytesIO(base64.b64decode(b64))) as w:
            rate, raw = w.getframerate(), w.readframes(w.getnframes())
        left = struct.unpack(f"<{len(raw) // 2}h", raw)[::2]
        step = rate // 20
        peaks = [max(abs(x) for x in left[i : i + step]) for i in range(0, len(left) - step, step)]
        last = max(i for i, p in enumerate(peaks) if p > 30)
        assert peaks[last] < 0.15 * max(peaks), (sound, peaks[last - 3 : last + 2], max(peaks))
