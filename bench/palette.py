"""Benchmark: the shipped General MIDI palette as the page plays it. Prints JSON.

`loops`: every loop point the build ships, checked against the audio Chromium decodes: the few
milliseconds before the loop's end match those before its start (a seamless loop) far better than
a shifted window does. That is what says SF3 loop points count frames from the sample's own start.
Chromium drops up to a short block (128 frames seen) of a stream's end, past some loop ends: the
player moves such a loop back whole, and the seam is measured where it then plays.

`levels`: notes at gain 0.5 on each sound's lowest, middle and highest sample (drums unpitched),
rendered by the page's own offline renderer (renderOffline: the live player's note shaping). Per
sound: the highest peak per unit gain (subset.PEAK_WEIGHT holds the ones above 1) and the middle
note's RMS while held, absolute and in dB from the median sound, for balancing styles.
"""

from __future__ import annotations

import base64
import io
import json
import math
import statistics
import struct
import sys
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "scripts")]

from soundfont import ogg_frames  # noqa: E402

GAIN = 0.5
SLOT = 4.0  # seconds per sound: the note holds half of it, its release dies in the rest
HOLD = SLOT / 2
RATE = 22050


def facts() -> dict:
    return json.loads((ROOT / "dist" / "sound" / "facts.json").read_text())


def ogg_rate(data: bytes) -> int:
    at = data.find(b"\x01vorbis")
    return int(struct.unpack_from("<I", data, at + 12)[0])


LOOP_JS = """async (items) => {
  const out = [];
  for (const it of items) {
    const bytes = await (await fetch(it.url)).arrayBuffer();
    const ctx = new OfflineAudioContext(1, 1, it.rate);  // decode at the sample's own rate
    const x = (await ctx.decodeAudioData(bytes)).getChannelData(0);
    const win = 64;
    // As the player plays it (strudel_player.js loopWithin): a loop running past the decoded end
    // is moved back whole, keeping its length.
    const back = Math.max(0, it.end - x.length);
    const begin = it.begin - back, end = it.end - back;
    const err = (shift) => {
      let d = 0, e = 0;
      for (let k = 0; k < win; k++) {
        const a = x[end - win + k], b = x[begin - win + k + shift];
        d += (a - b) ** 2; e += a * a + b * b;
      }
      return Math.sqrt(d / Math.max(e, 1e-12));
    };
    const shifted = [-400, -250, -97, 97, 250, 400].filter((s) => begin - win + s >= 0).map(err);
    shifted.sort((a, b) => a - b);
    out.push({ sound: it.sound, key: it.key, decoded: x.length, frames: it.frames, back,
               seam: err(0), shifted: shifted[Math.floor(shifted.length / 2)] });
  }
  return out;
}"""


def check_loops(page, site: str) -> dict:
    gm = facts()["gm"]
    items = []
    for sound, keyed in gm["loops"].items():
        for key, (begin, end) in keyed.items():
            rel = gm["map"][sound][key][0]
            data = (ROOT / "dist" / "vendor" / "soundfont" / rel).read_bytes()
            rate = ogg_rate(data)
            items.append({"sound": sound, "key": key, "url": site + "vendor/soundfont/" + rel, "rate": rate,
                          "frames": ogg_frames(data), "begin": round(begin * rate), "end": round(end * rate)})
    rows = page.evaluate(LOOP_JS, items)
    by_sound: dict[str, dict] = {}
    for row in rows:
        entry = by_sound.setdefault(row["sound"], {"samples": 0, "short": 0, "moved": 0,
                                                   "seam": [], "shifted": []})
        entry["samples"] += 1
        entry["short"] = max(entry["short"], row["frames"] - row["decoded"])
        entry["moved"] = max(entry["moved"], row["back"])
        entry["seam"].append(row["seam"])
        entry["shifted"].append(row["shifted"])
    return {
        sound: {"samples": e["samples"], "decoded_frames_short_max": e["short"],
                "loop_moved_back_max": e["moved"],
                "seam_error_median": round(statistics.median(e["seam"]), 3),
                "seam_error_max": round(max(e["seam"]), 3),
                "shifted_error_median": round(statistics.median(e["shifted"]), 3)}
        for sound, e in by_sound.items()
    }


def probe_notes(bank: dict | list) -> list[str | None]:
    """The lowest, middle and highest sample's keys (a drum has none: it plays unpitched)."""
    if isinstance(bank, list):
        return [None]
    keys = list(bank)
    return [keys[0], keys[len(keys) // 2], keys[-1]]


def levels_code(slots: list[tuple[str, str | None]]) -> str:
    notes = " ".join(f"[{key or 'c2'} ~]" for _sound, key in slots)
    names = " ".join(sound for sound, _key in slots)
    return f'setcpm({60 / SLOT:g})\nnote("<{notes}>").sound("<{names}>").gain({GAIN})'


def wav_left(b64: str) -> tuple[int, list[float]]:
    with wave.open(io.BytesIO(base64.b64decode(b64))) as w:
        rate, channels, raw = w.getframerate(), w.getnchannels(), w.readframes(w.getnframes())
    samples = struct.unpack(f"<{len(raw) // 2}h", raw)[::channels]
    return rate, [s / 32768 for s in samples]


def measure_levels(browser, site: str) -> dict:
    bank = facts()["gm"]["map"]
    slots = [(sound, key) for sound in bank for key in probe_notes(bank[sound])]
    context = browser.new_context()  # the renderer takes over the page's audio context
    page = context.new_page()
    page.goto(site + "sound/facts.json")
    b64 = page.evaluate(
        "async ([code, s, r]) => (await import('./index.js')).renderOffline(code, s, r)",
        [levels_code(slots), len(slots) * SLOT, RATE],
    )
    context.close()
    rate, left = wav_left(b64)
    out: dict[str, dict] = {}
    for i, (sound, key) in enumerate(slots):
        slot = left[int(i * SLOT * rate) : int((i + 1) * SLOT * rate)]
        entry = out.setdefault(sound, {"peak_per_gain": 0.0})
        entry["peak_per_gain"] = round(max(entry["peak_per_gain"], max(abs(x) for x in slot) / GAIN), 3)
        if key == probe_notes(bank[sound])[len(probe_notes(bank[sound])) // 2]:
            held = slot[: int(HOLD * rate)]
            entry["rms_note"] = key
            entry["rms_per_gain"] = round(math.sqrt(sum(x * x for x in held) / len(held)) / GAIN, 4)
    median = statistics.median(v["rms_per_gain"] for v in out.values())
    for v in out.values():
        v["rms_db_from_median"] = round(20 * math.log10(max(v["rms_per_gain"], 1e-6) / median), 1)
    return out


def main() -> None:
    from _browser import new_context, site_and_browser

    with site_and_browser() as (site, browser):
        context = new_context(browser)
        page = context.new_page()
        page.goto(site + "sound/facts.json")
        loops = check_loops(page, site)
        outside = list(context.outside_requests)
        context.close()
        levels = measure_levels(browser, site)
    print(json.dumps({"loops": loops, "levels": levels, "outside_requests": outside}, indent=1))


if __name__ == "__main__":
    main()
