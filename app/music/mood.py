"""A transparent mood score: lexicon hits give valence (dark..bright) and arousal (calm..intense)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# word stem -> (valence, arousal), each in -1..1. Stems match word starts ("storm" hits "storms").
LEXICON: dict[str, tuple[float, float]] = {
    "calm": (0.4, -0.8), "quiet": (0.2, -0.8), "gentle": (0.5, -0.6), "slow": (0.1, -0.6),
    "soft": (0.4, -0.6), "still": (0.2, -0.7), "patient": (0.3, -0.6), "peace": (0.6, -0.7),
    "rest": (0.3, -0.6), "drift": (0.2, -0.5), "morning": (0.4, -0.3), "tea": (0.4, -0.5),
    "storm": (-0.6, 0.9), "scream": (-0.8, 0.9), "thunder": (-0.5, 0.9), "terr": (-0.9, 0.8),
    "afraid": (-0.8, 0.6), "fear": (-0.8, 0.6), "shak": (-0.5, 0.6), "pound": (-0.4, 0.7),
    "chaos": (-0.7, 0.9), "danger": (-0.7, 0.7), "dark": (-0.5, 0.1), "shout": (-0.4, 0.7),
    "fur": (-0.9, 0.9), "rage": (-0.9, 0.9), "anger": (-0.9, 0.8), "smash": (-0.8, 0.9),
    "slam": (-0.7, 0.8), "bitter": (-0.7, 0.4), "torn": (-0.6, 0.6), "tore": (-0.6, 0.6),
    "joy": (0.9, 0.6), "happ": (0.9, 0.4), "laugh": (0.8, 0.6), "danc": (0.8, 0.7),
    "sing": (0.7, 0.5), "festival": (0.9, 0.7), "cheer": (0.8, 0.7), "glorious": (0.9, 0.6),
    "bright": (0.7, 0.3), "smil": (0.7, 0.0), "firework": (0.8, 0.8),
    "sad": (-0.6, -0.5), "lost": (-0.5, -0.3), "alone": (-0.5, -0.4), "tender": (0.3, -0.5),
    "memory": (0.0, -0.4), "dream": (0.3, -0.6), "star": (0.4, -0.4), "night": (-0.1, -0.3),
    "ended": (-0.4, -0.3), "grief": (-0.8, -0.4), "tear": (-0.6, -0.1),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Mood:
    valence: float  # -1 dark .. 1 bright
    arousal: float  # -1 calm .. 1 intense
    hits: int  # lexicon words found; 0 means "no evidence, stay neutral"

    @property
    def label(self) -> str:
        if self.hits == 0:
            return "neutral"
        if self.arousal > 0.25:
            return "joyful" if self.valence > 0.2 else "tense"
        if self.valence < -0.2:
            return "melancholy"
        return "calm"


def score_mood(text: str) -> Mood:
    total_v = total_a = 0.0
    hits = 0
    for word in _WORD.findall(text.lower()):
        for stem, (v, a) in LEXICON.items():
            if word.startswith(stem):
                total_v += v
                total_a += a
                hits += 1
                break
    if hits == 0:
        return Mood(0.0, -0.3, 0)
    return Mood(round(total_v / hits, 3), round(total_a / hits, 3), hits)
