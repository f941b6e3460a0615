"""The master bus's loudness stage and the tempo glide, in the real player (Chromium, Web Audio).

- A loud piece and a quiet one (the same code with every gain x4 and x0.25, both valid) each
  settle within 3 dB of the target, measured at the output (level(), after the stage).
- Swapping a 30 cpm piece for a 15 cpm one, the incoming piece glides from 30 to 15: its notes'
  spacing grows smoothly across the crossfade, with no gap, doubled or lost note at the boundary.
"""

from __future__ import annotations

import math
import re
import statistics
from itertools import pairwise

import pytest

from app.strudel.validate import validate

BASE = (
    'setcpm(30)\nstack(n("0 2 4 [3 2]").scale("C4:minor").sound("triangle").release(0.3).gain(0.12), '
    'n("0 ~ -3 [~ -2]").scale("C2:minor").sound("sawtooth").lpf(900).release(0.5).gain(0.1))'
)
TARGET = "window.__sound.loudness().targetDb"


def times(code: str, factor: float) -> str:
    return re.sub(r"gain\(([0-9.]+)\)", lambda m: f"gain({float(m.group(1)) * factor:.4f})", code)


@pytest.fixture
def sound_page(page, site):
    """A bare page with the sound module (no Python needed); Strudel defines a global sound()."""
    page.goto(site + "sound/facts.json")
    page.evaluate("async () => { window.__sound = await import('./index.js');"
                  " await window.__sound.unlock(); }")
    return page


SETTLE = """async ([code, settle, span]) => {
  const S = window.__sound;
  await S.play(code);
  await new Promise((r) => setTimeout(r, settle * 1000));
  const out = [], raw = [];
  const end = performance.now() + span * 1000;
  while (performance.now() < end) {
    out.push(S.level());
    raw.push(S.loudness().measuredDb);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { out, raw, state: S.loudness() };
}"""


def gated_db(levels: list[float], volume: float) -> float | None:
    """dBFS RMS of level() readings, the reader's volume taken out, silence gated out as the
    stage does it (sound/leveller.js): under -70 dBFS, then more than 20 dB under the mean."""
    squares = [(x / volume) ** 2 for x in levels if (x / volume) ** 2 > 1e-7]
    if not squares:
        return None
    mean = statistics.fmean(squares)
    kept = [m for m in squares if m > mean / 100]
    return 20 * math.log10(math.sqrt(statistics.fmean(kept)))


def test_a_loud_and_a_quiet_piece_both_settle_at_the_target_level(sound_page):
    loud, quiet = validate(times(BASE, 4)), validate(times(BASE, 0.25))
    assert loud.ok and quiet.ok and not any("scaled" in n or "quiet" in n for n in loud.notes + quiet.notes)
    page = sound_page
    page.evaluate("() => window.__sound.setFade(1)")
    volume = 0.8  # the player's default
    target = page.evaluate(TARGET)
    first = page.evaluate(SETTLE, [loud.code, 7, 2])
    second = page.evaluate(SETTLE, [quiet.code, 11, 2])
    page.evaluate("() => window.__sound.stop()")
    report = {
        "loud": {"before": statistics.median(first["raw"]), "after": gated_db(first["out"], volume)},
        "quiet": {"before": statistics.median(second["raw"]), "after": gated_db(second["out"], volume)},
        "target": target,
    }
    print("level dBFS before/after the stage:", report)
    assert report["loud"]["before"] - report["quiet"]["before"] > 20  # 24 dB apart as written
    assert abs(report["loud"]["after"] - target) <= 3, report
    assert abs(report["quiet"]["after"] - target) <= 3, report
    # The stage did it: its corrections differ by about what the pieces do as written.
    assert second["state"]["gainDb"] - first["state"]["gainDb"] > 15, (first["state"], second["state"])


def test_stage_holds_at_stop_and_never_starts_a_piece_boosted(sound_page):
    page = sound_page
    quiet = validate(times(BASE, 0.25)).code
    page.evaluate("() => window.__sound.setFade(1)")
    boosted = page.evaluate(SETTLE, [quiet, 7, 0.2])["state"]
    assert boosted["gainDb"] > 3
    page.evaluate("() => window.__sound.stop()")
    page.wait_for_timeout(1500)
    held = page.evaluate("window.__sound.loudness()")
    assert held["held"] and abs(held["gainDb"] - boosted["gainDb"]) < 1.5  # no jump while tails decay
    # The next piece (a loud one) starts at unity at most: its first notes are no blast.
    page.evaluate("(c) => window.__sound.play(c)", validate(times(BASE, 4)).code)
    assert page.evaluate("window.__sound.loudness().gainDb") <= 0.01
    page.evaluate("() => window.__sound.stop()")


TRACE = """async ([code, seconds]) => {
  const S = window.__sound;
  await S.play(code);
  const rows = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    rows.push({ level: S.level(), gainDb: S.loudness().gainDb });
    await new Promise((r) => setTimeout(r, 50));
  }
  await S.stop();
  return rows;
}"""


def test_a_sparse_piece_is_not_boosted_through_its_rests(sound_page):
    # A bell, then ten seconds of rest (12 cpm, two of every four cycles silent): the stage must
    # not take the dying tail for quiet music. With a 2.5 s window it boosted the tail 9 dB past
    # the right gain and the next bell came in at -13 dBFS.
    bell = validate('setcpm(12)\nn("<7 ~ ~ 9>").scale("C5:major").sound("sine").release(3).gain(0.05)')
    assert bell.ok
    rows = sound_page.evaluate(TRACE, [bell.code, 17])
    volume, target = 0.8, sound_page.evaluate(TARGET)
    per_s = len(rows) / 17
    first = rows[: round(7 * per_s)]
    rest = rows[round(9 * per_s): round(14 * per_s)]
    second = rows[round(15.5 * per_s):]
    assert gated_db([r["level"] for r in rest], volume) is None or max(r["level"] for r in rest) < 0.01
    # Through the rest the gain holds where the first bell left it.
    assert max(r["gainDb"] for r in rest) - first[-1]["gainDb"] < 1.5, (first[-1], rest[-1])
    level = gated_db([r["level"] for r in second], volume)
    assert level is not None and abs(level - target) <= 3, (level, rest[-1])


GLIDE = """async ([a, b, fade]) => {
  const S = window.__sound;
  S.setFade(fade);
  await S.play(a);
  await new Promise((r) => setTimeout(r, 600));
  const swap = await S.play(b);
  const events = S.scheduled(swap.start - 3, swap.start + fade + 6);
  const voices = S.position().voices;
  await S.stop();
  return { swap, events, voices };
}"""


def test_a_swap_glides_from_the_old_tempo_to_the_new(sound_page):
    fast = validate('setcpm(30)\nn("0*8").scale("C4:minor").sound("sine").gain(0.1)').code
    slow = validate('setcpm(15)\nn("0*8").scale("C3:minor").sound("triangle").gain(0.1)').code
    fade = 4.0
    got = sound_page.evaluate(GLIDE, [fast, slow, fade])
    start = got["swap"]["start"]
    assert got["swap"]["from"] == pytest.approx(30) and got["swap"]["cpm"] == 15
    old = [e["t"] for e in got["events"] if e["s"] == "sine"]
    new = [e["t"] for e in got["events"] if e["s"] == "triangle"]
    # The old piece keeps its own tempo (30 cpm, 8 notes a cycle: every 0.25 s) while it fades
    # out over the crossfade, and stops at its end; the new piece's first note is on the boundary.
    assert all(b - a == pytest.approx(0.25, abs=1e-6) for a, b in pairwise(old))
    assert min(old) < start < max(old) < start + fade - 1e-6
    assert min(new) == pytest.approx(start, abs=1e-6)
    for onsets in (old, new):
        assert len({round(t, 6) for t in onsets}) == len(onsets)  # nothing doubled
    steps = [b - a for a, b in pairwise(new)]
    # It starts at the old tempo, ends at its own, and every step in between is a little longer.
    assert steps[0] == pytest.approx(0.25, rel=0.08)
    assert steps[-1] == pytest.approx(0.5, abs=1e-3)
    assert all(b >= a - 1e-6 for a, b in pairwise(steps)), steps
    assert max(b / a for a, b in pairwise(steps)) < 1.15, steps  # no jump in tempo
    # No lost note: the glide plays exactly the cycles its rate ramp integrates to.
    gliding = [t for t in new if t < start + fade - 1e-6]
    assert len(gliding) == round(fade * (0.5 + 0.25) / 2 * 8)
    assert got["voices"][-1]["glide"] == fade
