"""Startup benchmark: the app beside a bare Pyodide page, cold, warm and hot, and every byte moved.

Side by side in one run: the app, and a bare page that boots the same Pyodide from the same build
in a worker (as the app runs its Python) and runs one line of Python. Their ratio is the app's own
overhead; machine noise hits both alike. Each load also reports how long the page's main thread
was blocked until ready: the sum over long tasks of their time past 50 ms (Lighthouse's total
blocking time, measured here with a PerformanceObserver) and the longest task.
- cold: a fresh browser profile (empty caches). The app's cold visit goes on until its service
  worker has precached the app and the network has been quiet for QUIET_S: "until_quiet_bytes"
  is all a first visit moves with no model chosen.
- warm: the same profile loading again, only after that precache finished (so the two do not overlap).
- hot: a third load. Chromium keeps a wasm module's compiled code only once it has been loaded
  twice, so the second load still compiles Pyodide's 9.6 MB wasm and a returning reader gets these.
Bytes are counted by the server (scripts/serve.py's ledger), so the service worker's fetches count
too. Three weights of the same responses: "bytes" as this server sent them (the build's brotli
siblings where the file has one, as a host that serves precompressed files would), "plain_bytes"
uncompressed (a host that compresses nothing), and "gzip_bytes" gzip-compressed on the fly at
level 6 (GitHub Pages compresses with gzip as it serves).
Prints one JSON object; each timing is the median of --runs runs (and min/max).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import zlib
from pathlib import Path

from _browser import ROOT, profile_context, summary
from conftest import SUB_PATH
from playwright.sync_api import sync_playwright
from serve import serve_in_thread

READY = "document.documentElement.dataset.pyReady === '1'"
SOUND = "window.bookmusic.sound.level() > 0.005"
# The first piece has begun: the player's clock has passed its start (its first notes are sounding,
# however softly they swell in). "sound" above waits until the level is audible (-46 dBFS).
FIRST_NOTE = """(() => { const p = window.bookmusic.sound.position();
  return p.voices.length > 0 && p.now >= p.voices[0].start; })()"""
OFFLINE_READY = "document.documentElement.dataset.offlineReady === '1'"
QUIET_S = 5.0
BARE_PATH = SUB_PATH + "bare/"

# The same Pyodide as the app, in a worker, and nothing else: one line of Python marks it ready.
BARE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module">
const worker = new Worker("./worker.js", { type: "module" });
worker.onmessage = () => (document.documentElement.dataset.pyReady = "1");
</script></head><body></body></html>
"""
BARE_WORKER = """import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";
const pyodide = await loadPyodide({ indexURL: new URL("../vendor/pyodide/", import.meta.url).href });
postMessage(pyodide.runPython("'ready'"));
"""
# Long tasks on the page's main thread, from the start of navigation (buffered).
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map(
  (e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: "longtask", buffered: true });"""
BLOCKING = """() => {
  const ready = performance.now();
  const tasks = window.__longTasks.filter((t) => t.start < ready);
  return { blocking_ms: tasks.reduce((a, t) => a + Math.max(0, t.duration - 50), 0),
           longest_task_ms: tasks.reduce((a, t) => Math.max(a, t.duration), 0) }; }"""


class Ledger:
    """What the server sent, with a clock, and how much of it gzip would have saved."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.entries: list[tuple[float, str, int]] = []
        self.folders = folders
        self._gzip: dict[str, int] = {}

    def mark(self) -> int:
        return len(self.entries)

    def since(self, start: int, until: float = float("inf")) -> list[tuple[float, str, int]]:
        return [e for e in self.entries[start:] if e[0] <= until]

    def gzip_bytes(self, entries: list[tuple[float, str, int]]) -> int:
        return sum(self._gzipped(path, size) for _t, path, size in entries)

    def plain_bytes(self, entries: list[tuple[float, str, int]]) -> int:
        return sum(self._plain(path, size) for _t, path, size in entries)

    def wait_quiet(self, quiet_s: float = QUIET_S, limit_s: float = 120.0) -> None:
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            last = self.entries[-1][0] if self.entries else 0.0
            if time.monotonic() - last >= quiet_s:
                return
            time.sleep(0.25)

    def _gzipped(self, url_path: str, size: int) -> int:
        if url_path not in self._gzip:
            file = self._file(url_path)
            self._gzip[url_path] = len(zlib.compress(file.read_bytes(), 6)) if file else size
        return min(self._gzip[url_path], self._plain(url_path, size))

    def _plain(self, url_path: str, size: int) -> int:
        file = self._file(url_path)
        return file.stat().st_size if file and file.is_file() else size

    def _file(self, url_path: str) -> Path | None:
        for prefix in sorted(self.folders, key=len, reverse=True):
            if url_path.startswith(prefix):
                path = self.folders[prefix] / url_path[len(prefix):]
                return path if path.is_file() else path / "index.html"
        return None


def load(page, ledger: Ledger, url: str, play: bool, first_visit: bool = False) -> dict:
    start = ledger.mark()
    t0 = time.monotonic()
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000, polling=20)
    out = {"ready": time.monotonic() - t0}
    out.update(page.evaluate(BLOCKING))
    if play:
        clicked = time.monotonic()
        page.click("#play")
        page.wait_for_function(FIRST_NOTE, timeout=60_000, polling=10)
        begun = time.monotonic()
        page.wait_for_function(SOUND, timeout=60_000, polling=10)
        heard = time.monotonic()
        out.update(sound=heard - t0, play_to_first_note=begun - clicked, play_to_sound=heard - clicked)
        before = ledger.since(start, heard)
        out.update(bytes_before_sound=sum(e[2] for e in before), gzip_before_sound=ledger.gzip_bytes(before),
                   plain_before_sound=ledger.plain_bytes(before))
        page.click("#play")  # pause before the next load
    if first_visit:
        page.wait_for_function(OFFLINE_READY, timeout=120_000)
    ledger.wait_quiet()
    moved = ledger.since(start)
    out.update(bytes=sum(e[2] for e in moved), gzip_bytes=ledger.gzip_bytes(moved),
               plain_bytes=ledger.plain_bytes(moved))
    return out


def visits(pw, ledger: Ledger, url: str, play: bool) -> tuple[dict, dict, dict]:
    with profile_context(pw) as ctx:
        page = ctx.new_page()
        page.add_init_script(LONG_TASKS)
        cold = load(page, ledger, url, play, first_visit=play)
        warm = load(page, ledger, url, play)
        hot = load(page, ledger, url, play)
        assert not ctx.outside_requests, ctx.outside_requests
    return cold, warm, hot


def figures(runs: list[dict]) -> dict:
    byte_keys = ("bytes", "gzip_bytes", "plain_bytes", "bytes_before_sound", "gzip_before_sound",
                 "plain_before_sound")
    out = {k: summary([r[k] for r in runs]) for k in runs[0] if k not in byte_keys}
    for k in byte_keys:
        if k in runs[0]:
            out[k] = int(summary([r[k] for r in runs])["median"])
    return out


def ready_ratio(result: dict, name: str) -> float:
    return round(result["app"][name]["ready"]["median"] / result["bare_pyodide"][name]["ready"]["median"], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="the build to serve")
    args = parser.parse_args()
    dist = args.dist.resolve()
    with tempfile.TemporaryDirectory(prefix="bookmusic-bare-") as bare_dir:
        (Path(bare_dir) / "index.html").write_text(BARE_HTML)
        (Path(bare_dir) / "worker.js").write_text(BARE_WORKER)
        folders = {SUB_PATH: dist, BARE_PATH: Path(bare_dir)}
        ledger = Ledger(folders)
        server, base = serve_in_thread(folders, ledger=ledger.entries)
        app: dict[str, list[dict]] = {"cold": [], "warm": [], "hot": []}
        bare: dict[str, list[dict]] = {"cold": [], "warm": [], "hot": []}
        try:
            with sync_playwright() as pw:
                for _ in range(args.runs):  # interleaved, so both see the same machine
                    for into, path, play in ((app, SUB_PATH, True), (bare, BARE_PATH, False)):
                        for name, got in zip(into, visits(pw, ledger, base + path, play), strict=True):
                            into[name].append(got)
        finally:
            server.shutdown()
    result: dict = {
        "benchmark": "startup",
        "unit": {"time": "s", "transfer": "bytes"},
        "app": {name: figures(runs) for name, runs in app.items()},
        "bare_pyodide": {name: figures(runs) for name, runs in bare.items()},
    }
    result["ratio_ready_app_to_bare"] = {name: ready_ratio(result, name) for name in app}
    cold = result["app"]["cold"]
    result["first_visit"] = {
        "until_quiet_bytes": cold["bytes"],
        "until_quiet_plain_bytes": cold["plain_bytes"],
        "until_quiet_gzip_bytes": cold["gzip_bytes"],
        "before_first_sound_bytes": cold["bytes_before_sound"],
        "before_first_sound_plain_bytes": cold["plain_before_sound"],
        "before_first_sound_gzip_bytes": cold["gzip_before_sound"],
    }
    result["targets"] = {
        "warm_ready_ratio_max": 1.1,
        "play_to_first_note_s_max": 0.5,
        "first_visit_until_quiet_plain_bytes_max": 16_000_000,
        "first_visit_before_sound_wire_bytes_max": 8_000_000,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
