"""The facts the page's JavaScript needs from the Python side, in one record.

`scripts/build.py` writes `page_facts()` to `dist/sound/facts.json`; the JS modules read it
instead of typing the same tables again (sounds, drum keys, MIDI channels, tempo and pace ranges,
engine names, intensity caps).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.llm.catalog import ENGINE_NAMES
from app.messages import MESSAGE_KINDS
from app.midi.gm import DRUM_KEYS
from app.midi.render import channel_for
from app.midi.smf import DRUM_CHANNEL
from app.pace import SETTABLE_WPM
from app.segment import DEFAULT_WPM
from app.strudel import subset
from app.strudel.validate import PROGRAM_CALLS, SIGNAL_METHODS, SOURCE_NAMES


def page_facts() -> dict[str, Any]:
    return {
        "sounds": list(subset.all_sounds()),
        "drums": sorted(subset.PERCUSSIVE),
        "drum_keys": dict(DRUM_KEYS),
        "drum_channel": DRUM_CHANNEL,
        "melodic_channels": [channel_for(layer, False) for layer in range(15)],
        "default_cpm": subset.DEFAULT_CPM,
        "cpm_range": list(subset.CPM_RANGE),
        "default_wpm": DEFAULT_WPM,
        "wpm_range": list(SETTABLE_WPM),
        "engine_names": dict(ENGINE_NAMES),
        "intensity": {name: asdict(cap) for name, cap in subset.INTENSITY.items()},
        "default_intensity": subset.DEFAULT_INTENSITY,
        "message_kinds": list(MESSAGE_KINDS),
        "syntax": code_words(),
    }


def code_words() -> dict[str, list[str]]:
    """The words of the Strudel subset, by kind, for the code view's highlighting: the same
    tables the validator parses with, so a word the page colours as known is one it accepts."""
    return {
        "program": list(PROGRAM_CALLS),
        "sources": sorted(SOURCE_NAMES),
        "methods": sorted({"scale", "s", "sound", *subset.EFFECTS}),
        "signals": list(subset.SIGNALS),
        "signal_methods": list(SIGNAL_METHODS),
        "sounds": list(subset.all_sounds()),
        "modes": list(subset.MODES),
    }
