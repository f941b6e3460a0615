"""The instant composer: music for a section within milliseconds, no language model needed.

Scores the section's mood (mood.py), routes it to a style through the mood sheet, and varies that
style's example deterministically per section id: key, mode, tempo within the style's range, the
order of its chord progression, and the instrument of melodic layers. The result goes through the
validator like any other code, so it is exactly as safe as what a model writes.
"""

from __future__ import annotations

import hashlib
import random
import re
from functools import cache

from app.models import Piece
from app.music.mood import COORDINATES, Mood, follow_mood, mood_for_label, score_mood
from app.music.styles import Style, load_moods, load_styles, routes
from app.strudel.validate import validate

# Tonal centres within about a fifth of C, so registers stay where the style put them.
KEYS = ("A", "Bb", "B", "C", "Db", "D", "Eb", "E", "F", "F#")
LOWER_OCTAVE = {"A", "Bb", "B"}  # these sit below C: one octave down keeps the pitch close
# Instruments that can stand in for each other at about the same loudness.
SWAPS = ({"triangle", "sine"}, {"square", "pulse"}, {"sawtooth", "supersaw"})
DARK_MODES = {"minor", "dorian", "phrygian", "aeolian", "locrian", "harmonic:minor",
              "melodic:minor", "minor:pentatonic", "whole:tone"}

_SCALE = re.compile(r'scale\("([A-G](?:#|b)?)([1-6]?):([a-z]+(?::[a-z]+)?)"\)')
_SOUND = re.compile(r'\.sound\("([a-z]+)"\)')
_NOTES = re.compile(r'^(n|note)\("([^"]*)"\)')


@cache
def style_library() -> tuple[dict[str, Style], dict[str, tuple[str, ...]]]:
    styles = load_styles()
    return styles, routes(styles, load_moods())


def _rng(section_id: str, salt: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{salt}:{section_id}".encode()).hexdigest()[:16], 16))


def pick_style(mood: Mood, section_id: str) -> Style:
    styles, by_mood = style_library()
    names = list(by_mood.get(mood.label) or by_mood["neutral"])
    # The first style fits best; the others keep a long book from sounding the same.
    weights = [4, 2, 1.5, 1][: len(names)] + [1] * max(0, len(names) - 4)
    return styles[_rng(section_id, "style").choices(names, weights=weights)[0]]


def rotate_alternations(mini: str, steps: int) -> str:
    """Rotate the top-level <a b c d> groups of a mini-notation string: same chords, new order."""
    out, depth, start = [], 0, None
    i = 0
    while i < len(mini):
        ch = mini[i]
        if ch == "<" and depth == 0:
            start = i
        if ch in "[<":
            depth += 1
        elif ch in "]>":
            depth -= 1
            if ch == ">" and depth == 0 and start is not None:
                items = _split_top(mini[start + 1 : i])
                k = steps % len(items)
                out.append("<" + " ".join(items[k:] + items[:k]) + ">")
                start = None
                i += 1
                continue
        if start is None:
            out.append(ch)
        i += 1
    return "".join(out)


def _split_top(body: str) -> list[str]:
    items, depth, current = [], 0, ""
    for ch in body:
        if ch in "[<":
            depth += 1
        elif ch in "]>":
            depth -= 1
        if ch == " " and depth == 0:
            if current:
                items.append(current)
            current = ""
        else:
            current += ch
    if current:
        items.append(current)
    return items


_PREVIOUS_KEY = re.compile(r'scale\("([A-G](?:#|b)?)[1-6]?:')
_PREVIOUS_CPM = re.compile(r"setcpm\((\d+)\)")


def vary(style: Style, section_id: str, mood: Mood, previous: str | None = None) -> str:
    rng = _rng(section_id, "vary")
    key = rng.choice(KEYS)
    cpm = rng.randint(style.cpm[0], style.cpm[1])
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
    mode = rng.choice(modes)
    rotation = rng.randrange(4)
    layers = []
    for layer in style.layers:
        code = layer.code

        def rescale(m: re.Match[str]) -> str:
            octave = m.group(2)
            if octave and key in LOWER_OCTAVE:
                octave = str(max(1, int(octave) - 1))
            # A layer's mode outside the style's list is deliberate: keep it.
            new_mode = mode if m.group(3) in style.modes else m.group(3)
            return f'scale("{key}{octave}:{new_mode}")'

        code = _SCALE.sub(rescale, code)
        code = _NOTES.sub(lambda m: f'{m.group(1)}("{rotate_alternations(m.group(2), rotation)}")', code)

        def swap(m: re.Match[str]) -> str:
            for group in SWAPS:
                options = sorted(group & set(style.sounds))
                if m.group(1) in group and len(options) > 1 and rng.random() < 0.35:
                    return f'.sound("{rng.choice(options)}")'
            return m.group(0)

        layers.append(_SOUND.sub(swap, code))
    body = ",\n  ".join(layers)
    return f"setcpm({cpm})\nstack(\n  {body}\n)"


def compose(
    section_id: str, text: str, previous: str | None = None, previous_mood: str | None = None
) -> Piece:
    """Music for one section; `previous` is the code of the piece before it (same chapter), and
    `previous_mood` its mood label: the scene's mood stays unless the text clearly turns."""
    mood = follow_mood(previous_mood, text) if previous_mood else score_mood(text)
    return compose_mood(section_id, mood, previous)


def compose_mood(section_id: str, mood: Mood | str, previous: str | None = None) -> Piece:
    """Music for a section whose mood is already known (a label or a scored Mood): the part of
    `compose` after the reading, so benchmarks can judge the music apart from the mood reader."""
    if isinstance(mood, str):
        mood = mood_for_label(mood)
    style = pick_style(mood, section_id)
    result = validate(vary(style, section_id, mood, previous), allowed_sounds=style.sounds)
    if not result.ok:  # a variation the validator refuses is a bug; fall back to the example
        result = validate(style.example)
    assert result.program is not None, f"style {style.name}: its example does not validate"
    return Piece(result.program, style.name, mood.label, why=mood.why())
