"""Real books through the real page: file chooser and drop, the parse worker, the reader, bad files."""

import base64
import io
import time

import pytest

from tests.unit.bookgen import STORY, Chapter, Page, layout_book, long_story, make_epub, make_pdf

CJK = Chapter("第三章", ["港の朝は静かだった。漁師たちは網を繕い、かもめが空を回っていた。"])
SLOW = 120_000  # ms; the machine is shared, so waits are generous and never fixed sleeps


@pytest.fixture
def reader(app):
    """The app with its parse worker booted (it starts by itself once Python is ready)."""
    app.wait_for_function("window.bookmusic.ingest !== undefined", timeout=SLOW)
    assert app.evaluate("window.bookmusic.ingest.readerReady()"), "the parse worker did not start"
    return app


def drop(page, name, data: bytes, mime="application/octet-stream"):
    """Drop a file on the page the way a browser does: a drop event carrying a DataTransfer."""
    transfer = page.evaluate_handle(
        """([name, b64, mime]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, { type: mime }));
            return dt;
        }""",
        [name, base64.b64encode(data).decode(), mime],
    )
    page.dispatch_event("#reader", "dragenter", {"dataTransfer": transfer})
    page.dispatch_event("#reader", "drop", {"dataTransfer": transfer})


def choose(page, tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("#file", str(path))


def wait_title(page, text):
    page.wait_for_function("(t) => document.title.startsWith(t)", arg=text, timeout=SLOW)


def paragraphs(page):
    return page.eval_on_selector_all("#reader [data-para]", "els => els.map(e => [e.tagName, e.textContent])")


def test_pdf_through_the_file_chooser_gives_clean_paragraphs(reader, tmp_path):
    pdf = make_pdf(layout_book("The Harbour", [*STORY, CJK], columns=2, lines_per_page=10))
    choose(reader, tmp_path, "harbour.pdf", pdf)
    wait_title(reader, "harbour")
    reader.wait_for_function("document.getElementById('progress').hidden", timeout=SLOW)
    expected = []
    for chapter in [*STORY, CJK]:
        expected.append(["H2", chapter.title])
        expected += [["P", p] for p in chapter.paragraphs]
    assert paragraphs(reader) == expected
    assert reader.locator(".overview-item").count() == reader.locator("#reader .section").count()
    ids = "window.bookmusic.ui.state.book.sections.map(s => s.id)"
    first_ids = reader.evaluate(ids)
    # Reopened (dropped this time): the same sections, so music made for them is found again.
    reader.evaluate("document.querySelector('#s-0').dataset.old = '1'")
    drop(reader, "harbour.pdf", pdf, "application/pdf")
    reader.wait_for_function("!document.querySelector('#s-0').dataset.old", timeout=SLOW)
    reader.wait_for_function("document.getElementById('progress').hidden", timeout=SLOW)
    assert reader.evaluate(ids) == first_ids
    assert reader.console_errors == []


def test_epub_dropped_on_the_page(reader):
    drop(reader, "harbour.epub", make_epub("The Harbour", STORY, version=3), "application/epub+zip")
    wait_title(reader, "The Harbour")
    reader.wait_for_function("document.getElementById('progress').hidden", timeout=SLOW)
    assert paragraphs(reader)[:2] == [["H2", "Chapter 1"], ["P", STORY[0].paragraphs[0]]]
    assert reader.console_errors == []


def test_a_big_pdf_shows_its_first_section_while_the_rest_is_parsed(reader):
    pdf = make_pdf(layout_book("Long", long_story(chapters=30, paragraphs=14), lines_per_page=42))
    # Watch the main thread while the book is parsed: a frozen page would stall animation frames.
    reader.evaluate(
        """() => { const w = window.__frames = { worst: 0, last: performance.now() };
            const tick = (t) => {
                w.worst = Math.max(w.worst, t - w.last); w.last = t; requestAnimationFrame(tick); };
            requestAnimationFrame(tick); }"""
    )
    start = time.monotonic()
    drop(reader, "long.pdf", pdf, "application/pdf")
    reader.wait_for_function("document.title.startsWith('long')", timeout=SLOW, polling=50)
    first = time.monotonic() - start
    still_parsing = reader.evaluate("!document.getElementById('progress').hidden")
    reader.wait_for_function("document.getElementById('progress').hidden", timeout=SLOW)
    sections = reader.locator("#reader .section").count()
    assert sections > 100
    assert still_parsing, f"first section only after the whole book ({first:.1f} s)"
    worst = reader.evaluate("window.__frames.worst")
    assert worst < 3000, f"the page froze for {worst:.0f} ms"
    # The reader works on the grown book: keys move the highlight.
    reader.locator("#reader").press("ArrowDown")
    reader.wait_for_function("document.querySelector('.section.current')?.dataset.index !== undefined")


def test_click_a_paragraph_and_keys_move_the_current_section(reader):
    current = "() => Number(document.querySelector('.section.current')?.dataset.index)"
    target = reader.locator("#s-3 [data-para]").first
    target.scroll_into_view_if_needed()
    target.click()
    reader.wait_for_function(f"({current})() === 3")
    reader.keyboard.press("ArrowDown")
    reader.wait_for_function(f"({current})() === 4")
    reader.keyboard.press("ArrowUp")
    reader.keyboard.press("ArrowUp")
    reader.wait_for_function(f"({current})() === 2")
    # Scrolling alone moves the highlight: the section at the reading line becomes current.
    last = reader.locator("#reader .section").count() - 1
    assert last > 2
    reader.evaluate(f"document.querySelector('#s-{last}').scrollIntoView({{block: 'start'}})")
    reader.wait_for_function(f"({current})() === {last}")
    assert reader.locator(".overview-item.current").get_attribute("data-index") == str(last)


def test_reading_speed_resizes_sections_and_is_remembered(reader):
    text = "\n\n".join(" ".join(["The tide came in slowly over the sand."] * 6) for _ in range(40))
    reader.click("#paste")
    reader.fill("#paste-text", text)
    reader.click("#paste-open")
    wait_title(reader, "Pasted text")
    count = "() => document.querySelectorAll('#reader .section').length"
    before = reader.evaluate(count)
    reader.select_option("#wpm", "150")
    reader.wait_for_function(f"({count})() > {before}")
    assert "150 words a minute" in reader.inner_text("#status")
    reader.reload()
    reader.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=SLOW)
    status = "document.getElementById('status').textContent"
    reader.wait_for_function(f"{status}.includes('150 words')", timeout=SLOW)
    assert reader.input_value("#wpm") == "150"


def test_pasted_text_opens_as_a_book(reader):
    reader.click("#paste")
    reader.fill("#paste-text", "# Pasted\n\nA short pasted story about the sea.\n\nIt ends here.")
    reader.click("#paste-open")
    wait_title(reader, "Pasted text")
    assert paragraphs(reader) == [
        ["H2", "Pasted"], ["P", "A short pasted story about the sea."], ["P", "It ends here."]
    ]


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(layout_book("S", STORY)))))
    writer.encrypt(user_password="secret", owner_password="o", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {
    "encrypted": ("locked.pdf", encrypted_pdf, "password"),
    "scanned": ("scan.pdf", lambda: make_pdf([Page(image_only=True)] * 3), "OCR"),
    "corrupt": ("broken.pdf", lambda: make_pdf(layout_book("S", STORY))[:400], "damaged"),
    "zero-bytes": ("empty.pdf", lambda: b"", "empty"),
    "image-renamed": ("photo.pdf", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
    "epub-drm": ("locked.epub", lambda: make_epub("T", STORY, drm=True), "DRM"),
}


def test_bad_files_get_a_clear_message_and_the_open_book_stays(reader, tmp_path):
    # One page for all cases (booting costs more than the checks): each bad file in turn must
    # leave the book opened just before it untouched, and the next good file must still open.
    for number, (case, (name, make, words)) in enumerate(BAD.items()):
        before = paragraphs(reader)
        title = reader.title()
        choose(reader, tmp_path, name, make())
        reader.wait_for_selector("#error:not([hidden])", timeout=SLOW)
        message = reader.inner_text("#error")
        assert words in message and name in message, (case, message)
        assert paragraphs(reader) == before and reader.title() == title, case
        good = f"Good Book {number}"
        choose(reader, tmp_path, f"good{number}.epub", make_epub(good, STORY))
        wait_title(reader, good)
        assert reader.is_hidden("#error"), case
    assert reader.console_errors == []


def test_a_2000_page_pdf_is_read_up_to_the_cap_with_a_message(reader):
    from app.ingest.pdf import MAX_PAGES

    pages = layout_book("Huge", long_story(chapters=10, paragraphs=8), lines_per_page=30)
    pages = (pages * (2000 // len(pages) + 1))[:2000]
    drop(reader, "huge.pdf", make_pdf(pages), "application/pdf")
    # Told at once, while the first pages are already readable.
    reader.wait_for_function(
        "document.getElementById('status').textContent.includes('2000 pages')", timeout=SLOW
    )
    wait_title(reader, "huge")
    assert f"first {MAX_PAGES}" in reader.inner_text("#status")
    reader.wait_for_function("document.getElementById('progress').hidden", timeout=300_000)
    assert "2000 pages" in reader.inner_text("#status")
    last = reader.evaluate("window.bookmusic.ui.state.book.paragraphs.at(-1).text")
    assert last
