"""The reading session: the open book, where the reader is, what plays for each section.

It reacts to the reader (open, play, pause, move, edit, pace) and to a book arriving from the parse
worker, and talks to the page only through its ports (app/session/ports.py). What the browser
keeps between visits is `memory.py`'s job; the score file is `score.py`'s; the listening modes
(app/session/listen.py) call the methods below, never write its fields.

Every piece is a `Piece` whose program already passed the validator. What plays is that piece
rendered for the listener (`playable`): re-voiced onto the chosen ensemble and capped to the
chosen intensity, once, before it is shown, played or exported; so the code box, the score, the
MIDI and the WAV of a section all hold the same code.
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from app.compose.instant import compose
from app.files import section_seconds, section_stem
from app.ingest.assemble import BookAssembler
from app.messages import NOTICE, PROBLEM
from app.models import Book, Piece, Section
from app.music.ensemble import Ensemble, validate_for, voice_for
from app.pace import SETTABLE_WPM, PaceTracker
from app.sample import sample_book
from app.segment import DEFAULT_WPM, book_from_text, make_sections
from app.session.memory import Memory, restore
from app.session.ports import PlayerPort, StorePort, UIPort
from app.strudel import subset
from app.strudel.program import ValidProgram
from app.strudel.validate import validate
from app.wording import count

if TYPE_CHECKING:
    from app.llm.service import ComposerService


@dataclass
class ReadingSession:
    ui: UIPort
    player: PlayerPort
    store: StorePort | None = None
    composer: ComposerService | None = None  # the language model writing ahead (optional)
    wpm: int = DEFAULT_WPM
    prefetch: int = 2  # sections composed ahead of the reader
    adapt_pace: bool = True  # resize sections to the measured pace once it is clear
    clock: Callable[[], float] = time.monotonic
    book: Book | None = None
    current: int = 0
    playing: bool = False
    composed: dict[str, Piece] = field(default_factory=dict)  # what plays, edits included
    originals: dict[str, Piece] = field(default_factory=dict)  # pieces an edit replaced
    pace: PaceTracker = field(default_factory=PaceTracker)
    ensemble: Ensemble | None = None  # the listener's instruments (None: any)
    intensity: str = subset.DEFAULT_INTENSITY  # the listener's cap, a key of subset.INTENSITY
    memory: Memory = field(init=False)
    arriving: BookAssembler | None = None  # a book streaming in (app/session/opening.py)
    arriving_wpm: int = DEFAULT_WPM  # the speed its sections are being cut at
    _rendered: dict[str, tuple[tuple[Any, ...], Piece]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.memory = Memory(self.store)

    # ---- Opening ----------------------------------------------------------------------------

    def open_book(self, book: Book) -> None:
        self.book = book
        self.current = 0
        self.pace.pause()  # time spent before this book opened is not reading it
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(0)
        self.ui.set_status(f"{book.title}: {count(len(book.sections), 'section')}", NOTICE)
        if self.composer:
            self.composer.set_book(book.sections)
        if not self._still_arriving(book):  # a book still arriving is remembered once complete
            self.memory.remember(book)

    def open_sample(self) -> None:
        self.open_book(sample_book(self.wpm))

    def open_text(self, title: str, text: str, markdown: bool = False) -> None:
        book = book_from_text(title, text, markdown=markdown, wpm=self.wpm)
        if not book.sections:
            self.ui.set_status(f"“{title}” has no readable text.", PROBLEM)
            return
        self.open_book(book)

    def _still_arriving(self, book: Book) -> bool:
        return self.arriving is not None and self.arriving.book is book and not self.arriving.complete

    # ---- What plays -------------------------------------------------------------------------

    def piece_for(self, index: int) -> Piece:
        """The section's piece: the reader's edit, else the model's, else the instant composer's."""
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
        if kept is None:
            # Within a chapter the piece before sets key and tempo (seamless crossfades);
            # a new chapter is free to modulate.
            before = self.book.sections[index - 1] if index > 0 else None
            previous = self.composed.get(before.id) if before and before.chapter == section.chapter else None
            kept = compose(section.id, section.text, previous.code if previous else None,
                           previous.mood if previous else None)
            self._keep_piece(section.id, kept)
        return kept

    def playable(self, index: int) -> Piece:
        """The section's piece as the listener hears it: on their ensemble, under their intensity
        cap. Made once per piece and setting; a piece that cannot be voiced falls back to the
        instant composer's (the reader is never left in silence)."""
        assert self.book is not None
        section = self.book.sections[index]
        piece = self.piece_for(index)
        settings = (piece, self.ensemble, self.intensity)  # by value: an id can be reused
        cached = self._rendered.get(section.id)
        if cached and cached[0] == settings:
            return cached[1]
        rendered = self._render(piece)
        if rendered is None:
            self._refused(section, ["it cannot be played on the chosen instruments"])
            piece = self.piece_for(index)
            rendered = self._render(piece) or piece
            settings = (piece, self.ensemble, self.intensity)
        self._rendered[section.id] = (settings, rendered)
        return rendered

    def _render(self, piece: Piece) -> Piece | None:
        """The piece on the listener's ensemble and under their cap (None: it cannot be voiced)."""
        cap = subset.INTENSITY.get(self.intensity, subset.INTENSITY[subset.DEFAULT_INTENSITY])
        capped = not cap.drums or cap.ceiling < subset.GAIN_CEILING
        if self.ensemble is None and not capped:
            return piece  # nothing to change: no second pass through the validator
        program: ValidProgram | None = piece.program
        if self.ensemble is not None:
            try:
                program = validate_for(voice_for(piece.code, self.ensemble), self.ensemble).program
            except ValueError:
                program = None
        if program is not None and capped:
            allowed = self.ensemble.sounds if self.ensemble else None
            # A piece of drums alone keeps them: the cap must not leave the reader in silence.
            program = validate(program.code, allowed_sounds=allowed, drums=cap.drums,
                               max_gain=cap.ceiling).program or program
        if program is None:
            return None
        return Piece(program, piece.style, piece.mood, piece.source, piece.why)

    def _keep_piece(self, section_id: str, piece: Piece) -> None:
        """A newly composed piece: it plays for its section, and the browser remembers it."""
        self.composed[section_id] = piece
        if self.book and not self._still_arriving(self.book):
            self.memory.keep_piece(section_id, piece)

    def _refused(self, section: Section, errors: list[str]) -> None:
        """A piece that cannot play: the model's is never offered again, an edit is dropped, and
        the instant composer's piece takes its place."""
        if self.composer:
            self.composer.discard(section.id, errors)
        kept = self.composed.get(section.id)
        if kept is not None and kept.source == "edited":
            self.memory.keep_edit(section.id, None)
        self.originals.pop(section.id, None)
        self._keep_piece(section.id, compose(section.id, section.text))

    def export_info(self, index: int) -> tuple[Piece, str, float]:
        """What an export of section `index` holds: the piece as it plays, its file stem and its
        length at the reader's pace (score, MIDI and WAV alike)."""
        assert self.book is not None
        section = self.book.sections[index]
        stem = section_stem(self.book.title, section)
        return self.playable(index), stem, section_seconds(section, self.wpm)

    # ---- Playing ----------------------------------------------------------------------------

    async def play(self) -> None:
        if not self.book or not self.book.sections:
            return
        self.playing = True
        self.ui.set_playing(True)
        if self.composer:
            self.composer.wake()
        await self.show_and_play(play=True)

    async def pause(self) -> None:
        self.playing = False
        self.ui.set_playing(False)
        await self.player.stop()

    def hand_over(self) -> None:
        """Another mode (endless) takes the player: the reader's music stops following the book;
        its place is kept. The new mode's first piece replaces what plays, so nothing is stopped."""
        if self.playing:
            self.playing = False
            self.ui.set_playing(False)

    async def reader_at(self, index: int) -> None:
        """The reader moved to section `index` (scroll, click or keys)."""
        if not self.book or not 0 <= index < len(self.book.sections) or index == self.current:
            return
        self.current = index
        self.ui.set_current(index)
        if not self._still_arriving(self.book):  # a book still arriving has no key yet
            self.memory.keep_position(self.book.sections[index].first)
        self.pace.observe(index, self.book.sections[index].words, self.clock())
        self._maybe_adapt_to_pace()
        if self.composer:
            self.composer.reader_at(self.current)
        if self.playing:
            await self.show_and_play(play=True)

    async def set_ensemble(self, ensemble: Ensemble | None) -> None:
        """New instruments: what plays is re-voiced now, and the model writes for them."""
        self.ensemble = ensemble
        if self.composer:  # the model's grammar narrows to these sounds too
            self.composer.set_ensemble(ensemble)
        if self.book and self.book.sections:
            await self.show_and_play(play=self.playing)

    async def set_intensity(self, name: str) -> None:
        """The listener's cap (a key of subset.INTENSITY): applies to what plays from now on."""
        if name not in subset.INTENSITY or name == self.intensity:
            return
        self.intensity = name
        self.ui.set_status(f"Intensity: {subset.INTENSITY[name].label}.", NOTICE)
        if self.book and self.book.sections:
            await self.show_and_play(play=self.playing)

    async def show_and_play(self, play: bool) -> None:
        """Show the current section's code; with `play`, play it and compose ahead."""
        assert self.book is not None
        section = self.book.sections[self.current]
        piece, stem, seconds = self.export_info(self.current)
        self.ui.show_code(
            json.dumps(
                {
                    "section": section.index,
                    "id": section.id,
                    "style": piece.style,
                    "mood": piece.mood,
                    "why": piece.why,
                    "source": piece.source,
                    "edited": piece.source == "edited",
                    "code": piece.code,
                    "file": stem,
                    "seconds": round(seconds, 1),
                }
            )
        )
        if not play:
            return
        try:
            await self.player.play(piece.program)
        except Exception as err:  # the page's own check refused it: fall back, never stay silent
            if piece.source == "instant":
                raise
            self.ui.set_status(f"The page refused this music ({err}); playing the instant piece.", PROBLEM)
            self._refused(section, [str(err)])
            await self.player.play(self.playable(self.current).program)
        last = min(self.current + self.prefetch, len(self.book.sections) - 1)
        for ahead in range(self.current + 1, last + 1):
            self.piece_for(ahead)

    def set_prefetch(self, depth: int) -> None:
        self.prefetch = max(0, min(8, int(depth)))
        if self.composer:  # the model writes as far ahead as the reader asked
            self.composer.set_depth(self.prefetch)

    # ---- The reader's own code --------------------------------------------------------------

    async def edit_code(self, index: int, code: str) -> bool:
        """The reader edited the code of section `index`: validate it, keep it, play it."""
        if not self.book or not 0 <= index < len(self.book.sections):
            return False
        result = validate(code)
        if result.program is None:
            why = "; ".join(result.errors)
            self.ui.set_status(f"This code cannot play: {why}", PROBLEM)
            # The code view marks the place (when the error has one) with the reason beside it.
            error = {"section": index, "code": code, "where": result.where, "message": why}
            self.ui.mark_code_error(json.dumps(error))
            return False
        self.ui.mark_code_error("{}")
        self.apply_edit(index, result.program)
        self.memory.keep_edit(self.book.sections[index].id, result.program.code)
        note = f" ({'; '.join(result.notes)})" if result.notes else ""
        self.ui.set_status(f"Your edit plays for section {index + 1}{note}", NOTICE)
        if index == self.current:
            await self.show_and_play(play=self.playing)
        return True

    def apply_edit(self, index: int, code: str | ValidProgram) -> bool:
        """The reader's code plays for section `index`; the composed piece is kept for a revert.
        Code from outside (kept, imported) is validated here; False (and nothing changes) when
        the validator refuses it."""
        assert self.book is not None
        program = code if isinstance(code, ValidProgram) else validate(code).program
        if program is None:
            return False
        section = self.book.sections[index]
        before = self.piece_for(index)
        if before.source != "edited":
            self.originals[section.id] = before
        self.composed[section.id] = Piece(program, before.style, before.mood, "edited", before.why)
        return True

    async def revert_edit(self, index: int) -> None:
        """Back to the composed piece for section `index`."""
        if not self.book or not 0 <= index < len(self.book.sections):
            return
        section_id = self.book.sections[index].id
        kept = self.composed.get(section_id)
        if kept is None or kept.source != "edited":
            return
        self.memory.keep_edit(section_id, None)
        original = self.originals.pop(section_id, None)
        if original:
            self.composed[section_id] = original
        else:
            self.composed.pop(section_id, None)
        self.ui.set_status(f"Section {index + 1} plays its composed piece again.", NOTICE)
        if index == self.current:
            await self.show_and_play(play=self.playing)

    def edited_ids(self) -> list[str]:
        return [sid for sid, piece in self.composed.items() if piece.source == "edited"]

    def forget_music(self, section_ids: list[str] | None = None) -> None:
        """Drop what was composed and edited (for these sections, or all)."""
        for store in (self.composed, self.originals, self._rendered):
            for sid in list(store) if section_ids is None else section_ids:
                store.pop(sid, None)

    async def stop_and_open_sample(self) -> None:
        if self.playing:
            await self.pause()
        self.open_sample()

    # ---- A book arriving (app/session/opening.py hands its events here) ------------------------

    async def receive_book_event(self, event_json: str) -> None:
        """One event of app.ingest.stream: meta, chunk, done or error."""
        event = json.loads(event_json)
        if event.get("type") == "meta":
            self.arriving = BookAssembler()
            self.arriving_wpm = self.wpm  # the worker cuts sections at the speed set when it started
        assembler = self.arriving or BookAssembler()  # an error may come before any meta
        shown = assembler.book is not None and self.book is assembler.book
        arrival = assembler.feed(event)
        book = assembler.book
        if arrival.kind == "meta":
            self.ui.set_progress(0.0, arrival.label)
        elif arrival.kind == "chunk" and book is not None:
            if self.book is not book:
                if book.sections:  # the first playable section: show the book now
                    self.open_book(book)
            elif arrival.paragraphs or arrival.sections:
                if self.composer:
                    self.composer.kick()  # the sections just arrived may be in its window
                delta = {
                    "paragraphs": [asdict(p) for p in arrival.paragraphs],
                    "sections": [s.to_json() for s in arrival.sections],
                }
                self.ui.append_book(json.dumps(delta))
            self.ui.set_progress(arrival.fraction, arrival.label)
        elif arrival.kind == "done" and book is not None:
            self.arriving = None
            if self.book is not book:  # nothing closed a section before the end (tiny book)
                self.open_book(book)
            if self.arriving_wpm != self.wpm:  # the speed changed while the book was arriving
                self._resection(book)
            # Durable before the reader is told it is open: a reload now brings this book back.
            await _settled(self._remember_arrived(book))
            self.ui.set_progress(None, None)
            self.ui.set_status(arrival.label, NOTICE)
            await restore(self)  # what was kept for this book (its place, music and edits) returns
        elif arrival.kind == "error":
            self.arriving = None
            self.ui.set_progress(None, None)
            kept = " The part read so far stays open." if shown else ""
            self.ui.show_error(arrival.label + kept)

    def _remember_arrived(self, book: Book) -> Any:
        """A streamed book is complete: keep it, with the music and place it got meanwhile.
        Returns the store's answer for the book itself."""
        kept = self.memory.remember(book)
        for section in book.sections:
            piece = self.composed.get(section.id)
            if piece and piece.source != "edited":
                self.memory.keep_piece(section.id, piece)
        if self.current and book.sections:
            self.memory.keep_position(book.sections[self.current].first)
        return kept

    # ---- Pace -------------------------------------------------------------------------------

    def set_wpm(self, wpm: int) -> None:
        """Resize sections for a reading speed, keeping the reader on the same paragraph."""
        low, high = SETTABLE_WPM
        wpm = max(low, min(high, int(wpm)))
        if wpm == self.wpm:
            return
        self.wpm = wpm
        self.pace.wpm = float(wpm)
        self.ui.set_wpm(wpm)
        book = self.book
        if book is None or self._still_arriving(book):
            return  # a book still arriving is re-cut when it is complete
        self._resection(book)

    def _resection(self, book: Book) -> None:
        paragraph = book.sections[self.current].first if book.sections else 0
        book.sections = make_sections(book.paragraphs, self.wpm)
        self.current = next((s.index for s in book.sections if s.first <= paragraph <= s.last), 0)
        self.ui.render_book(json.dumps(book.to_json()))
        self.ui.set_current(self.current)
        sections = count(len(book.sections), "section")
        self.ui.set_status(f"{book.title}: {sections} at {self.wpm} words a minute", NOTICE)
        if self.composer:  # new sections, new ids: the model writes for these from here on
            self.composer.set_book(book.sections)
            self.composer.reader_at(self.current)
        if not self._still_arriving(book):
            self.memory.remember(book)  # the kept copy matches what the reader sees

    def _maybe_adapt_to_pace(self) -> None:
        # Only a clear, repeated difference resizes: section ids (and their music) change with it.
        if self.adapt_pace and self.pace.samples >= 3 and abs(self.pace.wpm - self.wpm) > 0.3 * self.wpm:
            self.set_wpm(int(round(self.pace.wpm / 10) * 10))


async def _settled(value: Any) -> None:
    """Wait for a store write when the store answers with a promise (the page's does); a refused
    write is the store's to report, so it is not raised here."""
    if inspect.isawaitable(value):
        try:
            await value
        except Exception as err:  # storage full or refused: the book stays open, unkept
            print("the browser did not keep the book:", err)


def segment_text(text: str, wpm: int = DEFAULT_WPM) -> str:
    """Page-callable helper: text in, sections out (JSON), by the same path as any book."""
    return json.dumps([s.to_json() for s in book_from_text("", text, markdown=True, wpm=wpm).sections])
