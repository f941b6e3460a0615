"""The Standard MIDI File export, read back byte by byte with an independent reader."""

from __future__ import annotations

import pytest

from app.midi.gm import program_for
from app.midi.render import PatternEvent, PieceEvents, midi_file_from_json, song_from_pieces
from app.midi.smf import Note, Song, TempoChange, Track, varlen, write_smf
from tests.unit.midi_reader import read


def test_varlen_matches_the_specification_examples():
    assert varlen(0) == b"\x00"
    assert varlen(0x40) == b"\x40"
    assert varlen(0x7F) == b"\x7f"
    assert varlen(0x80) == b"\x81\x00"
    assert varlen(0x2000) == b"\xc0\x00"
    assert varlen(0x3FFF) == b"\xff\x7f"
    assert varlen(0x100000) == b"\xc0\x80\x00"
    assert varlen(0x0FFFFFFF) == b"\xff\xff\xff\x7f"


def test_a_hand_built_song_has_exact_bytes_for_its_note_track():
    song = Song(
        tracks=[Track("lead", 2, notes=[Note(0, 480, 60, 100), Note(480, 960, 64, 90)])],
        tempos=[TempoChange(0, 500_000)],
        ppq=480,
    )
    data = write_smf(song)
    assert data[:14] == b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0"
    lead = data.rindex(b"MTrk")
    body = data[lead + 8 :]
    assert body == (
        b"\x00\xff\x03\x04lead"
        b"\x00\x92\x3c\x64"  # note on ch 3, C4, vel 100
        b"\x83\x60\x82\x3c\x00"  # 480 ticks later: note off C4
        b"\x00\x92\x40\x5a"  # note on E4
        b"\x83\x60\x82\x40\x00"
        b"\x00\xff\x2f\x00"
    )


def known_piece() -> dict:
    """What the page reports for
    setcpm(30) stack(note("c4 e4").sound("triangle").gain(0.4), s("sbd ~ sbd ~").gain(0.2),
    note("<[c3,g3]>").sound("gm_violin").gain(0.2)) over cycles [0, 2)."""
    rows = [  # layer, start, end, note, sound, gain
        (0, 0, 0.5, 60, "triangle", 0.4),
        (0, 0.5, 1, 64, "triangle", 0.4),
        (1, 0, 0.25, None, "sbd", 0.2),
        (1, 0.5, 0.75, None, "sbd", 0.2),
        (2, 0, 1, 48, "gm_violin", 0.2),
        (2, 0, 1, 55, "gm_violin", 0.2),
    ]
    keys = ("layer", "start", "end", "note", "sound", "gain")
    events = []
    for cycle in range(2):
        for row in rows:
            event = dict(zip(keys, row, strict=True))
            event["start"] += cycle
            event["end"] += cycle
            events.append(event)
    return {"cps": 0.5, "begin": 0, "end": 2, "events": events}


def test_pattern_events_become_one_track_and_channel_per_layer():
    midi = read(midi_file_from_json([known_piece()]))
    assert midi.format == 1 and midi.ppq == 480 and len(midi.tracks) == 4
    # Conductor: 4/4, and 30 cycles per minute = 120 quarter notes per minute = 500000 µs each.
    conductor = midi.tracks[0]
    assert [(e.kind, e.a) for e in conductor if e.kind in ("tempo", "timesig")] == [
        ("timesig", 4),
        ("tempo", 500_000),
    ]
    bar = 4 * 480
    assert midi.notes(1) == [
        (0, 60, 127, 0, bar // 2),
        (0, 64, 127, bar // 2, bar),
        (0, 60, 127, bar, bar + bar // 2),
        (0, 64, 127, bar + bar // 2, 2 * bar),
    ]
    programs = [(e.channel, e.a) for t in midi.tracks for e in t if e.kind == "program"]
    assert programs == [(0, program_for("triangle")), (2, 40)]  # violin is GM program 41
    # The drum layer is on channel 10 (9 zero-based) with the bass-drum key, half velocity.
    assert midi.notes(2) == [
        (9, 36, 64, 0, 480),
        (9, 36, 64, 960, 1440),
        (9, 36, 64, bar, bar + 480),
        (9, 36, 64, bar + 960, bar + 1440),
    ]
    assert [n[:3] for n in midi.notes(3)] == [(2, 48, 64), (2, 55, 64)] * 2
    names = [e.text for t in midi.tracks for e in t if e.kind == "name"]
    assert names == ["layer 1: triangle", "layer 2: drums", "layer 3: gm_violin"]


def test_pieces_are_laid_end_to_end_with_a_tempo_change_each():
    first = PieceEvents(0.5, 0, 2, [PatternEvent(0, 0, 1, 60, "sine")])
    second = PieceEvents(0.25, 4, 5, [PatternEvent(0, 4, 4.5, 62, "gm_flute")])
    midi = read(write_smf(song_from_pieces([first, second])))
    tempos = [(e.tick, e.a) for e in midi.tracks[0] if e.kind == "tempo"]
    assert tempos == [(0, 500_000), (2 * 1920, 1_000_000)]
    assert midi.notes(1) == [(0, 60, 127, 0, 1920), (0, 62, 127, 3840, 3840 + 960)]
    programs = [(e.tick, e.a) for e in midi.tracks[1] if e.kind == "program"]
    assert programs == [(0, program_for("sine")), (3840, 73)]  # flute is GM program 74


def test_many_melodic_layers_skip_the_drum_channel():
    events = [PatternEvent(i, 0, 1, 60 + i, "sine") for i in range(11)]
    song = song_from_pieces([PieceEvents(1, 0, 1, events)])
    assert [t.channel for t in song.tracks] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11]


def test_a_repeated_key_is_released_before_it_is_struck_again():
    events = [PatternEvent(0, 0, 0.5, 60, "sine"), PatternEvent(0, 0.5, 1, 60, "sine")]
    midi = read(write_smf(song_from_pieces([PieceEvents(1, 0, 1, events)])))
    kinds = [(e.tick, e.kind) for e in midi.tracks[1] if e.kind in ("on", "off")]
    assert kinds == [(0, "on"), (960, "off"), (960, "on"), (1920, "off")]


def test_bad_tempo_is_refused():
    with pytest.raises(ValueError):
        song_from_pieces([PieceEvents(0, 0, 1, [])])


def test_gm_names_map_to_programs():
    assert program_for("gm_acoustic_grand_piano") == 0
    assert program_for("gm_piano") == 0
    assert program_for("gm_string_ensemble_1") == 48
    assert program_for("gm_cello") == 42
    assert program_for("gm_pad_warm") == 89
    assert program_for("sawtooth") == 81


def test_shipped_general_midi_instruments_keep_their_soundfont_program():
    import tomllib
    from pathlib import Path

    shipped = tomllib.loads((Path(__file__).parents[2] / "prompts/soundfont.toml").read_text())
    for name, program in shipped["instruments"].items():
        assert program_for(name) == program, name
