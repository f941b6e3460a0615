"""The page's brain: holds the open book, reacts to reader events, decides what plays.

It talks to the page only through two ports, so it runs unchanged in CPython tests:
- `ui`: render_book(json), set_current(index), show_code(json), set_status(text)
- `player`: play(code) (awaitable), stop() (awaitable)
- `store` (optional): the browser's memory of books, see StorePort
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.ingest.plain import paragraphs_from_text
from app.models import Book
from app.music.instant import Composition, compose
from app.persistence import (
    SavedBook,
    ScoreError,
    book_from_json,
    book_key,
    parse_score,
    piece_to_json,
    score_json,
)
from app.sample import sample_book
from app.segment import DEFAULT_WPM, make_sections


class UIPort(Protocol):
    def render_book(self, book_json: str) -> Any: ...
    def set_current(self, index: int) -> Any: ...
    def show_code(self, payload_json: str) -> Any: ...
    def set_status(self, text: str) -> Any: ...
    def scroll_to(self, index: int) -> Any: ...  # bring a section into view (restored position)
    def download(self, filename: str, mime: str, text: str) -> Any: ...


class PlayerPort(Protocol):
    def play(self, code: str) -> Awaitable[Any]: ...
    def stop(self) -> Awaitable[Any]: ...


class StorePort(Protocol):
    """The browser's memory (IndexedDB). Writes are fire-and-forget: the store reports its own
    failures in the page (storage full or refused) and the session goes on without it."""

    def remember_book(self, key: str, book_json: str) -> Any: ...
    def load_book(self, key: str) -> Awaitable[str | None]: ...  # SavedBook JSON
    def last_book(self) -> Awaitable[str | None]: ...  # {"key", "book"} JSON of the last opened
    def save_position(self, key: str, paragraph: int) -> Any: ...  # first paragraph in view
    def get_setting(self, name: str) -> Awaitable[str | None]: ...  # JSON; for any module's settings
    def set_setting(self, name: str, value_json: str) -> Any: ...
    def save_piece(self, key: str, section_id: str, piece_json: str) -> Any: ...
    def save_edit(self, key: str, section_id: str, code: str | None) -> Any: ...
    def forget_book(self, key: str) -> Any: ...
    def clear_all(self) -> Any: ...


@dataclass
class Controller:
    ui: UIPort
    player: PlayerPort
    store: StorePort | None = None
    wpm: int = DEFAULT_WPM
    book: Book | None = None
    key: str = ""  # content hash of the open book: its record in the store
    current: int = 0
    playing: bool = False
    composed: dict[str, Composition] = field(default_factory=dict)
    edits: dict[str, str] = field(default_factory=dict)  # section id -> the reader's own code

    def open_book(self, book: Book) -> None:
        self.book = book
        self.key = book_key(book)
        self.current = 0
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(0)
        self.ui.set_status(f"{book.title}: {len(book.sections)} sections")
        if self.store:
            self.store.remember_book(self.key, json.dumps(book.to_json()))

    def open_sample(self) -> None:
        self.open_book(sample_book(self.wpm))

    def open_text(self, title: str, text: str, markdown: bool = False) -> None:
        paragraphs = paragraphs_from_text(text, markdown=markdown)
        if not paragraphs:
            self.ui.set_status(f"“{title}” has no readable text.")
            return
        source = "markdown" if markdown else "text"
        book = Book(title, paragraphs, make_sections(paragraphs, self.wpm), source)
        self.open_book(book)

    def composition_for(self, index: int) -> Composition:
        assert self.book is not None
        section = self.book.sections[index]
        if section.id not in self.composed:
            self.composed[section.id] = compose(section.id, section.text)
            if self.store:
                piece = json.dumps(piece_to_json(self.composed[section.id]))
                self.store.save_piece(self.key, section.id, piece)
        return self.composed[section.id]

    # ---- Memory: what the browser keeps between visits ------------------------------------

    async def resume(self) -> None:
        """On boot: reopen the last book where the reader left it, or the sample the first time."""
        last = await self.store.last_book() if self.store else None
        if last:
            try:
                self.open_book(book_from_json(json.loads(last)["book"]))
            except (ValueError, KeyError, TypeError):
                self.open_sample()  # a damaged record must not stop the app from starting
        else:
            self.open_sample()
        await self.restore_saved()

    async def restore_saved(self) -> None:
        """Bring back the open book's position, composed music and the reader's edits."""
        if not self.store or not self.book:
            return
        book = self.book
        try:
            saved = SavedBook.from_json(await self.store.load_book(self.key))
        except (ValueError, TypeError):
            return
        if self.book is not book:  # another book opened while this one's record was read
            return
        self.composed.update(saved.pieces)
        self.edits.update(saved.edits)
        # The place is kept as a paragraph: it survives sections being resized to a new pace.
        index = section_at(self.book, saved.paragraph)
        if index > 0:
            self.current = index
            self.ui.set_current(index)
            self.ui.scroll_to(index)
        if saved.paragraph or saved.pieces or saved.edits:
            self.ui.set_status(
                f"{self.book.title}: back at section {self.current + 1} of {len(self.book.sections)}"
            )
            await self._show_and_play(play=False)  # the panel shows what will play here

    async def keep_edit(self, index: int, code: str) -> None:
        """The reader rewrote a section's code: it plays for that section from now on."""
        if not self.book or not 0 <= index < len(self.book.sections) or not code.strip():
            return
        section_id = self.book.sections[index].id
        self.edits[section_id] = code
        if self.store:
            self.store.save_edit(self.key, section_id, code)
        if index == self.current:
            await self._show_and_play(play=self.playing)

    async def revert_edit(self, index: int) -> None:
        if not self.book or not 0 <= index < len(self.book.sections):
            return
        section_id = self.book.sections[index].id
        if self.edits.pop(section_id, None) is not None and self.store:
            self.store.save_edit(self.key, section_id, None)
        if index == self.current:
            await self._show_and_play(play=self.playing)

    async def forget_book(self) -> None:
        """Remove the open book and all that was kept for it; the sample takes its place."""
        if self.store and self.key:
            self.store.forget_book(self.key)
        if self.book:
            for section in self.book.sections:
                self.composed.pop(section.id, None)
                self.edits.pop(section.id, None)
        title = self.book.title if self.book else "the book"
        await self._stop_and_open_sample()
        self.ui.set_status(f"Forgot “{title}”: its text, place, music and edits are gone.")

    async def clear_everything(self) -> None:
        if self.store:
            self.store.clear_all()
        self.composed.clear()
        self.edits.clear()
        await self._stop_and_open_sample()
        self.ui.set_status("Cleared everything this browser kept for BookMusic.")

    async def _stop_and_open_sample(self) -> None:
        if self.playing:
            self.playing = False
            await self.player.stop()
        self.open_sample()

    # ---- Score: every section's code in one file, and back --------------------------------

    def export_score(self) -> None:
        if not self.book:
            return
        pieces = {s.id: self.composition_for(s.index) for s in self.book.sections}
        name = "".join(ch if ch.isalnum() else "-" for ch in self.book.title).strip("-").lower()
        text = score_json(self.book, self.key, pieces, self.edits)
        self.ui.download(f"{name or 'book'}.score.json", "application/json", text)

    async def import_score(self, text: str) -> None:
        if not self.book:
            return
        try:
            entries = parse_score(text)
        except ScoreError as err:
            self.ui.set_status(str(err))
            return
        by_id = {s.id: s for s in self.book.sections}
        matched = [e for e in entries if e.section_id in by_id]
        if not matched:
            self.ui.set_status("This score belongs to another book: none of its sections match.")
            return
        for entry in matched:
            # Imported code is the reader's own choice for that section, kept like an edit.
            self.edits[entry.section_id] = entry.code
            if self.store:
                self.store.save_edit(self.key, entry.section_id, entry.code)
        self.ui.set_status(f"Imported the score: {len(matched)} of {len(self.book.sections)} sections.")
        await self._show_and_play(play=self.playing)

    async def play(self) -> None:
        if not self.book or not self.book.sections:
            return
        self.playing = True
        await self._play_current()

    async def pause(self) -> None:
        self.playing = False
        await self.player.stop()

    async def reader_at(self, index: int) -> None:
        """The reader moved to section `index` (scroll, click or keys)."""
        if not self.book or not 0 <= index < len(self.book.sections) or index == self.current:
            return
        self.current = index
        self.ui.set_current(index)
        if self.store:
            self.store.save_position(self.key, self.book.sections[index].first)
        if self.playing:
            await self._play_current()

    async def _play_current(self) -> None:
        await self._show_and_play(play=True)

    async def _show_and_play(self, play: bool) -> None:
        piece = self.composition_for(self.current)
        section = self.book.sections[self.current]  # type: ignore[union-attr]
        edit = self.edits.get(section.id)
        code = edit if edit is not None else piece.code
        self.ui.show_code(
            json.dumps(
                {
                    "section": section.index,
                    "id": section.id,
                    "style": piece.style,
                    "mood": piece.mood.label,
                    "source": "your edit" if edit is not None else piece.source,
                    "edited": edit is not None,
                    "code": code,
                }
            )
        )
        if play:
            await self.player.play(code)


def section_at(book: Book, paragraph: int) -> int:
    """Index of the section holding `paragraph` (0 when the book is shorter than that)."""
    for section in book.sections:
        if section.first <= paragraph <= section.last:
            return section.index
    return 0


def segment_text(text: str, wpm: int = DEFAULT_WPM) -> str:
    """Page-callable helper: text in, sections out (JSON)."""
    paragraphs = paragraphs_from_text(text, markdown=True)
    return json.dumps([s.to_json() for s in make_sections(paragraphs, wpm)])
