"""Frames while reading: does anything of ours hold up the page while the model writes and the music plays?

The real app with the real CPU model (wllama + the SmolLM2 test GGUF that `make test` fetches):
Play, wait until the model has written its first piece, then scroll through the book for
--seconds, as a reader does, while the model writes ahead and the music plays. The page records
every animation frame's gap and every long task (> 50 ms) on its main thread.

`--profile` samples the main thread's JavaScript (CDP Profiler, 1 ms) during the window and says
whose code ran in every stretch of busy samples longer than 50 ms: ours (ui/, sound/, storage/,
python_worker/, webllm_bridge/), a vendor bundle (Strudel, wllama, CodeMirror...), or the browser
itself (style, layout, paint, garbage collection: samples with no script). The profiler slows the
page down, so its stretches are longer than the unprofiled tasks; read it for shares, not times.

`--compare DIST` serves a second build beside this one and measures both interleaved in one run
(the same machine noise for both), e.g. the build before the app's Python moved into a worker.
Prints one JSON object: per build, the median over --runs of the worst frame gap, the frames over
50 ms, the long tasks and their total blocking time (time past 50 ms), and how many model pieces
were written during the window (so a quiet window cannot pass for a smooth one).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from _browser import ROOT, new_context
from conftest import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright
from serve import serve_in_thread

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
READY = "document.documentElement.dataset.pyReady === '1'"
SOUND = "window.bookmusic.sound.level() > 0.005"
# Works with both designs: the report is a string (Python on the main thread) or a promise of one.
REPORT = "async () => JSON.parse(await window.bookmusic.composerReport())"
# A model piece has been written for some section (the overview marks it).
WRITTEN = "document.querySelectorAll('.overview-item[data-music=\"model\"]').length"

RECORDER = """(() => {
  const rec = window.__frames = { on: false, gaps: [], tasks: [] };
  let last = 0;
  const frame = (t) => {
    if (rec.on && last) rec.gaps.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    if (rec.on) rec.tasks.push(...list.getEntries().map((e) => e.duration));
  }).observe({ type: "longtask" });
})();"""

# Scroll like a reader: 6 px every 100 ms (a section every half minute or so, so the model is
# asked for the next ones and is not cancelled by a reader racing past), back to the top at the
# end. Also samples how often the engine line says the model is writing.
SCROLL = """async (seconds) => {
  const rec = window.__frames;
  rec.on = true;
  rec.samples = 0;
  rec.writing = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const bottom = window.scrollY + window.innerHeight >= document.body.scrollHeight - 2;
    window.scrollBy(0, bottom ? -window.scrollY : 6);
    rec.samples += 1;
    if (/writing/.test(document.getElementById("engine")?.textContent || "")) rec.writing += 1;
    await new Promise((r) => setTimeout(r, 100));
  }
  rec.on = false;
  return rec;
}"""


OURS = ("/ui/", "/sound/", "/storage/", "/python_worker/", "/webllm_bridge/", "/index.html")
BUSY_MS = 50.0


def owner(url: str) -> str:
    """Whose code a script URL is: ours, a vendor bundle (by folder), or the browser (no URL)."""
    if not url:
        return "browser"
    if any(part in url for part in OURS):
        return "ours:" + url.split("/")[-1]
    if "/vendor/" in url:
        return "vendor:" + url.split("/vendor/")[1].split("/")[0]
    return "other:" + url.split("/")[-1]


def busy_stretches(profile: dict) -> list[dict]:
    """Stretches of consecutive non-idle samples longer than BUSY_MS, each with the share of its
    samples by owner: the innermost frame that has a script URL decides (a browser builtin called
    from our code counts as ours)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {c: n["id"] for n in profile["nodes"] for c in n.get("children", [])}

    def who(node_id: int) -> str | None:
        frame = nodes[node_id]["callFrame"]
        if frame["functionName"] == "(idle)":
            return None
        at: int | None = node_id
        while at is not None:
            url = nodes[at]["callFrame"].get("url", "")
            if url:
                return owner(url)
            at = parent.get(at)
        return "browser"

    def entry(node_id: int) -> str:
        """The outermost scripted frame of a sample's stack: what the task was started for."""
        at: int | None = node_id
        found = "(no script)"
        while at is not None:
            frame = nodes[at]["callFrame"]
            if frame.get("url"):
                found = f"{frame['functionName'] or '(anonymous)'} {owner(frame['url'])}"
            at = parent.get(at)
        return found

    stretches: list[tuple[float, list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] = []
    start = now = 0.0
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        now += delta / 1000
        owner_of = who(node_id)
        if owner_of is None:
            if current and now - start > BUSY_MS:
                stretches.append((now - start, current))
            current = []
            continue
        if not current:
            start = now
        current.append((owner_of, entry(node_id)))
    out = []
    for length, samples in sorted(stretches, key=lambda s: -s[0]):
        out.append({"ms": round(length, 1), "by": _shares([o for o, _ in samples]),
                    "started_by": _shares([e for _, e in samples], 3)})
    return out


def _shares(items: list[str], top: int = 4) -> dict[str, float]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return {k: round(v / len(items), 2) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:top]}


def measure(browser, url: str, seconds: float, profile: bool = False) -> dict:
    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        page.add_init_script(RECORDER)
        page.goto(f"{url}?model-url=../models/{GGUF}")
        page.wait_for_function(READY, timeout=120_000)
        page.wait_for_function("document.documentElement.dataset.llmEngine === 'wllama'", timeout=60_000)
        page.click("#play")
        page.wait_for_function(SOUND, timeout=60_000)
        # The window starts once the model has written its first piece: it is loaded and writing.
        page.wait_for_function(f"{WRITTEN} >= 1", timeout=900_000, polling=1000)
        before = page.evaluate(WRITTEN)
        attempts_before = len(page.evaluate(REPORT).get("attempts", []))
        if profile:
            cdp = ctx.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
            cdp.send("Profiler.start")
        rec = page.evaluate(SCROLL, seconds)
        stretches = busy_stretches(cdp.send("Profiler.stop")["profile"]) if profile else None
        gaps, tasks = rec["gaps"], rec["tasks"]
        report = page.evaluate(REPORT)
        assert not ctx.outside_requests, ctx.outside_requests
        return {
            "worst_frame_ms": round(max(gaps, default=0.0), 1),
            "frames": len(gaps),
            "frames_over_50ms": sum(g > 50 for g in gaps),
            "long_tasks": len(tasks),
            "longest_task_ms": round(max(tasks, default=0.0), 1),
            "blocking_ms": round(sum(t - 50 for t in tasks), 1),
            "model_pieces_in_window": len(report.get("attempts", [])) - attempts_before,
            "model_writing_share": round(rec["writing"] / max(1, rec["samples"]), 2),
            "model_pieces_before_window": before,
            "model_state": report["state"],
            **({"profiled_stretches_over_50ms": stretches[:12], "profiled_stretches": len(stretches),
                "profiled_stretches_with_ours_over_half": sum(
                    sum(v for k, v in st["by"].items() if k.startswith("ours")) > 0.5 for st in stretches)}
               if stretches is not None else {}),
        }
    finally:
        ctx.close()


def median_of(runs: list[dict]) -> dict:
    return {k: (statistics.median(r[k] for r in runs) if isinstance(runs[0][k], int | float) else runs[0][k])
            for k in runs[0] if not k.startswith("profiled_stretches_over")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--profile", action="store_true", help="whose code runs in the busy stretches")
    parser.add_argument("--compare", type=Path, help="a second build (dist folder) measured beside this one")
    args = parser.parse_args()
    builds = {"this": ROOT / "dist"}
    if args.compare:
        builds["compare"] = args.compare.resolve()
    folders = {f"/{name}/": path for name, path in builds.items()} | {"/models/": ROOT / "build/models"}
    server, base = serve_in_thread(folders)
    results: dict[str, list[dict]] = {name: [] for name in builds}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for _ in range(args.runs):
                    for name in builds:  # interleaved: both see the same machine
                        results[name].append(measure(browser, f"{base}/{name}/", args.seconds, args.profile))
            finally:
                browser.close()
    finally:
        server.shutdown()
    print(json.dumps({
        "benchmark": "frames",
        "seconds_scrolled": args.seconds,
        "builds": {name: str(path) for name, path in builds.items()},
        "median": {name: median_of(runs) for name, runs in results.items()},
        "runs": results,
        "target": {"frames_over_50ms_from_our_code": 0},
    }, indent=2))


if __name__ == "__main__":
    main()
