"""General MIDI numbers for the app's sound names: programs for pitched sounds, keys for drums."""

from __future__ import annotations

import re
import tomllib

from app.paths import PROMPTS

# The 128 General MIDI Level 1 program names, in program order (0-based).
GM_PROGRAMS = """
acoustic grand piano|bright acoustic piano|electric grand piano|honky-tonk piano|electric piano 1|
electric piano 2|harpsichord|clavinet|celesta|glockenspiel|music box|vibraphone|marimba|xylophone|
tubular bells|dulcimer|drawbar organ|percussive organ|rock organ|church organ|reed organ|accordion|
harmonica|tango accordion|acoustic guitar nylon|acoustic guitar steel|electric guitar jazz|
electric guitar clean|electric guitar muted|overdriven guitar|distortion guitar|guitar harmonics|
acoustic bass|electric bass finger|electric bass pick|fretless bass|slap bass 1|slap bass 2|
synth bass 1|synth bass 2|violin|viola|cello|contrabass|tremolo strings|pizzicato strings|
orchestral harp|timpani|string ensemble 1|string ensemble 2|synth strings 1|synth strings 2|
choir aahs|voice oohs|synth choir|orchestra hit|trumpet|trombone|tuba|muted trumpet|french horn|
brass section|synth brass 1|synth brass 2|soprano sax|alto sax|tenor sax|baritone sax|oboe|
english horn|bassoon|clarinet|piccolo|flute|recorder|pan flute|blown bottle|shakuhachi|whistle|
ocarina|lead 1 square|lead 2 sawtooth|lead 3 calliope|lead 4 chiff|lead 5 charang|lead 6 voice|
lead 7 fifths|lead 8 bass lead|pad 1 new age|pad 2 warm|pad 3 polysynth|pad 4 choir|pad 5 bowed|
pad 6 metallic|pad 7 halo|pad 8 sweep|fx 1 rain|fx 2 soundtrack|fx 3 crystal|fx 4 atmosphere|
fx 5 brightness|fx 6 goblins|fx 7 echoes|fx 8 sci-fi|sitar|banjo|shamisen|koto|kalimba|bagpipe|
fiddle|shanai|tinkle bell|agogo|steel drums|woodblock|taiko drum|melodic tom|synth drum|
reverse cymbal|guitar fret noise|breath noise|seashore|bird tweet|telephone ring|helicopter|
applause|gunshot
"""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


PROGRAM_BY_SLUG = {
    _slug(name): i for i, name in enumerate(n.strip() for n in GM_PROGRAMS.split("|")) if name
}
assert len(PROGRAM_BY_SLUG) == 128

# Strudel's own names for a few GM instruments that differ from the spec's wording.
ALIASES = {
    "piano": 0,
    "epiano1": 4,
    "epiano2": 5,
    "accordion": 21,
    "music_box": 10,
    "string_ensemble_1": 48,
    "synth_strings_1": 50,
    "pad_new_age": 88,
    "pad_warm": 89,
    "pad_poly": 90,
    "pad_choir": 91,
    "pad_bowed": 92,
    "pad_metallic": 93,
    "pad_halo": 94,
    "pad_sweep": 95,
    "lead_1_square": 80,
    "lead_2_sawtooth": 81,
}

# Built-in synths get the GM program nearest in colour, so a synth-only piece still sounds alike.
SYNTHS = {
    "sine": 89,  # pad 2 (warm)
    "triangle": 88,  # pad 1 (new age)
    "tri": 88,
    "square": 80,  # lead 1 (square)
    "sq": 80,
    "pulse": 80,
    "sawtooth": 81,  # lead 2 (sawtooth)
    "saw": 81,
    "supersaw": 90,  # pad 3 (polysynth)
}

# Unpitched sounds → General MIDI percussion keys (played on the drum channel).
DRUM_KEYS = {
    "sbd": 36, "bd": 36, "kick": 36, "rim": 37, "rs": 37, "sd": 38, "snare": 38, "cp": 39,
    "clap": 39, "lt": 45, "hh": 42, "ch": 42, "mt": 47, "oh": 46, "ht": 50, "cr": 49, "crash": 49,
    "rd": 51, "ride": 51, "cb": 56, "tb": 54, "perc": 39,
    # Noise sources have no pitch; a shaker/hat is the nearest drum-kit sound.
    "white": 70, "pink": 70, "brown": 70, "crackle": 69,
}


def is_drum(sound: str) -> bool:
    return sound.lower() in DRUM_KEYS


def _shipped_programs() -> dict[str, int]:
    """The program numbers of the shipped General MIDI instruments, from the file that ships them."""
    path = PROMPTS / "soundfont.toml"
    try:
        return {str(k): int(v) for k, v in tomllib.loads(path.read_text())["instruments"].items()}
    except (OSError, KeyError, ValueError):
        return {}


SHIPPED = _shipped_programs()


def program_for(sound: str) -> int:
    """GM program for a sound name such as "gm_violin", "gm_pad_warm" or "triangle"."""
    name = sound.lower()
    if name in SHIPPED:
        return SHIPPED[name]
    if name in SYNTHS:
        return SYNTHS[name]
    slug = _slug(name.removeprefix("gm_"))
    if slug in PROGRAM_BY_SLUG:
        return PROGRAM_BY_SLUG[slug]
    if slug in ALIASES:
        return ALIASES[slug]
    # Strudel sometimes drops the trailing number ("gm_epiano"); try the numbered form.
    for candidate in (f"{slug}_1", slug.rstrip("_0123456789")):
        if candidate in PROGRAM_BY_SLUG:
            return PROGRAM_BY_SLUG[candidate]
    return 0
