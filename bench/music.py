"""Benchmark: how fast the music pipeline answers (instant composer, validator, page check).

Prints JSON. The instant composer must give music within seconds of pressing Play before any
model is loaded: here it is measured per section of the built-in book, in CPython; the page's
second check (evaluate without playing + query 4 cycles) is measured in Chromium.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from app.compose.instant import compose  # noqa: E402
from app.music.styles import load_styles  # noqa: E402
from app.sample import sample_book  # noqa: E402
from app.strudel.validate import validate  # noqa: E402


def timed(fn, *args, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn(*args)
    return (time.perf_counter() - start) * 1000 / repeat


def page_check_ms(codes: list[str]) -> dict:
    from _browser import serve_site
    from playwright.sync_api import sync_playwright

    with serve_site() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page()
        page.goto(base + "sound/facts.json")
        times = page.evaluate(
            """async (codes) => {
                const m = await import('./index.js');
                await m.check(codes[0]);  // loads Strudel once
                const out = [];
                for (const c of codes) { const v = await m.check(c); out.push(v.ms); }
                return out;
            }""",
            codes,
        )
        browser.close()
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}


def play_to_sound_s(runs: int = 3) -> dict:
    """The real app, Python ready: seconds from pressing Play to audible output (instant composer)."""
    from _browser import serve_site
    from playwright.sync_api import sync_playwright

    times = []
    with serve_site() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        for _ in range(runs):
            page = browser.new_context().new_page()
            page.goto(base)
            page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=90_000)
            start = time.perf_counter()
            page.click("#play")
            page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=60_000, polling=20)
            times.append(time.perf_counter() - start)
            page.context.close()
        browser.close()
    return {"median": round(statistics.median(times), 2), "max": round(max(times), 2), "runs": runs}


def main() -> None:
    book = sample_book()
    first = timed(compose, "cold-" + book.sections[0].id, book.sections[0].text)
    per_section = [timed(compose, f"b{i}-{s.id}", s.text) for i, s in enumerate(book.sections)]
    examples = [s.example for s in load_styles().values()]
    validate_ms = [timed(validate, code, repeat=20) for code in examples]
    result = {
        "instant_compose_first_ms": round(first, 2),
        "instant_compose_ms": {"median": round(statistics.median(per_section), 3),
                               "max": round(max(per_section), 3)},
        "validate_ms": {"median": round(statistics.median(validate_ms), 3),
                        "max": round(max(validate_ms), 3)},
        "styles": len(examples),
    }
    if "--no-browser" not in sys.argv:
        result["page_check"] = page_check_ms(examples)
        result["play_to_sound_s"] = play_to_sound_s()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
