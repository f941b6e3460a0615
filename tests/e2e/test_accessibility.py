"""axe-core (npm, locked in package-lock.json) finds no violation on the real page: a laptop
(1366×768) and a phone (390×844), light and dark, with the panels a reader opens (the phone's menu
and music drawer, an error message, a problem with Retry, the paste dialog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import LAPTOP, PHONE, ROOT, SETTLED

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
EDITOR = "#code-view .cm-content"
# Code that shows every colour of the code view, refused for its last word (not in the subset).
ALL_COLOURS = ('setcpm(20)\nstack(\n'
               '  n("0 2").scale("C3:minor").sound("gm_piano").lpf(sine.range(300, 900)),\n'
               '  n("0").sound("sine").wobble(2)\n)')
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '')) }));
}"""


@pytest.fixture
def open_with_axe(open_at):
    """viewport, scheme -> the page as a reader meets it, with axe-core loaded from this machine."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make test` (npm ci installs it)")
    # The page's CSP allows no inline script, and page.add_script_tag(path=...) injects the
    # file's content inline: Chromium refuses it. An init script is run by the browser itself
    # (DevTools protocol), outside the page's CSP, so axe is loaded into the page unchanged and
    # from this machine (never a CDN) without loosening the policy the test should see.
    return lambda viewport, scheme: open_at(viewport, color_scheme=scheme, init_path=str(AXE),
                                            wait_for=SETTLED)


def violations(page) -> list[dict]:
    # Colours mid-transition (a theme switch fades the highlight) are not what a reader reads.
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running')")
    return page.evaluate(RUN_AXE)


def background_is_dark(page) -> bool:
    """The theme really applied: the page's background is dark (luminance of its RGB)."""
    rgb = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    r, g, b = (int(part) for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128


def show_error(page, text):
    """Show an error the way Python does (the page's ui port)."""
    page.evaluate("""async (text) => {
        const ui = await import(new URL('ui/index.js', location.href));
        ui.show_error(text); }""", text)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(open_with_axe, viewport, scheme):
    page = open_with_axe(viewport, scheme)
    assert background_is_dark(page) == (scheme == "dark")
    if viewport is LAPTOP:
        page.wait_for_selector(EDITOR)  # the code editor has taken the textarea's place
    assert violations(page) == [], "as the page opens"

    if viewport is PHONE:
        page.click("#more")
        assert page.is_visible("#wpm")
        assert violations(page) == [], "with the ⋯ menu open"
        page.keyboard.press("Escape")
        page.click("#panel-toggle")
        page.wait_for_function("getComputedStyle(document.querySelector('#side')).transform === 'none'")
        assert page.is_visible("#apply-code")
        page.wait_for_selector(EDITOR)  # the code editor loads once the drawer shows it
        assert violations(page) == [], "with the music drawer open"
        page.click("#panel-toggle")
    else:
        # The Listen panel's own pick of instruments (a grid of checkboxes) shown.
        page.select_option("#ensemble", "custom")
        assert page.is_visible("#ensemble-custom")
        assert violations(page) == [], "with the instrument pick open"
        # The code view with every colour it uses, a refused edit's mark and reason, and a
        # note marked as sounding (the player's own highlight class on one span).
        page.focus(EDITOR)
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(ALL_COLOURS)
        page.click("#apply-code")
        page.wait_for_selector("#code-view .code-error")
        page.evaluate("document.querySelector('#code-view .tok-number').classList.add('tok-playing')")
        kinds = page.evaluate("""[...new Set([...document.querySelectorAll('#code-view [class*="tok-"]')]
            .flatMap((e) => [...e.classList].filter((c) => c.startsWith('tok-'))))].sort()""")
        every = ("program", "source", "method", "string", "sound", "mode", "number", "signal", "unknown",
                 "playing")
        assert kinds == sorted(f"tok-{k}" for k in every)
        assert violations(page) == [], "with the code view's colours and a refused edit marked"

    show_error(page, "This file could not be read as a book.")
    assert page.is_visible("#error")
    assert violations(page) == [], "with an error shown"
    page.click("#error-close")

    # A problem on the message line, with its Retry and dismiss buttons.
    page.evaluate("""async () => { const m = await import(new URL('ui/messages.js', location.href));
        m.say('The model could not load: you are offline.',
              {kind: 'problem', action: {label: 'Retry', run: () => {}}}); }""")
    assert page.is_visible("#message-action") and page.is_visible("#message-close")
    assert violations(page) == [], "with a problem and Retry on the message line"
    page.click("#message-close")

    page.click("#more" if viewport is PHONE else "#paste")
    if viewport is PHONE:
        page.click("#paste")
    assert page.is_visible("#paste-dialog")
    assert violations(page) == [], "with the paste dialog open"
    page.click("#paste-cancel")

    # The reader's own switch (data-theme) gives the other theme: it must pass too.
    if viewport is PHONE:
        page.click("#more")
    page.click("#theme")
    assert background_is_dark(page) == (scheme != "dark")
    assert violations(page) == [], "after the theme switch"
    assert page.console_errors == []


def test_axe_is_the_locked_version():
    """The axe that ran is the one package-lock.json pins (npm ci installed it, not a stray copy)."""
    import json

    lock = json.loads(Path(ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE.parent / "package.json").read_text())["version"]
    assert installed == pinned
    assert f'"axe-core": "{pinned}"' in (ROOT / "package.json").read_text()  # exact, no range


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_navigation_panels(open_with_axe, viewport, scheme):
    """The chapter list (a column, or the phone's drawer), find with its results and marks, text
    size and spacing, and the library (a book's row asking before it forgets)."""
    page = open_with_axe(viewport, scheme)
    phone = viewport is PHONE

    if phone:
        page.click("#more")
        page.click("#contents-toggle")
        page.wait_for_function("getComputedStyle(document.querySelector('#contents')).transform === 'none'")
    assert page.is_visible(".contents-item[aria-current]")
    assert violations(page) == [], "with the chapter list shown"
    page.keyboard.press("Escape")

    if phone:
        page.click("#more")
        page.click("#find-open")
    else:
        page.keyboard.press("Control+f")
    page.fill("#find-input", "the")
    page.wait_for_selector(".find-result")
    page.keyboard.press("Enter")  # a current match, marked in the list and the text
    if phone:
        page.click("#find-input")  # the list folded after the jump: open it again
    assert page.is_visible(".find-result[aria-current]")
    assert violations(page) == [], "with find and its results open"
    page.keyboard.press("Escape")

    if phone:
        page.click("#more")
    else:
        page.click("#text-prefs-toggle")
    assert page.is_visible("#text-larger")
    assert violations(page) == [], "with text size and spacing shown"
    page.keyboard.press("Escape")

    page.click("#more" if phone else "#library-open")
    if phone:
        page.click("#library-open")
    page.wait_for_selector(".library-book")
    assert violations(page) == [], "with the library open"
    page.locator(".library-book").first.get_by_role("button", name="Forget…").click()
    assert violations(page) == [], "with the library asking before it forgets a book"
    page.keyboard.press("Escape")
    assert page.console_errors == []
