"""The gate between generated text and the audio engine: a tokenizer and parser for the subset.

Only programs of the subset in grammar.py parse; everything else (other JavaScript, property access
outside the whitelist, comments, template literals, escapes, non-ASCII look-alikes) is refused with
a message. What comes out is not the input but code re-emitted from the parse tree, with every
number clamped into its safe range, so nothing the parser did not understand can reach Strudel.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from app.strudel import program as _program
from app.strudel import subset
from app.strudel.pitch import PitchRange, note_range, scale_range
from app.strudel.program import ValidProgram
from app.strudel.subset import EFFECTS, MODES, SIGNALS


@dataclass
class Validation:
    """The verdict: a `ValidProgram` when the code passed, else the reasons it was refused."""

    program: ValidProgram | None
    errors: list[str]
    sounds: list[str]  # distinct sound names used, sorted
    notes: list[str] = field(default_factory=list)  # what was clamped or filled in
    # Where in the code (a character offset) the first error is, when it has a place: the code
    # view marks it there. None for a whole-program verdict (empty, too many notes...).
    where: int | None = None

    @property
    def ok(self) -> bool:
        return self.program is not None

    @property
    def code(self) -> str:
        """The normalized, clamped code; "" when refused."""
        return self.program.code if self.program else ""

    @property
    def cpm(self) -> float:
        return self.program.cpm if self.program else 0.0

    @property
    def layers(self) -> int:
        return self.program.layers if self.program else 0


def refused(
    errors: list[str], sounds: list[str] | None = None, notes: list[str] | None = None,
    where: int | None = None,
) -> Validation:
    return Validation(None, errors, sounds or [], notes or [], where)


class RefusedError(ValueError):
    """The code is outside the subset; the message says where and why, `pos` is the character
    offset in the code (set by whoever knows it: a mini-notation string knows only its own)."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.pos = pos


# ---- Tokens ------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<space>[ \t\r\n]+)
      | (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
      | (?P<name>[A-Za-z][A-Za-z0-9]*)
      | (?P<string>"[^"\\\n`$]*")
      | (?P<punct>[().,;/-])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(code: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(code):
        ch = code[pos]
        if not (ch.isascii() and (ch.isprintable() or ch in "\t\r\n")):
            raise RefusedError(f"character {ch!r} at {pos} is not allowed (plain ASCII only)", pos)
        if code.startswith(("//", "/*"), pos):
            raise RefusedError(f"comments are not allowed (at {pos})", pos)
        if ch in "'`":
            raise RefusedError(f"only double-quoted strings are allowed (at {pos})", pos)
        if ch == "\\":
            raise RefusedError(f"escapes are not allowed (at {pos})", pos)
        match = _TOKEN.match(code, pos)
        if not match:
            if ch == '"':
                raise RefusedError(f"string at {pos} is unterminated or holds a forbidden character", pos)
            raise RefusedError(f"{ch!r} at {pos} is not part of the music subset", pos)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", pos))
    return tokens


# ---- Mini-notation -----------------------------------------------------------------------------

_NOTE_ATOM = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,2})?|[a-g](?:#|b|s)?[0-8]?")
_SOUND_ATOM = re.compile(r"([a-z][a-z0-9_]*)(?::([0-9]{1,3}))?")
_SCALE_ATOM = re.compile(r"([A-G](?:#|b)?[1-6]?):([a-z]+(?::[a-z]+)?)")
_INT = re.compile(r"[0-9]{1,3}")
_MINI_NUM = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,2})?")


@dataclass(frozen=True)
class Density:
    """How busy a pattern is: at most `events` onsets per cycle and `voices` notes at once
    (a chord of three is three voices). Computed from the parse tree, so chains and nesting
    (`0*16*16`, `[a!16]!16`) count as what they play, not token by token."""

    events: float
    voices: int

    def times(self, factor: float) -> Density:
        return Density(self.events * factor, self.voices)


_SILENT = Density(0.0, 0)


def _in_sequence(parts: list[Density]) -> Density:
    return Density(sum(p.events for p in parts), max((p.voices for p in parts), default=0))


def _stacked(parts: list[Density]) -> Density:
    return Density(sum(p.events for p in parts), sum(p.voices for p in parts))


class Mini:
    """Parses one mini-notation string; `atoms` collects what its atoms name and `density` how
    busy it is."""

    def __init__(self, text: str, kind: str):
        self.text, self.kind, self.pos = text, kind, 0
        self.atoms: list[str] = []  # sound names (sound patterns)
        self.values: list[str] = []  # degrees, note names and scales (for the pitch range)
        self.density = _SILENT
        self.depth = 0  # groups open at the current position

    def fail(self, why: str) -> RefusedError:
        return RefusedError(f'in "{self.text}" at {self.pos}: {why}', self.pos)

    def parse(self) -> str:
        self.skip()
        parts = [self.sequence()]
        while self.peek() == ",":  # top-level stacking: "sbd ~, ~ white"
            self.pos += 1
            self.skip()
            parts.append(self.sequence())
        out = ", ".join(p[0] for p in parts)
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos]!r}")
        self.density = _stacked([p[1] for p in parts])
        return out

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def sequence(self, alternating: bool = False) -> tuple[str, Density]:
        if self.peek() == "_":  # it holds the step before it: Strudel refuses it first
            raise self.fail("_ (hold) needs a step before it")
        terms = [self.term()]
        while True:
            if self.peek() not in ("", " ", "]", ">", ","):
                raise self.fail(f"unexpected {self.peek()!r}")
            self.skip()
            if self.peek() in ("", "]", ">", ","):
                text = " ".join(t[0] for t in terms)
                parts = [t[1] for t in terms]
                if alternating:  # <a b c>: one item per cycle, so the busiest one counts
                    return text, Density(max(p.events for p in parts), max(p.voices for p in parts))
                return text, _in_sequence(parts)
            terms.append(self.term())

    def term(self) -> tuple[str, Density]:
        ch = self.peek()
        if ch in ("[", "<"):
            out, density = self.group()
        elif ch in ("~", "_"):
            self.pos += 1
            out, density = ch, _SILENT
        else:
            out, density = self.atom(), Density(1.0, 1)
        while self.peek() in ("*", "/", "@", "!", "?", "("):
            text, factor = self.modifier()
            out += text
            density = density.times(factor)
        return out, density

    def group(self) -> tuple[str, Density]:
        opener = self.text[self.pos]
        closer = "]" if opener == "[" else ">"
        self.depth += 1
        if self.depth > subset.MAX_NESTING:
            raise self.fail(f"groups nested more than {subset.MAX_NESTING} deep")
        self.pos += 1
        self.skip()
        parts = [self.sequence(alternating=opener == "<")]
        while opener == "[" and self.peek() == ",":
            self.pos += 1
            self.skip()
            parts.append(self.sequence())
        if self.peek() != closer:
            raise self.fail(f"expected {closer!r}")
        self.pos += 1
        self.depth -= 1
        return opener + ",".join(p[0] for p in parts) + closer, _stacked([p[1] for p in parts])

    def take(self, pattern: re.Pattern[str], what: str) -> re.Match[str]:
        match = pattern.match(self.text, self.pos)
        if not match:
            raise self.fail(f"expected {what}")
        self.pos = match.end()
        return match

    def atom(self) -> str:
        if self.kind == "note":
            text = self.take(_NOTE_ATOM, "a scale degree or note name").group()
            self.values.append(text)
            return text
        if self.kind == "sound":
            match = self.take(_SOUND_ATOM, "a sound name")
            self.atoms.append(match.group(1))
            return match.group()
        match = self.take(_SCALE_ATOM, 'a scale like "C3:minor"')
        if match.group(2) not in MODES:
            self.pos = match.start(2)  # the mode's own place, for the code view's mark
            raise self.fail(f"unknown mode {match.group(2)!r}")
        self.values.append(match.group())
        return match.group()

    def modifier(self) -> tuple[str, float]:
        """The modifier's normalized text and how it multiplies the events of its term."""
        op = self.text[self.pos]
        self.pos += 1
        if op == "?":
            return op, 1.0
        if op == "!":
            digits = _INT.match(self.text, self.pos)
            if digits:
                self.pos = digits.end()
                count = min(int(digits.group()), subset.MAX_SUBDIVISION)
                return op + str(count), float(max(count, 1))
            return op, 2.0
        if op == "(":
            counts = [int(self.take(_INT, "a number").group())]
            while self.peek() == ",":
                self.pos += 1
                self.skip()
                counts.append(int(self.take(_INT, "a number").group()))
            if self.peek() != ")" or len(counts) not in (2, 3):
                raise self.fail("euclid rhythm is (pulses,steps) or (pulses,steps,rotation)")
            self.pos += 1
            if counts[1] == 0:
                raise self.fail("a euclid rhythm needs at least one step")
            counts = [min(c, subset.MAX_SUBDIVISION) for c in counts]
            counts[0] = min(counts[0], counts[1])  # more pulses than steps breaks Strudel's euclid
            return "(" + ",".join(map(str, counts)) + ")", float(counts[0])
        value = float(self.take(_MINI_NUM, "a number").group())
        if value == 0:
            raise self.fail(f"{op}0 is not allowed")
        if op == "*":
            value = min(value, subset.MAX_SUBDIVISION)
        factor = {"*": value, "/": 1 / value, "@": 1.0}[op]
        return op + _fmt(value), factor


# ---- Parse tree --------------------------------------------------------------------------------


@dataclass
class Signal:
    name: str
    range: tuple[float, float] | None = None
    speed: tuple[str, float] | None = None  # ("slow"|"fast", factor)
    segment: int | None = None


@dataclass
class Call:
    name: str
    arg: str | float | Signal  # normalized mini-notation, a number or a signal
    atoms: list[str] = field(default_factory=list)  # sound names for sound calls
    values: list[str] = field(default_factory=list)  # degrees, notes or scales of note/scale calls
    density: Density = _SILENT  # for the layer's source pattern: how busy it is


@dataclass
class Layer:
    source: Call
    methods: list[Call]

    def sounds(self) -> list[str]:
        names = list(self.source.atoms)
        for m in self.methods:
            names.extend(m.atoms)
        return names

    def density(self) -> Density:
        """How busy the layer is: the events of its source pattern and of the patterns its
        scale and sound calls bring (Strudel queries each of those for every note), sped up or
        slowed down by its fast/slow calls (they compound: Strudel applies each one). Voices
        are the source's: the notes sounding at once."""
        factor = 1.0
        for m in self.methods:
            if m.name in ("fast", "slow"):
                effect = EFFECTS[m.name]
                # A signal speed is bounded by the effect's range: count its fastest.
                value = effect.high if m.name == "fast" else effect.low
                if isinstance(m.arg, float):
                    value = _clamp(m.arg, effect.low, effect.high)
                factor *= value if m.name == "fast" else 1 / value
        # A fixed scale or sound (one value a cycle) costs nothing more; a busy one does.
        events = self.source.density.events + sum(max(0.0, m.density.events - 1) for m in self.methods)
        return Density(events, self.source.density.voices).times(factor)

    def loudness(self, ceiling: float) -> float:
        """How loud the layer can peak: voices at once x its gain x its loudest sound's peak
        weight x (1 + its distortion)."""
        return self.loudness_per_gain() * self.loudest_gain(ceiling)

    def loudness_per_gain(self) -> float:
        """The layer's loudness for a gain of 1: voices at once x peak weight x (1 + distortion)."""
        weight = max((subset.PEAK_WEIGHT.get(s, 1.0) for s in self.sounds()), default=1.0)
        shape = 0.0
        for m in self.methods:
            if m.name == "shape" and isinstance(m.arg, float):
                shape = _clamp(m.arg, EFFECTS["shape"].low, EFFECTS["shape"].high)
            elif m.name == "shape" and isinstance(m.arg, Signal):
                shape = _clamp((m.arg.range or (0.0, 1.0))[1], EFFECTS["shape"].low, EFFECTS["shape"].high)
        return self.density().voices * weight * (1 + shape)

    def gain_floor(self, ceiling: float) -> float:
        """The lowest gain the layer may have: its notes at once together reach GAIN_FLOOR
        (rounded up to the 3 decimals the output keeps, so the output reads back unchanged)."""
        voices = max(1, self.density().voices)
        return min(ceiling, math.ceil(subset.GAIN_FLOOR / voices * 1000 - 1e-9) / 1000)

    def loudest_gain(self, ceiling: float) -> float:
        """The highest gain the layer plays at (the last .gain call wins, as in Strudel)."""
        floor = self.gain_floor(ceiling)
        gain = max(floor, min(subset.DEFAULT_GAIN, ceiling))
        for m in self.methods:
            if m.name == "gain" and isinstance(m.arg, float):
                gain = _clamp(m.arg, floor, ceiling)
            elif m.name == "gain" and isinstance(m.arg, Signal):
                gain = _clamp((m.arg.range or (0.0, 1.0))[1], floor, ceiling)
        return gain

    def pitch(self) -> PitchRange | None:
        """The lowest and highest note the layer plays; None for drums, noise, or `n` without a
        scale (its pitch is the sound's own)."""
        if self.source.name == "note":
            return note_range(self.source.values)
        if self.source.name == "n":
            scales = [v for m in self.methods if m.name == "scale" for v in m.values]
            return scale_range(self.source.values, scales)
        return None

    def bounds(self, ceiling: float) -> dict[str, Bounds]:
        """Per-layer limits narrower than the effect table: the gain's floor, and filters that
        must let the layer's own notes through (a low-pass under them, or a high-pass over them,
        leaves the layer silent): such a cutoff moves to a safe distance from the notes."""
        out = {"gain": Bounds(self.gain_floor(ceiling), ceiling)}
        pitch = self.pitch()
        if pitch is not None:
            lpf, hpf = EFFECTS["lpf"], EFFECTS["hpf"]
            least = _clamp(pitch.high_hz / subset.FILTER_MARGIN, lpf.low, lpf.high)
            raised = _clamp(float(math.ceil(subset.FILTER_MARGIN * pitch.high_hz)), least, lpf.high)
            out["lpf"] = Bounds(least, lpf.high, low_to=raised)
            most = _clamp(pitch.low_hz * subset.FILTER_MARGIN, hpf.low, hpf.high)
            lowered = _clamp(float(math.floor(pitch.low_hz / subset.FILTER_MARGIN)), hpf.low, most)
            out["hpf"] = Bounds(hpf.low, most, high_to=lowered)
        return out


@dataclass(frozen=True)
class Bounds:
    """Where a layer's effect value may lie: under `low` it moves to `low_to` (default `low`),
    over `high` to `high_to`; values already inside stay, so the output reads back unchanged."""

    low: float
    high: float
    low_to: float | None = None
    high_to: float | None = None

    def fit(self, value: float) -> float:
        if value < self.low:
            return self.low if self.low_to is None else self.low_to
        if value > self.high:
            return self.high if self.high_to is None else self.high_to
        return value


@dataclass
class Program:
    cpm: float | None
    layers: list[Layer]


_SOURCE_KINDS = {"note": "note", "n": "note", "s": "sound", "sound": "sound"}
SOURCE_NAMES: frozenset[str] = frozenset(_SOURCE_KINDS)  # the calls a layer may start with
PROGRAM_CALLS = ("setcpm", "stack")  # the tempo, then the layers stacked
SIGNAL_METHODS = ("range", "slow", "fast", "segment")  # what a signal may be shaped with


class Parser:
    def __init__(self, code: str):
        self.tokens = tokenize(code)
        self.i = 0

    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def fail(self, why: str) -> RefusedError:
        tok = self.peek()
        found = tok.text or "end of code"
        return RefusedError(f"{why} at {tok.pos} (found {found!r})", tok.pos)

    def fail_on_previous(self, why: str) -> RefusedError:
        """A refusal of the name just read: placed on that name, not on what follows it."""
        tok = self.tokens[self.i - 1]
        return RefusedError(f"{why} at {tok.pos}", tok.pos)

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok.text != text or tok.kind == "string":
            raise self.fail(f"expected {text!r}")
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        if self.peek().text == text and self.peek().kind == "punct":
            self.i += 1
            return True
        return False

    def program(self) -> Program:
        cpm = None
        if self.peek().text == PROGRAM_CALLS[0]:
            self.i += 1
            self.expect("(")
            cpm = self.number()
            if self.accept("/"):
                divisor = self.number()
                if divisor == 0:
                    raise self.fail("division by zero")
                cpm /= divisor
            self.expect(")")
            self.accept(";")
        if self.peek().text == PROGRAM_CALLS[1] and self.peek(1).text == "(":
            self.i += 2
            layers = [self.layer()]
            while self.accept(","):
                if self.peek().text == ")":
                    break
                layers.append(self.layer())
            self.expect(")")
        else:
            layers = [self.layer()]
        self.accept(";")
        if self.peek().kind != "end":
            raise self.fail("expected the end of the code")
        return Program(cpm, layers)

    def name(self) -> str:
        tok = self.peek()
        if tok.kind != "name":
            raise self.fail("expected a function name")
        self.i += 1
        return tok.text

    def string(self) -> str:
        tok = self.peek()
        if tok.kind != "string":
            raise self.fail("expected a double-quoted string")
        self.i += 1
        return tok.text[1:-1]

    def number(self) -> float:
        negative = self.accept("-")
        tok = self.peek()
        if tok.kind != "number":
            raise self.fail("expected a number")
        if len(tok.text.split(".")[0]) > subset.MAX_NUMBER_DIGITS:
            raise self.fail("number too large")
        self.i += 1
        return -float(tok.text) if negative else float(tok.text)

    def mini(self, kind: str) -> Call:
        self.expect("(")
        opening = self.peek().pos + 1  # the string's first character, after its quote
        parser = Mini(self.string(), kind)
        try:
            text = parser.parse()
        except RefusedError as err:
            # The string's parser counts from its own start: place the error in the whole code.
            raise RefusedError(str(err), None if err.pos is None else opening + err.pos) from None
        self.expect(")")
        return Call(kind, text, parser.atoms, parser.values, parser.density)

    def layer(self) -> Layer:
        start = self.name()
        if start not in _SOURCE_KINDS:
            raise self.fail_on_previous(f"a layer starts with note(, n(, s( or sound(, not {start!r}")
        source = self.mini(_SOURCE_KINDS[start])
        source.name = {"note": "note", "n": "n", "s": "s", "sound": "s"}[start]
        methods: list[Call] = []
        while self.accept("."):
            if len(methods) >= subset.MAX_METHODS:
                raise self.fail(f"more than {subset.MAX_METHODS} chained calls in one layer")
            methods.append(self.method())
        return Layer(source, methods)

    def method(self) -> Call:
        name = self.name()
        if name == "scale":
            return self.mini("scale")
        if name in ("s", "sound"):
            return self.mini("sound")
        if name not in EFFECTS:
            raise self.fail_on_previous(f".{name}(...) is not an allowed method")
        self.expect("(")
        arg: float | Signal = self.signal() if self.peek().kind == "name" else self.number()
        self.expect(")")
        return Call(name, arg)

    def signal(self) -> Signal:
        name = self.name()
        if name not in SIGNALS:
            raise self.fail_on_previous(f"{name!r} is not an allowed signal")
        sig = Signal(name)
        while self.accept("."):
            method = self.name()
            if method not in SIGNAL_METHODS:
                raise self.fail_on_previous(f"signal method .{method}(...) is not allowed here")
            self.expect("(")
            if method == "range" and sig.range is None:
                low = self.number()
                self.expect(",")
                sig.range = (low, self.number())
            elif method in ("slow", "fast") and sig.speed is None:
                sig.speed = (method, self.number())
            elif method == "segment" and sig.segment is None:
                sig.segment = int(self.number())
            else:
                raise self.fail(f"signal method .{method}(...) is not allowed here")
            self.expect(")")
        return sig


# ---- Clamping and output -----------------------------------------------------------------------


def _fmt(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _floor3(value: float) -> float:
    """Down to the 3 decimals the output keeps, never up: a scaled gain stays under its budget
    when the validator reads its own output again."""
    return math.floor(value * 1000 + 1e-9) / 1000


_WHY = {
    "gain": "too quiet to hear",
    "lpf": "it would cut off the layer's own notes",
    "hpf": "it would cut off the layer's own notes",
}


def _arg(
    call: Call, bounds: Bounds, notes: list[str], squeeze: tuple[float, float] | None = None
) -> str:
    """The call's argument clamped into `bounds`; `squeeze` = (floor, factor) then brings a gain
    down toward its floor (the loudness budget): floor + (value - floor) x factor."""
    low, high = bounds.low, bounds.high
    table = _table(call.name)

    def why(value: float) -> str:
        """The reason when the layer's own bounds (not the table) moved the value."""
        raised = value < low and low > table[0] and call.name in ("gain", "lpf")
        lowered = value > high and high < table[1] and call.name == "hpf"
        return f" ({_WHY[call.name]})" if raised or lowered else ""

    def squeezed(value: float) -> float:
        if squeeze is None:
            return value
        floor, factor = squeeze
        return _floor3(floor + (value - floor) * factor)

    if isinstance(call.arg, Signal):
        sig = call.arg
        low_v, high_v = sig.range if sig.range is not None else (0.0, 1.0)
        clamped = (bounds.fit(low_v), bounds.fit(high_v))
        if sig.range is not None and clamped != sig.range:
            notes.append(f".{call.name} signal range clamped to {clamped}{why(min(low_v, high_v))}")
        clamped = (squeezed(clamped[0]), squeezed(clamped[1]))
        out = sig.name
        if sig.range is not None or clamped != (0.0, 1.0):
            out += f".range({_fmt(clamped[0])}, {_fmt(clamped[1])})"
        if sig.speed is not None:
            factor = _clamp(sig.speed[1], 0.125, 64.0)
            out += f".{sig.speed[0]}({_fmt(factor)})"
        if sig.segment is not None:
            out += f".segment({int(_clamp(sig.segment, 1, subset.MAX_SUBDIVISION))})"
        return out
    assert isinstance(call.arg, float)
    value = bounds.fit(call.arg)
    if value != call.arg:
        notes.append(f".{call.name}({_fmt(call.arg)}) clamped to {_fmt(value)}{why(call.arg)}")
    return _fmt(squeezed(value))


def _table(name: str) -> tuple[float, float]:
    return EFFECTS[name].low, EFFECTS[name].high


def _limits(name: str) -> Bounds:
    return Bounds(*_table(name))


def _emit_layer(
    layer: Layer, ceiling: float, default_sound: str, notes: list[str], factor: float | None
) -> str:
    """One layer re-emitted: effects clamped into the table and the layer's own bounds; with a
    `factor`, its gain brought toward its floor by it (the whole program's loudness budget) or,
    over 1, raised by it (the loudness floor)."""
    src = layer.source
    has_sound = _has_sound(layer)
    has_gain = any(m.name == "gain" for m in layer.methods)
    bounds = layer.bounds(ceiling)
    # Over the budget gains come down toward their floors; under the loudness floor they all go up
    # in proportion.
    squeeze = None if factor is None else (bounds["gain"].low if factor < 1 else 0.0, factor)
    last = {m.name: i for i, m in enumerate(layer.methods)}
    methods = []
    for i, m in enumerate(layer.methods):
        if m.name in EFFECTS and m.name not in subset.REPEATING_EFFECTS and last[m.name] != i:
            notes.append(f".{m.name}() is set again later in the layer: the earlier call is dropped")
            continue  # Strudel would override it anyway; the code shown stays readable
        methods.append(m)
    # The sound and gain the validator adds count against the chain limit too, so its output is
    # valid input: the last effects make room (validate(validate(x).code) == validate(x)).
    room = subset.MAX_METHODS - (not has_sound) - (not has_gain)
    if len(methods) > room:
        notes.append(f"{len(methods) - room} effect(s) left out to make room for the sound and gain")
        methods = methods[:room]
    parts = [f'{src.name}("{src.arg}")']
    for m in methods:
        if m.name in ("scale", "sound"):
            parts.append(f'{m.name}("{m.arg}")')
        else:
            limits = bounds.get(m.name) or _limits(m.name)
            parts.append(f"{m.name}({_arg(m, limits, notes, squeeze if m.name == 'gain' else None)})")
    if not has_sound:
        parts.insert(1, f'sound("{default_sound}")')
        notes.append(f'a layer had no sound: "{default_sound}" added')
    if not has_gain:
        gain = Call("gain", layer.loudest_gain(ceiling))
        parts.append(f"gain({_arg(gain, bounds['gain'], notes, squeeze)})")
    return ".".join(parts)


def validate(
    code: str,
    *,
    allowed_sounds: Collection[str] | None = None,
    max_gain: float | None = None,
    drums: bool = True,
) -> Validation:
    """Parse `code` as the subset; return it normalized and clamped, or the reasons it is refused.

    `allowed_sounds` narrows the whitelist (an ensemble); `max_gain` lowers the gain ceiling and
    `drums=False` drops percussion-only layers (the reader's intensity cap).
    """
    allowed = set(subset.all_sounds()) if allowed_sounds is None else set(allowed_sounds)
    allowed &= set(subset.all_sounds())  # never wider than what ships
    if not code or not code.strip():
        return refused(["the code is empty"])
    if len(code) > 8000:
        return refused(["the code is too long"])
    try:
        program = Parser(code).program()
    except RefusedError as err:
        return refused([str(err)], where=err.pos)
    except RecursionError:
        return refused(["the code is nested too deeply"])

    errors: list[str] = []
    notes: list[str] = []
    layers = program.layers
    if not drums:
        kept = [ly for ly in layers if not (ly.sounds() and set(ly.sounds()) <= subset.PERCUSSIVE)]
        if len(kept) != len(layers):
            notes.append(f"{len(layers) - len(kept)} percussion layer(s) left out")
        layers = kept
        if not layers:
            errors.append("nothing is left once the drums are left out")
    if len(layers) > subset.MAX_LAYERS:
        notes.append(f"{len(layers) - subset.MAX_LAYERS} layer(s) beyond {subset.MAX_LAYERS} left out")
        layers = layers[: subset.MAX_LAYERS]

    default_sound = "triangle" if "triangle" in allowed else (sorted(allowed) or ["triangle"])[0]
    sounds = sorted({s for ly in layers for s in ly.sounds()} | (
        {default_sound} if any(not _has_sound(ly) for ly in layers) else set()
    ))
    for name in sounds:
        if name not in allowed:
            errors.append(f'sound "{name}" is not allowed')
    if errors:
        first = next((name for name in sounds if name not in allowed), None)
        return refused(errors, sounds, notes, None if first is None else _place_of_word(code, first))

    events = sum(ly.density().events for ly in layers)
    if layers and not any(ly.source.density.events for ly in layers):
        return refused(["the music has no notes (only rests)"], sounds, notes)
    if events > subset.MAX_EVENTS_PER_CYCLE:
        why = f"too many notes: {_fmt(events)} per cycle (at most {subset.MAX_EVENTS_PER_CYCLE})"
        return refused([why], sounds, notes)
    low, high = subset.CPM_RANGE
    cpm = subset.DEFAULT_CPM if program.cpm is None else program.cpm
    if not low <= cpm <= high:
        notes.append(f"tempo {_fmt(cpm)} cycles/min clamped into {_fmt(low)}..{_fmt(high)}")
        cpm = _clamp(cpm, low, high)
    ceiling = subset.GAIN_CEILING if max_gain is None else min(subset.GAIN_CEILING, max_gain)
    loudness = sum(ly.loudness(ceiling) for ly in layers)
    factor = None
    if 0 < loudness < subset.LOUDNESS_FLOOR - 1e-9:
        # Every gain goes up by one factor (each stays under the ceiling); a little over the floor,
        # so the 3 decimals the output keeps cannot leave it under the floor when read back.
        factor = min(subset.LOUDNESS_FLOOR * 1.1 / loudness,
                     min(ceiling / ly.loudest_gain(ceiling) for ly in layers))
        notes.append(f"gains raised by {_fmt(factor)}: {_fmt(loudness)} voice-weighted loudness is "
                     f"under {_fmt(subset.LOUDNESS_FLOOR)}, too soft to carry a section")
    elif loudness > subset.LOUDNESS_BUDGET + 1e-9:
        # Every gain comes down toward its floor by one factor, so the sum meets the budget and
        # no layer falls silent: floors x weights stay far under the budget (subset.GAIN_FLOOR).
        base = sum(ly.loudness_per_gain() * ly.gain_floor(ceiling) for ly in layers)
        factor = (subset.LOUDNESS_BUDGET - base) / (loudness - base)
        notes.append(f"gains scaled toward their floors by {_fmt(factor)}: {_fmt(loudness)} voice-weighted "
                     f"loudness is over {_fmt(subset.LOUDNESS_BUDGET)}")
    body = ",\n  ".join(_emit_layer(ly, ceiling, default_sound, notes, factor) for ly in layers)
    cpm = round(cpm)  # whole cycles per minute: what the grammar lets a model write
    out = f"setcpm({cpm})\nstack(\n  {body}\n)"
    made = ValidProgram(out, tuple(sounds), float(cpm), len(layers), key=_program._KEY)
    return Validation(made, [], sounds, notes)


def _place_of_word(code: str, word: str) -> int | None:
    """The offset of `word` standing alone in the code (a sound name is written as a word of a
    string); None when it is not written there (a sound the validator filled in)."""
    match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", code)
    return match.start() if match else None


def _has_sound(layer: Layer) -> bool:
    return layer.source.name == "s" or any(m.name == "sound" for m in layer.methods)
