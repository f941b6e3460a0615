"""A reader's first minutes, on a phone (390×844) and a laptop (1366×768): the page fits the
screen, the player bar and the music panel are reachable, nothing moves when Python arrives."""

from __future__ import annotations

import pytest

from tests.conftest import block_outside

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
READY = "document.documentElement.dataset.pyReady === '1'"


@pytest.fixture
def open_at(browser, site):
    """Open the app in a fresh context at a viewport size; yields a function size -> page."""
    contexts = []

    def open_page(viewport, *, wait_ready=True, init_script=None, **options):
        ctx = browser.new_context(viewport=viewport, **options)
        ctx.outside_requests = block_outside(ctx)
        contexts.append(ctx)
        page = ctx.new_page()
        page.console_errors = []
        page.on("pageerror", lambda err: page.console_errors.append(str(err)))
        if init_script:
            page.add_init_script(init_script)
        page.goto(site)
        if wait_ready:
            page.wait_for_function(READY, timeout=60_000)
        return page

    yield open_page
    for ctx in contexts:
        assert ctx.outside_requests == [], f"requests left localhost: {ctx.outside_requests}"
        ctx.close()


def box(page, selector):
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, right: r.right, height: r.height}; }""",
        selector,
    )


def in_viewport(page, selector):
    b = box(page, selector)
    size = page.viewport_size
    return b["height"] > 0 and b["top"] >= 0 and b["bottom"] <= size["height"] and b["right"] <= size["width"]


def no_sideways_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def not_covered(page, selector):
    """The element is what a tap at its centre reaches (nothing lies over it)."""
    return page.evaluate(
        """(sel) => { const n = document.querySelector(sel); const r = n.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === n || n.contains(hit); }""",
        selector,
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_page_fits_and_the_player_and_panel_are_reachable(open_at, viewport):
    page = open_at(viewport)
    assert no_sideways_scroll(page), page.evaluate("document.scrollingElement.scrollWidth")
    # One-row header: no taller than a row of buttons.
    assert box(page, ".bar")["height"] <= 64
    # The player bar is on screen with Play and where the reader is.
    assert in_viewport(page, "#player") and in_viewport(page, "#play") and not_covered(page, "#play")
    assert page.inner_text("#player-where").startswith("Section 1 of ")
    assert "min left" in page.inner_text("#player-where")
    # Scrolled far into the book, the player is still there.
    page.evaluate("scrollTo(0, document.scrollingElement.scrollHeight / 2)")
    assert in_viewport(page, "#play") and not_covered(page, "#play")
    if viewport is PHONE:
        assert not page.is_visible("#code")
        page.click("#panel-toggle")
        page.wait_for_function("getComputedStyle(document.querySelector('#side')).transform === 'none'")
    # The music panel: its code and the model picker are on screen and usable.
    for selector in ("#code", "#model", "#model-load"):
        assert in_viewport(page, selector), selector
    assert not_covered(page, "#model-load") and not_covered(page, "#model")
    assert no_sideways_scroll(page)
    assert page.console_errors == []


def test_phone_folds_the_secondary_controls_into_a_menu(open_at):
    page = open_at(PHONE)
    assert not page.is_visible("#paste") and not page.is_visible("#wpm")
    page.click("#more")
    assert page.get_attribute("#more", "aria-expanded") == "true"
    for selector in ("#paste", "#wpm", "#volume", "#theme"):
        assert in_viewport(page, selector) and not_covered(page, selector), selector
    assert no_sideways_scroll(page)
    page.keyboard.press("Escape")
    assert not page.is_visible("#paste")
    # The menu's controls work: the speed select reaches Python.
    page.click("#more")
    page.select_option("#wpm", "280")
    page.wait_for_function("document.querySelector('#status').textContent.includes('280')")
    # A tap outside closes it.
    page.mouse.click(200, 400)
    assert not page.is_visible("#wpm")
