"""The instant composer: music for a section within milliseconds, no language model needed.

Reads the section's mood (mood.py), routes it to a style through the mood sheet, chooses the
section's setting deterministically per section id (key, mode, tempo within the style's range, how
bright the palette is, where the passage is going) and has the arranger (arrange.py) write the
piece from the style's parts. The result goes through the validator like any other code, so it is
exactly as safe as what a model writes.
"""

from __future__ import annotations

import hashlib
import random
import re
from functools import cache

from app.compose.arrange import Setting, arrange
from app.models import Piece
from app.music.mood import COORDINATES, Mood, follow_mood, mood_for_label, score_mood
from app.music.styles import Style, load_moods, load_styles, routes
from app.strudel.validate import validate

# Tonal centres within about a fifth of C, so registers stay where the style put them.
KEYS = ("A", "Bb", "B", "C", "Db", "D", "Eb", "E", "F", "F#")
DARK_MODES = {"minor", "dorian", "phrygian", "aeolian", "locrian", "harmonic:minor",
              "melodic:minor", "minor:pentatonic", "whole:tone"}


@cache
def style_library() -> tuple[dict[str, Style], dict[str, tuple[str, ...]]]:
    styles = load_styles()
    return styles, routes(styles, load_moods())


def rng_for(section_id: str, salt: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{salt}:{section_id}".encode()).hexdigest()[:16], 16))


def pick_style(mood: Mood) -> Style:
    """The mood's own style, the first the mood sheet names. A film score keeps one palette for
    one kind of scene, so the listener learns what it means and hears the story turn when it
    changes; the arranger makes every piece in it different (form, chords, tune, figures, colour,
    instrument, key, tempo). Measured on the listening bench (bench/music.py, 4 passages a mood,
    one run): mood told from audio alone 64 % with the mood's own style, 36 % when its other
    styles play about one section in seven, 28 % two in five; 70-77 % (four runs) once no two
    moods shared an own style (hearth for warm, elegy for melancholy); 79 % (two runs) once playful
    had its caper instead of sharing chillhop's groove with neutral. The mood's other styles serve
    the model's frame (app/music/frame.py) and endless mode."""
    styles, by_mood = style_library()
    return styles[(by_mood.get(mood.label) or by_mood["neutral"])[0]]


_PREVIOUS_KEY = re.compile(r'scale\("([A-G](?:#|b)?)[1-6]?:')
_PREVIOUS_CPM = re.compile(r"setcpm\((\d+)\)")
URGENT_AROUSAL = 0.35  # a mood this intense starts with its band playing: no slow build-up
ARC_TURN = 0.25  # arousal change between a passage's halves that counts as rising or falling


def arc_of(text: str) -> str:
    """Where the passage is going: "rise" if its second half is clearly more intense than its
    first, "fall" if clearly calmer, else "steady"."""
    words = text.split()
    if len(words) < 40:
        return "steady"
    half = len(words) // 2
    first, second = score_mood(" ".join(words[:half])), score_mood(" ".join(words[half:]))
    if not (first.hits and second.hits):
        return "steady"
    change = second.arousal - first.arousal
    return "rise" if change > ARC_TURN else "fall" if change < -ARC_TURN else "steady"


def own_brightness(mood: Mood) -> float:
    """How bright a mood is: mostly its valence, a little its energy."""
    valence, arousal = COORDINATES[mood.label]
    return max(0.0, min(1.0, 0.5 + 0.42 * valence + 0.1 * arousal))


def brightness_of(own: float, rng: random.Random) -> float:
    """How bright this piece's palette is: the mood's own brightness and a little chance."""
    return max(0.0, min(1.0, own + rng.uniform(-0.08, 0.08)))


def setting_for(style: Style, section_id: str, mood: Mood, previous: str | None = None,
                arc: str = "steady") -> Setting:
    rng = rng_for(section_id, "vary")
    key = rng.choice(KEYS)
    # Energy is heard first as tempo: an intense passage sits high in the style's range, never
    # pinned to its end (0.35, not 0.5: angry and calm pieces were all at one tempo).
    arousal = COORDINATES[mood.label][1]
    place = max(0.0, min(1.0, 0.5 + 0.35 * arousal + rng.uniform(-0.15, 0.15)))
    cpm = round(style.cpm[0] + place * (style.cpm[1] - style.cpm[0]))
    if previous:
        # Continuity with the piece that plays before: the crossfade overlaps both, so stay in
        # its key (consonant overlap) and as near its tempo as this style allows.
        found_key = _PREVIOUS_KEY.search(previous)
        if found_key and found_key.group(1) in KEYS:
            key = found_key.group(1)
        found_cpm = _PREVIOUS_CPM.search(previous)
        if found_cpm:
            cpm = max(style.cpm[0], min(style.cpm[1], int(found_cpm.group(1))))
    modes = list(style.modes)
    valence = COORDINATES[mood.label][0]
    if valence < -0.2:  # a dark passage prefers the style's darker modes
        modes = [m for m in modes if m in DARK_MODES] or modes
    elif valence > 0.2:
        modes = [m for m in modes if m not in DARK_MODES] or modes
    own = own_brightness(mood)
    return Setting(key, rng.choice(modes), cpm, brightness_of(own, rng), arc,
                   urgent=arousal > URGENT_AROUSAL, register=own)


def compose(
    section_id: str, text: str, previous: str | None = None, previous_mood: str | None = None
) -> Piece:
    """Music for one section; `previous` is the code of the piece before it (same chapter), and
    `previous_mood` its mood label: the scene's mood stays unless the text clearly turns."""
    mood = follow_mood(previous_mood, text) if previous_mood else score_mood(text)
    return compose_mood(section_id, mood, previous, arc_of(text))


def compose_mood(section_id: str, mood: Mood | str, previous: str | None = None,
                 arc: str = "steady") -> Piece:
    """Music for a section whose mood is already known (a label or a scored Mood): the part of
    `compose` after the reading, so benchmarks can judge the music apart from the mood reader."""
    if isinstance(mood, str):
        mood = mood_for_label(mood)
    style = pick_style(mood)
    code = arrange(style, setting_for(style, section_id, mood, previous, arc), rng_for(section_id, "arrange"))
    result = validate(code, allowed_sounds=style.sounds)
    if not result.ok:  # a variation the validator refuses is a bug; fall back to the example
        result = validate(style.example)
    assert result.program is not None, f"style {style.name}: its example does not validate"
    return Piece(result.program, style.name, mood.label, why=mood.why())
