"""What the language model is asked: a stable system prompt from prompts/llm/prompt.toml, and one
user message per section (its text, plus the previous section's code for continuity).

The system prompt is the same for every section so engines can reuse its cached prefix; the
grammar (app/strudel/grammar.py) does the hard constraining, so the prompt only has to set taste.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.compose.instant import pick_style
from app.compose.sheet import sheet_grammars, sheet_leads
from app.music.frame import Frame, frame_for
from app.music.mood import Mood, score_mood
from app.music.styles import load_moods
from app.paths import PROMPTS
from app.strudel import grammar
from app.strudel.scan import digest

PROMPT_FILE = PROMPTS / "llm" / "prompt.toml"
# Sounds named in the prompt: a short list reads better to a small model than the whole whitelist.
PROMPT_SOUNDS = ("sine", "triangle", "square", "sawtooth", "supersaw", "pink", "sbd")
MOOD_SOUNDS = 4  # sounds named on a section's "Mood:" line
# Instruments a sheet's system prompt names as examples (the grammar allows the mood's own).
SHEET_LEADS_SHOWN = ("gm_piano", "gm_flute", "gm_violin", "gm_clarinet", "gm_celesta", "gm_trumpet",
                     "gm_acoustic_guitar_nylon", "sawtooth")


def mood_labels() -> tuple[str, ...]:
    return tuple(load_moods().routes)


@dataclass(frozen=True)
class PromptConfig:
    system: str
    sheet_system: str
    sheet_user: str
    user: str
    style: str
    previous: str
    mood: str
    temperature: float
    budgets: dict[str, dict[str, int]]


@lru_cache(maxsize=4)
def load_config(path: Path = PROMPT_FILE) -> PromptConfig:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return PromptConfig(
        system=_fill_system(data),
        sheet_system=data["sheet_system"].format(moods=", ".join(mood_labels()),
                                                 leads=", ".join(SHEET_LEADS_SHOWN)),
        sheet_user=data["sheet_user"],
        user=data["user"],
        style=data["style"],
        previous=data["previous"],
        mood=data["mood"],
        temperature=float(data["temperature"]),
        budgets={k: {n: int(v) for n, v in b.items()} for k, b in data["budget"].items()},
    )


def _fill_system(data: dict) -> str:
    sounds = [s for s in PROMPT_SOUNDS if s in grammar.SOUNDS] or list(grammar.SOUNDS[:6])
    return data["system"].format(sounds=", ".join(sounds), example=data["example"].strip())


def excerpt(text: str, max_words: int) -> str:
    """The section's text within a word budget: its opening and its close, where mood shifts show."""
    words = text.split()
    if len(words) <= max_words:
        return " ".join(words)
    head = max_words * 2 // 3
    tail = max_words - head
    return " ".join(words[:head]) + " … " + " ".join(words[-tail:])


def user_message(
    text: str, previous_code: str = "", *, max_words: int = 110, style_card: str = "", mood: str = ""
) -> str:
    cfg = load_config()
    message = cfg.user.format(passage=excerpt(text, max_words)) + mood
    if style_card:
        message += cfg.style.format(card=style_card)
    if previous_code.strip():
        # Its musical core only: tempo, notes, scale, sound, gain (prompt tokens cost time).
        message += cfg.previous.format(previous=digest(previous_code.strip()))
    return message


@dataclass(frozen=True)
class GenerationRequest:
    """One section's request, as webllm_bridge/llm.js `llm_generate` takes it (JSON)."""

    section_id: str
    index: int
    system: str
    user: str
    grammar_gbnf: str  # for wllama (llama.cpp)
    grammar_ebnf: str  # for WebLLM (XGrammar)
    max_tokens: int
    temperature: float
    thinking_off: bool = False
    seed: int = 0
    kind: str = "code"  # "code": a Strudel program; "sheet": a score sheet for the arranger
    # What the grammar was built from (app/strudel/grammar.py `rules` keywords): to finish a piece
    # the token cap cut off under the same grammar (app/llm/finish.py).
    grammar_options: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))


# Budget keys that shape the grammar (app/strudel/grammar.py `rules`); the others size the prompt.
GRAMMAR_KEYS = (
    "max_layers", "max_methods", "max_steps", "max_mods", "max_depth", "voiced", "whole_numbers", "ranged",
)


def budget(engine: str) -> dict[str, int]:
    cfg = load_config()
    return cfg.budgets.get(engine) or cfg.budgets["wllama"]


def grammar_options(
    engine: str, text: str = "", sounds: Sequence[str] | None = None, steer: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The grammar one request is written under (keyword arguments of `grammar.rules`): a narrower
    program than the validator allows, so a small model finishes well within the token cap, and,
    where the budget says `mood_frame`, only the tempos, modes and sounds that serve the text's
    mood (app/music/frame.py). `sounds` (an ensemble) overrides the frame's sounds, `steer` (endless
    mode's drift: `tempos`, `modes`) its tempos and modes."""
    spend = budget(engine)
    return _options(spend, _frame(spend, text), sounds, steer)


def _frame(spend: dict[str, int], text: str, mood: Mood | None = None) -> Frame | None:
    if not (spend.get("mood_frame") and text.strip()):
        return None
    return frame_for(mood or score_mood(text))


def _options(
    spend: dict[str, int], frame: Frame | None, sounds: Sequence[str] | None, steer: dict[str, Any] | None
) -> dict[str, Any]:
    options: dict[str, Any] = {k: v for k, v in spend.items() if k in GRAMMAR_KEYS}
    # Every sound of an ensemble must be heard: allow at least one layer per sound.
    options["max_layers"] = max(options.get("max_layers", 1), len(sounds or ()))
    options["sounds"] = tuple(sounds) if sounds else None
    if frame is not None:
        options["tempos"], options["modes"] = frame.tempos, frame.modes
        options["sounds"] = options["sounds"] or frame.sounds
    for key in ("tempos", "modes"):
        if steer and steer.get(key):
            options[key] = tuple(steer[key])
    return options


@lru_cache(maxsize=32)
def _grammars(options: tuple[tuple[str, Any], ...]) -> tuple[str, str]:
    return grammar.gbnf(**dict(options)), grammar.ebnf(**dict(options))


def build_request(
    section_id: str,
    index: int,
    text: str,
    previous_code: str,
    *,
    engine: str,
    thinks: bool = False,
    sounds: Sequence[str] | None = None,
    steer: dict[str, Any] | None = None,
    sheet: bool = True,
) -> GenerationRequest:
    cfg = load_config()
    spend = budget(engine)
    mood = score_mood(text)
    if spend.get("sheet") and sheet:
        return _sheet_request(section_id, index, text, mood, spend, thinks, sounds)
    feeling = _frame(spend, text, mood)
    options = _options(spend, feeling, sounds, steer)
    gbnf, ebnf = _grammars(tuple(sorted(options.items())))
    # Where prompt tokens are cheap (WebGPU), suggest the style the mood sheet routes the text to.
    card = pick_style(mood).card() if spend.get("style_card") else ""
    return GenerationRequest(
        section_id=section_id,
        index=index,
        system=cfg.system,
        user=user_message(text, previous_code, max_words=spend["max_words"], style_card=card,
                          mood=_mood_line(feeling, options["sounds"]) if feeling else ""),
        grammar_gbnf=gbnf if engine == "wllama" else "",
        grammar_ebnf=ebnf if engine == "webllm" else "",
        max_tokens=spend["max_tokens"],
        temperature=cfg.temperature,
        thinking_off=thinks,
        seed=int(section_id[:8], 16) if _is_hex(section_id[:8]) else index,
        grammar_options=options,
    )


def _sheet_request(section_id: str, index: int, text: str, mood: Mood, spend: dict[str, int],
                   thinks: bool, sounds: Sequence[str] | None) -> GenerationRequest:
    """A score sheet's request: the passage and the word list's reading; a grammar that allows only
    known moods, in-range degrees and the instruments that serve the passage's mood (or the
    listener's ensemble)."""
    cfg = load_config()
    leads = sheet_leads(sounds or frame_for(mood).sounds)
    moods = mood_labels()
    gbnf, ebnf = sheet_grammars(moods, leads)
    return GenerationRequest(
        section_id=section_id,
        index=index,
        system=cfg.sheet_system,
        user=cfg.sheet_user.format(passage=excerpt(text, spend["max_words"]), mood=mood.label),
        grammar_gbnf=gbnf,
        grammar_ebnf=ebnf,
        max_tokens=spend.get("sheet_tokens", 64),
        temperature=cfg.temperature,
        thinking_off=thinks,
        seed=int(section_id[:8], 16) if _is_hex(section_id[:8]) else index,
        grammar_options={"moods": list(moods), "leads": list(leads)},
        kind="sheet",
    )


def _mood_line(frame: Frame, sounds: Sequence[str] | None) -> str:
    # The sounds the grammar allows, the mood's own first: a small model picks what it is shown.
    return load_config().mood.format(mood=f"{frame.mood}: {frame.description}",
                                     sounds=", ".join((sounds or frame.sounds)[:MOOD_SOUNDS]))


def _is_hex(text: str) -> bool:
    try:
        int(text, 16)
    except ValueError:
        return False
    return bool(text)


def warmup_request(*, engine: str, thinks: bool = False) -> GenerationRequest:
    """One token after the system prompt: run right after loading, it leaves the stable prefix in
    the engine's KV cache, so the first section pays only for its own words (on the CPU engine the
    uncached system prompt alone costs longer than reading a section)."""
    cfg = load_config()
    return GenerationRequest(
        section_id="warmup",
        index=-1,
        system=cfg.sheet_system if budget(engine).get("sheet") else cfg.system,
        user=user_message("", ""),
        grammar_gbnf="",
        grammar_ebnf="",
        max_tokens=1,
        temperature=cfg.temperature,
        thinking_off=thinks,
    )

