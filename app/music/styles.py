"""Styles are data: one TOML file per style in prompts/styles/, plus the mood sheet prompts/moods.toml.

A style is a band, not a loop: its parts (app/music/parts.py) say what each player does, with a
few rhythm cells and the instruments that may play it, and the arranger (app/compose/arrange.py)
builds each section's piece from them. A style's `example` is the plainest rendering of its parts
(one phrase, first cells, first progression): what a language model is shown, and what endless
mode drifts from.

Adding a style means adding one file; `check_styles()` (run by the tests) says what is wrong with
any of them: unknown sounds, modes or roles, a tempo outside the safe range, an example the
validator refuses or that breaks the style's own promises (drums, sounds, tempo).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.music.harmony import progressions
from app.music.parts import Part, as_step, check_part, fill_cell, layer, motif_slots, parse_part
from app.paths import PROMPTS
from app.strudel import subset

EXAMPLE_MOTIF = (0, 2, 4, 2, 1, 2, 0, -1)  # the example's melody: a plain rise and fall


@dataclass(frozen=True)
class Layer:
    role: str  # what the layer does in the piece: pad, bass, melody, drums, texture...
    code: str  # one Strudel layer, e.g. n("0 2 4").scale("C3:minor").sound("sine").gain(0.2)


@dataclass(frozen=True)
class Style:
    name: str
    moods: tuple[str, ...]
    cpm: tuple[int, int]  # tempo range in cycles per minute
    modes: tuple[str, ...]  # scale modes the style uses ("minor", "lydian", ...)
    sounds: tuple[str, ...]  # instrument palette, all from the shipped whitelist
    drums: bool
    description: str
    example: str  # a complete program: setcpm(...) + stack(layers)
    layers: tuple[Layer, ...] = ()
    example_cpm: int = 0
    key: str = "C"
    parts: tuple[Part, ...] = ()
    progressions: tuple[tuple[int, ...], ...] = ()  # the style's own, besides harmony.toml's

    @property
    def scale(self) -> tuple[str, ...]:
        return self.modes

    def card(self) -> str:
        """The style as a few lines for a language model's prompt (taste, not rules)."""
        roles = ", ".join(layer.role for layer in self.layers)
        return (
            f"Style {self.name}: {self.description}\n"
            f"Tempo setcpm({self.cpm[0]}..{self.cpm[1]}); modes {', '.join(self.modes)}; "
            f"sounds {', '.join(self.sounds)}; {'with' if self.drums else 'no'} drums.\n"
            f"Example ({roles}):\n{self.example}"
        )


def _program(cpm: int, layers: list[Layer]) -> str:
    body = ",\n  ".join(layer.code for layer in layers)
    return f"setcpm({cpm})\nstack(\n  {body}\n)"


def example_layers(parts: tuple[Part, ...], mode: str, key: str = "C") -> list[Layer]:
    """The plainest rendering of a style's parts: first cell of each over the first progression."""
    roots = progressions(mode)[0]
    out = []
    for part in parts:
        cell = part.cells[0]
        notes = list(EXAMPLE_MOTIF[: motif_slots(cell)])
        steps = " ".join(as_step(fill_cell(cell, r if part.pitched else 0, notes)) for r in roots)
        mini = f"<{steps}>" if part.pitched else fill_cell(cell, 0)
        cutoff = part.lpf[0] if part.lpf else None
        code = layer(part, mini, sound=part.sounds[0], key=key, mode=mode, octave=part.octave,
                     cutoff=cutoff, gain=part.gain, sweep_cycles=16)
        out.append(Layer(part.role, code))
    return out


def parse_style(name: str, text: str) -> Style:
    data = tomllib.loads(text)
    parts = tuple(parse_part(p) for p in data.get("parts", ()))
    if parts:
        layers = example_layers(parts, str(data["modes"][0]), str(data.get("key", "C")))
    else:  # a style may still be one written-out loop
        # A layer may be wrapped over several lines, breaking only before a "." call.
        layers = [
            Layer(str(ly["role"]), "".join(line.strip() for line in str(ly["code"]).splitlines()))
            for ly in data["layers"]
        ]
    sounds = tuple(data.get("sounds") or dict.fromkeys(s for p in parts for s in p.sounds))
    cpm = (int(data["cpm"][0]), int(data["cpm"][1]))
    example_cpm = int(data.get("example_cpm", round(sum(cpm) / 2)))
    return Style(
        name=str(data.get("name", name)),
        moods=tuple(data["moods"]),
        cpm=cpm,
        modes=tuple(data["modes"]),
        sounds=sounds,
        drums=bool(data["drums"]),
        description=" ".join(str(data["description"]).split()),
        example=_program(example_cpm, layers),
        layers=tuple(layers),
        example_cpm=example_cpm,
        key=str(data.get("key", "C")),
        parts=parts,
        progressions=tuple(tuple(int(d) for d in p) for p in data.get("progressions", ())),
    )


def load_styles(folder: Path | None = None) -> dict[str, Style]:
    folder = folder or PROMPTS / "styles"
    styles = {}
    for path in sorted(folder.glob("*.toml")):
        style = parse_style(path.stem, path.read_text(encoding="utf-8"))
        styles[style.name] = style
    return styles


@dataclass(frozen=True)
class MoodSheet:
    """Routes a mood label to the styles that serve it, best first."""

    routes: dict[str, tuple[str, ...]]
    descriptions: dict[str, str]


def load_moods(path: Path | None = None) -> MoodSheet:
    data = tomllib.loads((path or PROMPTS / "moods.toml").read_text(encoding="utf-8"))
    routes = {m: tuple(v["styles"]) for m, v in data["moods"].items()}
    descriptions = {m: str(v.get("description", "")) for m, v in data["moods"].items()}
    return MoodSheet(routes, descriptions)


def routes(styles: dict[str, Style], sheet: MoodSheet) -> dict[str, tuple[str, ...]]:
    """Mood -> styles: the sheet's order first, then every style that names the mood itself,
    so adding a style is adding one file."""
    out = {}
    for mood, names in sheet.routes.items():
        listed = [n for n in names if n in styles]
        extra = sorted(n for n, st in styles.items() if mood in st.moods and n not in listed)
        out[mood] = tuple(listed + extra)
    return out


def check_style(style: Style) -> list[str]:
    """Everything wrong with one style; empty when it is usable."""
    from app.strudel.validate import validate  # validate imports nothing from here; avoids a cycle

    problems = []
    where = f"style {style.name!r}"
    low, high = subset.CPM_RANGE
    if not (low <= style.cpm[0] <= style.cpm[1] <= high):
        problems.append(f"{where}: tempo range {style.cpm} is outside {low:g}..{high:g}")
    if not style.cpm[0] <= style.example_cpm <= style.cpm[1]:
        problems.append(f"{where}: example tempo {style.example_cpm} is outside {style.cpm}")
    for mode in style.modes:
        if mode not in subset.MODES:
            problems.append(f"{where}: unknown mode {mode!r}")
    for sound in style.sounds:
        if sound not in subset.all_sounds():
            problems.append(f"{where}: sound {sound!r} is not shipped")
    for i, part in enumerate(style.parts):
        problems += check_part(part, f"{where} part {i + 1} ({part.role})")
    if not 2 <= len(style.layers) <= subset.MAX_LAYERS:
        problems.append(f"{where}: the example has {len(style.layers)} layers (2-{subset.MAX_LAYERS} wanted)")
    for p in style.progressions:
        if len(p) != 4:
            problems.append(f"{where}: progression {p} is not 4 chords")
    if not style.moods or not style.description:
        problems.append(f"{where}: moods and description are required")
    result = validate(style.example, allowed_sounds=style.sounds)
    if not result.ok:
        problems.append(f"{where}: example refused: {'; '.join(result.errors)}")
    elif result.notes:
        problems.append(f"{where}: example needed clamping: {'; '.join(result.notes)}")
    else:
        uses_drums = any(s in subset.PERCUSSIVE for s in result.sounds)
        if uses_drums and not style.drums:
            problems.append(f"{where}: drums = false but the example uses {result.sounds}")
    return problems


def check_styles(styles: dict[str, Style] | None = None, moods: MoodSheet | None = None) -> list[str]:
    styles = styles if styles is not None else load_styles()
    moods = moods if moods is not None else load_moods()
    problems = [p for style in styles.values() for p in check_style(style)]
    for mood, names in moods.routes.items():
        for name in names:
            if name not in styles:
                problems.append(f"mood {mood!r} routes to unknown style {name!r}")
    for name, style in styles.items():
        for mood in style.moods:
            if mood not in moods.routes:
                problems.append(f"style {name!r}: mood {mood!r} is not in moods.toml")
    return problems


if __name__ == "__main__":  # `python -m app.music.styles`: check every style file
    found = check_styles()
    print("\n".join(found) or f"{len(load_styles())} styles OK")
    raise SystemExit(1 if found else 0)
