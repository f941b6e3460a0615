"""Build step for the music: the sound whitelist the page checks against, and the GM instruments.

Writes dist/webllm_bridge/sounds.json from app/music/subset.py (the one source of truth shared
with the grammar and the validator), plus the converted SoundFont instruments when present.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_sounds(dist: Path, gm: dict | None = None) -> dict:
    from app.music import subset

    payload = {
        "sounds": list(subset.all_sounds()),
        "drums": list(subset.PERCUSSIVE),
        "gm": gm or {"base": "../vendor/soundfont/", "map": {}},
    }
    out = dist / "webllm_bridge" / "sounds.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1))
    return {"sounds": len(payload["sounds"]), "gm": len(payload["gm"]["map"])}


def build_music_assets(dist: Path) -> dict:
    return write_sounds(dist)
