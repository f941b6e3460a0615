"""A score sheet: what a small language model writes instead of code.

A 135M-parameter model writing whole Strudel programs copies its example and sounds worse than the
arranger. What it can add is a reading and some material: the mood it hears, a motif, a chord
progression, the instrument that carries the tune, and whether the passage rises or falls. The
arranger (arrange.py) turns that into the full piece, so the model's choices are heard inside a
form that develops, and every piece is valid by construction. A sheet looks like:

    mood: tender
    motif: 2 4 5 4 2 1
    chords: 0 5 3 4
    lead: gm_flute
    arc: steady

The grammar below is built from the same tables (the mood sheet, the whitelist), so the model
cannot write a mood, degree or instrument that does not exist; a sheet cut off by the token cap
still parses (what is missing comes from the instant composer's own choices).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.compose.arrange import Ideas, arrange
from app.compose.form import ARCS
from app.compose.motif import HIGH, LOW
from app.models import Piece
from app.music.mood import mood_for_label, score_mood
from app.strudel import grammar
from app.strudel.grammar import Chars, Expr, Ref, alt, opt, seq, up_to, words
from app.strudel.validate import validate

MOTIF_NOTES = (4, 8)  # notes in the motif line
EXAMPLE_MOTIF = (2, 4, 5, 4, 2, 1)  # the tune in the system prompt's example (prompts/llm/prompt.toml)
CHORD_ROOTS = 4  # one progression: one chord per cycle of a phrase
_LINE = re.compile(r"^\s*(mood|motif|chords|lead|arc)\s*:\s*(.*?)\s*$", re.M)


@dataclass(frozen=True)
class Sheet:
    mood: str | None = None
    motif: tuple[int, ...] = ()
    chords: tuple[int, ...] = ()
    lead: str | None = None
    arc: str | None = None

    def text(self) -> str:
        lines = [f"mood: {self.mood}" if self.mood else "",
                 "motif: " + " ".join(map(str, self.motif)) if self.motif else "",
                 "chords: " + " ".join(map(str, self.chords)) if self.chords else "",
                 f"lead: {self.lead}" if self.lead else "", f"arc: {self.arc}" if self.arc else ""]
        return "\n".join(line for line in lines if line)


def sheet_grammars(moods: Sequence[str], leads: Sequence[str]) -> tuple[str, str]:
    """(GBNF for the CPU engine, EBNF for WebLLM) of the sheet language."""
    rules = _rules(tuple(moods), tuple(leads))
    return (grammar.render(rules, grammar.gbnf_names, "# BookMusic score sheet (llama.cpp GBNF)"),
            grammar.render(rules, grammar.ebnf_names, "# BookMusic score sheet (XGrammar EBNF)"))


def _rules(moods: tuple[str, ...], leads: tuple[str, ...]) -> dict[str, Expr]:
    degree = alt(*(str(d) for d in range(LOW, HIGH + 1)))
    first = seq(*[x for _ in range(MOTIF_NOTES[0] - 1) for x in (Ref("degree"), " ")], Ref("degree"))
    notes = seq(first, up_to(seq(" ", Ref("degree")), MOTIF_NOTES[1] - MOTIF_NOTES[0]))
    chord = Ref("chord")
    roots = seq(chord, *[x for _ in range(CHORD_ROOTS - 1) for x in (" ", chord)])
    return {
        "root": seq("mood: ", words(moods), "\nmotif: ", Ref("notes"), "\nchords: ", Ref("roots"),
                    "\nlead: ", words(leads), "\narc: ", words(ARCS), opt("\n")),
        "notes": notes,
        "roots": roots,
        "degree": degree,
        "chord": Chars("0-6"),
    }


def parse_sheet(text: str, moods: Sequence[str], leads: Sequence[str]) -> Sheet | None:
    """What a model wrote, read leniently: known words and in-range numbers only; None when there
    is nothing usable at all (not even a mood or a motif)."""
    found = {m.group(1): m.group(2) for m in _LINE.finditer(text or "")}
    mood = found.get("mood") if found.get("mood") in moods else None
    motif = tuple(n for n in _ints(found.get("motif", "")) if LOW <= n <= HIGH)[: MOTIF_NOTES[1]]
    chords = tuple(n for n in _ints(found.get("chords", "")) if 0 <= n <= 6)[:CHORD_ROOTS]
    lead = found.get("lead") if found.get("lead") in leads else None
    arc = found.get("arc") if found.get("arc") in ARCS else None
    # Material that is no material is left to the arranger: a "tune" of one or two pitches, a
    # progression that never moves, or the system prompt's own example copied back.
    if len(set(motif)) < 3 or motif == EXAMPLE_MOTIF:
        motif = ()
    if len(chords) < CHORD_ROOTS or len(set(chords)) < 2:
        chords = ()
    sheet = Sheet(mood, motif, chords, lead, arc)
    return sheet if (sheet.mood or sheet.motif or sheet.chords) else None


def _ints(text: str) -> list[int]:
    return [int(t) for t in re.findall(r"-?\d+", text)]


def sheet_leads(sounds: Sequence[str]) -> tuple[str, ...]:
    """The instruments a sheet may give the tune: pitched ones (no drums, no noise)."""
    from app.strudel import subset

    # Drums and noise have no tune; a timpani carries a beat, not a melody.
    unpitched = set(subset.DRUM_SOUNDS) | set(subset.NOISE_SOUNDS) | {"gm_timpani"}
    return tuple(s for s in sounds if s not in unpitched) or ("triangle",)


def piece_from_sheet(section_id: str, sheet: Sheet, text: str, previous: str | None = None) -> Piece:
    """The arranger's piece for a section, with the sheet's reading and material in it."""
    from app.compose.instant import arc_of, pick_style, rng_for, setting_for

    mood = mood_for_label(sheet.mood) if sheet.mood else score_mood(text)
    style = pick_style(mood)
    setting = setting_for(style, section_id, mood, previous, sheet.arc or arc_of(text))
    ideas = Ideas(sheet.chords or None, sheet.motif or None, sheet.lead)
    code = arrange(style, setting, rng_for(section_id, "arrange"), ideas)
    allowed = style.sounds + ((sheet.lead,) if sheet.lead else ())
    result = validate(code, allowed_sounds=allowed)
    assert result.program is not None, f"the arranger wrote code the validator refuses: {result.errors}"
    return Piece(result.program, style.name, mood.label, why=f"the model read {mood.label}")
