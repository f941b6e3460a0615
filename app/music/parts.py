"""The parts of a style, and the little cell language they are written in.

A style file (prompts/styles/*.toml) describes each part of its band, not one fixed loop: what
role it plays, the instruments that can play it (darkest first), its register, and a few rhythm
*cells*, each one cycle long. Cells are mini-notation with placeholders the arranger fills in:

    pitched parts   whole numbers are scale degrees counted from the current chord's root
                    ("0 ~ 4 ~" = root, rest, fifth); `c` is the chord itself ([0,2,4]),
                    `c7` the chord with its seventh, `c5` root and fifth (a power chord)
    melody          `x` is the next note of the motif, `_` holds it, `~` rests
    drums, noise    sound names as they are ("bd ~ sd ~, hh*8")

So a cell written once in C major plays right over any chord of any key and mode: scale degrees
keep every note in the scale, and the chord root moves the cell along the harmonic plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.strudel import subset

ROLES = ("pad", "chords", "bass", "arp", "melody", "drums", "texture")
ENTRIES = ("intro", "body", "second", "peak")  # when a part enters the arrangement
CHORDS = {"c": (0, 2, 4), "c7": (0, 2, 4, 6), "c5": (0, 4), "c9": (0, 2, 4, 8)}
_TOKEN = re.compile(r"-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z_0-9]*|\S")
_MODIFIERS = "*/!@"  # a number after one of these counts steps; it is not a scale degree


@dataclass(frozen=True)
class Part:
    role: str  # one of ROLES
    sounds: tuple[str, ...]  # who can play it, darkest first
    cells: tuple[str, ...]  # one-cycle patterns: the first is the A section's, the next the B's
    octave: int = 3  # register of the scale's root
    fx: str = ""  # effects as Strudel calls, e.g. ".attack(1).release(3).room(0.4)"
    gain: float = 0.2
    lpf: tuple[float, float] | None = None  # low-pass cutoff from dark to bright moods
    sweep: bool = False  # the cutoff breathes slowly over the arrangement
    enter: str = "intro"  # one of ENTRIES
    release: bool = True  # still plays in the closing phrase
    fills: tuple[str, ...] = ()  # cells for the last cycle of a phrase (drums, bass turnarounds)
    brighten: bool = False  # bright moods play it an octave higher

    @property
    def pitched(self) -> bool:
        """Scale degrees (n + scale + sound) rather than sound names (s)."""
        words = {t for c in self.cells + self.fills for t in _TOKEN.findall(c) if t[0].isalpha()}
        return not words - set(CHORDS) - {"x"}


def parse_part(data: dict) -> Part:
    lpf = data.get("lpf")
    return Part(
        role=str(data["role"]),
        sounds=tuple(data["sounds"]),
        cells=tuple(str(c) for c in data["cells"]),
        octave=int(data.get("octave", 3)),
        fx="".join(line.strip() for line in str(data.get("fx", "")).splitlines()),
        gain=float(data.get("gain", 0.2)),
        lpf=(float(lpf[0]), float(lpf[1])) if lpf else None,
        sweep=bool(data.get("sweep", False)),
        enter=str(data.get("enter", "intro")),
        release=bool(data.get("release", True)),
        fills=tuple(str(c) for c in data.get("fills", ())),
        brighten=bool(data.get("brighten", False)),
    )


def check_part(part: Part, where: str) -> list[str]:
    problems = []
    if part.role not in ROLES:
        problems.append(f"{where}: unknown role {part.role!r} (one of {', '.join(ROLES)})")
    if part.enter not in ENTRIES:
        problems.append(f"{where}: enter = {part.enter!r} (one of {', '.join(ENTRIES)})")
    if not part.cells:
        problems.append(f"{where}: a part needs at least one cell")
    for sound in part.sounds:
        if sound not in subset.all_sounds():
            problems.append(f"{where}: sound {sound!r} is not shipped")
    if not 1 <= part.octave <= 6:
        problems.append(f"{where}: octave {part.octave} is outside 1..6")
    melodic = [c for c in part.cells if "x" in _TOKEN.findall(c)]
    if part.role == "melody" and len(melodic) != len(part.cells):
        problems.append(f"{where}: every melody cell needs x for its notes")
    return problems


def voiced(chord: tuple[int, ...], inversion: int) -> tuple[int, ...]:
    """A chord's degrees in an inversion: the lowest tones move up an octave (7 scale steps), and
    the whole chord comes down an octave when that lifts it too far above the root."""
    tones = list(chord)
    for _ in range(inversion % len(tones)):
        tones = [*tones[1:], tones[0] + 7]
    return tuple(t - 7 for t in tones) if tones[0] > 3 else tuple(tones)


def fill_cell(cell: str, root: int, notes: list[int] | None = None, inversion: int = 0) -> str:
    """A cell with its placeholders filled: degrees moved to `root`, chords spelled out (in an
    `inversion`), `x` taken from `notes` in order (the motif). Returns mini-notation for one cycle."""
    pending = list(notes or [])
    out: list[str] = []
    counting = 0  # inside (pulses,steps): numbers there are counts
    for token in _TOKEN.findall(cell):
        counting += (token == "(") - (token == ")")
        degree = re.fullmatch(r"-?\d+", token) and not counting and not (out and out[-1] in _MODIFIERS)
        if degree:
            out.append(str(root + int(token)))
        elif token in CHORDS:
            out.append("[" + ",".join(str(root + d) for d in voiced(CHORDS[token], inversion)) + "]")
        elif token == "x":
            out.append(str(root + (pending.pop(0) if pending else 0)))
        else:
            out.append(token)
    return _join(out)


def _join(tokens: list[str]) -> str:
    """Tokens back into mini-notation: spaces between steps, none inside modifiers."""
    text = ""
    for token in tokens:
        glue = not text or text[-1] in "[<(,*!/@" or token in "]>(),*!/@?"
        text += token if glue else " " + token
    return text.replace(" ,", ",").replace(", ", ",")


def motif_slots(cell: str) -> int:
    """How many notes a melody cell asks for."""
    return _TOKEN.findall(cell).count("x")


def as_step(mini: str) -> str:
    """One cycle as a single step of a longer sequence: bracketed unless it already is one."""
    if re.fullmatch(r"-?\d+|~|[a-z_]+|\[[^\[\]]*\]", mini):
        return mini
    return f"[{mini}]"


def layer(part: Part, mini: str, *, sound: str, key: str, mode: str, octave: int,
          cutoff: float | None, gain: float, sweep_cycles: int = 0) -> str:
    """One Strudel layer for a part: its notes (or drum names), scale, sound, effects, gain."""
    code = f'n("{mini}").scale("{key}{octave}:{mode}").sound("{sound}")' if part.pitched else f's("{mini}")'
    code += part.fx
    if cutoff is not None:
        if sweep_cycles and part.sweep:
            code += f".lpf(sine.range({round(cutoff * 0.55)}, {round(cutoff)}).slow({sweep_cycles}))"
        else:
            code += f".lpf({round(cutoff)})"
    return code + f".gain({gain:.3g})"
