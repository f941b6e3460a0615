"""Offline benchmark: what the first visit costs to become offline-capable, how fast the app starts
with no network, how fast a section renders to WAV, and IndexedDB write/read latency.

A fresh on-disk browser profile per run (as a reader's browser). Bytes are counted at the server,
so the service worker's own downloads are included. Prints one JSON object (medians, min/max).
"""

from __future__ import annotations

import argparse
import json
import time

from _browser import profile_context, serve_site, summary
from playwright.sync_api import sync_playwright
from serve import MountedHandler

READY = "document.documentElement.dataset.pyReady === '1'"
OFFLINE_READY = "document.documentElement.dataset.offlineReady === '1'"
SOUND = "window.bookmusic.sound.level() > 0.005"

sent = {"bytes": 0}
_send_header = MountedHandler.send_header


def counting_send_header(self, keyword, value):
    if keyword.lower() == "content-length":
        sent["bytes"] += int(value)
    _send_header(self, keyword, value)


MountedHandler.send_header = counting_send_header

WAV_CODE = """setcpm(16)
stack(
  n("<0 2 4 [3 2]>").scale("D3:lydian").sound("triangle").attack(0.4).release(2).room(0.6).gain(0.18),
  n("<[0,4] [2,5] [-1,3] [0,4]>").scale("D2:lydian").sound("sine").attack(1).release(3).gain(0.16)
)"""

STORE = """async () => {
    const store = await import('./storage/book_store.js');
    const piece = JSON.stringify({ code: 'x'.repeat(600), style: 'calm', source: 'instant',
                                   mood: { valence: 0, arousal: 0, hits: 0 } });
    let t = performance.now();
    for (let i = 0; i < 50; i++) await store.save_piece('bench', 's' + i, piece);
    const write = (performance.now() - t) / 50;
    t = performance.now();
    for (let i = 0; i < 20; i++) await store.load_book('bench');
    const read = (performance.now() - t) / 20;
    await store.forget_book('bench');
    return [write, read];
}"""


def one_run(pw, url: str) -> dict:
    with profile_context(pw) as ctx:
        page = ctx.new_page()
        sent["bytes"] = 0
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(READY, timeout=120_000, polling=20)
        ready = time.perf_counter() - t0
        page.wait_for_function(OFFLINE_READY, timeout=120_000, polling=50)
        offline_ready = time.perf_counter() - t0
        first_visit_bytes = sent["bytes"]

        ctx.set_offline(True)
        t0 = time.perf_counter()
        page.reload()
        page.wait_for_function(READY, timeout=120_000, polling=20)
        offline_python = time.perf_counter() - t0
        page.click("#play")
        page.wait_for_function(SOUND, timeout=60_000, polling=20)
        offline_sound = time.perf_counter() - t0
        page.click("#play")

        t0 = time.perf_counter()
        size = page.evaluate("(c) => window.bookmusic.sound.renderWav(c, 60).then((b) => b.size)", WAV_CODE)
        wav = time.perf_counter() - t0
        write_ms, read_ms = page.evaluate(STORE)
        assert not ctx.outside_requests, ctx.outside_requests
    return {
        "ready": ready, "offline_ready": offline_ready, "bytes": first_visit_bytes,
        "offline_python": offline_python, "offline_sound": offline_sound,
        "wav": wav, "wav_bytes": size, "write_ms": write_ms, "read_ms": read_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with serve_site() as url, sync_playwright() as pw:
        runs = [one_run(pw, url) for _ in range(args.runs)]

    def pick(key: str) -> dict:
        return summary([r[key] for r in runs])

    print(json.dumps({
        "benchmark": "offline",
        "unit": {"time": "s", "transfer": "bytes", "storage": "ms"},
        "first_visit": {
            "python_ready": pick("ready"),
            "offline_ready": pick("offline_ready"),
            "transfer_bytes_incl_precache": int(pick("bytes")["median"]),
        },
        "offline_reload": {"python_ready": pick("offline_python"), "first_sound": pick("offline_sound")},
        "wav_render_60s": {"seconds": pick("wav"), "bytes": runs[0]["wav_bytes"]},
        "indexeddb": {"save_piece_ms": pick("write_ms"), "load_book_ms": pick("read_ms")},
    }, indent=2))


if __name__ == "__main__":
    main()
