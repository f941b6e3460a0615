"""The page's brain: holds the open book, reacts to reader events, decides what plays.

It talks to the page only through two ports, so it runs unchanged in CPython tests:
- `ui`: render_book(json), set_current(index), show_code(json), set_status(text)
- `player`: play(code) (awaitable), stop() (awaitable)
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.ingest.plain import paragraphs_from_text
from app.models import Book
from app.music.instant import Composition, compose
from app.music.validate import validate
from app.sample import sample_book
from app.segment import DEFAULT_WPM, make_sections


class UIPort(Protocol):
    def render_book(self, book_json: str) -> Any: ...
    def set_current(self, index: int) -> Any: ...
    def show_code(self, payload_json: str) -> Any: ...
    def set_status(self, text: str) -> Any: ...


class PlayerPort(Protocol):
    def play(self, code: str) -> Awaitable[Any]: ...
    def stop(self) -> Awaitable[Any]: ...


@dataclass
class Controller:
    ui: UIPort
    player: PlayerPort
    wpm: int = DEFAULT_WPM
    book: Book | None = None
    current: int = 0
    playing: bool = False
    composed: dict[str, Composition] = field(default_factory=dict)
    prefetch: int = 2  # sections composed ahead of the reader

    def open_book(self, book: Book) -> None:
        self.book = book
        self.current = 0
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(0)
        self.ui.set_status(f"{book.title}: {len(book.sections)} sections")

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
            # Within a chapter the piece before sets key and tempo (seamless crossfades);
            # a new chapter is free to modulate.
            before = self.book.sections[index - 1] if index > 0 else None
            previous = self.composed.get(before.id) if before and before.chapter == section.chapter else None
            self.composed[section.id] = compose(section.id, section.text, previous.code if previous else None)
        return self.composed[section.id]

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
        if self.playing:
            await self._play_current()

    def set_prefetch(self, depth: int) -> None:
        self.prefetch = max(0, min(8, int(depth)))

    async def edit_code(self, index: int, code: str) -> bool:
        """The reader edited the code of section `index`: validate it, keep it, play it."""
        if not self.book or not 0 <= index < len(self.book.sections):
            return False
        result = validate(code)
        if not result.ok:
            self.ui.set_status("This code cannot play: " + "; ".join(result.errors))
            return False
        section = self.book.sections[index]
        before = self.composition_for(index)
        self.composed[section.id] = Composition(result.code, before.style, before.mood, "edited")
        note = f" ({'; '.join(result.notes)})" if result.notes else ""
        self.ui.set_status(f"Your edit plays for section {index + 1}{note}")
        if self.playing and index == self.current:
            await self._play_current()
        return True

    async def _play_current(self) -> None:
        assert self.book is not None
        section = self.book.sections[self.current]
        piece = self.composition_for(self.current)
        checked = validate(piece.code)  # nothing reaches the player without passing the validator
        if not checked.ok:  # e.g. a model's code: the instant composer never leaves the reader silent
            piece = self.composed[section.id] = compose(section.id, section.text)
            checked = validate(piece.code)
        self.ui.show_code(
            json.dumps(
                {
                    "section": section.index,
                    "id": section.id,
                    "style": piece.style,
                    "mood": piece.mood.label,
                    "source": piece.source,
                    "code": piece.code,
                }
            )
        )
        try:
            await self.player.play(checked.code)
        except Exception as err:  # the page's own check refused it: fall back, never stay silent
            if piece.source == "instant":
                raise
            self.ui.set_status(f"The page refused this music ({err}); playing the instant piece.")
            piece = self.composed[section.id] = compose(section.id, section.text)
            await self.player.play(piece.code)
        last = min(self.current + self.prefetch, len(self.book.sections) - 1)
        for ahead in range(self.current + 1, last + 1):
            self.composition_for(ahead)


def segment_text(text: str, wpm: int = DEFAULT_WPM) -> str:
    """Page-callable helper: text in, sections out (JSON)."""
    paragraphs = paragraphs_from_text(text, markdown=True)
    return json.dumps([s.to_json() for s in make_sections(paragraphs, wpm)])
