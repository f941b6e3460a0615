"""The instant composer: music for a section within milliseconds, no language model needed.

Picks a palette from the section's mood and varies it deterministically per section id, so the
same section always gets the same piece and neighbouring sections differ.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from app.music.mood import Mood, score_mood

# Each palette: tempo range (cycles per minute), scale modes, and layer templates.
# {key} {mode} {cpm} and {deg...} are filled per section. Only offline synth sounds are used.
PALETTES: dict[str, dict] = {
    "calm": {
        "cpm": (14, 18),
        "modes": ["major", "lydian", "mixolydian"],
        "layers": [
            'n("<0 2 4 [3 2]>").scale("{key}3:{mode}").sound("triangle").attack(0.4).release(2)'
            '.lpf(sine.range(600, 1400).slow(16)).room(0.6).gain(0.18)',
            'n("<[0,4] [2,5] [-1,3] [0,4]>").scale("{key}2:{mode}").sound("sine").attack(1).release(3)'
            '.pan(sine.range(0.3, 0.7).slow(20)).gain(0.16)',
        ],
    },
    "melancholy": {
        "cpm": (12, 16),
        "modes": ["minor", "dorian", "aeolian"],
        "layers": [
            'n("<0 [2 1] 4 [3 ~]>").scale("{key}3:{mode}").sound("sine").attack(0.3).release(2.5)'
            '.room(0.7).gain(0.2)',
            'n("<[0,2,4] [-2,0,2] [-3,-1,1] [-1,1,3]>").scale("{key}2:{mode}").sound("triangle")'
            '.attack(1.2).release(3).lpf(sine.range(400, 900).slow(18)).gain(0.14)',
        ],
    },
    "tense": {
        "cpm": (26, 34),
        "modes": ["phrygian", "minor", "locrian"],
        "layers": [
            'n("0 0 [0 1] 0 0 [0 -1] 0 [1 0]").scale("{key}2:{mode}").sound("sawtooth")'
            '.lpf(sine.range(300, 1200).slow(16)).release(0.2).gain(0.12)',
            'n("<[0,1] [0,4] [-1,1] [0,5]>").scale("{key}3:{mode}").sound("square").attack(0.5)'
            '.release(1.5).lpf(900).room(0.4).gain(0.08)',
            's("sbd ~ ~ sbd ~ ~ sbd ~").gain(0.3)',
        ],
    },
    "joyful": {
        "cpm": (28, 34),
        "modes": ["major", "mixolydian", "lydian"],
        "layers": [
            'n("0 2 4 [5 4] 2 4 [7 5] 4").scale("{key}4:{mode}").sound("triangle").release(0.3)'
            '.pan(sine.range(0.35, 0.65).slow(16)).gain(0.13)',
            'n("<[0,2,4] [3,5,7] [4,6,8] [0,2,4]>").scale("{key}3:{mode}").sound("square")'
            '.lpf(sine.range(800, 2000).slow(16)).release(0.8).gain(0.07)',
            's("sbd ~ sbd ~").gain(0.28)',
        ],
    },
}
PALETTES["neutral"] = PALETTES["calm"]
KEYS = ["C", "D", "Eb", "E", "F", "G", "A", "Bb"]


@dataclass(frozen=True)
class Composition:
    code: str
    style: str
    mood: Mood
    source: str = "instant"


def compose(section_id: str, text: str) -> Composition:
    mood = score_mood(text)
    style = mood.label
    palette = PALETTES[style]
    rng = random.Random(int(hashlib.sha256(section_id.encode()).hexdigest()[:12], 16))
    key, mode = rng.choice(KEYS), rng.choice(palette["modes"])
    cpm = rng.randint(*palette["cpm"])
    layers = [t.format(key=key, mode=mode) for t in palette["layers"]]
    body = ",\n  ".join(layers)
    code = f"setcpm({cpm})\nstack(\n  {body}\n)"
    return Composition(code=code, style=style, mood=mood)
