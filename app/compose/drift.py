"""Endless mode: music with no book, each piece grown from the one before.

A session starts from a mood phrase (or nothing) and keeps a small state: key, mode, tempo and
the layers playing. Every next piece changes that state a little (bounded drift), so the stream
never loops audibly and never jumps:
- tempo moves at most MAX_CPM_STEP cycles per minute, inside the mood's styles' tempo band;
- the key moves at most one step round the circle of fifths, and not in two pieces running;
- the mode changes only in a piece whose key stays, and only among the mood's styles' modes;
- the texture changes by at most one layer (one added, dropped or swapped), the rest carry over,
  and a layer that carries the harmony (pad, chords, bass...) always stays.
Layers come from the style files of the styles the mood routes to (prompts/styles/*.toml), so
endless mode speaks the same musical language, grammar and validator as the reader. Only the last
`history` pieces are kept (for MIDI export of a span), so hours of play hold constant memory.
"""

from __future__ import annotations

import random
import re
from collections import deque
from dataclasses import dataclass, field, replace

from app.models import Piece
from app.music.ensemble import Ensemble, is_percussion, validate_for, voice_for
from app.music.mood import score_mood
from app.music.styles import load_moods, load_styles
from app.strudel import subset

CIRCLE_OF_FIFTHS = ("C", "G", "D", "A", "E", "B", "F#", "Db", "Ab", "Eb", "Bb", "F")
MAX_CPM_STEP = 2
MIN_LAYERS, MAX_LAYERS = 2, 4
KEY_CHANGE_CHANCE = 0.3
MODE_CHANGE_CHANCE = 0.2
DEFAULT_SECONDS = 45.0
_SCALE = re.compile(r"([A-G](?:#|b)?)([1-6]):([a-z]+(?::[a-z]+)?)")
_WORD = re.compile(r"[a-z_]+")
# Roles that carry the harmony: every piece keeps at least one, so the stream never thins to air.
FOUNDATION_ROLES = frozenset(
    {"pad", "chords", "piano", "keys", "bass", "walking bass", "drone", "bed", "strings", "fingerpicking"}
)


@dataclass(frozen=True)
class LayerIdea:
    """One layer from a style file, with its key and mode left open."""

    style: str
    role: str
    template: str  # the layer's code with "{key}" and "{mode}" where its scale names them

    def render(self, key: str, mode: str) -> str:
        return self.template.replace("{key}", key).replace("{mode}", mode)


@dataclass(frozen=True)
class State:
    key: str
    mode: str
    cpm: int
    layers: tuple[LayerIdea, ...]


@dataclass(frozen=True)
class Step:
    """One piece of the endless stream, with where the drift stood when it was made."""

    index: int
    piece: Piece  # validated, voiced for the ensemble
    state: State
    seconds: float
    change: str  # what moved since the previous piece, for the page

    @property
    def code(self) -> str:
        return self.piece.code

    def summary(self) -> dict:
        return {
            "pieces": self.index + 1,
            "key": self.state.key,
            "mode": self.state.mode,
            "cpm": self.state.cpm,
            "layers": self.code.count("\n  "),  # what plays (an ensemble may leave drums out)
            "change": self.change,
        }


def template_of(code: str) -> str:
    return _SCALE.sub(lambda m: "{key}" + m.group(2) + ":{mode}", code)


def mood_of(phrase: str, routes: dict[str, tuple[str, ...]], style_names: set[str]) -> tuple[str, list[str]]:
    """The mood and its styles for a phrase: a mood or style named outright wins, else the lexicon."""
    words = _WORD.findall(phrase.lower())
    named_styles = [w for w in words if w in style_names]
    for word in words:
        if word in routes:
            return word, list(routes[word])
    if named_styles:
        return named_styles[0], named_styles
    label = "calm"
    if phrase.strip():
        mood = score_mood(phrase)
        # A phrase is a request, not a passage: one cue word ("joy", "storm") is enough.
        votes = mood.votes
        label = max(votes, key=lambda m: votes[m]) if mood.label == "neutral" and votes else mood.label
    if label not in routes:
        label = "calm" if "calm" in routes else next(iter(routes))
    return label, list(routes[label])


@dataclass
class Endless:
    phrase: str = ""
    ensemble: Ensemble | None = None
    seconds: float = DEFAULT_SECONDS
    seed: int | None = None
    history: int = 8
    pieces: deque[Step] = field(init=False)
    mood: str = field(init=False, default="")
    ideas: list[LayerIdea] = field(init=False, default_factory=list)
    cpm_band: tuple[int, int] = field(init=False, default=(10, 20))
    modes: tuple[str, ...] = field(init=False, default=())
    count: int = field(init=False, default=0)
    key_moved_last: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.pieces = deque(maxlen=self.history)
        styles = load_styles()
        routes = load_moods().routes
        self.mood, names = mood_of(self.phrase, routes, set(styles))
        chosen = [styles[n] for n in names if n in styles]
        self.ideas = [
            LayerIdea(s.name, layer.role, template_of(layer.code)) for s in chosen for layer in s.layers
        ]
        low = max(int(subset.CPM_RANGE[0]), min(s.cpm[0] for s in chosen))
        high = min(int(subset.CPM_RANGE[1]), max(s.cpm[1] for s in chosen))
        self.cpm_band = (low, high)
        self.modes = tuple(dict.fromkeys(m for s in chosen for m in s.modes))
        self.first_style = chosen[0]

    # ---- Drift -------------------------------------------------------------------------------

    def _first_state(self) -> State:
        style = self.first_style
        ideas = [i for i in self.ideas if i.style == style.name and self.usable(i)][:MAX_LAYERS]
        if not any(i.role in FOUNDATION_ROLES for i in ideas):
            ideas = [next(i for i in self.ideas if i.role in FOUNDATION_ROLES), *ideas][:MAX_LAYERS]
        return State(
            key=self.rng.choice(CIRCLE_OF_FIFTHS),
            mode=style.modes[0],
            cpm=max(self.cpm_band[0], min(self.cpm_band[1], style.example_cpm)),
            layers=tuple(ideas[: max(MIN_LAYERS, len(ideas))]),
        )

    def _drift(self, prev: State) -> tuple[State, str]:
        rng = self.rng
        changes = []
        step = rng.randint(-MAX_CPM_STEP, MAX_CPM_STEP)
        cpm = max(self.cpm_band[0], min(self.cpm_band[1], prev.cpm + step))
        if cpm != prev.cpm:
            changes.append(f"tempo {prev.cpm}→{cpm}")
        key, mode = prev.key, prev.mode
        if not self.key_moved_last and rng.random() < KEY_CHANGE_CHANCE:
            step = rng.choice((-1, 1))
            key = CIRCLE_OF_FIFTHS[(CIRCLE_OF_FIFTHS.index(key) + step) % len(CIRCLE_OF_FIFTHS)]
            changes.append(f"key {prev.key}→{key}")
        elif len(self.modes) > 1 and rng.random() < MODE_CHANGE_CHANCE:
            mode = rng.choice([m for m in self.modes if m != prev.mode])
            changes.append(f"mode {prev.mode}→{mode}")
        self.key_moved_last = key != prev.key
        layers, texture = self._drift_texture(prev.layers)
        if texture:
            changes.append(texture)
        return State(key, mode, cpm, layers), ", ".join(changes) or "variation"

    def usable(self, idea: LayerIdea) -> bool:
        """An ensemble without drums cannot play a drum layer: such ideas are not offered."""
        if self.ensemble is None or self.ensemble.percussive:
            return True
        return not is_percussion(idea.template)

    def _drift_texture(self, layers: tuple[LayerIdea, ...]) -> tuple[tuple[LayerIdea, ...], str]:
        rng = self.rng
        roles = {i.role for i in layers}
        pool = [i for i in self.ideas if i not in layers and self.usable(i)]
        fresh = [i for i in pool if i.role not in roles] or pool
        moves = ["keep"]
        if fresh and len(layers) < MAX_LAYERS:
            moves.append("add")
        # Only a layer whose going leaves a foundation layer behind may be dropped or swapped out.
        movable = [
            at
            for at in range(len(layers))
            if any(i.role in FOUNDATION_ROLES for j, i in enumerate(layers) if j != at)
        ]
        if len(layers) > MIN_LAYERS and movable:
            moves.append("drop")
        if fresh and movable:
            moves.append("swap")
        move = rng.choice(moves)
        if move == "add":
            idea = rng.choice(fresh)
            return (*layers, idea), f"+{idea.role}"
        if move == "drop":
            gone = rng.choice(movable)
            return layers[:gone] + layers[gone + 1 :], f"-{layers[gone].role}"
        if move == "swap":
            at, idea = rng.choice(movable), rng.choice(fresh)
            return (*layers[:at], idea, *layers[at + 1:]), f"{layers[at].role}→{idea.role}"
        return layers, ""

    # ---- Pieces ------------------------------------------------------------------------------

    def render(self, state: State) -> Piece:
        body = ",\n  ".join(idea.render(state.key, state.mode) for idea in state.layers)
        code = f"setcpm({state.cpm})\nstack(\n  {body}\n)"
        voiced = voice_for(code, self.ensemble)
        result = validate_for(voiced, self.ensemble)
        if result.program is None:  # the style files are checked by tests; this guards a bad mix
            raise ValueError("; ".join(result.errors))
        return Piece(result.program, state.layers[0].style if state.layers else "drift", self.mood, "drift")

    def next(self) -> Step:
        """The next piece: the first from the mood, every later one drifted from the last."""
        if not self.pieces:
            state, change = self._first_state(), f"start: {self.mood}"
        else:
            state, change = self._drift(self.pieces[-1].state)
        step = Step(self.count, self.render(state), state, float(self.seconds), change)
        self.pieces.append(step)
        self.count += 1
        return step

    @property
    def last(self) -> Step | None:
        return self.pieces[-1] if self.pieces else None

    def brief(self, piece: Step) -> str:
        """What a language model is asked for: the mood, and where the drift goes next."""
        state = piece.state
        mood = self.phrase.strip() or self.mood
        return (
            f"Endless music, mood: {mood}. Continue the previous piece with one small change "
            f"({piece.change}): key {state.key} {state.mode}, about {state.cpm} cycles per minute."
        )

    def played(self, piece: Piece) -> None:
        """The last step played as `piece` (a model's version): kept for export and continuity."""
        if self.pieces:
            self.pieces[-1] = replace(self.pieces[-1], piece=piece)
