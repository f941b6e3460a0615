"""Endless-mode benchmark: many piece swaps in the real page; memory and sound across them.

Starts endless mode from the Listen panel with a short period, lets it swap --swaps times and, at
checkpoints, forces a garbage collection and reads the JS heap (CDP Runtime.getHeapUsage), the
WebAssembly memories (Pyodide's Python heap), DOM nodes and listeners. The audio level is sampled
every 25 ms: its minimum after the first fade-in says whether any swap left a gap.
Prints one JSON object. Growth per swap is the least-squares slope over the checkpoints after
the warm-up, in KiB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics

from _browser import new_context, site_and_browser  # puts the repository root on sys.path

from app.strudel.validate import validate

# Keep hold of every WebAssembly memory the page makes (Pyodide's Python heap lives in one).
WASM_WATCH = """
window.__wasmMemories = [];
for (const name of ["instantiate", "instantiateStreaming"]) {
  const original = WebAssembly[name];
  WebAssembly[name] = async function (...args) {
    const result = await original.apply(this, args);
    const instance = result.instance || result;
    for (const value of Object.values(instance.exports || {})) {
      if (value instanceof WebAssembly.Memory) window.__wasmMemories.push(value);
    }
    return result;
  };
}
"""
# The recording is drained at every checkpoint, so the bench's own arrays do not grow the heap.
RECORD = """() => {
  window.__pieces = [];
  window.__levels = [];
  window.addEventListener('bookmusic:endless-piece', (e) => {
    window.__pieces.push({code: e.detail.code, cpm: e.detail.cpm, t: performance.now()});
  });
  setInterval(() => window.__levels.push([performance.now(), window.bookmusic.sound.level()]), 25);
}"""
DRAIN = """() => {
  const out = {pieces: window.__pieces, levels: window.__levels};
  window.__pieces = [];
  window.__levels = [];
  return out;
}"""


def measure(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    page.wait_for_timeout(200)
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    wasm = page.evaluate("window.__wasmMemories.reduce((n, m) => n + m.buffer.byteLength, 0)")
    return {
        "js_heap_mb": round(heap["usedSize"] / 2**20, 2),
        "wasm_mb": round(wasm / 2**20, 2),
        "dom_nodes": int(metrics.get("Nodes", 0)),
        "listeners": int(metrics.get("JSEventListeners", 0)),
    }


def slope_kib(points: list[tuple[int, float]]) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if len(set(xs)) < 2:
        return 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return round(num / den * 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each piece")
    parser.add_argument("--mood", default="a calm grey sea")
    args = parser.parse_args()
    checkpoints = sorted({5, *range(10, args.swaps + 1, 10), args.swaps})

    with site_and_browser() as (url, browser):
        ctx = new_context(browser)
        ctx.add_init_script(WASM_WATCH)
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=120_000)
        cdp = ctx.new_cdp_session(page)
        cdp.send("HeapProfiler.enable")
        cdp.send("Performance.enable")
        page.evaluate(
            "(s) => { const sel = document.querySelector('#endless-every');"
            " sel.append(new Option(`${s} s`, String(s))); sel.value = String(s); }",
            args.seconds,
        )
        page.fill("#endless-mood", args.mood)
        before = measure(page, cdp)
        page.evaluate(RECORD)
        page.click("#endless")
        samples = {}
        pieces, levels = [], []
        for n in checkpoints:
            page.wait_for_function(
                f"window.bookmusic.modes.state.pieces >= {n + 1}", timeout=int(120_000 + n * 5_000)
            )
            drained = page.evaluate(DRAIN)
            pieces += drained["pieces"]
            levels += drained["levels"]
            samples[n] = measure(page, cdp)
        page.click("#endless")
        ctx.close()

    first = pieces[0]["t"] + 2500
    window = [lv for t, lv in levels if t >= first and t <= pieces[-1]["t"]]
    # The quietest moment around each swap (from 100 ms before to 600 ms after it).
    around_swaps = [
        min((lv for t, lv in levels if p["t"] - 100 <= t <= p["t"] + 600), default=None)
        for p in pieces[1:]
        if p["t"] >= first
    ]
    around_swaps = [v for v in around_swaps if v is not None]
    quiet = [round((t - first) / 1000, 2) for t, lv in levels if t >= first and lv < 0.003]
    invalid = sum(1 for p in pieces if not validate(p["code"]).ok)
    tempo_jumps = max(abs(b["cpm"] - a["cpm"]) for a, b in itertools.pairwise(pieces))
    warm = [(n, s) for n, s in samples.items() if n >= 10]
    print(
        json.dumps(
            {
                "swaps": args.swaps,
                "seconds_per_piece": args.seconds,
                "pieces_seen": len(pieces),
                "invalid_pieces": invalid,
                "max_tempo_step_cpm": tempo_jumps,
                "level_min_after_fade_in": round(min(window), 4),
                "level_median": round(statistics.median(window), 4),
                "level_samples": len(window),
                "level_min_around_swaps": round(min(around_swaps), 4) if around_swaps else None,
                "samples_below_0.003": len(quiet),
                "first_quiet_moments_s": quiet[:10],
                "before_start": before,
                "checkpoints": {str(n): s for n, s in samples.items()},
                "js_heap_growth_kib_per_swap": slope_kib([(n, s["js_heap_mb"]) for n, s in warm]),
                "wasm_growth_kib_per_swap": slope_kib([(n, s["wasm_mb"]) for n, s in warm]),
                "dom_nodes_growth_per_swap": round(
                    slope_kib([(n, s["dom_nodes"]) for n, s in warm]) / 1024, 2
                ),
                "outside_requests": len(ctx.outside_requests),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
