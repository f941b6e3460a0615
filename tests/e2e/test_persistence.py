"""The browser keeps the reader's place, music, edits and settings (IndexedDB) across reloads."""

import json

from test_sound import wait_level

from app.strudel.validate import validate
from tests.conftest import type_code

READY = "document.documentElement.dataset.pyReady === '1'"
EDIT = 'note("c3 g3").sound("triangle").release(0.4).gain(0.4)'
EDITED = validate(EDIT).code  # what the validator keeps and plays


def reload(page):
    page.reload()
    page.wait_for_function(READY, timeout=60_000)


def kept(page):
    """What the store holds for the open book, as Python data."""
    raw = page.evaluate(
        """async () => {
            const store = await import('./storage/book_store.js');
            const books = await store.listBooks();
            const open = books.find((b) => b.title === window.bookmusic.ui.state.book.title);
            return store.load_book(open.key);
        }"""
    )
    return json.loads(raw) if raw else None


def read_to(page, index):
    """The reader scrolls to section `index` (an instant scroll, so no other section passes the
    reading line on the way) and the page reports it."""
    page.evaluate(
        "(i) => document.querySelector(`#s-${i}`).scrollIntoView({ behavior: 'instant', block: 'start' })",
        index,
    )
    page.wait_for_function(f"window.bookmusic.ui.state.current === {index}")


def wait_kept(page, check, timeout=10_000):
    """Wait until the store's record of the open book satisfies `check` (a JS arrow function)."""
    page.wait_for_function(
        """async (check) => {
            const store = await import('./storage/book_store.js');
            const books = await store.listBooks();
            const open = books.find((b) => b.title === window.bookmusic.ui.state.book.title);
            const raw = open && await store.load_book(open.key);
            return raw ? eval(check)(JSON.parse(raw)) : false;
        }""",
        arg=check,
        timeout=timeout,
        polling=200,
    )


def at_section(index, more=""):
    """A check for wait_kept: the kept place is the first paragraph of section `index`."""
    return f"(s) => s.paragraph === window.bookmusic.ui.state.book.sections[{index}].first {more}"


def test_compose_edit_reload_brings_back_position_music_and_edit(app):
    app.click("#play")
    wait_level(app, above=0.01, timeout=20_000)
    first_code = app.input_value("#code")
    read_to(app, 1)
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('Section 2')")
    composed_second = app.input_value("#code")
    # The reader rewrites section 2's code and keeps it: it plays at once.
    type_code(app, EDIT)
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('by edited')")
    wait_kept(app, at_section(1, "&& Object.keys(s.pieces).length >= 2 && Object.keys(s.edits).length == 1"))
    app.click("#play")  # pause
    wait_level(app, below=0.001, timeout=15_000)

    reload(app)
    # The place comes back (a scroll observer may report the top for a moment while it lands).
    app.wait_for_function("window.bookmusic.ui.state.current === 1", timeout=10_000)
    assert "back at section 2" in app.inner_text("#status")
    assert app.locator("#s-1.current").count() == 1
    # The edit is what shows, and what plays, for section 2.
    assert app.input_value("#code") == EDITED
    assert "by edited" in app.inner_text("#now-meta")
    app.click("#play")
    wait_level(app, above=0.01, timeout=20_000)
    # The composed code was kept too, not recomposed by chance: same text as before the reload.
    state = kept(app)
    pieces = [p["code"] for p in state["pieces"].values()]
    assert first_code in pieces and composed_second in pieces
    # "Back to composed" drops the edit, and that too survives a reload.
    app.click("#revert-edit")
    app.wait_for_function(f"document.querySelector('#code').value === {json.dumps(composed_second)}")
    wait_kept(app, "(s) => Object.keys(s.edits).length === 0")
    assert app.console_errors == []


def test_reopening_the_same_file_restores_it(app, tmp_path):
    text = "# Storm\n\n" + "the storm and thunder shook the house. " * 150
    text += "\n\n# Calm\n\n" + "calm morning tea and quiet. " * 150
    book = tmp_path / "storm.md"
    book.write_text(text)
    app.set_input_files("#file", str(book))
    app.wait_for_function("document.title.startsWith('storm')")
    read_to(app, 1)
    wait_kept(app, at_section(1))
    other = tmp_path / "other.txt"
    other.write_text("a quiet page. " * 40)
    app.set_input_files("#file", str(other))
    app.wait_for_function("document.title.startsWith('other')")
    assert app.evaluate("window.bookmusic.ui.state.current") == 0
    # The same file again (a new name does not matter: the content hash does).
    again = tmp_path / "storm-copy.md"
    again.write_text(text)
    app.set_input_files("#file", str(again))
    app.wait_for_function("document.title.startsWith('storm-copy')")
    try:
        app.wait_for_function("document.querySelector('#status').textContent.includes('back at section 2')")
    finally:
        print("status:", app.inner_text("#status"), kept(app))
    assert app.evaluate("window.bookmusic.ui.state.current") == 1


def test_last_opened_book_reopens_after_reload(app, tmp_path):
    book = tmp_path / "diary.txt"
    book.write_text("\n\n".join(["Dear diary, a calm day by the sea. " * 40] * 8))
    app.set_input_files("#file", str(book))
    app.wait_for_function("document.title.startsWith('diary')")
    read_to(app, 1)
    wait_kept(app, at_section(1))
    reload(app)
    assert app.title().startswith("diary")
    assert "Dear diary" in app.inner_text("#reader")
    assert app.evaluate("window.bookmusic.ui.state.current") == 1


def test_forget_this_book_and_clear_everything(app, tmp_path):
    book = tmp_path / "secret.txt"
    book.write_text("A private letter about the storm. " * 200)
    app.set_input_files("#file", str(book))
    app.wait_for_function("document.title.startsWith('secret')")
    app.click("#offline-panel summary")
    app.click("#forget-book")
    app.wait_for_function("document.querySelector('#status').textContent.includes('Forgot')")
    assert "Lighthouse" in app.title()
    titles = app.evaluate(
        "async () => (await (await import('./storage/book_store.js')).listBooks()).map(b => b.title)"
    )
    assert "secret" not in titles
    reload(app)
    assert "Lighthouse" in app.title()

    # Settings are kept...
    app.evaluate("() => { const v = document.querySelector('#volume'); v.value = '0.3';"
                 " v.dispatchEvent(new Event('input')); v.dispatchEvent(new Event('change')); }")
    app.select_option("#intensity", "soft")
    app.fill("#prefetch", "4")
    app.dispatch_event("#prefetch", "change")
    app.select_option("#wpm", "280")
    app.wait_for_function("window.bookmusic.ui.state.book.sections.length > 0")
    app.click("#theme")
    theme = app.evaluate("document.documentElement.dataset.theme")
    app.wait_for_timeout(300)
    # One settings store (IndexedDB), none in localStorage.
    assert app.evaluate("localStorage.length") == 0
    reload(app)
    app.wait_for_function("document.querySelector('#volume').value === '0.3'")
    assert app.evaluate("document.documentElement.dataset.theme") == theme
    assert app.input_value("#intensity") == "soft" and app.input_value("#prefetch") == "4"
    app.wait_for_function("document.querySelector('#wpm').value === '280'")  # Python re-cut at 280
    # ...until "Clear everything" (two clicks: the first only arms it).
    app.click("#offline-panel summary")
    app.click("#clear-all")
    assert "Really" in app.inner_text("#clear-all")
    app.click("#clear-all")
    app.wait_for_function("document.querySelector('#status').textContent.includes('Cleared')")
    reload(app)
    app.wait_for_timeout(500)
    assert app.input_value("#volume") == "0.8" and app.input_value("#intensity") == "full"
    assert app.evaluate("document.documentElement.dataset.theme") is None


REFUSE_STORAGE = """
// What a browser with site data blocked does: every IndexedDB open fails with an error event.
IDBFactory.prototype.open = function () {
  const request = new EventTarget();
  const error = new DOMException("The user denied permission to access the database.", "UnknownError");
  Object.defineProperty(request, "error", { value: error });
  Object.defineProperty(request, "readyState", { value: "done" });
  Object.defineProperty(request, "result", {
    get() { throw new DOMException("no result", "InvalidStateError"); },
  });
  setTimeout(() => {
    const event = new Event("error", { cancelable: true });
    request.dispatchEvent(event);
    request.onerror?.call(request, event);
  }, 0);
  return request;
};
"""


def test_storage_refused_gets_a_message_and_the_app_still_plays(page, site):
    page.add_init_script(REFUSE_STORAGE)
    page.goto(site)
    page.wait_for_function(READY, timeout=60_000)
    note = page.locator("#storage-note")
    note.wait_for(timeout=10_000)
    assert "refused" in note.inner_text() and "this visit" in note.inner_text()
    page.click("#play")
    wait_level(page, above=0.01, timeout=20_000)
    # Within the session, things are still remembered in memory.
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.querySelector('#now-meta').textContent.includes('Section 2')")
    assert page.console_errors == []
