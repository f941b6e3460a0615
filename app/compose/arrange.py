"""The arranger: a style's parts, a key, a mode and a mood in; a piece that develops out.

For one section it plans the form (form.py: intro, A and B phrases, release), picks two chord
progressions (one for A, one for B) from the mode's family, writes a motif per melodic part and
varies it phrase by phrase (motif.py), chooses each part's instrument, register and filter for how
bright the mood is, and writes every part as one Strudel layer whose notes run the whole form:

    n("<~ [[0,2,4] [4,6,8] [5,7,9] [3,5,7]] ...>/4")   each bracket a phrase, each step a cycle

The code stays plain Strudel from the whitelist, so the validator, the page and the reader's own
edits treat it like any other piece.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from app.compose.form import PHRASE, Form, plan_form
from app.compose.motif import Motif, answer, make_motif, phrase_of, sequence, split_steps
from app.music.harmony import Progression, progressions
from app.music.parts import Part, as_step, fill_cell, layer
from app.music.styles import Style

FIGURED = ("arp", "chords")  # accompaniment whose figure a player may turn round (a bass keeps its root down)
LOWER_OCTAVE = {"A", "Bb", "B"}  # these sit below C: one octave down keeps the pitch close
BRIGHT_REGISTER = 0.62  # a mood brighter than this plays a style's "brighten" parts an octave up


@dataclass(frozen=True)
class Setting:
    """Everything about a section the arranger needs besides the style."""

    key: str
    mode: str
    cpm: int
    brightness: float  # 0 dark .. 1 bright: instruments, filters, colours (with a little chance)
    arc: str = "steady"  # where the passage is going: "rise", "fall" or "steady"
    urgent: bool = False  # an intense mood: the band plays from the first bar
    # The mood's own brightness, without chance: it alone lifts a part an octave, so a mood keeps
    # its register (chance near the line split pastoral pieces between two octaves, 0.8 vs 1.6 kHz).
    register: float | None = None


@dataclass(frozen=True)
class Ideas:
    """Material someone else chose (a language model's score sheet, app/compose/sheet.py): the A
    phrases' progression, the tune's motif, the instrument that carries the tune."""

    progression: Progression | None = None
    motif: tuple[int, ...] | None = None
    lead: str | None = None


def lead_part(style: Style) -> int:
    """Which part carries the tune: the melody, else the first arpeggio or chord part."""
    for roles in (("melody",), ("arp", "chords"), ("pad",)):
        for i, part in enumerate(style.parts):
            if part.role in roles and part.pitched:
                return i
    return 0


def arrange(style: Style, setting: Setting, rng: random.Random, ideas: Ideas | None = None) -> str:
    ideas = ideas or Ideas()
    form = plan_form(setting.cpm, setting.arc, setting.urgent, rng)
    plans = _harmonic_plan(style, setting.mode, rng)
    if ideas.progression:
        plans = {**plans, "intro": ideas.progression, "A": ideas.progression, "release": ideas.progression}
    lead = lead_part(style)
    parts = [_entry_varied(part, rng) for part in style.parts]
    layers = [_part_layer(part, style, setting, form, plans, rng,
                          ideas=ideas if i == lead else None) for i, part in enumerate(parts)]
    if not any(form.plays(p, 0) for p in parts):  # something must sound from the start
        layers[0] = _part_layer(parts[0], style, setting, form, plans, rng, force_intro=True,
                                ideas=ideas if lead == 0 else None)
    body = ",\n  ".join(layers)
    return f"setcpm({setting.cpm})\nstack(\n  {body}\n)"


def _entry_varied(part: Part, rng: random.Random) -> Part:
    """Late parts do not always come in at the same place: one that joins for the second body
    phrase may wait for the peak this time, and the other way round (orchestration varies)."""
    late = {"second": "peak", "peak": "second"}
    if part.enter in late and rng.random() < 0.4:
        return replace(part, enter=late[part.enter])
    return part


def _harmonic_plan(style: Style, mode: str, rng: random.Random) -> dict[str, Progression]:
    choices = list(style.progressions) + list(progressions(mode))
    a = rng.choice(choices)
    b = rng.choice([p for p in choices if p != a] or [a])
    c = rng.choice([p for p in choices if p not in (a, b)] or [b])  # the bridge's own chords
    return {"intro": a, "A": a, "B": b, "C": c, "release": a}


def _pick(options: tuple[str, ...], brightness: float, rng: random.Random) -> str:
    """Darkest first in the style file: a bright mood reaches for the later ones."""
    index = round(brightness * (len(options) - 1))
    if len(options) > 1 and rng.random() < 0.3:
        index += rng.choice((-1, 1))
    return options[max(0, min(len(options) - 1, index))]


def _part_layer(part: Part, style: Style, setting: Setting, form: Form, plans: dict[str, Progression],
                rng: random.Random, force_intro: bool = False, ideas: Ideas | None = None) -> str:
    # This section's way of playing the part: which cell is A's and which B's, the chords'
    # inversion, and sometimes the rhythm one step later (displaced), so two sections of one style
    # share the band, not the notes.
    order = rng.sample(part.cells, len(part.cells)) if part.role != "melody" else list(part.cells)
    inversion = rng.randrange(3) if any(c in cell for cell in part.cells for c in ("c", "c7")) else 0
    if part.role in FIGURED:
        order = [vary_figure(c, rng) for c in order]
    if part.role in ("pad", "chords"):
        coloured = [_coloured(c, setting.brightness, rng) for c in order]
        if coloured != order:  # four voices where three were: as loud as the triads were
            part = replace(part, gain=round(part.gain * 3 / 4, 3))
        order = coloured
    if part.role not in ("melody", "drums") and rng.random() < 0.3:
        order = [displace_cell(c) for c in order]
    part = replace(part, cells=tuple(order))
    motifs = _motifs(part, rng, ideas.motif if ideas else None) if part.role == "melody" else {}
    phrases = []
    for i, label in enumerate(form.labels):
        if not (form.plays(part, i) or (force_intro and i == 0)):
            phrases.append("~")
            continue
        roots = plans[label]
        cells = _cells(part, label, i, len(form.labels), rng)
        if part.role == "melody":
            line = phrase_of(motifs[label if label in motifs else "A"], rng, PHRASE)
            if label == "release":  # the tune takes leave: statement, then silence
                line = line[:2]
            steps = [fill_cell(m.cell, roots[c], list(m.notes)) for c, m in enumerate(line)]
            steps += ["~"] * (PHRASE - len(steps))
        else:
            steps = [fill_cell(cell, roots[c] if part.pitched else 0, inversion=inversion)
                     for c, cell in enumerate(cells)]
        phrases.append(_phrase_text(steps))
    mini = f"<{' '.join(phrases)}>/{PHRASE}"
    octave = part.octave - (1 if setting.key in LOWER_OCTAVE and part.octave > 1 else 0)
    lift = setting.brightness if setting.register is None else setting.register
    if part.brighten and lift > BRIGHT_REGISTER and octave < 6:
        octave += 1
    cutoff = None
    if part.lpf:
        dark, bright = part.lpf
        cutoff = dark + (bright - dark) * setting.brightness
    mode = setting.mode if setting.mode in style.modes else style.modes[0]
    sound = _pick(part.sounds, setting.brightness, rng)
    if ideas and ideas.lead:
        sound = ideas.lead
    return layer(part, mini, sound=sound, key=setting.key,
                 mode=mode, octave=octave, cutoff=cutoff, gain=part.gain, sweep_cycles=form.cycles)


def _motifs(part: Part, rng: random.Random, notes: tuple[int, ...] | None = None) -> dict[str, Motif]:
    a = make_motif(rng, part.cells[0])
    if notes:  # someone else's tune, fitted to this part's rhythm (repeated if it is short)
        want = len(a.notes)
        a = Motif(part.cells[0], tuple(notes[i % len(notes)] for i in range(want))).fits()
    if len(part.cells) > 1:
        b = answer(a, part.cells[1]) if rng.random() < 0.5 else make_motif(rng, part.cells[1])
    else:
        b = answer(a, part.cells[0])
    # The bridge's tune: the A motif moved up a step or two, or B's reply inverted.
    c = sequence(a, rng.choice((1, 2, -2))) if rng.random() < 0.5 else answer(b, part.cells[0])
    return {"A": a, "B": b, "C": c}


def _cells(part: Part, label: str, phrase: int, phrases: int, rng: random.Random) -> list[str]:
    """The part's cell for each cycle of a phrase: A phrases its first cell, B its second, a fill
    (if it has fills) closing every body phrase, and an occasional variant for a long form."""
    main = part.cells[1 % len(part.cells)] if label == "B" else part.cells[0]
    if label == "C":  # the bridge: a cell of its own, else B's one step later
        main = part.cells[2] if len(part.cells) > 2 else displace_cell(part.cells[1 % len(part.cells)])
    cells = [main] * PHRASE
    if len(part.cells) > 2 and label in ("A", "B") and rng.random() < 0.5:
        cells[2] = rng.choice(part.cells[2:])
    if part.fills and label in ("A", "B", "C"):
        cells[-1] = rng.choice(part.fills)
    if label == "release" and len(part.cells) > 1:
        cells[-2:] = [part.cells[0], part.cells[0]]
    return cells


def _coloured(cell: str, brightness: float, rng: random.Random) -> str:
    """Plain triads take a colour this time: a seventh, or in a bright mood an added ninth."""
    if not re.search(r"\bc\b", cell):
        return cell
    roll = rng.random()
    colour = "c9" if roll < 0.25 and brightness > 0.5 else "c7" if roll < 0.45 else "c"
    return re.sub(r"\bc\b", colour, cell)


def vary_figure(cell: str, rng: random.Random) -> str:
    """The same notes in another order, as a player varies an accompaniment figure: as written,
    backwards (a falling arpeggio for a rising one), or started from another step."""
    steps = split_steps(cell)
    if len(steps) < 3 or "," in cell:
        return cell
    choice = rng.random()
    if choice < 0.35:
        return cell
    if choice < 0.65:
        return " ".join(reversed(steps))
    turn = rng.randrange(1, len(steps))
    return " ".join(steps[turn:] + steps[:turn])


def displace_cell(cell: str) -> str:
    """A cell one step later: its last step wraps round to the front (a hold becomes a rest)."""
    steps = split_steps(cell)
    if len(steps) < 2 or "," in cell:
        return cell
    last = steps[-1]
    return " ".join(["~" if last == "_" else last, *steps[:-1]])


def _phrase_text(steps: list[str]) -> str:
    """Four cycles as one bracketed step of the form; repeats folded (a!2), silence as ~."""
    if all(s.strip() in ("~", "") for s in steps):
        return "~"
    out: list[tuple[str, int]] = []
    for step in (as_step(s) for s in steps):
        if out and out[-1][0] == step:
            out[-1] = (step, out[-1][1] + 1)
        else:
            out.append((step, 1))
    return "[" + " ".join(s if n == 1 else f"{s}!{n}" for s, n in out) + "]"
