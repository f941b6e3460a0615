"""A reader's first minutes, on a phone (390×844) and a laptop (1366×768): the page fits the
screen, the player bar and the music panel are reachable, nothing moves when Python arrives."""

from __future__ import annotations

import pytest

from tests.conftest import LAPTOP, PHONE, READY, SETTLED


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
        assert not page.is_visible("#code-view")
        page.click("#panel-toggle")
        page.wait_for_function("getComputedStyle(document.querySelector('#side')).transform === 'none'")
    # The music panel: its code and the model picker are on screen and usable.
    for selector in ("#code-view", "#model", "#model-load"):
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
    # A tap outside closes it (below the menu, whatever its height).
    page.mouse.click(200, box(page, "#more-controls")["bottom"] + 40)
    assert not page.is_visible("#wpm")


# Every layout shift from navigation on (buffered: the ones before this script ran count too), and
# where Play sat at first paint.
WATCH_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    window.__shifts.push({ value: e.value, at: Math.round(e.startTime),
      moved: e.sources.map((s) => s.node?.id || s.node?.className || s.node?.nodeName || "?") });
  }
}).observe({ type: "layout-shift", buffered: true });
requestAnimationFrame(() => {
  const r = document.querySelector("#play")?.getBoundingClientRect();
  window.__playAtFirstFrame = r && { x: r.x, y: r.y };
});
"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_nothing_moves_when_python_arrives(open_at, viewport):
    page = open_at(viewport, wait_for=None, init_script=WATCH_SHIFTS)
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_timeout(1000)
    shifts = page.evaluate("window.__shifts")
    cls = sum(s["value"] for s in shifts)
    assert cls < 0.05, shifts
    play = page.evaluate("document.querySelector('#play').getBoundingClientRect()")
    first = page.evaluate("window.__playAtFirstFrame")
    assert (round(play["x"]), round(play["y"])) == (round(first["x"]), round(first["y"]))


WELCOME = "Press Play: the music follows your reading."
# A section's nodes as a comparable structure: tag, class, data attributes and text, in order.
SECTION_SHAPE = """(node) => [...node.querySelectorAll('*')].concat([node]).map((n) => ({
  tag: n.tagName, cls: [...n.classList].sort().join(' '), data: {...n.dataset}, text: n.textContent }))"""


def test_the_text_is_in_the_page_before_any_script_runs(open_at, site):
    from urllib.request import urlopen

    from app.sample import sample_book
    from app.segment import DEFAULT_WPM

    book = sample_book(DEFAULT_WPM)
    first = book.sections[0]
    with urlopen(site) as response:
        html = response.read().decode()
    assert WELCOME in html
    for i in range(first.first, first.last + 1):
        # The served HTML has every paragraph of the first section (as text, HTML-escaped).
        assert book.paragraphs[i].text.replace("&", "&amp;").replace("<", "&lt;") in html
    assert book.paragraphs[first.last + 1].text not in html  # the rest is Python's to draw

    # With scripts off, a reader sees the story's start and what the app does.
    page = open_at(PHONE, wait_for=None, java_script_enabled=False)
    assert page.is_visible("#s-0") and in_viewport(page, "#s-0 p")
    assert "Still Water" in page.inner_text("#reader")
    assert page.inner_text("#status") == WELCOME


def test_python_draws_the_same_first_section_the_page_painted(open_at, site):
    page = open_at(LAPTOP, wait_for=None)
    painted = page.evaluate(f"({SECTION_SHAPE})(document.querySelector('#s-0'))")
    page.wait_for_function(READY, timeout=60_000)
    # The static copy was replaced by Python's render (the rest of the book is there now)...
    assert page.locator("#reader .section").count() > 1
    assert page.get_attribute("#reader", "data-first-paint") is None
    # ...with identical nodes.
    assert page.evaluate(f"({SECTION_SHAPE})(document.querySelector('#s-0'))") == painted
    assert page.inner_text("#player-where").startswith("Section 1 of ")


def test_a_reader_who_scrolled_before_python_arrived_stays_on_their_words(open_at):
    page = open_at(PHONE, wait_for=None)
    page.wait_for_selector("#s-0 p")
    if page.evaluate(READY):
        pytest.skip("Python was ready before the page could be scrolled")
    para = "#s-0 [data-para='4']"
    page.evaluate(f"document.querySelector(\"{para}\").scrollIntoView({{block: 'start'}})")
    before = box(page, para)["top"]
    page.wait_for_function(READY, timeout=60_000)
    assert abs(box(page, para)["top"] - before) < 2


# ---- Keyboard ------------------------------------------------------------------------------

# Every section that became current, in order (Python marks it: set_current).
WATCH_CURRENT = """() => {
  window.__current = [];
  new MutationObserver(() => {
    const index = document.querySelector('.section.current')?.dataset.index;
    const now = Number(index);
    if (index !== undefined && window.__current.at(-1) !== now) window.__current.push(now);
  }).observe(document.querySelector('#reader'), { subtree: true, attributeFilter: ['class'] });
}"""
PLAYING = "document.querySelector('#play').textContent === 'Pause'"


def test_space_plays_only_when_no_control_has_focus(open_at):
    page = open_at(LAPTOP)
    page.focus("#theme")
    theme = page.evaluate("document.documentElement.dataset.theme || ''")
    page.keyboard.press("Space")
    # The focused button was pressed (the theme changed); the music did not start.
    assert page.evaluate("document.documentElement.dataset.theme || ''") != theme
    page.wait_for_timeout(300)
    assert not page.evaluate(PLAYING)
    page.focus("#wpm")
    page.keyboard.press("Space")
    page.keyboard.press("Escape")
    assert not page.evaluate(PLAYING)
    # Nothing focused (or the text itself): Space plays, and again pauses.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")
    page.wait_for_function(PLAYING)
    page.focus("#reader")
    page.keyboard.press("Space")
    page.wait_for_function("!(" + PLAYING + ")")


def test_arrows_step_one_section_per_press_without_hopping_back(open_at):
    page = open_at(LAPTOP)
    page.evaluate(WATCH_CURRENT)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # quickly, while the first step still scrolls
    page.wait_for_function("document.querySelector('.section.current')?.dataset.index === '2'")
    page.wait_for_timeout(2000)  # the scroll ends: nothing may move the music back
    went = page.evaluate("window.__current")  # [1, 2], or [2] when both answers came at once
    assert went[-1] == 2 and went == sorted(set(went)), went
    # A held key is one press, not a run through the book.
    page.evaluate("window.__current = []")
    page.keyboard.down("ArrowUp")
    for _ in range(5):
        page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowUp', repeat: true}))")
    page.keyboard.up("ArrowUp")
    page.wait_for_timeout(2000)
    assert page.evaluate("window.__current") == [1]
    # In a control the arrows are the control's: the code box keeps them, the section stays.
    page.focus("#code-view .cm-content")  # the code editor (ui/code_editor.js)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__current") == [1]
    # A focused button ignores arrows, so they still step (after clicking Play, ↓ reads on).
    page.focus("#paste")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.querySelector('.section.current')?.dataset.index === '2'")


def test_tab_order_starts_at_play_then_a_skip_link_and_focus_is_visible(open_at):
    page = open_at(LAPTOP)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "play"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert in_viewport(page, ".skip")  # shown while focused
    # Every stop shows where focus is (its own outline, its label's for the file input, the
    # whole editor's for the code editor's text).
    seen = []
    for _ in range(12):
        ring = page.evaluate("""() => { const n = document.activeElement;
            const ringed = n.matches('.file-button input') ? n.closest('label')
              : n.matches('.cm-content') ? n.closest('.cm-editor') : n;
            const s = getComputedStyle(ringed);
            return {id: n.id || n.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        seen.append(ring["id"])
        assert ring["style"] != "none" and ring["width"] >= 2, ring
        page.keyboard.press("Tab")
    assert {"file", "paste", "wpm", "volume", "theme", "model"} <= set(seen), seen
    # The skip link lands on the text.
    page.focus(".skip")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "reader"


# ---- Where the reader is -------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_section_map_and_time_left_are_visible(open_at, viewport):
    import math

    from app.sample import sample_book
    from app.segment import DEFAULT_WPM

    sections = sample_book(DEFAULT_WPM).sections

    def expected(at):
        minutes = max(1, math.floor(sum(s.words for s in sections[at:]) / DEFAULT_WPM + 0.5))
        return f"Section {at + 1} of {len(sections)} · {minutes} min left"

    page = open_at(viewport)
    assert page.locator(".overview-item").count() == len(sections)
    assert in_viewport(page, "#overview") and box(page, "#overview")["height"] >= 8
    assert page.inner_text("#player-where") == expected(0)
    # A mark on the map takes the reader there; the map and the line follow.
    last = len(sections) - 1
    assert in_viewport(page, f".overview-item[data-index='{last}']")
    page.click(f".overview-item[data-index='{last}']")
    page.wait_for_function(f"document.querySelector('.section.current')?.dataset.index === '{last}'")
    assert page.get_attribute(".overview-item.current", "data-index") == str(last)
    page.wait_for_function(f"document.querySelector('#player-where').textContent === {expected(last)!r}")
    # A section whose music the model wrote is marked on the map (as Python marks it).
    mark = """async () => { const picker = await import(new URL('ui/model_picker.js', location.href));
        picker.set_section_music(1, 'model');
        return getComputedStyle(document.querySelector(".overview-item[data-index='1']")).boxShadow; }"""
    assert page.evaluate(mark) != "none"
    assert no_sideways_scroll(page)


def test_play_pressed_while_python_starts_plays_once_it_is_ready(open_at):
    page = open_at(LAPTOP, wait_for=None)
    page.wait_for_function("window.bookmusic?.ui")  # the page's own script has wired Play
    if page.evaluate(READY):
        pytest.skip("Python was ready before Play could be pressed")
    assert page.is_enabled("#play")
    page.click("#play")
    assert page.inner_text("#play") == "Pause"
    said = "document.querySelector('#status').textContent.includes('in a moment')"
    page.wait_for_function(f"{said} || {READY}")
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000, polling=50)
    assert page.inner_text("#play") == "Pause"
    assert page.console_errors == []


def test_no_sideways_scroll_and_a_one_row_header_from_320_px_up(open_at):
    page = open_at(LAPTOP)
    for width in (320, 360, 768, 961, 1024, 1280, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(100)
        assert no_sideways_scroll(page), (width, page.evaluate("document.scrollingElement.scrollWidth"))
        assert box(page, ".bar")["height"] <= 64, width
        assert in_viewport(page, "#play") and not_covered(page, "#play"), width
