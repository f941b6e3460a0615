"""Build step for the music: the page's facts (sound whitelist, drum keys, channels, tempo...) and
the GM instruments.

Writes dist/sound/facts.json from app/seam.py `page_facts()` (the one source of truth shared with
the grammar, the validator and the MIDI writer) with the converted SoundFont instruments' sample
map, loop points and release times under "gm".
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


FACTS = Path("sound") / "facts.json"  # where the page reads them (sound/facts.js), under dist/


def write_facts(dist: Path, gm: dict | None = None) -> dict:
    from app.seam import page_facts

    payload = page_facts()
    payload["gm"] = gm or {"base": "../vendor/soundfont/", "map": {}}
    out = dist / FACTS
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
    converted = convert(out)
    (out / "LICENSE.md").write_text((ROOT / "prompts" / "SOUNDFONT-LICENSE.md").read_text())
    gm = converted.facts("../vendor/soundfont/")
    # What each instrument weighs: the page says what keeping them all for offline costs.
    gm["bytes"] = {
        name: sum((out / f).stat().st_size for f in files(bank)) for name, bank in gm["map"].items()
    }
    # What the service worker caches on first use (scripts/build.py): the page keeps these for
    # offline with one button, and plays a synth in their place when one was never fetched.
    unplayed = set(drums_no_style_plays())
    gm["lazy"] = sorted(name for name in gm["map"] if name.startswith("gm_") or name in unplayed)
    return write_facts(dist, gm)


def drums_no_style_plays() -> list[str]:
    """The kit's drums that no style's cells or fills play (prompts/styles/*.toml): a model may
    still write them, so they ship, but cached on first use like the instruments (open hi-hat,
    high tom and crash: 0.19 MB that no first visit needs)."""
    from app.music.styles import load_styles
    from app.strudel.subset import GM_DRUMS

    played = {word for style in load_styles().values() for part in style.parts
              for cell in part.cells + part.fills for word in re.findall(r"[a-z]+", cell)}
    return sorted(set(GM_DRUMS) - played)


def files(bank: list[str] | dict[str, list[str]]) -> list[str]:
    """The sample files of one sound in the map: a drum's list, or an instrument's note -> files."""
    return list(bank) if isinstance(bank, list) else [f for group in bank.values() for f in group]
