"""Navigation a reader expects, in the real page on a laptop (1366×768) and a phone (390×844): the
chapter list with the chapter being read marked, text size and line spacing kept across visits
without moving the text at load, find in the book (folded case and accents, counted, next and
previous, the match marked on the reading line, a 300-page novel), and the library of kept books
(open where left, forget after confirming, offline)."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import LAPTOP, PHONE, READY
from tests.unit.bookgen import long_story

SLOW = 180_000  # ms: a long book is read in by Pyodide on a shared machine

CURRENT = "window.bookmusic.ui.state.current"
OFFLINE_READY = "document.documentElement.dataset.offlineReady === '1'"


def box(page, selector):
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                height: r.height, width: r.width}; }""",
        selector,
    )


def in_viewport(page, selector):
    b = box(page, selector)
    size = page.viewport_size
    return (
        b["height"] > 0
        and b["top"] >= 0
        and b["left"] >= 0
        and b["bottom"] <= size["height"]
        and b["right"] <= size["width"]
    )


def not_covered(page, selector):
    return page.evaluate(
        """(sel) => { const n = document.querySelector(sel); const r = n.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === n || n.contains(hit); }""",
        selector,
    )


def no_sideways_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def open_book(page, tmp_path, name, text):
    """Open a Markdown file through the file chooser; wait until it is whole and kept."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.set_input_files("#file", str(path))
    stem = name.rsplit(".", 1)[0]
    page.wait_for_function("(t) => document.title.startsWith(t)", arg=stem, timeout=SLOW)
    page.wait_for_function("document.getElementById('progress').hidden", timeout=SLOW)
    page.wait_for_function(
        """async (t) => { const store = await import('./storage/book_store.js');
        return (await store.listBooks()).some((b) => b.title === t); }""",
        arg=stem,
        timeout=SLOW,
        polling=200,
    )


def headings(page):
    return page.evaluate(
        "window.bookmusic.ui.state.book.paragraphs.filter((p) => p.kind === 'heading').map((p) => p.text)"
    )


def marked_chapter(page):
    return page.evaluate("document.querySelector('.contents-item[aria-current]')?.textContent ?? null")


def section_of_heading(page, text):
    return page.evaluate(
        """(t) => { const b = window.bookmusic.ui.state.book;
        const i = b.paragraphs.findIndex((p) => p.text === t);
        return b.sections.find((s) => s.first <= i && i <= s.last).index; }""",
        text,
    )


# ---- Chapters ----------------------------------------------------------------------------


def test_the_chapter_list_marks_where_the_reader_is_and_takes_them_anywhere(open_at):
    page = open_at(LAPTOP)
    titles = headings(page)
    assert len(titles) >= 4
    # A column beside the text, one entry per heading, the first chapter marked.
    assert page.is_visible("#contents") and not page.is_visible("#contents-toggle")
    assert page.eval_on_selector_all(".contents-item", "ns => ns.map((n) => n.textContent)") == titles
    assert marked_chapter(page) == titles[1]  # the book's title, then its first chapter: the chapter
    assert box(page, "#contents")["right"] <= box(page, "#reader")["left"]
    # A click goes there; the music's section follows, and so does the mark.
    target = titles[3]
    page.click(f".contents-item:text-is('{target}')")
    section = section_of_heading(page, target)
    page.wait_for_function(f"{CURRENT} === {section}")
    page.wait_for_function(
        "(t) => document.querySelector('.contents-item[aria-current]')?.textContent === t", arg=target
    )
    assert page.evaluate("document.activeElement.id") == "reader"  # the keyboard goes on from the text
    # Scrolling (here: the section map's last mark) moves the mark to the last chapter.
    last = page.evaluate("window.bookmusic.ui.state.book.sections.length - 1")
    page.click(f".overview-item[data-index='{last}']")
    page.wait_for_function(
        "(t) => document.querySelector('.contents-item[aria-current]')?.textContent === t", arg=titles[-1]
    )
    # The keyboard: Tab reaches an entry, Enter jumps.
    page.focus(f".contents-item:text-is('{titles[2]}')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{CURRENT} === {section_of_heading(page, titles[2])}")
    assert page.console_errors == []


def test_on_a_phone_the_chapters_are_a_drawer_from_the_menu(open_at):
    page = open_at(PHONE)
    titles = headings(page)
    assert not page.is_visible(".contents-item")
    page.click("#more")
    page.click("#contents-toggle")
    page.wait_for_function("getComputedStyle(document.querySelector('#contents')).transform === 'none'")
    assert page.get_attribute("#contents-toggle", "aria-expanded") == "true"
    assert not page.is_visible("#paste")  # the menu closed behind it
    assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "location"
    last = page.locator(".contents-item").last
    assert last.text_content() == titles[-1]
    assert in_viewport(page, "#contents")
    assert no_sideways_scroll(page)
    # Escape closes it and focus goes back to the menu button (Contents itself is folded away).
    page.keyboard.press("Escape")
    page.wait_for_function("getComputedStyle(document.querySelector('#contents')).visibility === 'hidden'")
    assert page.evaluate("document.activeElement.id") == "more"
    # Chosen from the drawer: it closes and the reader is there.
    page.click("#more")
    page.click("#contents-toggle")
    page.wait_for_function("getComputedStyle(document.querySelector('#contents')).transform === 'none'")
    last.click()
    page.wait_for_function(f"{CURRENT} === {section_of_heading(page, titles[-1])}")
    page.wait_for_function("getComputedStyle(document.querySelector('#contents')).visibility === 'hidden'")
    # The chapter's section comes to the top part of the screen (a smooth scroll).
    page.wait_for_function(
        "(s) => { const t = document.querySelector(s).getBoundingClientRect().top;"
        " return t >= 0 && t < innerHeight / 2; }",
        arg=f"#s-{section_of_heading(page, titles[-1])}",
    )
    assert page.console_errors == []


def test_a_book_without_headings_says_so_quietly(open_at, tmp_path):
    page = open_at(LAPTOP)
    open_book(
        page, tmp_path, "plain.md", "\n\n".join(["The river ran on through the long quiet valley. " * 20] * 4)
    )
    assert page.locator(".contents-item").count() == 0
    assert page.is_visible("#contents-empty")
    assert "no chapter headings" in page.inner_text("#contents-empty")


# ---- Text size and line spacing ----------------------------------------------------------

READ_STYLE = """() => { const s = getComputedStyle(document.querySelector('#reader'));
  return {size: parseFloat(s.fontSize), leading: parseFloat(s.lineHeight) / parseFloat(s.fontSize)}; }"""
# Layout shifts from navigation on, and the reading column's font at the first frame.
WATCH = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
}).observe({ type: "layout-shift", buffered: true });
const firstFrame = () => {
  const reader = document.querySelector('#reader');
  if (!reader) return requestAnimationFrame(firstFrame);  // a frame before the body arrived
  window.__firstFont = parseFloat(getComputedStyle(reader).fontSize);
};
requestAnimationFrame(firstFrame);
"""


def test_text_size_and_spacing_are_kept_and_restored_before_the_first_paint(open_at):
    page = open_at(LAPTOP, init_script=WATCH)
    default = page.evaluate(READ_STYLE)
    page.click("#text-prefs-toggle")
    assert page.is_visible("#text-prefs") and page.evaluate("document.activeElement.id") == "text-larger"
    # The paragraph at the reading line stays there when the text grows.
    anchor = "#reader [data-para='3']"
    page.evaluate(
        f"document.querySelector(\"{anchor}\").scrollIntoView({{block: 'start'}});"
        " scrollBy(0, -innerHeight / 3)"
    )
    before = box(page, anchor)["top"]
    page.keyboard.press("Enter")  # the keyboard works the panel: Larger, then Larger again
    page.click("#text-larger")
    assert page.inner_text("#text-size") == "117 %"
    assert abs(box(page, anchor)["top"] - before) < 3
    page.select_option("#line-spacing", "1.95")
    grown = page.evaluate(READ_STYLE)
    assert grown["size"] == pytest.approx(default["size"] * 1.17, abs=0.2)
    assert grown["leading"] == pytest.approx(1.95, abs=0.02)
    page.keyboard.press("Escape")
    assert not page.is_visible("#text-prefs")
    page.wait_for_function(
        """async () => { const store = await import('./storage/book_store.js');
        return (await store.getSetting('reading'))?.scale === 1.17; }"""
    )

    # Next visit: the text is at the reader's size from the first frame, and nothing moved.
    page.reload()
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__firstFont") == pytest.approx(grown["size"], abs=0.2)
    assert page.evaluate(READ_STYLE) == pytest.approx(grown, abs=0.02)
    assert sum(page.evaluate("window.__shifts")) < 0.05
    assert page.inner_text("#text-size") == "117 %"
    assert page.input_value("#line-spacing") == "1.95"
    # Back to the defaults.
    page.click("#text-prefs-toggle")
    page.click("#text-reset")
    assert page.evaluate(READ_STYLE) == pytest.approx(default, abs=0.02)
    assert page.console_errors == []


def test_on_a_phone_text_size_is_in_the_menu(open_at):
    page = open_at(PHONE)
    size = page.evaluate(READ_STYLE)["size"]
    page.click("#more")
    for selector in (
        "#text-smaller",
        "#text-larger",
        "#line-spacing",
        "#text-reset",
        "#library-open",
        "#find-open",
    ):
        assert in_viewport(page, selector) and not_covered(page, selector), selector
    page.click("#text-smaller")
    assert page.evaluate(READ_STYLE)["size"] < size
    assert no_sideways_scroll(page)


# ---- Find in the book --------------------------------------------------------------------


def fold(text: str) -> str:
    """Python's own folding, independent of the page's: case-folded, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def count_in(texts, query):
    return sum(fold(t).count(fold(query)) for t in texts)


def current_match(page):
    """The text the current-match highlight covers, and whether its paragraph is on screen."""
    return page.evaluate("""() => { const h = CSS.highlights.get('find-current');
        if (!h) return null; const [range] = [...h];
        const r = range.getBoundingClientRect();
        return {text: range.toString(), para: Number(range.startContainer.parentElement.dataset.para),
                top: r.top, bottom: r.bottom}; }""")


def search(page, query):
    page.fill("#find-input", query)
    page.wait_for_function("(q) => document.querySelector('#find-count').textContent !== '' || !q", arg=query)
    page.wait_for_timeout(200)  # the search waits for typing to pause


def test_find_counts_lists_and_steps_through_matches_on_the_reading_line(open_at):
    page = open_at(LAPTOP)
    texts = page.evaluate("window.bookmusic.ui.state.book.paragraphs.map((p) => p.text)")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    assert page.is_visible("#find") and page.evaluate("document.activeElement.id") == "find-input"
    query = "mara"
    total = count_in(texts, query)
    assert total >= 3
    search(page, query)
    assert page.inner_text("#find-count") == f"{total} matches"
    assert page.locator(".find-result").count() == total
    assert all(
        fold(query) in fold(t)
        for t in page.eval_on_selector_all(".find-result mark", "ns => ns.map((n) => n.textContent)")
    )
    assert page.evaluate("CSS.highlights.get('find').size") == total
    # Enter: the first match, marked, its line brought to the reading line (a third down).
    page.keyboard.press("Enter")
    assert page.inner_text("#find-count") == f"1 of {total}"
    first = current_match(page)
    assert fold(first["text"]) == query
    height = page.viewport_size["height"]
    assert 0.2 * height < first["top"] < 0.45 * height
    page.keyboard.press("Enter")
    second = current_match(page)
    assert page.inner_text("#find-count") == f"2 of {total}" and second != first
    # Shift+Enter back, and once more wraps round to the last.
    page.keyboard.press("Shift+Enter")
    assert current_match(page)["para"] == first["para"]
    page.keyboard.press("Shift+Enter")
    assert page.inner_text("#find-count") == f"{total} of {total}"
    last = current_match(page)
    assert 0 <= last["top"] < height and fold(last["text"]) == query
    # The music follows: the section in view is the match's.
    para = last["para"]
    page.wait_for_function(
        f"(() => {{ const s = window.bookmusic.ui.state.book.sections[{CURRENT}];"
        f" return s.first <= {para} && {para} <= s.last; }})()"
    )
    # A listed result takes the reader to its match.
    page.click(".find-result >> nth=1")
    assert page.inner_text("#find-count") == f"2 of {total}"
    # Escape closes, the marks go, and focus is back in the text.
    page.keyboard.press("Escape")
    assert not page.is_visible("#find")
    assert page.evaluate("CSS.highlights.has('find') || CSS.highlights.has('find-current')") is False
    # Ctrl+F opens it again, with the words still there.
    page.keyboard.press("Control+f")
    assert page.is_visible("#find") and page.input_value("#find-input") == query
    search(page, "no such words anywhere")
    assert page.inner_text("#find-count") == "No matches"
    assert page.is_disabled("#find-next")
    assert page.console_errors == []


ODD = """# Le Café

Nous étions au CAFÉ, puis au cafe du coin, dans la rue où tout le monde se connaît.

# Zweites Kapitel

Die Straße war leer. STRASSE und strasse, sagte er; don’t stop, ﬁnally.
"""


def test_find_folds_case_accents_ligatures_and_quotes(open_at, tmp_path):
    page = open_at(PHONE)
    open_book(page, tmp_path, "odd.md", ODD)
    page.click("#more")
    page.click("#find-open")
    assert in_viewport(page, "#find") and no_sideways_scroll(page)
    for query, found in (
        ("cafe", ["Café", "CAFÉ", "cafe"]),
        ("STRASSE", ["Straße", "STRASSE", "strasse"]),
        ("don't", ["don’t"]),
        ("connait", ["connaît"]),
        ("finally", ["ﬁnally"]),
    ):
        search(page, query)
        assert (
            page.eval_on_selector_all(".find-result mark", "ns => ns.map((n) => n.textContent)") == found
        ), query
    # On a phone the list folds away after a jump, so the match on the reading line is not covered.
    page.keyboard.press("Enter")
    assert not page.is_visible("#find-results")
    match = current_match(page)
    assert match["text"] == "ﬁnally"
    find_bottom = box(page, "#find")["bottom"]
    assert match["top"] > find_bottom
    assert page.console_errors == []


def novel_markdown() -> str:
    chapters = long_story(chapters=102, paragraphs=14)  # about 300 pages (bench/ingest.py's novel)
    return "\n\n".join(f"# {c.title}\n\n" + "\n\n".join(c.paragraphs) for c in chapters)


def test_find_in_a_300_page_novel(open_at, tmp_path):
    page = open_at(LAPTOP)
    open_book(page, tmp_path, "novel.md", novel_markdown())
    texts = page.evaluate("window.bookmusic.ui.state.book.paragraphs.map((p) => p.text)")
    assert len(texts) > 1400
    page.keyboard.press("Control+f")
    for query in ("Window Letter", "storm shadow"):
        search(page, query)
        total = count_in(texts, query)
        assert total > 100
        assert page.inner_text("#find-count") == f"{total} matches"
    # Listed with context up to a limit, the rest counted and reachable.
    assert page.locator(".find-result").count() == 200
    assert page.is_visible(".find-more")
    page.keyboard.press("Shift+Enter")  # from the start, back round to the book's last match
    last = current_match(page)
    assert last["para"] > 0.9 * len(texts)
    assert fold(last["text"]) == "storm shadow"
    assert 0 <= last["top"] < page.viewport_size["height"]
    # The chapter list has all 102 chapters and marks the one the match is in.
    assert page.locator(".contents-item").count() == 102
    para = last["para"]
    chapter = page.evaluate(
        f"window.bookmusic.ui.state.book.paragraphs.slice(0, {para} + 1)"
        ".filter((p) => p.kind === 'heading').at(-1).text"
    )
    page.wait_for_function(
        "(t) => document.querySelector('.contents-item[aria-current]')?.textContent === t", arg=chapter
    )
    assert page.console_errors == []


# ---- The library -------------------------------------------------------------------------

BOOK = "# One\n\n" + "\n\n".join(["The harbour lights came on one by one along the quay. " * 25] * 6)


def library_rows(page):
    return page.eval_on_selector_all(
        ".library-book",
        "ns => ns.map((n) => [n.querySelector('.library-title').textContent,"
        " n.querySelector('.library-meta').textContent])",
    )


def test_the_library_lists_opens_and_forgets_kept_books_offline_too(open_at, tmp_path):
    page = open_at(LAPTOP)
    page.wait_for_function(OFFLINE_READY, timeout=60_000)
    sample = page.evaluate("window.bookmusic.ui.state.book.title")
    open_book(page, tmp_path, "harbour.md", BOOK)
    page.evaluate("document.querySelector('#s-2').scrollIntoView({behavior: 'instant', block: 'start'})")
    page.wait_for_function(f"{CURRENT} === 2")
    page.click("#library-open")
    assert page.is_visible("#library")
    rows = library_rows(page)
    assert [title for title, _ in rows] == ["harbour", sample]  # last read first
    assert "open now" in rows[0][1] and "% read" in rows[0][1] and "last read just now" in rows[0][1]
    assert "open now" not in rows[1][1]
    # The open book has no Open button; the other one does, and it opens where it was left.
    assert page.locator(".library-book >> nth=0 >> button:text-is('Open')").count() == 0
    page.click(".library-book >> nth=1 >> button:text-is('Open')")
    assert not page.is_visible("#library")
    page.wait_for_function("(t) => window.bookmusic.ui.state.book.title === t", arg=sample)

    # Offline: the app and the library come from this browser alone.
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function(READY, timeout=60_000)
    assert page.evaluate("window.bookmusic.ui.state.book.title") == sample
    page.click("#library-open")
    page.click(".library-book:has-text('harbour') >> button:text-is('Open')")
    page.wait_for_function("window.bookmusic.ui.state.book.title === 'harbour'")
    page.wait_for_function(f"{CURRENT} === 2")  # back where the reader left it
    assert "back at section 3" in page.inner_text("#status")

    # Forget asks first; Keep leaves it, Forget removes it.
    page.click("#library-open")
    row = page.locator(".library-book", has_text=sample)
    row.get_by_role("button", name="Forget…", exact=True).click()
    assert page.evaluate("document.activeElement.textContent") == "Keep"
    page.keyboard.press("Enter")
    assert row.count() == 1 and page.evaluate("document.activeElement.textContent") == "Forget…"
    row.get_by_role("button", name="Forget…", exact=True).click()
    row.get_by_role("button", name="Forget", exact=True).click()
    page.wait_for_function(
        "(t) => ![...document.querySelectorAll('.library-title')].some((n) => n.textContent === t)",
        arg=sample,
    )
    assert "Forgot" in page.inner_text("#library-note")
    assert [title for title, _ in library_rows(page)] == ["harbour"]
    page.keyboard.press("Escape")
    assert not page.is_visible("#library")
    assert page.evaluate("window.bookmusic.ui.state.book.title") == "harbour"
    assert page.console_errors == []
