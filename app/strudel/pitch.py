"""The pitches a layer can play, read from its mini-notation (no Strudel needed).

`n("degrees").scale("C3:minor")` and `note("c3 eb4 60")` are resolved the way Strudel's tonal
scales do (a tonic or note name without an octave is in octave 3; a fractional degree lands on
one of its two neighbours, so both count). The validator uses the range to keep a filter from
silencing the notes it is put on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

# Semitones of each mode the subset allows (subset.MODES), as Strudel's tonal scales spell them.
MODE_STEPS: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "major:pentatonic": (0, 2, 4, 7, 9),
    "minor:pentatonic": (0, 3, 5, 7, 10),
    "harmonic:minor": (0, 2, 3, 5, 7, 8, 11),
    "melodic:minor": (0, 2, 3, 5, 7, 9, 11),
    "whole:tone": (0, 2, 4, 6, 8, 10),
}
_LETTER = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_NAME = re.compile(r"([a-gA-G])(#|b|s)?([0-8])?$")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?$")
_SCALE = re.compile(r"([A-G](?:#|b)?[0-8]?):(.+)$")


@dataclass(frozen=True)
class PitchRange:
    """Lowest and highest MIDI note a layer plays."""

    low: float
    high: float

    @property
    def low_hz(self) -> float:
        return hz(self.low)

    @property
    def high_hz(self) -> float:
        return hz(self.high)


def hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def name_to_midi(name: str) -> int | None:
    """`c3` = 48, `eb` = 51 (octave 3), `fs2` = 42; None for anything else."""
    match = _NAME.match(name)
    if not match:
        return None
    letter, accidental, octave = match.groups()
    shift = {"#": 1, "s": 1, "b": -1, None: 0}[accidental]
    return 12 * (int(octave or 3) + 1) + _LETTER[letter.lower()] + shift


def _degree(tonic: int, steps: tuple[int, ...], degree: int) -> int:
    octave, step = divmod(degree, len(steps))
    return tonic + 12 * octave + steps[step]


def note_range(atoms: Iterable[str]) -> PitchRange | None:
    """The range of `note(...)` atoms: names or MIDI numbers."""
    found: list[float] = []
    for atom in atoms:
        if _NUMBER.match(atom):
            found.append(float(atom))
        elif (midi := name_to_midi(atom)) is not None:
            found.append(float(midi))
    return PitchRange(min(found), max(found)) if found else None


def scale_range(degrees: Iterable[str], scales: Iterable[str]) -> PitchRange | None:
    """The range of `n(degrees).scale(scales)`: every degree in every scale it may meet."""
    steps_of: list[tuple[int, tuple[int, ...]]] = []
    for atom in scales:
        match = _SCALE.match(atom)
        tonic = name_to_midi(match.group(1)) if match else None
        if match and tonic is not None and match.group(2) in MODE_STEPS:
            steps_of.append((tonic, MODE_STEPS[match.group(2)]))
    numbers = [float(d) for d in degrees if _NUMBER.match(d)]
    if not steps_of or not numbers:
        return None
    low_d, high_d = math.floor(min(numbers)), math.ceil(max(numbers))
    lows = [_degree(t, s, low_d) for t, s in steps_of]
    highs = [_degree(t, s, high_d) for t, s in steps_of]
    return PitchRange(float(min(lows)), float(max(highs)))
