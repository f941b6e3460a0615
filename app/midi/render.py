"""From a pattern's note events (as the page's queryArc gives them) to a Standard MIDI File.

One cycle is written as one 4/4 bar, so the file's tempo is cps × 240 beats per minute. Each
layer (top-level stack() argument) gets its own track and channel; drum layers use channel 10.
Several pieces (a span of endless mode) are laid end to end with a tempo change at each start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.midi.gm import DRUM_KEYS, is_drum, program_for
from app.midi.smf import DEFAULT_PPQ, DRUM_CHANNEL, Note, ProgramChange, Song, TempoChange, Track

BEATS_PER_CYCLE = 4
DEFAULT_KEY = 36  # superdough plays a synth with no note at C2


@dataclass(frozen=True)
class PatternEvent:
    layer: int
    start: float  # cycles
    end: float  # cycles
    note: int | None
    sound: str
    gain: float = 1.0
    velocity: float = 1.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PatternEvent:
        note = data.get("note")
        return cls(
            layer=int(data.get("layer", 0)),
            start=float(data["start"]),
            end=float(data["end"]),
            note=None if note is None else int(note),
            sound=str(data.get("sound", "triangle")),
            gain=float(data.get("gain", 1.0)),
            velocity=float(data.get("velocity", 1.0)),
        )


@dataclass
class PieceEvents:
    """One piece's events over cycles [begin, end) at `cps` cycles per second."""

    cps: float
    begin: float
    end: float
    events: list[PatternEvent] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PieceEvents:
        return cls(
            cps=float(data["cps"]),
            begin=float(data.get("begin", 0.0)),
            end=float(data["end"]),
            events=[PatternEvent.from_json(e) for e in data.get("events", [])],
        )


def usec_per_quarter(cps: float) -> int:
    return round(1_000_000 / (cps * BEATS_PER_CYCLE))


def midi_velocity(event: PatternEvent, loudest: float) -> int:
    """Gain is relative within a piece (patterns mix quietly); the loudest note gets full velocity."""
    share = event.gain / loudest if loudest > 0 else 1.0
    return max(1, min(127, round(127 * min(1.0, event.velocity) * min(1.0, share))))


def layer_is_drum(events: list[PatternEvent]) -> bool:
    return bool(events) and all(is_drum(e.sound) for e in events)


def channel_for(layer: int, drum: bool) -> int:
    """Layer n plays on channel n (0-based), skipping 9, which General MIDI keeps for drums."""
    if drum:
        return DRUM_CHANNEL
    melodic = [c for c in range(16) if c != DRUM_CHANNEL]
    return melodic[layer % len(melodic)]


def song_from_pieces(pieces: list[PieceEvents], ppq: int = DEFAULT_PPQ) -> Song:
    tracks: dict[tuple[int, bool], Track] = {}
    tempos: list[TempoChange] = []
    offset = 0  # tick where the current piece starts
    ticks_per_cycle = BEATS_PER_CYCLE * ppq
    for piece in pieces:
        if not piece.cps > 0:
            raise ValueError(f"tempo must be positive, not {piece.cps} cycles per second")
        tempos.append(TempoChange(offset, usec_per_quarter(piece.cps)))
        loudest = max((e.gain for e in piece.events), default=1.0)
        by_layer: dict[int, list[PatternEvent]] = {}
        for event in piece.events:
            by_layer.setdefault(event.layer, []).append(event)
        for layer, events in sorted(by_layer.items()):
            drum = layer_is_drum(events)
            track = tracks.get((layer, drum))
            if track is None:
                track = Track(name=f"layer {layer + 1}", channel=channel_for(layer, drum))
                tracks[(layer, drum)] = track
            if not drum:
                program = program_for(events[0].sound)
                if not track.programs or track.programs[-1].program != program:
                    track.programs.append(ProgramChange(offset, program))
                track.name = f"layer {layer + 1}: {events[0].sound}"
            else:
                track.name = f"layer {layer + 1}: drums"
            for event in events:
                start = offset + round((event.start - piece.begin) * ticks_per_cycle)
                end = offset + round((event.end - piece.begin) * ticks_per_cycle)
                if drum:
                    key = DRUM_KEYS[event.sound.lower()]
                else:
                    key = DEFAULT_KEY if event.note is None else event.note
                track.notes.append(Note(start, max(end, start + 1), key, midi_velocity(event, loudest)))
        offset += round((piece.end - piece.begin) * ticks_per_cycle)
    ordered = [tracks[k] for k in sorted(tracks, key=lambda k: (k[0], k[1]))]
    return Song(tracks=ordered, tempos=tempos, ppq=ppq)


def midi_file_from_json(pieces_json: list[dict[str, Any]], ppq: int = DEFAULT_PPQ) -> bytes:
    from app.midi.smf import write_smf

    return write_smf(song_from_pieces([PieceEvents.from_json(p) for p in pieces_json], ppq))
