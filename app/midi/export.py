"""Export what plays as a Standard MIDI File.

The page gives the events (`player.events(code, begin, end, seconds)` queries the pattern without
playing it); Python turns them into the file and hands the bytes back to the page to download.
"""

from __future__ import annotations

import base64
import inspect
import json
from dataclasses import dataclass
from typing import Any

from app.messages import NOTICE, PROBLEM
from app.midi.render import midi_file_from_json
from app.strudel.program import ValidProgram

MIDI_MIME = "audio/midi"


@dataclass(frozen=True)
class Span:
    """A validated piece and how long it played (or would play) in seconds."""

    program: ValidProgram
    seconds: float

    def __post_init__(self) -> None:
        if not isinstance(self.program, ValidProgram):  # exports evaluate code too: the same gate
            raise TypeError("a MIDI export takes only what the validator passed")


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def events_for(player: Any, span: Span) -> dict[str, Any]:
    payload = await _maybe_await(player.events(span.program.code, 0, 0, span.seconds))
    return json.loads(str(payload))


async def midi_file_for(player: Any, spans: list[Span]) -> bytes:
    """One file for pieces played one after another (a section, or a span of endless mode)."""
    if not spans:
        raise ValueError("nothing has played yet")
    pieces = [await events_for(player, span) for span in spans]
    return midi_file_from_json(pieces)


async def download_midi(player: Any, ui: Any, spans: list[Span], name: str) -> bytes:
    """Render and offer the file (`name` with its extension); a failure becomes a message in the
    page."""
    try:
        data = await midi_file_for(player, spans)
    except Exception as err:  # bad code or an empty span: tell the reader, keep playing
        ui.set_status(f"Could not export MIDI: {err}", PROBLEM)
        return b""
    ui.download_file(name, MIDI_MIME, base64.b64encode(data).decode("ascii"))
    ui.set_status(f"Exported {name} ({len(data)} bytes).", NOTICE)
    return data
