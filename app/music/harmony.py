"""Harmonic plans as data: prompts/harmony.toml holds chord progressions per family of modes."""

from __future__ import annotations

import tomllib
from functools import cache

from app.paths import PROMPTS

Progression = tuple[int, ...]  # chord roots as scale degrees, one chord per cycle


@cache
def _table() -> dict:
    return tomllib.loads((PROMPTS / "harmony.toml").read_text(encoding="utf-8"))


def family(mode: str) -> str:
    """"bright", "dark" or "edge": which progressions suit a mode."""
    for name, modes in _table()["families"].items():
        if mode in modes:
            return str(name)
    return "dark"


def progressions(mode: str) -> tuple[Progression, ...]:
    return tuple(tuple(int(d) for d in p) for p in _table()["progressions"][family(mode)])


def check_harmony() -> list[str]:
    from app.strudel import subset

    table = _table()
    named = {m for modes in table["families"].values() for m in modes}
    problems = [f"harmony.toml: mode {m!r} has no family" for m in subset.MODES if m not in named]
    for name, plans in table["progressions"].items():
        problems += [f"harmony.toml: {name} progression {p} is not 4 chords" for p in plans if len(p) != 4]
    return problems
