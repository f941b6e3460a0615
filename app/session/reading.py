"""The page's brain: holds the open book, reacts to reader events, decides what plays.

It talks to the page only through two ports, so it runs unchanged in CPython tests:
- `ui`: render_book(json), set_current(index), show_code(json), set_status(text),
  set_progress(fraction | None, label | None), append_book(json) (paragraphs and sections that
  arrived since render_book), show_error(text), set_wpm(wpm)
- `player`: play(code) (awaitable), stop() (awaitable)
- `store` (optional): the browser's memory of books, see StorePort
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app.compose.instant import Composition, compose
from app.ingest.plain import paragraphs_from_text
from app.models import Book, Paragraph, Section
from app.pace import PaceTracker
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
from app.segment import DEFAULT_WPM, make_sections, split_long_paragraphs
from app.strudel.validate import validate

if TYPE_CHECKING:
    from app.llm.service import ComposerService


class UIPort(Protocol):
    def render_book(self, book_json: str) -> Any: ...
    def set_current(self, index: int) -> Any: ...
    def show_code(self, payload_json: str) -> Any: ...
    def set_status(self, text: str) -> Any: ...
    def scroll_to(self, index: int) -> Any: ...  # bring a section into view (restored position)
    def download(self, filename: str, mime: str, text: str) -> Any: ...
    def set_progress(self, fraction: float | None, label: str | None) -> Any: ...
    def append_book(self, delta_json: str) -> Any: ...
    def show_error(self, text: str) -> Any: ...
    def set_wpm(self, wpm: int) -> Any: ...


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
    composed: dict[str, Composition] = field(default_factory=dict)  # what plays, edits included
    edits: dict[str, str] = field(default_factory=dict)  # section id -> the reader's own code
    originals: dict[str, Composition] = field(default_factory=dict)  # pieces an edit replaced
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
    composer: ComposerService | None = None  # the language model writing ahead (optional)
    arrived: bool = False  # a streamed book just completed: restore what was kept for it

    def open_book(self, book: Book) -> None:
        self.book = book
        self.key = book_key(book)
        self.current = 0
        self.pace.pause()  # time spent before this book opened is not reading it
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(0)
        self.ui.set_status(f"{book.title}: {len(book.sections)} sections")
        if self.composer:
            self.composer.set_book(book.sections)
        if book is not self.loading:  # a book still arriving is remembered once complete
            self._remember(book)

    def _remember(self, book: Book) -> None:
        """Keep the whole book (its text stays in this browser) under its content hash."""
        self.key = book_key(book)
        if self.store:
            self.store.remember_book(self.key, json.dumps(book.to_json()))

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
        kept = self.composed.get(section.id)
        if kept and kept.source == "edited":
            return kept  # the reader's own edit wins, even over the model's piece
        model_piece = self.composer.piece_for(section.id) if self.composer else None
        if model_piece:
            if kept is not model_piece:  # the model's piece is remembered like any other
                self._keep_piece(section.id, model_piece)
            return model_piece
        if section.id not in self.composed:
            # Within a chapter the piece before sets key and tempo (seamless crossfades);
            # a new chapter is free to modulate.
            before = self.book.sections[index - 1] if index > 0 else None
            previous = self.composed.get(before.id) if before and before.chapter == section.chapter else None
            after = previous.code if previous else None
            self._keep_piece(section.id, compose(section.id, section.text, after))
        return self.composed[section.id]

    def _keep_piece(self, section_id: str, piece: Composition) -> None:
        """A newly composed piece: it plays for its section, and the browser remembers it."""
        self.composed[section_id] = piece
        if self.store and self.book is not self.loading:
            self.store.save_piece(self.key, section_id, json.dumps(piece_to_json(piece)))

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
        by_id = {s.id: s for s in self.book.sections}
        for section_id, code in saved.edits.items():
            if section_id in by_id:
                self._apply_edit(by_id[section_id].index, code)
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

    def _apply_edit(self, index: int, code: str) -> None:
        """The reader's (validated) code plays for section `index`; the composed piece is kept."""
        assert self.book is not None
        section = self.book.sections[index]
        before = self.composition_for(index)
        if before.source != "edited":
            self.originals[section.id] = before
        self.composed[section.id] = Composition(code, before.style, before.mood, "edited")
        self.edits[section.id] = code

    async def revert_edit(self, index: int) -> None:
        """Back to the composed piece for section `index`."""
        if not self.book or not 0 <= index < len(self.book.sections):
            return
        section_id = self.book.sections[index].id
        if self.edits.pop(section_id, None) is None:
            return
        if self.store:
            self.store.save_edit(self.key, section_id, None)
        original = self.originals.pop(section_id, None)
        if original:
            self.composed[section_id] = original
        else:
            self.composed.pop(section_id, None)
        self.ui.set_status(f"Section {index + 1} plays its composed piece again.")
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
                self.originals.pop(section.id, None)
        title = self.book.title if self.book else "the book"
        await self._stop_and_open_sample()
        self.ui.set_status(f"Forgot “{title}”: its text, place, music and edits are gone.")

    async def clear_everything(self) -> None:
        if self.store:
            self.store.clear_all()
        self.composed.clear()
        self.edits.clear()
        self.originals.clear()
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
        refused = 0
        for entry in matched:
            # Imported code is the reader's own choice for that section, kept like an edit; like an
            # edit it must pass the validator first.
            checked = validate(entry.code)
            if not checked.ok:
                refused += 1
                continue
            self._apply_edit(by_id[entry.section_id].index, checked.code)
            if self.store:
                self.store.save_edit(self.key, entry.section_id, checked.code)
        note = f" {refused} could not play and were left out." if refused else ""
        total = len(self.book.sections)
        self.ui.set_status(f"Imported the score: {len(matched) - refused} of {total} sections.{note}")
        await self._show_and_play(play=self.playing)

    async def play(self) -> None:
        if not self.book or not self.book.sections:
            return
        self.playing = True
        if self.composer:
            self.composer.wake()
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
        if self.store and self.book is not self.loading:  # a book still arriving has no key yet
            self.store.save_position(self.key, self.book.sections[index].first)
        self.pace.observe(index, self.book.sections[index].words, self.clock())
        self._maybe_adapt_to_pace()
        if self.composer:
            self.composer.reader_at(self.current)
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
            self._remember_arrived(book)
            self.ui.set_progress(None, None)
            note = " ".join(book.warnings)
            self.ui.set_status(f"{book.title}: {len(book.sections)} sections. {note}".strip())
        elif kind == "error":
            self.ui.set_progress(None, None)
            shown = self.loading is not None and self.book is self.loading
            self.loading = None
            kept = " The part read so far stays open." if shown else ""
            self.ui.show_error(event["message"] + kept)

    def _remember_arrived(self, book: Book) -> None:
        """A streamed book is complete: keep it, with the music and place it got meanwhile."""
        self._remember(book)
        self.arrived = True  # receive_book_event then brings back what was kept for it
        if not self.store:
            return
        for section in book.sections:
            piece = self.composed.get(section.id)
            if piece and piece.source != "edited":
                self.store.save_piece(self.key, section.id, json.dumps(piece_to_json(piece)))
        if self.current and book.sections:
            self.store.save_position(self.key, book.sections[self.current].first)

    async def receive_book_event(self, event_json: str) -> None:
        """book_event; once a book has fully arrived, its kept place, music and edits return."""
        self.book_event(event_json)
        if self.arrived:
            self.arrived = False
            await self.restore_saved()

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
            if self.composer:
                self.composer.kick()  # the sections just arrived may be in its window
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
        if self.composer:  # new sections, new ids: the model writes for these from here on
            self.composer.set_book(book.sections)
            self.composer.reader_at(self.current)
        if book is not self.loading:
            self._remember(book)  # the kept copy matches what the reader sees

    def _maybe_adapt_to_pace(self) -> None:
        # Only a clear, repeated difference resizes: section ids (and their music) change with it.
        if self.adapt_pace and self.pace.samples >= 3 and abs(self.pace.wpm - self.wpm) > 0.3 * self.wpm:
            self.set_wpm(int(round(self.pace.wpm / 10) * 10))

    def set_prefetch(self, depth: int) -> None:
        self.prefetch = max(0, min(8, int(depth)))
        if self.composer:  # the model writes as far ahead as the reader asked
            self.composer.set_depth(self.prefetch)

    async def edit_code(self, index: int, code: str) -> bool:
        """The reader edited the code of section `index`: validate it, keep it, play it."""
        if not self.book or not 0 <= index < len(self.book.sections):
            return False
        result = validate(code)
        if not result.ok:
            self.ui.set_status("This code cannot play: " + "; ".join(result.errors))
            return False
        self._apply_edit(index, result.code)
        if self.store:
            self.store.save_edit(self.key, self.book.sections[index].id, result.code)
        note = f" ({'; '.join(result.notes)})" if result.notes else ""
        self.ui.set_status(f"Your edit plays for section {index + 1}{note}")
        if index == self.current:
            await self._show_and_play(play=self.playing)
        return True

    async def _play_current(self) -> None:
        await self._show_and_play(play=True)

    async def _show_and_play(self, play: bool) -> None:
        """Show the current section's code; with `play`, play it (validated) and compose ahead."""
        assert self.book is not None
        section = self.book.sections[self.current]
        piece = self.composition_for(self.current)
        checked = validate(piece.code)  # nothing reaches the player without passing the validator
        if not checked.ok:  # e.g. a model's code: the instant composer never leaves the reader silent
            if self.composer:
                self.composer.discard(section.id, checked.errors)
            self.edits.pop(section.id, None)  # a kept edit the validator now refuses is dropped
            self.originals.pop(section.id, None)
            self._keep_piece(section.id, compose(section.id, section.text))
            piece = self.composed[section.id]
            checked = validate(piece.code)
        self.ui.show_code(
            json.dumps(
                {
                    "section": section.index,
                    "id": section.id,
                    "style": piece.style,
                    "mood": piece.mood.label,
                    "source": piece.source,
                    "edited": section.id in self.edits,
                    "code": piece.code,
                }
            )
        )
        if not play:
            return
        try:
            await self.player.play(checked.code)
        except Exception as err:  # the page's own check refused it: fall back, never stay silent
            if piece.source == "instant":
                raise
            self.ui.set_status(f"The page refused this music ({err}); playing the instant piece.")
            if self.composer:
                self.composer.discard(section.id, [str(err)])
            self._keep_piece(section.id, compose(section.id, section.text))
            piece = self.composed[section.id]
            await self.player.play(piece.code)
        last = min(self.current + self.prefetch, len(self.book.sections) - 1)
        for ahead in range(self.current + 1, last + 1):
            self.composition_for(ahead)


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
