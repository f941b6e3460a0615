"""The page's brain: holds the open book, reacts to reader events, decides what plays.

It talks to the page only through two ports, so it runs unchanged in CPython tests:
- `ui`: render_book(json), set_current(index), show_code(json), set_status(text),
  set_progress(fraction | None, label | None), append_book(json) (paragraphs and sections that
  arrived since render_book), show_error(text), set_wpm(wpm)
- `player`: play(code) (awaitable), stop() (awaitable)
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from app.ingest.plain import paragraphs_from_text
from app.models import Book, Paragraph, Section
from app.music.instant import Composition, compose
from app.music.validate import validate
from app.pace import PaceTracker
from app.sample import sample_book
from app.segment import DEFAULT_WPM, make_sections, split_long_paragraphs


class UIPort(Protocol):
    def render_book(self, book_json: str) -> Any: ...
    def set_current(self, index: int) -> Any: ...
    def show_code(self, payload_json: str) -> Any: ...
    def set_status(self, text: str) -> Any: ...
    def set_progress(self, fraction: float | None, label: str | None) -> Any: ...
    def append_book(self, delta_json: str) -> Any: ...
    def show_error(self, text: str) -> Any: ...
    def set_wpm(self, wpm: int) -> Any: ...


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
    pace: PaceTracker = field(default_factory=PaceTracker)
    clock: Callable[[], float] = time.monotonic
    loading: Book | None = None  # a book arriving from the parse worker, not shown yet
    loading_total: int = 0
    loading_unit: str = "pages"
    loading_wpm: int = DEFAULT_WPM
    adapt_pace: bool = True  # resize sections to the measured pace once it is clear

    @property
    def pace_wpm(self) -> float:
        """The reader's measured pace (words per minute); the scheduler sizes look-ahead with it."""
        return self.pace.wpm
    prefetch: int = 2  # sections composed ahead of the reader

    def open_book(self, book: Book) -> None:
        self.book = book
        self.current = 0
        self.pace.pause()  # time spent before this book opened is not reading it
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(0)
        self.ui.set_status(f"{book.title}: {len(book.sections)} sections")

    def open_sample(self) -> None:
        self.open_book(sample_book(self.wpm))

    def open_text(self, title: str, text: str, markdown: bool = False) -> None:
        paragraphs = split_long_paragraphs(paragraphs_from_text(text, markdown=markdown), self.wpm)
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
        self.pace.observe(index, self.book.sections[index].words, self.clock())
        self._maybe_adapt_to_pace()
        if self.playing:
            await self._play_current()

    # ---- Books arriving from the parse worker (ui/ingest.js posts its events here) -----------

    def book_event(self, event_json: str) -> None:
        """One event of app.ingest.stream: meta, chunk, done or error."""
        event = json.loads(event_json)
        kind = event.get("type")
        if kind == "meta":
            self.loading = Book(event["title"], [], [], event["source"], list(event["warnings"]))
            self.loading_wpm = self.wpm  # the worker cuts sections at the speed set when it started
            self.loading_total = int(event["total"]) or 1
            self.loading_unit = str(event["unit"])
            note = " ".join(self.loading.warnings)
            self.ui.set_progress(0.0, f"Opening “{event['title']}”… {note}".strip())
        elif kind == "chunk" and self.loading is not None:
            self._receive_chunk(event)
        elif kind == "done" and self.loading is not None:
            book, self.loading = self.loading, None
            book.warnings = list(event["warnings"])
            if self.book is not book:  # nothing closed a section before the end (tiny book)
                self.open_book(book)
            if self.loading_wpm != self.wpm:  # the speed changed while the book was arriving
                self._resection(book)
            self.ui.set_progress(None, None)
            note = " ".join(book.warnings)
            self.ui.set_status(f"{book.title}: {len(book.sections)} sections. {note}".strip())
        elif kind == "error":
            self.ui.set_progress(None, None)
            shown = self.loading is not None and self.book is self.loading
            self.loading = None
            kept = " The part read so far stays open." if shown else ""
            self.ui.show_error(event["message"] + kept)

    def _receive_chunk(self, event: dict[str, Any]) -> None:
        book = self.loading
        assert book is not None
        paragraphs = [Paragraph(**p) for p in event["paragraphs"]]
        sections = [Section(**s) for s in event["sections"]]
        book.paragraphs += paragraphs
        book.sections += sections
        if self.book is not book:
            if book.sections:  # the first playable section: show the book now
                self.open_book(book)
        elif paragraphs or sections:
            self.ui.append_book(
                json.dumps(
                    {
                        "paragraphs": [asdict(p) for p in paragraphs],
                        "sections": [s.to_json() for s in sections],
                    }
                )
            )
        done, total = event["done"], event["total"] or 1
        note = " ".join(book.warnings)
        label = f"Reading “{book.title}”: {done} of {total} {self.loading_unit}… {note}"
        self.ui.set_progress(done / total, label.strip())

    # ---- Pace --------------------------------------------------------------------------

    def set_wpm(self, wpm: int) -> None:
        """Resize sections for a reading speed, keeping the reader on the same paragraph."""
        wpm = max(80, min(900, int(wpm)))
        if wpm == self.wpm:
            return
        self.wpm = wpm
        self.pace.wpm = float(wpm)
        self.ui.set_wpm(wpm)
        book = self.book
        if book is None or book is self.loading:
            return  # a book still arriving is re-cut when it is complete
        self._resection(book)

    def _resection(self, book: Book) -> None:
        wpm = self.wpm
        paragraph = book.sections[self.current].first if book.sections else 0
        book.sections = make_sections(book.paragraphs, wpm)
        self.current = next((s.index for s in book.sections if s.first <= paragraph <= s.last), 0)
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(self.current)
        self.ui.set_status(f"{book.title}: {len(book.sections)} sections at {wpm} words a minute")

    def _maybe_adapt_to_pace(self) -> None:
        # Only a clear, repeated difference resizes: section ids (and their music) change with it.
        if self.adapt_pace and self.pace.samples >= 3 and abs(self.pace.wpm - self.wpm) > 0.3 * self.wpm:
            self.set_wpm(int(round(self.pace.wpm / 10) * 10))

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
