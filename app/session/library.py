"""The library of kept books: opening one the reader picked from the page's list (ui/library.js).

The list itself is the page's (it reads the store directly); Python opens the book the same way
a reload reopens the last one, so its place, music and edits come back with it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from app.messages import NOTICE, PROBLEM
from app.persistence import book_from_json
from app.session.memory import restore

if TYPE_CHECKING:
    from app.session.reading import ReadingSession

BUSY = "A book is still being read in: open another once it has arrived."
GONE = "That book is no longer kept in this browser: open its file again."
DAMAGED = "The kept copy of “{title}” is damaged: open its file again."


async def open_kept(session: ReadingSession, key: str) -> bool:
    """Open the book kept under `key` where the reader left it; False (and a message) when it is
    gone or damaged. The music follows the new book at once if it was playing."""
    if session.arriving is not None:  # its next pages would take the reader back to it
        session.ui.set_status(BUSY, NOTICE)
        return False
    store = session.memory.store
    raw = await store.kept_book(key) if store else None
    if not raw:
        session.ui.set_status(GONE, PROBLEM)
        return False
    title = "this book"
    try:
        data = json.loads(raw)
        title = str(data.get("title") or title)
        book = book_from_json(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        session.ui.set_status(DAMAGED.format(title=title), PROBLEM)
        return False
    if not book.sections:
        session.ui.set_status(DAMAGED.format(title=book.title), PROBLEM)
        return False
    session.open_book(book)
    await restore(session)
    if session.playing:
        await session.show_and_play(play=True)
    return True
