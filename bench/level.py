"""Benchmark: how loud each piece plays, before and after the master bus's loudness stage.

Prints JSON. Instant pieces of every style (a few sections each) and hostile model-like pieces
(every layer at the gain ceiling, everything near the gain floor, one busy drum layer, a lone
bell) play one after another in the real player (Chromium, Web Audio), as a reader hears them:
each crossfades in, settles, and is measured for `--span` seconds (at least four of its cycles).
`before` is the music as written (the stage's own meter, silence left out), `after` what leaves
the stage (level(), the volume taken out), gated and integrated over the span as EBU R128 does;
the spread of `after` is what the stage promises to keep within +-3 dB. `short_term` is the
quietest and loudest 3-second window (R128's short-term loudness) inside the span: sparse pieces
(a plucked bass, a bell every five seconds) swing by several dB from one window to the next, so
one 2-second reading of them says more about where it fell than about the piece.

    .venv/bin/python bench/level.py [--settle 7] [--span 6] [--sections 2] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app.compose.instant import compose_mood  # noqa: E402
from app.music.styles import load_styles  # noqa: E402
from app.strudel.validate import validate  # noqa: E402
from tests.e2e.test_level import SETTLE, gated_db  # noqa: E402

HOSTILE = {
    "all-at-ceiling": "setcpm(40)\nstack(" + ", ".join(
        f'n("[0,2,4]*4").scale("C{o}:minor").sound("sawtooth").gain(0.6)' for o in (2, 3, 4, 5)) + ")",
    "near-floor": 'setcpm(20)\nstack(n("0 ~ 2 ~").scale("C4:minor").sound("sine").gain(0.012), '
                  'n("<0 -3>").scale("C3:minor").sound("triangle").gain(0.01))',
    "drums-only": 'setcpm(30)\ns("sbd*4").gain(0.6)',
    "lone-bell": 'setcpm(12)\nn("<7 ~ ~ 9>").scale("C5:major").sound("sine").release(3).gain(0.05)',
}


def pieces(sections: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for style in load_styles().values():
        for i in range(sections):
            mood = style.moods[i % len(style.moods)]
            piece = compose_mood(f"bench-level-{style.name}-{i}", mood)
            found[f"{style.name}/{i}"] = piece.program.code
    for name, code in HOSTILE.items():
        result = validate(code)
        assert result.ok, (name, result.errors)
        found[f"hostile/{name}"] = result.code
    return found


def short_term(levels: list[float], volume: float, span: float, window: float = 3.0) -> list[float] | None:
    """The quietest and loudest gated 3-second window of the readings, one window a second."""
    per_s = len(levels) / span
    size, step = round(window * per_s), max(1, round(per_s))
    found = [gated_db(levels[i:i + size], volume) for i in range(0, max(1, len(levels) - size + 1), step)]
    kept = [f for f in found if f is not None]
    return [round(min(kept), 2), round(max(kept), 2)] if kept else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--settle", type=float, default=7.0)
    parser.add_argument("--span", type=float, default=6.0)
    parser.add_argument("--sections", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=None, help="piece names, e.g. lofi/1 hostile/lone-bell")
    args = parser.parse_args()
    from _browser import new_context, site_and_browser

    codes = pieces(args.sections)
    if args.only:
        codes = {name: code for name, code in codes.items() if name in args.only}
    rows = {}
    with site_and_browser() as (base, browser):
        ctx = new_context(browser)
        page = ctx.new_page()
        page.goto(base + "sound/facts.json")
        page.evaluate("async () => { window.__sound = await import('./index.js');"
                      " await window.__sound.unlock(); window.__sound.setFade(1); }")
        target = page.evaluate("window.__sound.loudness().targetDb")
        volume = 0.8  # the player's default
        for name, code in codes.items():
            # At least four cycles: a sparse piece's notes, not only its rests (a bell every ten
            # seconds rests through a whole six-second span).
            program = validate(code).program
            assert program is not None, name
            span = max(args.span, 4 * 60 / program.cpm)
            got = page.evaluate(SETTLE, [code, args.settle, span])
            raw = [x for x in got["raw"] if x is not None and x > -200]
            rows[name] = {
                "before_db": round(statistics.median(raw), 2) if raw else None,
                "after_db": None if (a := gated_db(got["out"], volume)) is None else round(a, 2),
                "short_term_db": short_term(got["out"], volume, span),
                "gain_db": round(got["state"]["gainDb"], 2),
            }
        page.evaluate("() => window.__sound.stop()")
        assert ctx.outside_requests == []

    def spread(key: str, hostile: bool | None = None) -> dict | None:
        vals = [r[key] for n, r in rows.items()
                if r[key] is not None and (hostile is None or n.startswith("hostile/") == hostile)]
        if not vals:  # --only left none of this group
            return None
        return {"min": min(vals), "max": max(vals), "range_db": round(max(vals) - min(vals), 2)}

    within = [n for n, r in rows.items() if r["after_db"] is not None and abs(r["after_db"] - target) <= 3]
    steady = [n for n, r in rows.items()
              if r["short_term_db"] and all(abs(x - target) <= 3 for x in r["short_term_db"])]
    print(json.dumps({
        "target_db": target,
        "settle_s": args.settle,
        "span_s": args.span,
        "pieces": rows,
        "instant": {"before": spread("before_db", False), "after": spread("after_db", False)},
        "hostile": {"before": spread("before_db", True), "after": spread("after_db", True)},
        "all": {"before": spread("before_db"), "after": spread("after_db")},
        "within_3db": f"{len(within)}/{len(rows)}",
        "outside_3db": sorted(set(rows) - set(within)),
        "every_3s_window_within_3db": f"{len(steady)}/{len(rows)}",
        "some_3s_window_outside_3db": sorted(set(rows) - set(steady)),
    }, indent=1))


if __name__ == "__main__":
    main()
