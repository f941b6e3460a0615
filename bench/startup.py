"""Startup benchmark: navigation to Python ready and to first sound, cold and warm, and bytes moved.

Cold = a fresh browser profile (empty cache); warm = the same profile loading the page again;
hot = a third load. Chromium keeps a wasm module's compiled code only once it has been loaded
twice, so the second load still compiles Pyodide's 9.6 MB wasm and a returning reader gets the
hot figures.
Prints one JSON object; each timing is the median of --runs runs (and min/max).
"""

from __future__ import annotations

import argparse
import json
import time

from _browser import profile_context, serve_site, summary
from playwright.sync_api import sync_playwright

READY = "document.documentElement.dataset.pyReady === '1'"
SOUND = "window.bookmusic.sound.level() > 0.005"


def one_load(page, cdp, url: str) -> dict:
    received = {"bytes": 0}

    def on_finished(event):
        received["bytes"] += event.get("encodedDataLength", 0)

    cdp.on("Network.loadingFinished", on_finished)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000, polling=20)
    ready = time.perf_counter() - t0
    page.click("#play")
    page.wait_for_function(SOUND, timeout=60_000, polling=20)
    sound = time.perf_counter() - t0
    page.click("#play")  # pause before the next load
    page.wait_for_timeout(300)  # let late responses (Strudel chunks) be counted
    cdp.remove_listener("Network.loadingFinished", on_finished)
    return {"ready": ready, "sound": sound, "bytes": received["bytes"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold, warm, hot = [], [], []
    with serve_site() as url, sync_playwright() as pw:
        for _ in range(args.runs):
            with profile_context(pw) as ctx:
                page = ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                cold.append(one_load(page, cdp, url))
                warm.append(one_load(page, cdp, url))
                hot.append(one_load(page, cdp, url))
                assert not ctx.outside_requests, ctx.outside_requests
    result = {
        "benchmark": "startup",
        "unit": {"time": "s", "transfer": "bytes"},
        "cold": {
            "python_ready": summary([r["ready"] for r in cold]),
            "first_sound": summary([r["sound"] for r in cold]),
            "transfer_bytes": int(summary([r["bytes"] for r in cold])["median"]),
        },
        "warm": {
            "python_ready": summary([r["ready"] for r in warm]),
            "first_sound": summary([r["sound"] for r in warm]),
            "transfer_bytes": int(summary([r["bytes"] for r in warm])["median"]),
        },
        "hot": {
            "python_ready": summary([r["ready"] for r in hot]),
            "first_sound": summary([r["sound"] for r in hot]),
        },
        "targets": {"warm_python_ready": 2.5, "warm_first_sound": 3.0, "cold_transfer_bytes": 16_000_000},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
