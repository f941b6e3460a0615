"""What the browser keeps between visits, through the store port (storage/book_store.js).

`Memory` writes: the book under its content hash, the reader's place, each composed piece and
each edit. The functions below read it back into a reading session: `resume` at start,
`restore` when a book opens again, `forget_book` and `clear_everything` from the storage panel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.messages import NOTICE
from app.models import Book, Piece
from app.persistence import SavedBook, book_from_json, book_key, piece_to_json
from app.session.ports import StorePort

if TYPE_CHECKING:
    from app.session.reading import ReadingSession


@dataclass
class Memory:
    store: StorePort | None = None
    key: str = ""  # content hash of the open book: its record in the store

    def remember(self, book: Book) -> Any:
        """Keep the whole book (its text stays in this browser) under its content hash. Returns
        the store's answer: awaiting it waits until the record is durable."""
        self.key = book_key(book)
        if self.store:
            return self.store.remember_book(self.key, json.dumps(book.to_json()))
        return None

    def keep_piece(self, section_id: str, piece: Piece) -> None:
        if self.store and self.key:
            self.store.save_piece(self.key, section_id, json.dumps(piece_to_json(piece)))

    def keep_edit(self, section_id: str, code: str | None) -> None:
        """The reader's code for a section (None: the edit was reverted)."""
        if self.store and self.key:
            self.store.save_edit(self.key, section_id, code)

    def keep_position(self, paragraph: int) -> None:
        if self.store and self.key:
            self.store.save_position(self.key, paragraph)


async def resume(session: ReadingSession) -> None:
    """On boot: reopen the last book where the reader left it, or the sample the first time."""
    store = session.memory.store
    last = await store.last_book() if store else None
    if last:
        try:
            session.open_book(book_from_json(json.loads(last)["book"]))
        except (ValueError, KeyError, TypeError):
            session.open_sample()  # a damaged record must not stop the app from starting
    else:
        session.open_sample()
    await restore(session)


async def restore(session: ReadingSession) -> None:
    """Bring back the open book's position, composed music and the reader's edits."""
    memory, book = session.memory, session.book
    if not memory.store or not book:
        return
    try:
        saved = SavedBook.from_json(await memory.store.load_book(memory.key))
    except (ValueError, TypeError):
        return
    if session.book is not book:  # another book opened while this one's record was read
        return
    session.composed.update(saved.pieces)
    by_id = {s.id: s for s in book.sections}
    for section_id, code in saved.edits.items():
        if section_id in by_id:
            session.apply_edit(by_id[section_id].index, code)
    # The place is kept as a paragraph: it survives sections being resized to a new pace.
    index = section_at(book, saved.paragraph)
    if index > 0:
        session.current = index
        session.ui.set_current(index)
        session.ui.scroll_to(index)
    if saved.paragraph or saved.pieces or saved.edits:
        where = f"back at section {session.current + 1} of {len(book.sections)}"
        session.ui.set_status(f"{book.title}: {where}", NOTICE)
        await session.show_and_play(play=False)  # the panel shows what will play here


async def forget_book(session: ReadingSession) -> None:
    """Remove the open book and all that was kept for it; the sample takes its place."""
    memory = session.memory
    if memory.store and memory.key:
        # Awaited: "Forgot" is said only once it is gone (a reload right after must not bring it back).
        await _settled(memory.store.forget_book(memory.key))
    if session.book:
        session.forget_music([s.id for s in session.book.sections])
    title = session.book.title if session.book else "the book"
    await session.stop_and_open_sample()
    session.ui.set_status(f"Forgot “{title}”: its text, place, music and edits are gone.", NOTICE)


async def clear_everything(session: ReadingSession) -> None:
    if session.memory.store:
        await _settled(session.memory.store.clear_all())  # durable before "Cleared" is said
    session.forget_music()
    await session.stop_and_open_sample()
    session.ui.set_status("Cleared everything this browser kept for BookMusic.", NOTICE)


def section_at(book: Book, paragraph: int) -> int:
    """Index of the section holding `paragraph` (0 when the book is shorter than that)."""
    for section in book.sections:
        if section.first <= paragraph <= section.last:
            return section.index
    return 0


async def _settled(answer: Any) -> None:
    """Wait for a store write when the store answers with something awaitable (the page does)."""
    if hasattr(answer, "__await__"):
        await answer
