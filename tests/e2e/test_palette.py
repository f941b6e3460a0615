"""The General MIDI palette as the page's own renderer plays it: held notes of sustained
instruments hold (SoundFont loops), a piano note decays, the sampled drum kit sounds."""

import base64
import io
import math
import struct
import wave

from tests.conftest import block_outside

HOLD = 6.0  # seconds the note is held
SLOT = 8.0  # then two seconds for its release


def render(browser, site: str, code: str, seconds: float) -> tuple[int, list[float]]:
    """The left channel of renderOffline(code) in a fresh page (the renderer takes over the page's
    audio context), with no request leaving this machine."""
    context = browser.new_context()
    outside = block_outside(context)
    page = context.new_page()
    page.goto(site + "sound/facts.json")
    b64 = page.evaluate(
        "async ([code, s]) => (await import('./index.js')).renderOffline(code, s, 22050)", [code, seconds]
    )
    context.close()
    assert outside == [], outside
    with wave.open(io.BytesIO(base64.b64decode(b64))) as w:
        rate, channels, raw = w.getframerate(), w.getnchannels(), w.readframes(w.getnframes())
    return rate, [s / 32768 for s in struct.unpack(f"<{len(raw) // 2}h", raw)[::channels]]


def rms(samples: list[float], rate: int, start: float, end: float) -> float:
    part = samples[int(start * rate) : int(end * rate)]
    return math.sqrt(sum(x * x for x in part) / len(part))


def test_held_notes_sustain_through_their_loops_and_a_piano_note_decays(browser, site):
    sounds = ["gm_string_ensemble_1", "gm_choir_aahs", "gm_pad_warm", "gm_piano"]
    # One 6 s chord per 8 s cycle, one sound per cycle, no release set: the SoundFont's applies.
    code = (f'setcpm({60 / SLOT:g})\nnote("[c3,e3,g3]@3 ~").sound("<{" ".join(sounds)}>").gain(0.3)')
    rate, left = render(browser, site, code, SLOT * len(sounds))
    report = {}
    for i, sound in enumerate(sounds):
        t0 = i * SLOT
        early = rms(left, rate, t0 + 0.5, t0 + 2.0)
        late = rms(left, rate, t0 + HOLD - 1.0, t0 + HOLD)
        after = rms(left, rate, t0 + SLOT - 0.4, t0 + SLOT)
        report[sound] = (round(early, 4), round(late / early, 2), round(after / early, 3))
    print("early RMS, last held second / early, end of slot / early:", report)
    for sound in sounds[:3]:
        early, held, after = report[sound]
        assert early > 0.01, (sound, report)
        assert held >= 0.6, (sound, report)  # still sounding near its early level at 5-6 s
        assert after < 0.02, (sound, report)  # then released: the loop stops with the note
    early, held, _after = report["gm_piano"]
    assert early > 0.01 and held < 0.5, report  # its own decay, not held up by a loop


def test_the_drum_kit_renders(browser, site):
    kit = ["bd", "sd", "hh", "rim", "cp", "lt", "ht", "oh", "rd", "cr"]  # long tails last
    step = 0.25
    code = f'setcpm({60 / (step * len(kit)):g})\ns("{" ".join(kit)}").gain(0.5)'
    rate, left = render(browser, site, code, step * len(kit))
    peaks = {name: max(abs(x) for x in left[int(i * step * rate) : int((i + 0.2) * step * rate)])
             for i, name in enumerate(kit)}
    print("drum peaks in the first 50 ms of each hit:", {k: round(v, 3) for k, v in peaks.items()})
    assert all(p > 0.1 for p in peaks.values()), peaks
    assert rms(left, rate, 0, step * len(kit)) > 0.02
