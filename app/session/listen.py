"""The listening modes beside the reader: the ensemble, endless mode and MIDI (export and out).

`ListeningPlayer` sits on the session's player port: it plays validated programs and keeps the
MIDI output following what plays. `Listen` reacts to the Listen panel (ui/modes.js, the `modes`
port) and drives the reading session through its methods (set_ensemble, hand_over, export_info):
- `modes`: download_file(name, mime, b64), set_ensembles(json), set_endless(json), show_piece(json),
  midi_follow(code, start), midi_stopped()
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app.compose.drift import DEFAULT_SECONDS, Endless, State, Step
from app.files import file_stem
from app.messages import NOTICE, PROBLEM, MessageKind
from app.midi.export import Span, download_midi
from app.models import Piece
from app.music.ensemble import Ensemble, EnsembleError, load_ensembles, make_ensemble, validate_for, voice_for
from app.session.ports import ModesPort
from app.session.reading import ReadingSession
from app.strudel import subset
from app.strudel.program import ValidProgram


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@dataclass
class ListeningPlayer:
    """The player port with a MIDI device following what plays."""

    player: Any  # sound/index.js (app.session.ports.PlayerPort, taking code)
    modes: ModesPort
    now_playing: ValidProgram | None = None

    async def play(self, program: ValidProgram) -> Any:
        if not isinstance(program, ValidProgram):  # the gate: nothing else reaches Strudel
            raise TypeError("the player plays only what the validator passed")
        result = await self.player.play(program.code)
        if getattr(result, "cancelled", False):  # stopped while it waited its turn: nothing plays
            return result
        self.now_playing = program
        # Where the player placed it on its clock, so MIDI follows this piece, not a later one.
        start = getattr(result, "start", None)
        await _maybe_await(self.modes.midi_follow(program.code, start))
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
    session: ReadingSession
    player: ListeningPlayer
    modes: ModesPort
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
        return self.session.ensemble

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
            self.session.ui.set_status(f"That ensemble cannot play: {err}.", PROBLEM)
            return
        label = ensemble.label if ensemble else "any instruments"
        self.session.ui.set_status(f"Ensemble: {label}.", NOTICE)
        if self.endless:
            self.endless.ensemble = ensemble
            self.session.ensemble = ensemble  # the book's music follows when it plays again
            await self._play_next()
        else:
            await self.session.set_ensemble(ensemble)

    # ---- Endless mode ------------------------------------------------------------------------

    async def start_endless(self, phrase: str = "", seconds: float | None = None) -> None:
        """Play an endless stream from a mood phrase; returns when endless mode is stopped."""
        self.session.hand_over()  # the reader's music gives way; its place stays
        session = Endless(
            phrase=phrase[:200],
            ensemble=self.session.ensemble,
            seconds=float(seconds) if seconds and seconds > 0 else DEFAULT_SECONDS,
        )
        self.endless = session
        self.session.ui.set_status(f"Endless mode: {session.mood}.", NOTICE)
        while self.endless is session:
            step = await self._play_next()
            if step is None:
                return
            await self.sleep(step.seconds)

    def set_period(self, seconds: float) -> None:
        """A new piece every `seconds` from the next piece on."""
        if self.endless and seconds and seconds > 0:
            self.endless.seconds = float(seconds)

    async def _play_next(self) -> Step | None:
        session = self.endless
        if session is None:
            return None
        try:
            step = session.next()
            written = await self._written(session, step)
            piece = written or step.piece
            await self.player.play(piece.program)
            session.played(piece)  # for export and the next brief
        except Exception as err:  # a refused piece or a player error: say so, stop cleanly
            self.session.ui.set_status(f"Endless mode stopped: {err}", PROBLEM)
            await self.stop_endless()
            return None
        by = "model" if written else "drift"  # the language model's piece, or the drift's own
        shown = {"code": piece.code, "mood": session.mood, "by": by, **step.summary()}
        self.modes.show_piece(json.dumps(shown))
        self.modes.set_endless(json.dumps({"on": True, "mood": session.mood, **step.summary()}))
        return step

    async def _written(self, session: Endless, step: Step) -> Piece | None:
        """The model's version of the next piece, or None (no model, refused, or it failed)."""
        if self.writer is None:
            return None
        previous = session.pieces[-2].code if len(session.pieces) > 1 else ""
        try:
            text = await self.writer(session.brief(step), previous, steer_for(step.state))
        except Exception as err:  # the engine failed: the instant piece plays, the reader is told
            self.session.ui.set_status(
                f"The model could not write this piece ({err}); playing the drift.", PROBLEM
            )
            return None
        result = validate_for(str(text or ""), session.ensemble)  # the model kept to the ensemble
        if result.program is not None and session.ensemble is not None:
            result = validate_for(voice_for(result.code, session.ensemble), session.ensemble)
        if result.program is None:
            return None
        return Piece(result.program, "model", session.mood, "model")

    async def stop_endless(self) -> None:
        if self.endless is None:
            return
        self.endless = None
        await self.player.stop()
        self.modes.set_endless(json.dumps({"on": False}))
        self.session.ui.set_status("Endless mode stopped.", NOTICE)

    # ---- MIDI export -------------------------------------------------------------------------

    async def export_midi(self) -> bytes:
        """The endless span kept in memory, or else the reader's current section."""
        if self.endless and self.endless.pieces:
            steps = list(self.endless.pieces)
            spans = [Span(s.piece.program, s.seconds) for s in steps]  # voiced when they were made
            stem = file_stem(f"endless {self.endless.mood}", f"{steps[0].index + 1} {steps[-1].index + 1}")
            return await download_midi(self.player, self._midi_ui(), spans, f"{stem}.mid")
        book = self.session.book
        if not book or not book.sections:
            self.session.ui.set_status("Nothing to export yet: open a book or start endless mode.", NOTICE)
            return b""
        piece, stem, seconds = self.session.export_info(self.session.current)
        span = Span(piece.program, seconds)
        return await download_midi(self.player, self._midi_ui(), [span], f"{stem}.mid")

    def _midi_ui(self) -> Any:
        """download_midi needs set_status (the page's) and download_file (the panel's)."""
        return _Both(self.session.ui, self.modes)


@dataclass
class _Both:
    ui: Any
    modes: Any

    def set_status(self, text: str, kind: MessageKind) -> Any:
        return self.ui.set_status(text, kind)

    def download_file(self, name: str, mime: str, b64: str) -> Any:
        return self.modes.download_file(name, mime, b64)
