"""The listening modes beside the reader: the ensemble, endless mode and MIDI (export and out).

`ListeningPlayer` sits on the reader controller's player port: every piece that plays, from any
composer, is re-voiced onto the chosen ensemble and followed by the MIDI output. `Listen` reacts to
the Listen panel (ui/modes.js, the `modes` port):
- `modes`: download_file(name, mime, b64), set_ensembles(json), set_endless(json), show_piece(json),
  midi_follow(code), midi_stopped()
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app.compose.drift import DEFAULT_SECONDS, Endless, State
from app.midi.export import Span, download_midi, file_name
from app.music.ensemble import (
    Ensemble,
    EnsembleError,
    load_ensembles,
    make_ensemble,
    validate_for,
    voice_for,
)
from app.session.reading import Controller
from app.strudel import subset


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@dataclass
class ListeningPlayer:
    """The player port with the ensemble applied and a MIDI device following what plays."""

    player: Any
    modes: Any
    ensemble: Ensemble | None = None
    now_playing: str = ""

    async def play(self, code: str) -> Any:
        voiced = voice_for(code, self.ensemble) if self.ensemble else code
        result = await self.player.play(voiced)
        if getattr(result, "cancelled", False):  # stopped while it waited its turn: nothing plays
            return result
        self.now_playing = voiced
        if voiced != code:
            self.modes.show_voiced(voiced)
        # Where the player placed it on its clock, so MIDI follows this piece, not a later one.
        start = getattr(result, "start", None)
        await _maybe_await(self.modes.midi_follow(voiced, start))
        return result

    async def stop(self) -> Any:
        result = await self.player.stop()
        await _maybe_await(self.modes.midi_stopped())
        return result

    def __getattr__(self, name: str) -> Any:
        # Everything else (events, and what later engines add) goes straight to the real player.
        return getattr(self.player, name)


def steer_for(state: State) -> dict:
    """The drift's tempo (give or take two) and mode, as grammar options for the model."""
    low, high = (int(v) for v in subset.CPM_RANGE)
    return {"tempos": (max(low, state.cpm - 2), min(high, state.cpm + 2)), "modes": (state.mode,)}


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


# A language-model writer for endless mode: (brief, previous code, steer) -> code or None. The
# steer holds the drift's tempo and mode as grammar options ({"tempos": (lo, hi), "modes": (m,)}):
# the model writes the notes, the drift keeps where the music is going.
Writer = Callable[[str, str, dict], Awaitable[str | None]]


@dataclass
class Listen:
    controller: Controller
    player: ListeningPlayer
    modes: Any
    sleep: Callable[[float], Awaitable[Any]] = _sleep
    # When set (a loaded model), endless mode asks it for each next piece, under the ensemble's
    # grammar, and keeps the drifted instant piece whenever its answer is refused.
    writer: Writer | None = None
    ensembles: dict[str, Ensemble] = field(default_factory=dict)
    endless: Endless | None = None

    def start(self) -> None:
        self.ensembles, skipped = load_ensembles()
        presets = [e.to_json() for e in self.ensembles.values()]
        self.modes.set_ensembles(json.dumps({"presets": presets, "palette": list(subset.all_sounds())}))
        self.modes.set_endless(json.dumps({"on": False}))
        if skipped:  # presets waiting for instruments that do not ship yet; not an error
            print("ensembles left out:", "; ".join(skipped))

    @property
    def ensemble(self) -> Ensemble | None:
        return self.player.ensemble

    async def choose_ensemble(self, choice: str) -> None:
        """A preset name, "" for any instruments, or a comma-separated custom pick of sounds."""
        choice = choice.strip()
        try:
            if not choice:
                ensemble = None
            elif choice in self.ensembles:
                ensemble = self.ensembles[choice]
            else:
                ensemble = make_ensemble(choice.split(","))
        except EnsembleError as err:
            self.controller.ui.set_status(f"That ensemble cannot play: {err}.")
            return
        self.player.ensemble = ensemble
        if self.endless:
            self.endless.ensemble = ensemble
        composer = getattr(self.controller, "composer", None)
        if composer is not None:  # the model's grammar narrows to these sounds too
            composer.set_ensemble(ensemble)
        label = ensemble.label if ensemble else "any instruments"
        self.controller.ui.set_status(f"Ensemble: {label}.")
        if self.endless:
            await self._play_next()
        elif self.controller.playing and self.controller.book:
            await self.player.play(self.controller.composition_for(self.controller.current).code)

    # ---- Endless mode ------------------------------------------------------------------------

    async def start_endless(self, phrase: str = "", seconds: float | None = None) -> None:
        """Play an endless stream from a mood phrase; returns when endless mode is stopped."""
        if self.controller.playing:
            self.controller.playing = False  # the reader's music gives way; its position stays
        session = Endless(
            phrase=phrase[:200],
            ensemble=self.player.ensemble,
            seconds=float(seconds) if seconds and seconds > 0 else DEFAULT_SECONDS,
        )
        self.endless = session
        self.controller.ui.set_status(f"Endless mode: {session.mood}.")
        while self.endless is session:
            piece = await self._play_next()
            if piece is None:
                return
            await self.sleep(piece.seconds)

    def set_period(self, seconds: float) -> None:
        """A new piece every `seconds` from the next piece on."""
        if self.endless and seconds and seconds > 0:
            self.endless.seconds = float(seconds)

    async def _play_next(self):
        session = self.endless
        if session is None:
            return None
        try:
            piece = session.next()
            written = await self._written(session, piece)
            code = written or piece.code
            await self.player.play(code)
            session.played(self.player.now_playing or code)  # for export and the next brief
        except Exception as err:  # a refused piece or a player error: say so, stop cleanly
            self.controller.ui.set_status(f"Endless mode stopped: {err}")
            await self.stop_endless()
            return None
        code = self.player.now_playing or piece.code
        by = "model" if written else "drift"  # the language model's piece, or the drift's own
        self.modes.show_piece(json.dumps({"code": code, "mood": session.mood, "by": by, **piece.summary()}))
        self.modes.set_endless(json.dumps({"on": True, "mood": session.mood, **piece.summary()}))
        return piece

    async def _written(self, session: Endless, piece) -> str | None:
        """The model's version of the next piece, or None (no model, refused, or it failed)."""
        if self.writer is None:
            return None
        previous = session.pieces[-2].code if len(session.pieces) > 1 else ""
        try:
            text = await self.writer(session.brief(piece), previous, steer_for(piece.state))
        except Exception as err:  # the engine failed: the instant piece plays, the reader is told
            self.controller.ui.set_status(f"The model could not write this piece ({err}); playing the drift.")
            return None
        result = validate_for(str(text or ""), session.ensemble)
        return result.code if result.ok else None

    async def stop_endless(self) -> None:
        if self.endless is None:
            return
        self.endless = None
        await self.player.stop()
        self.modes.set_endless(json.dumps({"on": False}))
        self.controller.ui.set_status("Endless mode stopped.")

    # ---- MIDI export -------------------------------------------------------------------------

    async def export_midi(self) -> bytes:
        """The endless span kept in memory, or else the reader's current section."""
        ui = self.controller.ui
        if self.endless and self.endless.pieces:
            pieces = list(self.endless.pieces)
            spans = [Span(p.code, p.seconds) for p in pieces]  # voiced when they were made
            name = file_name(f"endless {self.endless.mood}", f"-{pieces[0].index + 1}-{pieces[-1].index + 1}")
            return await download_midi(self.player, self.modes_ui(), spans, name)
        book = self.controller.book
        if not book or not book.sections:
            ui.set_status("Nothing to export yet: open a book or start endless mode.")
            return b""
        section = book.sections[self.controller.current]
        piece = self.controller.composition_for(self.controller.current)
        seconds = section.words / self.controller.wpm * 60
        name = file_name(book.title, f"-section-{section.index + 1}")
        span = Span(self._voiced(piece.code), seconds)
        return await download_midi(self.player, self.modes_ui(), [span], name)

    def _voiced(self, code: str) -> str:
        return voice_for(code, self.player.ensemble) if self.player.ensemble else code

    def modes_ui(self) -> Any:
        """download_midi needs set_status (the page's) and download_file (the panel's)."""
        return _Both(self.controller.ui, self.modes)


@dataclass
class _Both:
    ui: Any
    modes: Any

    def set_status(self, text: str) -> Any:
        return self.ui.set_status(text)

    def download_file(self, name: str, mime: str, b64: str) -> Any:
        return self.modes.download_file(name, mime, b64)
