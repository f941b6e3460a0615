"""Shared fixtures: the built site served on localhost, and a real headless Chromium.

Every browser context blocks and records requests to any host but localhost; the e2e tests
assert that record is empty (the `page` fixture does it after each test).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

SUB_PATH = "/bookmusic/"  # served like GitHub Pages serves a project site
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--autoplay-policy=no-user-gesture-required",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """Base URL of dist/ under a sub-path, plus test-only mounts (models, test wheels)."""
    from serve import serve_in_thread

    dist = ROOT / "dist"
    if not (dist / "index.html").exists():
        pytest.fail("dist/ is not built: run `make test` (it builds first)")
    server, base = serve_in_thread(
        {
            SUB_PATH: dist,
            "/test-wheels/": ROOT / "build" / "test-wheels",
            "/models/": ROOT / "build" / "models",
            "/fixtures/": ROOT / "tests" / "fixtures",
            "/pyodide-runner/": ROOT / "tests" / "pyodide",
        }
    )
    yield base + SUB_PATH
    server.shutdown()


@pytest.fixture(scope="session")
def browser_args() -> list[str]:
    return list(CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance, browser_args):
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=browser_args
    )
    yield browser
    browser.close()


class OutsideRequests(list):
    """Requests the browser tried to make to a host that is not this machine."""


def block_outside(context) -> OutsideRequests:
    record = OutsideRequests()

    def handle(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and host not in LOCAL_HOSTS:
            record.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", handle)
    return record


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    ctx.outside_requests = block_outside(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    yield page
    assert context.outside_requests == [], f"requests left localhost: {context.outside_requests}"


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
READY = "document.documentElement.dataset.pyReady === '1'"
# Python ready and the last things it fills (the model picker, the engine line): the page as a
# reader meets it.
SETTLED = (READY + " && document.querySelectorAll('#model option').length > 1"
           " && document.querySelector('#engine').textContent")



EDITOR = "#code-view .cm-content"  # the code editor (ui/code_editor.js) over the first paint's textarea


def composer_report(page) -> dict:
    """What the language model did so far (app/llm/service.py report), asked of the Python worker."""
    return json.loads(page.evaluate("window.bookmusic.composerReport()"))


def wait_for_composer(page, state: str, timeout_s: float) -> dict:
    """Poll the composer's report until its state is `state` (the report is asked of the worker,
    so Playwright's wait_for_function, which does not await, cannot poll it)."""
    end = time.monotonic() + timeout_s
    while True:
        report = composer_report(page)
        if report["state"] == state:
            return report
        if time.monotonic() > end:
            raise AssertionError(f"the composer stayed {report['state']!r}, not {state!r}: {report}")
        page.wait_for_timeout(500)


def type_code(page, text: str) -> None:
    """Replace the code the way a reader does: select all in the editor and type."""
    page.click(EDITOR)
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


@pytest.fixture
def open_at(browser, site):
    """Opens the app in a browser context of its own: `viewport` and any other context option
    (color_scheme, java_script_enabled...), a `query` after the URL, an init script (`init_script`
    as text or `init_path` as a file; the browser runs it outside the page's CSP), and waits for
    `wait_for` (Python ready by default; None: no wait). Nothing may leave localhost."""
    contexts = []

    def open_page(viewport, query="", *, wait_for=READY, init_script=None, init_path=None, **options):
        ctx = browser.new_context(viewport=viewport, **options)
        ctx.outside_requests = block_outside(ctx)
        contexts.append(ctx)
        if init_script or init_path:
            ctx.add_init_script(script=init_script, path=init_path)
        page = ctx.new_page()
        page.console_errors = []
        page.on("pageerror", lambda err: page.console_errors.append(str(err)))
        page.goto(site + query)
        if wait_for:
            page.wait_for_function(wait_for, timeout=60_000)
        return page

    yield open_page
    for ctx in contexts:
        assert ctx.outside_requests == [], f"requests left localhost: {ctx.outside_requests}"
        ctx.close()


@pytest.fixture
def app(page, site):
    """The app opened under its sub-path, Python ready."""
    page.goto(site)
    page.wait_for_function(READY, timeout=60_000)
    return page
