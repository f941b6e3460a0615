"""A small, independent Standard MIDI File reader for tests: bytes → header + absolute-time events.

Written from the SMF 1.0 specification, separately from app/midi/smf.py, so a test that writes
with one and reads with the other checks the bytes, not the writer against itself.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    tick: int  # absolute
    kind: str  # "on", "off", "program", "tempo", "name", "timesig", "end", "other"
    channel: int | None = None
    a: int | None = None  # key / program / tempo (usec per quarter)
    b: int | None = None  # velocity
    text: str = ""


@dataclass
class MidiFile:
    format: int
    ppq: int
    tracks: list[list[Event]]

    def notes(self, track: int) -> list[tuple[int, int, int, int, int]]:
        """(channel, key, velocity, start, end) of each note in a track, matched on/off pairs."""
        open_notes: dict[tuple[int, int], list[tuple[int, int]]] = {}
        out = []
        for e in self.tracks[track]:
            if e.kind == "on" and e.b:
                open_notes.setdefault((e.channel, e.a), []).append((e.tick, e.b))
            elif e.kind == "off" or (e.kind == "on" and not e.b):
                start, vel = open_notes[(e.channel, e.a)].pop(0)
                out.append((e.channel, e.a, vel, start, e.tick))
        assert not any(open_notes.values()), f"notes never released: {open_notes}"
        return sorted(out, key=lambda n: (n[3], n[1]))


def _varlen(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    while True:
        byte = data[pos]
        pos += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos


def read(data: bytes) -> MidiFile:
    assert data[:4] == b"MThd", "not a MIDI file"
    (length,) = struct.unpack(">I", data[4:8])
    fmt, ntracks, ppq = struct.unpack(">HHH", data[8:14])
    pos = 8 + length
    tracks = []
    for _ in range(ntracks):
        assert data[pos : pos + 4] == b"MTrk", f"missing track chunk at {pos}"
        (length,) = struct.unpack(">I", data[pos + 4 : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 8 + length
        tracks.append(_track(body))
    assert pos == len(data), "trailing bytes after the last track"
    return MidiFile(fmt, ppq, tracks)


def _track(body: bytes) -> list[Event]:
    events, pos, tick, status = [], 0, 0, 0
    while pos < len(body):
        delta, pos = _varlen(body, pos)
        tick += delta
        if body[pos] & 0x80:
            status = body[pos]
            pos += 1
        if status == 0xFF:
            kind, pos = body[pos], pos + 1
            length, pos = _varlen(body, pos)
            payload = body[pos : pos + length]
            pos += length
            if kind == 0x51:
                events.append(Event(tick, "tempo", a=int.from_bytes(payload, "big")))
            elif kind == 0x03:
                events.append(Event(tick, "name", text=payload.decode()))
            elif kind == 0x58:
                events.append(Event(tick, "timesig", a=payload[0], b=2 ** payload[1]))
            elif kind == 0x2F:
                events.append(Event(tick, "end"))
                assert pos == len(body), "events after End of Track"
            else:
                events.append(Event(tick, "other"))
            continue
        high, channel = status & 0xF0, status & 0x0F
        if high in (0x80, 0x90):
            key, vel = body[pos], body[pos + 1]
            pos += 2
            events.append(Event(tick, "on" if high == 0x90 else "off", channel, key, vel))
        elif high == 0xC0:
            events.append(Event(tick, "program", channel, body[pos]))
            pos += 1
        else:
            raise AssertionError(f"unexpected status byte {status:#x}")
    assert events and events[-1].kind == "end", "track does not end with End of Track"
    return events
