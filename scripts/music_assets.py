"""Build step for the music: the sound whitelist the page checks against, and the GM instruments.

Writes dist/webllm_bridge/sounds.json from app/strudel/subset.py (the one source of truth shared
with the grammar and the validator), plus the converted SoundFont instruments when present.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_sounds(dist: Path, gm: dict | None = None) -> dict:
    from app.strudel import subset

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
    from soundfont import DEFAULT_SF3, convert

    if not DEFAULT_SF3.exists():
        sys.exit(
            f"{DEFAULT_SF3} is missing: install Debian's musescore-general-soundfont-small "
            "(scripts/setup.sh does it) to ship the General MIDI instruments."
        )
    out = dist / "vendor" / "soundfont"
    sample_map = convert(out)
    (out / "LICENSE.md").write_text((ROOT / "prompts" / "SOUNDFONT-LICENSE.md").read_text())
    return write_sounds(dist, {"base": "../vendor/soundfont/", "map": sample_map})
