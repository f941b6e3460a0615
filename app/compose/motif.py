"""Motifs and what a composer does with them: a short figure, then its variations.

A motif is a rhythm cell (x for each note, see app/music/parts.py) and the scale degrees of its
notes, counted from the chord root so the harmony carries it (a motif over a moving progression is
already a sequence). The transformations are the classic ones: inversion, retrograde, transposition
(sequence), rhythm displacement, and a cadence that comes to rest on the root.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from app.music.parts import motif_slots

LOW, HIGH = -3, 9  # the melody stays within about an octave and a half around the chord root
STEPS = (-3, -2, -1, 1, 2, 3, 4)
STEP_WEIGHTS = (0.6, 2.0, 4.0, 4.0, 2.0, 0.8, 0.5)  # mostly stepwise, a few leaps


@dataclass(frozen=True)
class Motif:
    cell: str  # rhythm: one cycle of x / _ / ~ steps
    notes: tuple[int, ...]  # one scale degree (from the chord root) per x

    def fits(self) -> Motif:
        """Exactly as many notes as the cell has x, each within the melody's range."""
        want = motif_slots(self.cell)
        notes = list(self.notes[:want]) + [self.notes[-1] if self.notes else 0] * (want - len(self.notes))
        return replace(self, notes=tuple(max(LOW, min(HIGH, n)) for n in notes))


def make_motif(rng: random.Random, cell: str) -> Motif:
    count = motif_slots(cell)
    notes = [rng.choice((0, 2, 4))]
    while len(notes) < count:
        step = rng.choices(STEPS, STEP_WEIGHTS)[0]
        nxt = notes[-1] + step
        if not LOW <= nxt <= HIGH:
            nxt = notes[-1] - step  # turn back at the edge of the range
        notes.append(nxt)
    return Motif(cell, tuple(notes))


def invert(m: Motif) -> Motif:
    """Mirror the intervals around the first note: a rising figure falls."""
    first = m.notes[0] if m.notes else 0
    return replace(m, notes=tuple(2 * first - n for n in m.notes)).fits()


def retrograde(m: Motif) -> Motif:
    return replace(m, notes=tuple(reversed(m.notes)))


def sequence(m: Motif, step: int) -> Motif:
    """The same figure a few scale steps higher or lower."""
    return replace(m, notes=tuple(n + step for n in m.notes)).fits()


def displace(m: Motif) -> Motif:
    """The same notes, one step later in the cycle (the last step wraps round to the front)."""
    steps = split_steps(m.cell)
    last = steps[-1]
    cell = " ".join(["~" if last == "_" else last, *steps[:-1]])
    wrapped = motif_slots(last)  # notes of the last step now sound first
    notes = m.notes[len(m.notes) - wrapped:] + m.notes[: len(m.notes) - wrapped] if wrapped else m.notes
    return Motif(cell, notes).fits()


def cadence(m: Motif) -> Motif:
    """The figure coming to rest: its last note on the root (or the octave, from above)."""
    if not m.notes:
        return m
    end = 7 if m.notes[-1] > 5 else 0
    return replace(m, notes=(*m.notes[:-1], end))


def answer(m: Motif, cell: str) -> Motif:
    """A reply in another rhythm: the motif's contour, inverted, on the new cell's notes."""
    flipped = invert(m)
    return Motif(cell, flipped.notes).fits()


def split_steps(cell: str) -> list[str]:
    """The top-level steps of a cell ("x [x x] ~" -> ["x", "[x x]", "~"])."""
    steps, depth, current = [], 0, ""
    for ch in cell:
        depth += (ch in "[<(") - (ch in "]>)")
        if ch == " " and depth == 0:
            if current:
                steps.append(current)
            current = ""
        else:
            current += ch
    if current:
        steps.append(current)
    return steps


TRANSFORMS = {"invert": invert, "retrograde": retrograde, "displace": displace,
              "rise": lambda m: sequence(m, 2), "fall": lambda m: sequence(m, -1)}


def phrase_of(m: Motif, rng: random.Random, cycles: int = 4) -> list[Motif]:
    """A phrase from a motif: statement, restatement or sequence, a variation, a cadence."""
    names = rng.sample(sorted(TRANSFORMS), 2)
    first_answer = TRANSFORMS[names[0]](m) if rng.random() < 0.5 else m
    middle = [first_answer, TRANSFORMS[names[1]](m)]
    body = [m, *middle][: max(1, cycles - 1)]
    while len(body) < cycles - 1:
        body.append(m)
    return [*body, cadence(TRANSFORMS[names[1]](m) if rng.random() < 0.4 else m)]
