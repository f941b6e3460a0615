"""Standard MIDI File writer: tracks of timed events in, the bytes of a format-1 .mid file out.

Pure Python (runs in Pyodide). Only what the export needs: notes, program changes, track names,
tempo and time signature. Times are in ticks (`ppq` ticks per quarter note).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

DEFAULT_PPQ = 480
DRUM_CHANNEL = 9  # "channel 10" in General MIDI's 1-based numbering


@dataclass(frozen=True)
class Note:
    start: int  # tick
    end: int  # tick, > start
    key: int  # 0..127
    velocity: int  # 1..127


@dataclass(frozen=True)
class ProgramChange:
    tick: int
    program: int  # 0..127


@dataclass
class Track:
    name: str
    channel: int  # 0..15
    notes: list[Note] = field(default_factory=list)
    programs: list[ProgramChange] = field(default_factory=list)


@dataclass(frozen=True)
class TempoChange:
    tick: int
    usec_per_quarter: int


@dataclass
class Song:
    tracks: list[Track]
    tempos: list[TempoChange]
    ppq: int = DEFAULT_PPQ


def varlen(value: int) -> bytes:
    """MIDI variable-length quantity: 7 bits per byte, high bit set on all but the last."""
    if value < 0:
        raise ValueError("negative delta time")
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack(">I", len(data)) + data


def _meta(kind: int, data: bytes) -> bytes:
    return bytes([0xFF, kind]) + varlen(len(data)) + data


def _track_bytes(timed: list[tuple[int, int, bytes]]) -> bytes:
    """(tick, order, message) → delta-timed track data with End of Track.

    `order` breaks ties at one tick: note-offs (0) before program changes (1) before note-ons (2),
    so a repeated key is released before it is struck again.
    """
    out = bytearray()
    now = 0
    for tick, _order, message in sorted(timed, key=lambda t: (t[0], t[1])):
        out += varlen(tick - now) + message
        now = tick
    out += varlen(0) + _meta(0x2F, b"")
    return bytes(out)


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def conductor_track(song: Song) -> bytes:
    timed: list[tuple[int, int, bytes]] = [(0, 0, _meta(0x58, bytes([4, 2, 24, 8])))]  # 4/4
    for change in song.tempos:
        usec = _clamp(change.usec_per_quarter, 1, 0xFFFFFF)
        timed.append((change.tick, 1, _meta(0x51, usec.to_bytes(3, "big"))))
    return _track_bytes(timed)


def note_track(track: Track) -> bytes:
    if not 0 <= track.channel <= 15:
        raise ValueError(f"channel {track.channel} is not 0..15")
    ch = track.channel
    timed: list[tuple[int, int, bytes]] = [(0, 0, _meta(0x03, track.name.encode("utf-8")[:127]))]
    for change in track.programs:
        timed.append((change.tick, 1, bytes([0xC0 | ch, _clamp(change.program, 0, 127)])))
    for note in track.notes:
        if note.end <= note.start:
            raise ValueError(f"note {note} does not last")
        key = _clamp(note.key, 0, 127)
        timed.append((note.start, 2, bytes([0x90 | ch, key, _clamp(note.velocity, 1, 127)])))
        timed.append((note.end, 0, bytes([0x80 | ch, key, 0])))
    return _track_bytes(timed)


def write_smf(song: Song) -> bytes:
    """The complete file: header, a conductor track (tempo map), then one track per layer."""
    header = struct.pack(">HHH", 1, len(song.tracks) + 1, song.ppq)
    chunks = [_chunk(b"MThd", header), _chunk(b"MTrk", conductor_track(song))]
    chunks += [_chunk(b"MTrk", note_track(t)) for t in song.tracks]
    return b"".join(chunks)
