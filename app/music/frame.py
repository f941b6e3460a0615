"""The frame a section's mood sets for a language model: which tempos, modes and sounds fit.

A small model left free copies the previous section's music whatever the story does. The mood
sheet already knows what serves each mood (prompts/moods.toml routes a mood to styles, and each
style in prompts/styles/ names its tempo range, modes and sounds); the frame is the union of those,
and the model's grammar is narrowed to it (app/strudel/grammar.py `tempos`, `modes`, `sounds`). The
model still writes the music (notes, rhythm, key, layers, effects), but a storm can no longer get
the calm chapter's tempo and mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.compose.instant import style_library
from app.music.mood import Mood
from app.music.styles import load_moods


@dataclass(frozen=True)
class Frame:
    mood: str
    description: str  # from the mood sheet: "danger, fear, suspense, storm"
    tempos: tuple[int, int]  # setcpm range
    modes: tuple[str, ...]
    sounds: tuple[str, ...]

    def grammar_options(self) -> dict:
        return {"tempos": self.tempos, "modes": self.modes, "sounds": self.sounds}


@cache
def _frame(label: str) -> Frame:
    styles, by_mood = style_library()
    names = by_mood.get(label) or by_mood["neutral"]
    chosen = [styles[n] for n in names]
    tempos = (min(s.cpm[0] for s in chosen), max(s.cpm[1] for s in chosen))
    modes = tuple(dict.fromkeys(m for s in chosen for m in s.modes))
    sounds = tuple(dict.fromkeys(x for s in chosen for x in s.sounds))
    return Frame(label, load_moods().descriptions.get(label, ""), tempos, modes, sounds)


def frame_for(mood: Mood) -> Frame:
    return _frame(mood.label)
