"""The facts the page's JavaScript needs from the Python side, in one record.

`scripts/build.py` writes `page_facts()` to `dist/sound/facts.json`; the JS modules read it
instead of typing the same tables again (sounds, drum keys, MIDI channels, tempo and pace ranges,
engine names, intensity caps).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.llm.catalog import ENGINE_NAMES
from app.midi.gm import DRUM_KEYS
from app.midi.render import channel_for
from app.midi.smf import DRUM_CHANNEL
from app.pace import SETTABLE_WPM
from app.segment import DEFAULT_WPM
from app.strudel import subset


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
    }
