"""Ensembles: the instruments the listener picked. Every piece must use all of them and no other.

Presets are data (prompts/ensembles.toml); a listener may also pick any set from the shipped palette.
Three places hold the rule: the grammar given to a model allows only the ensemble's sounds
(`app/llm/prompt.py` passes them to the grammar), the validator refuses a piece that leaves one
out (`validate_for`), and `voice_for` re-voices any valid piece (the instant composer's, endless
mode's) onto the ensemble.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.paths import PROMPTS
from app.strudel import subset
from app.strudel.validate import Validation, refused, validate

ENSEMBLES_FILE = PROMPTS / "ensembles.toml"
DRUM_LAYER_TEMPLATE = 's("{sound} ~ ~ {sound} ~ ~ {sound} ~").gain(0.22)'
DRONE_LAYER_TEMPLATE = 'n("<0 4>").scale("{scale}").attack(1).release(3).gain(0.15)'
_SOUND_CALL = re.compile(r'\.(sound|s)\("[^"]*"\)')
_SOUND_SOURCE = re.compile(r'^(s|sound)\("([^"]*)"\)')


@dataclass(frozen=True)
class Ensemble:
    name: str
    label: str
    sounds: tuple[str, ...]

    @property
    def percussive(self) -> tuple[str, ...]:
        return tuple(s for s in self.sounds if s in subset.PERCUSSIVE)

    @property
    def pitched(self) -> tuple[str, ...]:
        return tuple(s for s in self.sounds if s not in subset.PERCUSSIVE)

    def to_json(self) -> dict:
        return {"name": self.name, "label": self.label, "sounds": list(self.sounds)}


class EnsembleError(ValueError):
    """An ensemble that cannot be played: empty, too big, or naming sounds that do not ship."""


def make_ensemble(sounds: Sequence[str], name: str = "custom", label: str = "") -> Ensemble:
    chosen = tuple(dict.fromkeys(s.strip() for s in sounds if s.strip()))
    if not chosen:
        raise EnsembleError("pick at least one instrument")
    unknown = [s for s in chosen if s not in subset.all_sounds()]
    if unknown:
        raise EnsembleError(f"not in the sound palette: {', '.join(unknown)}")
    if len(chosen) > subset.MAX_LAYERS:
        raise EnsembleError(f"at most {subset.MAX_LAYERS} instruments: a piece has at most that many layers")
    if not any(s not in subset.PERCUSSIVE for s in chosen):
        raise EnsembleError("add at least one instrument that plays notes, not only drums")
    return Ensemble(name, label or ", ".join(chosen), chosen)


def load_ensembles(path: Path | None = None) -> tuple[dict[str, Ensemble], list[str]]:
    """The playable presets, and a note for each preset left out (sounds not shipped)."""
    data = tomllib.loads((path or ENSEMBLES_FILE).read_text(encoding="utf-8"))
    found: dict[str, Ensemble] = {}
    skipped: list[str] = []
    for entry in data.get("ensemble", []):
        try:
            found[entry["name"]] = make_ensemble(entry["sounds"], entry["name"], entry.get("label", ""))
        except EnsembleError as err:
            skipped.append(f"{entry.get('name')}: {err}")
    return found, skipped


def validate_for(code: str, ensemble: Ensemble | None, **options: Any) -> Validation:
    """The validator with the ensemble's rule added: only its sounds, and every one of them."""
    if ensemble is None:
        return validate(code, **options)
    result = validate(code, allowed_sounds=ensemble.sounds, **options)
    if not result.ok:
        return result
    missing = [s for s in ensemble.sounds if s not in result.sounds]
    if missing:
        errors = [f'the ensemble\'s sound "{s}" is not used' for s in missing]
        return refused(errors, result.sounds, result.notes)
    return result


def _layers(code: str) -> tuple[str, list[str]]:
    """Split validated (normalized) code into its setcpm line and one string per layer."""
    head, _, rest = code.partition("\nstack(\n")
    body = rest.rsplit("\n)", 1)[0]
    return head, [line.strip().rstrip(",") for line in body.split(",\n")]


def voice_for(code: str, ensemble: Ensemble | None) -> str:
    """Re-voice a piece onto the ensemble: each pitched layer takes the ensemble's sounds in turn,
    and when there are more sounds than pitched layers the extra ones double a layer (played
    together on the same notes); percussion layers keep a beat only if the ensemble has drums.
    Returns validated code that uses exactly the ensemble's sounds.
    """
    first = validate(code)
    if not first.ok:
        raise ValueError("; ".join(first.errors))
    if ensemble is None:
        return first.code
    head, layers = _layers(first.code)
    pitched = [ly for ly in layers if not is_percussion(ly)]
    drums = [ly for ly in layers if is_percussion(ly)]
    pitched = pitched[: subset.MAX_LAYERS - (1 if ensemble.percussive else 0)]
    if not pitched:  # only drums (a small model does that): give the instruments a slow drone
        scale = re.search(r'scale\("([A-G][#b]?[1-6]:[a-z:]+)"\)', first.code)
        pitched = [DRONE_LAYER_TEMPLATE.format(scale=scale.group(1) if scale else "C3:minor")]
    voices = list(ensemble.pitched)
    # Share the ensemble's pitched sounds among the pitched layers, round robin.
    assigned: list[list[str]] = [[] for _ in pitched]
    for i, sound in enumerate(voices):
        assigned[i % len(pitched)].append(sound)
    for i in range(len(voices), len(pitched)):
        assigned[i].append(voices[i % len(voices)])
    out = [_with_sound(ly, ",".join(names)) for ly, names in zip(pitched, assigned, strict=True)]
    if ensemble.percussive:
        beat = ",".join(ensemble.percussive)
        if drums:
            out.append(_SOUND_SOURCE.sub(lambda m: f'{m.group(1)}("{_respell(m.group(2), beat)}")', drums[0]))
        else:
            out.append(DRUM_LAYER_TEMPLATE.format(sound=ensemble.percussive[0]))
            if len(ensemble.percussive) > 1:
                out[-1] = out[-1].replace("gain(", f'sound("{beat}").gain(', 1)
    program = head + "\nstack(\n  " + ",\n  ".join(out) + "\n)"
    result = validate_for(program, ensemble)
    if not result.ok:  # a bug here must not reach the speakers
        raise ValueError(f"re-voiced piece refused: {'; '.join(result.errors)}")
    return result.code


def is_percussion(layer: str) -> bool:
    """A layer that only strikes drums (a sound-pattern source of percussive names)."""
    match = _SOUND_SOURCE.match(layer)
    if not match:
        return False
    names = set(re.findall(r"[a-z_0-9]+", match.group(2))) - {"_"}
    return bool(names) and names <= set(subset.PERCUSSIVE) and ".sound(" not in layer


def _with_sound(layer: str, sounds: str) -> str:
    """The layer with its sound call(s) replaced by `sounds` (a note layer keeps its notes)."""
    source = _SOUND_SOURCE.match(layer)
    if source:  # a sound-pattern source such as s("pink"): keep its rhythm, change the sound
        return _SOUND_SOURCE.sub(lambda m: f'{m.group(1)}("{_respell(m.group(2), sounds)}")', layer)
    stripped = _SOUND_CALL.sub("", layer)
    head, dot, rest = stripped.partition(").")
    if not dot:
        return f'{stripped}.sound("{sounds}")'
    return f'{head}).sound("{sounds}").{rest}'


def _respell(pattern: str, sounds: str) -> str:
    """Every sound name in a mini-notation pattern replaced by `sounds` (a chord when several)."""
    target = f"[{sounds}]" if "," in sounds else sounds
    return re.sub(r"[a-z][a-z_0-9]*", target, pattern)
