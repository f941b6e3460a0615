"""The Strudel subset BookMusic plays: every whitelist, in one place.

The grammar (grammar.py) and the validator (validate.py) are both built from these tables, so
what a language model may write and what the page may play can never drift apart.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from app.paths import PROMPTS

# Sounds that play offline: Strudel's built-in synths and noises (no files needed).
SYNTH_SOUNDS: tuple[str, ...] = ("sine", "triangle", "square", "sawtooth", "supersaw", "pulse")
NOISE_SOUNDS: tuple[str, ...] = ("white", "pink", "brown", "crackle")
# General MIDI instruments and the sampled drum kit: prompts/soundfont.toml lists them,
# scripts/soundfont.py ships exactly those (converted at build time from a free SoundFont), so the
# lists are read from the same file.
_SOUNDFONT = tomllib.loads((PROMPTS / "soundfont.toml").read_text())
GM_SOUNDS: tuple[str, ...] = tuple(_SOUNDFONT["instruments"])
GM_DRUMS: tuple[str, ...] = tuple(_SOUNDFONT.get("drums", {}))  # bd, sd, hh...: one-shot samples
DRUM_SOUNDS: tuple[str, ...] = ("sbd", *GM_DRUMS)  # sbd: Strudel's synthesized kick

# Sounds whose layers are percussion: dropped when the reader caps intensity.
PERCUSSIVE: frozenset[str] = frozenset(DRUM_SOUNDS)


@dataclass(frozen=True)
class Intensity:
    """A cap the reader puts on the music: the validator applies it, so what plays, what the page
    shows and what is exported are the same code."""

    label: str
    drums: bool = True
    ceiling: float = 1.0  # highest gain any layer may have
    # The player's loudness stage evens every piece out to one target level; a softer cap plays
    # this many dB under it (else the stage would bring "Soft" back up to full loudness).
    level_db: float = 0.0


INTENSITY: dict[str, Intensity] = {
    "full": Intensity("Full"),
    "nodrums": Intensity("No drums", drums=False),
    "soft": Intensity("Soft", drums=False, ceiling=0.15, level_db=-8.0),
}
DEFAULT_INTENSITY = "full"

MODES: tuple[str, ...] = (
    "major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "aeolian", "locrian",
    "major:pentatonic", "minor:pentatonic", "harmonic:minor", "melodic:minor", "whole:tone",
)
SIGNALS: tuple[str, ...] = ("sine", "cosine", "saw", "isaw", "tri", "square", "perlin", "rand")


@dataclass(frozen=True)
class Effect:
    """A chainable method taking one number or slow signal, clamped to [low, high]."""

    name: str
    low: float
    high: float
    integer: bool = False


# Ranges keep the music safe to read to: no piercing resonance, no runaway feedback, no blasts.
EFFECTS: dict[str, Effect] = {
    e.name: e
    for e in (
        Effect("gain", 0.0, 0.6),
        Effect("velocity", 0.0, 1.0),
        Effect("lpf", 60.0, 12000.0),
        Effect("hpf", 20.0, 6000.0),
        Effect("lpq", 0.0, 12.0),
        Effect("attack", 0.0, 6.0),
        Effect("decay", 0.0, 6.0),
        Effect("sustain", 0.0, 1.0),
        Effect("release", 0.0, 8.0),
        Effect("room", 0.0, 1.0),
        Effect("size", 0.0, 8.0),
        Effect("delay", 0.0, 0.6),
        Effect("delaytime", 0.02, 2.0),
        Effect("delayfeedback", 0.0, 0.7),
        # Not hard left or right: one ear only is tiring to read to (and lost on one earbud).
        Effect("pan", 0.15, 0.85),
        Effect("shape", 0.0, 0.6),
        Effect("legato", 0.05, 4.0),
        Effect("fm", 0.0, 8.0),
        Effect("fmh", 0.25, 8.0),
        Effect("degradeBy", 0.0, 0.9),
        Effect("slow", 0.25, 32.0),
        Effect("fast", 0.25, 4.0),
    )
}
# Effects that act again when called again (slow(2).slow(2) is slow(4)); every other effect sets a
# value, and a later call of it in the same chain overrides an earlier one.
REPEATING_EFFECTS: frozenset[str] = frozenset({"slow", "fast", "degradeBy"})

# Musical safety for reading.
CPM_RANGE: tuple[float, float] = (8.0, 60.0)
DEFAULT_CPM = 20.0
MAX_LAYERS = 5
MAX_METHODS = 12  # chained calls per layer
GAIN_CEILING = EFFECTS["gain"].high
DEFAULT_GAIN = 0.25  # added to a layer with no gain: Strudel's own default (0.8) is far too loud
MAX_SUBDIVISION = 16  # "x*N", euclid pulses: more events than this per step is noise, not music
# The whole program's notes per cycle (every layer, chord notes, *, !, euclid and fast counted):
# the shipped styles use 5 to 20; past this the page spends its frames scheduling notes.
MAX_EVENTS_PER_CYCLE = 64
# Voice-weighted loudness: the sum over layers of (notes sounding at once x gain x how peaky the
# sound is x 1 + its distortion). Above the budget the gains are scaled down together, so five
# layers of big chords cannot be louder than a full style. Measured in the page (the master output
# before its limiter): layers all in phase at the budget peak just under full scale.
LOUDNESS_BUDGET = 1.0
# Under this a whole piece is too quiet to be the music of a section (a model's piece measured
# -44 dBFS, a lone bell at gain 0.05): its gains are raised together until it reaches it, so the
# player's loudness stage has a piece it can bring to the target within its bounded boost. The
# shipped styles sit at 0.5-1.0, ten times above it.
LOUDNESS_FLOOR = 0.05
# Peak per unit of gain, measured in the page: a synthesized kick's attack and the bright
# oscillators peak above the gain they are given, and so do a few SoundFont instruments' loudest
# samples (bench/palette.py: each sound's lowest, middle and highest sample, to 0.1); every
# other sound, the sampled drums included, stays at or under it (gm_epiano1 within 1.1).
PEAK_WEIGHT: dict[str, float] = {
    "sbd": 1.6, "supersaw": 1.3, "sawtooth": 1.2, "square": 1.2, "pulse": 1.2,
    "gm_pad_halo": 1.4, "gm_synth_strings_1": 1.4,
}
# The floor of a layer's gain x its notes at once (-40 dBFS): below it a layer is inaudible under
# the others, a bug (gain 0.003), not music. The quietest shipped layers (noise beds, 0.025) sit
# above it; the loudness budget brings gains down toward their floors, never under them.
GAIN_FLOOR = 0.01
# Filters must let the layer's own notes through (Strudel's are 12 dB/octave, -3 dB at the
# cutoff): a low-pass more than FILTER_MARGIN under the highest note's fundamental (its top notes
# over 7 dB down, the lowest ones often gone), or a high-pass more than FILTER_MARGIN over the
# lowest one, moves to FILTER_MARGIN beyond the notes. The shipped styles' filters stay as written
# in every key the composers use: a muffled pad is taste, a silent one a bug.
FILTER_MARGIN = 1.5
MAX_NUMBER_DIGITS = 5
MAX_NESTING = 8  # [ and < groups inside each other: styles use 3; deeper only costs the parser


def all_sounds() -> tuple[str, ...]:
    return SYNTH_SOUNDS + NOISE_SOUNDS + DRUM_SOUNDS + GM_SOUNDS
