"""The shape of a section's piece over its minute: phrases, who plays when, and the arc.

A piece is a row of four-cycle phrases: an intro, a body of A and B phrases, and a closing phrase
that releases into the next section. Parts enter as the form builds (style files say when: from
the intro, from the body, from the second body phrase, or only at the peak) and thin out at the
end. The form is at least about 66 seconds long, so the whole texture never comes round again
within the minute a section lasts; a reader slower than that hears the form start again from its
intro, like a new verse.

The body's phrases follow one of a few song forms (AABB, ABAB, AABA, ABAC: C is a bridge with its
own chords and figure), chosen per section, so two sections in one style are not built alike.

The arc follows where the passage is going: a passage that grows more intense puts its peak late,
one that calms down puts it early, an even one in the middle.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from app.music.parts import Part

PHRASE = 4  # cycles to a phrase (and chords to a progression)
MIN_SECONDS = 66  # the whole form lasts at least this long
ARCS = ("rise", "fall", "steady")
BODY_FORMS = ("AABB", "ABAB", "AABA", "ABAC")  # repeated to fill a longer body


@dataclass(frozen=True)
class Form:
    labels: tuple[str, ...]  # per phrase: "intro", "A", "B", "C" (a bridge) or "release"
    arc: str = "steady"
    urgent: bool = False  # an intense mood: the body's parts play from the intro on

    @property
    def cycles(self) -> int:
        return PHRASE * len(self.labels)

    @property
    def body(self) -> range:
        return range(1, len(self.labels) - 1)

    def peak(self) -> range:
        """Body phrases where the fullest texture plays."""
        first, last = self.body.start, self.body.stop  # last is exclusive
        size = max(1, (last - first + 1) // 2)
        if self.arc == "rise":
            return range(last - size, last)
        if self.arc == "fall":
            return range(first, first + size)
        middle = first + (last - first - size) // 2
        return range(middle, middle + size)

    def plays(self, part: Part, phrase: int) -> bool:
        label = self.labels[phrase]
        if part.enter == "peak":
            return phrase in self.peak()
        if label == "intro":
            return part.enter == "intro" or (self.urgent and part.enter == "body")
        if label == "release":  # the parts that came late leave first
            return part.release and part.enter in ("intro", "body")
        if part.enter == "second":
            # A falling arc has its energy up front: nobody waits.
            return phrase > self.body.start or self.arc == "fall" or self.urgent
        return True


def plan_form(cpm: float, arc: str = "steady", urgent: bool = False,
              rng: random.Random | None = None) -> Form:
    phrases = max(4, math.ceil(cpm * MIN_SECONDS / 60 / PHRASE))
    body = phrases - 2
    if body <= 2:
        pattern = "AB"
    elif body == 3:  # too short for a whole form: a statement, a contrast, a return or a bridge
        pattern = rng.choice(("ABA", "AAB", "ABC")) if rng else "ABA"
    else:
        pattern = rng.choice(BODY_FORMS) if rng else BODY_FORMS[0]
    return Form(("intro", *(pattern * body)[:body], "release"), arc if arc in ARCS else "steady", urgent)
