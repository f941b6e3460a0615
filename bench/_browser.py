"""Shared benchmark plumbing: the built site on localhost and a headless Chromium like the tests use."""

from __future__ import annotations

import statistics
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(ROOT)]

from conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, SUB_PATH, block_outside  # noqa: E402
from serve import serve_in_thread  # noqa: E402


@contextmanager
def site_and_browser(extra_args: list[str] | None = None):
    from playwright.sync_api import sync_playwright

    server, base = serve_in_thread(
        {SUB_PATH: ROOT / "dist", "/models/": ROOT / "build/models", "/fixtures/": ROOT / "tests/fixtures"}
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + (extra_args or [])
            )
            try:
                yield base + SUB_PATH, browser
            finally:
                browser.close()
    finally:
        server.shutdown()


def new_context(browser, cache: bool = True):
    """A context that records requests leaving localhost.

    Routing (which blocks them) also turns Chromium's HTTP cache off, so warm-load benchmarks
    only watch; the machine has no outside network anyway, and the record is asserted empty.
    """
    ctx = browser.new_context()
    if not cache:
        ctx.outside_requests = block_outside(ctx)
        return ctx
    _record_outside(ctx)
    return ctx


def _record_outside(ctx) -> None:
    """Record (not block) every request that leaves localhost in `ctx.outside_requests`."""
    ctx.outside_requests = []

    def watch(request):
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("http", "ws")) and host not in LOCAL_HOSTS:
            ctx.outside_requests.append(request.url)

    ctx.on("request", watch)


@contextmanager
def profile_context(playwright, extra_args: list[str] | None = None):
    """A browser with a fresh on-disk profile, as a reader's browser is (incognito contexts keep
    only a small in-memory cache, which drops the 9.6 MB Pyodide wasm). Requests leaving
    localhost are recorded in `ctx.outside_requests`."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bookmusic-profile-") as profile:
        ctx = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + (extra_args or [])
        )
        _record_outside(ctx)
        try:
            yield ctx
        finally:
            ctx.close()


@contextmanager
def serve_site():
    server, base = serve_in_thread(
        {SUB_PATH: ROOT / "dist", "/models/": ROOT / "build/models", "/fixtures/": ROOT / "tests/fixtures"}
    )
    try:
        yield base + SUB_PATH
    finally:
        server.shutdown()


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "runs": len(values),
    }


# --- The listening bench (bench/music.py, bench/_listen.py): render a piece and query its notes.

RENDER_JS = """async ([code, seconds, rate, offset]) => {
    if (offset > 0) {  // hear a later window: the whole pattern shifted earlier by whole cycles
        const m = await import('./strudel_player.js');
        const { cps } = JSON.parse(await m.events(code, 0, 1));
        code = code.trimEnd() + `\n.early(${Math.round(offset * cps)})`;
    }
    const t0 = performance.now();
    const buffer = await window.renderToWav(code, seconds, rate);  // the export's own renderer
    const ms = performance.now() - t0;
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return { wav: btoa(text), ms };
}"""

EVENTS_JS = """async ([code, minCycles, minSeconds]) => {
    const m = await import('./strudel_player.js');
    const { cps } = JSON.parse(await m.events(code, 0, 1));
    const end = Math.max(minCycles, Math.ceil(minSeconds * cps));
    return JSON.parse(await m.events(code, 0, end));
}"""


def render_piece(context, base: str, code: str, seconds: float, sample_rate: int,
                 min_cycles: int, min_seconds: float, offset: float = 0.0) -> dict:
    """Render `code` in a fresh page of the page's own WAV renderer (sound/render_frame.html, an
    OfflineAudioContext: deterministic), timing the render in the page, then query its note
    events for at least `min_cycles` cycles and `min_seconds` of playing time (from cycle 0).
    With `offset` (seconds, rounded to whole cycles) the render starts that far into the piece.
    Returns {"wav": bytes, "render_s": float, "events": {cps, begin, end, layers, events}}."""
    import base64

    page = context.new_page()
    try:
        page.goto(base + "sound/render_frame.html")
        page.wait_for_function("typeof window.renderToWav === 'function'")
        rendered = page.evaluate(RENDER_JS, [code, seconds, sample_rate, offset])
        events = page.evaluate(EVENTS_JS, [code, min_cycles, min_seconds])
    finally:
        page.close()
    return {"wav": base64.b64decode(rendered["wav"]), "render_s": rendered["ms"] / 1000, "events": events}
