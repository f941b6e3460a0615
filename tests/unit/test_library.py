"""Opening a kept book from the library: it comes back where the reader left it, with its music;
a book that is gone or damaged gets a plain message and the open book stays."""

import json

from app.session import library, memory

from .aio import run
from .test_persistence import BOOK, EDIT, EDITED, FakeStore, fresh


class LibraryStore(FakeStore):
    """The fake store with the library's read (storage/book_store.js kept_book)."""

    async def kept_book(self, key):
        return self.books.get(key)


def two_books():
    store = LibraryStore()
    ctl, ui, player = fresh(store)
    run(memory.resume(ctl))  # the sample
    sample_key = ctl.memory.key
    ctl.open_text("storm", BOOK, markdown=True)
    run(memory.restore(ctl))
    return store, ctl, ui, player, sample_key


def test_a_kept_book_opens_where_the_reader_left_it_with_its_edit():
    store, ctl, ui, _, sample_key = two_books()
    storm_key = ctl.memory.key
    run(ctl.reader_at(1))
    assert run(ctl.edit_code(1, EDIT))
    assert run(library.open_kept(ctl, sample_key))
    assert ctl.book.source == "sample" and ctl.memory.key == sample_key
    assert store.last == sample_key  # the next visit starts here
    # Back to the first book: its place and the reader's own code return.
    ui.calls.clear()
    assert run(library.open_kept(ctl, storm_key))
    assert ctl.book.title == "storm" and ctl.current == 1
    assert ("scroll_to", 1) in ui.calls
    assert ctl.piece_for(1).code == EDITED
    assert any("back at section 2" in text for (text, _kind) in ui.named("set_status"))


def test_the_music_follows_the_opened_book_when_it_was_playing():
    _, ctl, _, player, sample_key = two_books()
    run(ctl.play())
    played = len(player.played)
    assert run(library.open_kept(ctl, sample_key))
    assert len(player.played) > played
    assert player.played[-1] == ctl.playable(0).code


def test_a_forgotten_or_damaged_book_gets_a_message_and_the_open_book_stays():
    store, ctl, ui, _, _ = two_books()
    assert not run(library.open_kept(ctl, "no-such-key"))
    assert ui.named("set_status")[-1] == (library.GONE, "problem")
    store.books["broken"] = '{"title": "Broken", "paragraphs": [{"nope": 1}]}'
    assert not run(library.open_kept(ctl, "broken"))
    assert ui.named("set_status")[-1] == (library.DAMAGED.format(title="Broken"), "problem")
    store.books["empty"] = json.dumps({"title": "Empty", "paragraphs": [], "sections": []})
    assert not run(library.open_kept(ctl, "empty"))
    store.books["junk"] = "not json"
    assert not run(library.open_kept(ctl, "junk"))
    assert ctl.book.title == "storm"


def test_no_book_opens_while_another_is_still_arriving():
    _, ctl, ui, _, sample_key = two_books()
    ctl.arriving = object()  # type: ignore[assignment]
    assert not run(library.open_kept(ctl, sample_key))
    assert ui.named("set_status")[-1] == (library.BUSY, "notice")
    assert ctl.book.title == "storm"
