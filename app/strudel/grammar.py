"""One grammar for the Strudel subset, emitted as llama.cpp GBNF and as WebLLM's (XGrammar) EBNF.

The rules are Python data (a tiny grammar algebra below), built from the whitelists in subset.py.
Both dialects are rendered from the same rules; they differ only in rule-name spelling (GBNF names
allow `-` but not `_`). Bounded repetitions are unrolled into nested optionals so a small model
cannot loop forever (at most MAX_LAYERS layers, MAX_METHODS calls per layer, short numbers).

Shape of an accepted program:

    setcpm(30)
    stack(
      n("<0 2 4 [3 2]>").scale("C3:minor").sound("triangle").lpf(sine.range(400, 1200).slow(16)).gain(0.2),
      s("sbd ~ ~ sbd").gain(0.3)
    )
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.strudel import subset
from app.strudel.subset import EFFECTS, MAX_LAYERS, MAX_METHODS, MODES, SIGNALS

SOUNDS: tuple[str, ...] = subset.all_sounds()
STACK_MEMBERS = 4  # notes of a chord, sequences of a stack, where the grammar is bounded
SCALE_STEPS = 4  # steps of a scale pattern, where the grammar is bounded


# ---- The grammar algebra -------------------------------------------------------------------


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Chars:
    """A character class body as written between brackets, e.g. "a-g" or "^\\n"."""

    spec: str


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Seq:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Alt:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Rep:
    """`item` repeated: `?` (0,1), `*` (0,None), `+` (1,None)."""

    item: Expr
    low: int
    high: int | None


Expr = Lit | Chars | Ref | Seq | Alt | Rep


def seq(*items: Expr | str) -> Seq:
    return Seq(tuple(Lit(i) if isinstance(i, str) else i for i in items))


def alt(*items: Expr | str) -> Alt:
    return Alt(tuple(Lit(i) if isinstance(i, str) else i for i in items))


def opt(item: Expr | str) -> Rep:
    return Rep(Lit(item) if isinstance(item, str) else item, 0, 1)


def star(item: Expr) -> Rep:
    return Rep(item, 0, None)


def up_to(item: Expr, n: int) -> Expr:
    """0..n repetitions, unrolled as nested optionals: (x (x (x)?)?)? — unambiguous and bounded."""
    inner: Expr | None = None
    for _ in range(n):
        inner = opt(item if inner is None else seq(item, inner))
    assert inner is not None
    return inner


def words(options: Sequence[str]) -> Alt:
    # Longest first keeps the rendering stable and readable; order does not change the language.
    return alt(*sorted(set(options), key=lambda w: (-len(w), w)))


# ---- The rules -----------------------------------------------------------------------------


def _mini(
    prefix: str, atom: Expr, max_steps: int = 0, max_depth: int = 0, max_mods: int = 0
) -> dict[str, Expr]:
    """Strudel mini-notation over `atom`: sequences, [sub] and <alternation>, chords, modifiers.

    Limits (0 = none) keep a small model from running into its token cap: `max_steps` bounds the
    terms of one sequence (else an endless run of numbers), `max_mods` the modifiers of one term
    (else `0*2*3*4...`), `max_depth` how deep groups nest (the rules are then spelled once per
    level: `note-seq`, `note-seq-1`, ...; the deepest level holds atoms only)."""
    mods = up_to(Ref("mini-mod"), max_mods) if max_mods > 0 else star(Ref("mini-mod"))
    levels = max_depth if max_depth > 0 else 0

    def name(kind: str, level: int) -> str:
        return f"{prefix}-{kind}" + (f"-{level}" if level else "")

    def stack_of(seq_r: Expr) -> Expr:
        # Bounded grammars allow chords and stacks of up to STACK_MEMBERS sequences.
        more = seq(",", opt(" "), seq_r)
        return seq(seq_r, up_to(more, STACK_MEMBERS - 1) if max_steps > 0 else star(more))

    out: dict[str, Expr] = {f"{prefix}-stack": stack_of(Ref(name("seq", 0)))}
    for level in range(levels + 1):
        term = Ref(name("term", level))
        more = up_to(seq(" ", term), max_steps - 1) if max_steps > 0 else star(seq(" ", term))
        # `_` holds the step before it, so Strudel refuses it first in a sequence: the lead term
        # of a sequence is anything but `_`.
        out[name("seq", level)] = seq(Ref(name("lead", level)), more)
        deepest = max_depth > 0 and level == levels
        if deepest:
            out[name("lead", level)] = seq(alt(atom, "~"), mods)
            out[name("term", level)] = seq(alt(atom, "~", "_"), mods)
            continue
        inner = Ref(name("seq", level + 1 if max_depth > 0 else 0))
        out[name("lead", level)] = seq(alt(atom, "~", Ref(name("group", level))), mods)
        out[name("term", level)] = seq(alt(atom, "~", "_", Ref(name("group", level))), mods)
        out[name("group", level)] = alt(
            seq("[", stack_of(inner), "]"),
            seq("<", inner, ">"),
        )
    return out


def rules(
    sounds: Sequence[str] | None = None,
    *,
    max_layers: int = MAX_LAYERS,
    max_methods: int = MAX_METHODS,
    max_steps: int = 0,
    max_mods: int = 0,
    max_depth: int = 0,
    voiced: bool = False,
    whole_numbers: bool = False,
    tempos: tuple[int, int] | None = None,
    modes: Sequence[str] | None = None,
    ranged: bool = False,
) -> dict[str, Expr]:
    """The rules. Every option gives a sub-language of the default one, which is what the
    validator accepts; a small model gets a narrow one so it finishes well inside its token cap:

    - `max_layers`, `max_methods`: layers in the stack, chained calls per layer;
    - `max_steps`, `max_mods`, `max_depth`: size of each mini-notation string (see `_mini`);
    - `voiced`: every pitched layer is `n("degrees").scale("key").sound("sound")` and then effects,
      every beat layer `s("sounds")` then effects: notes are always scale degrees in a key, so no
      note is wrong and no layer is left on the default synth;
    - `whole_numbers`: degrees and mini-notation factors are integers (`2.13` is not a degree)
      and effect values carry at most two decimals;
    - `ranged`: each effect's value (and its signal's range) is spelled in the effect's own
      magnitude: `gain(0.xx)`, `lpf(800)`, `attack(1.5)`; a model cannot write `gain(50)` or
      `lpf(30)` (the validator would clamp them, to a blast or to silence);
    - `sounds`, `tempos` (setcpm range), `modes`: narrower whitelists (an ensemble, or the frame
      a section's mood sets: app/music/frame.py).
    """
    if not (1 <= max_layers <= MAX_LAYERS and 1 <= max_methods <= MAX_METHODS):
        raise ValueError("max_layers/max_methods must stay within the validator's limits")
    if voiced and max_methods < 2:
        raise ValueError("a voiced layer needs two calls (scale and sound)")
    sound_names = list(sounds) if sounds is not None else list(SOUNDS)
    if not sound_names:
        raise ValueError("the grammar needs at least one sound")
    unknown = sorted(set(sound_names) - set(SOUNDS))
    if unknown:
        raise ValueError(f"not in the shipped sound whitelist: {', '.join(unknown)}")
    low, high = tempos or (int(subset.CPM_RANGE[0]), int(subset.CPM_RANGE[1]))
    if not subset.CPM_RANGE[0] <= low <= high <= subset.CPM_RANGE[1]:
        raise ValueError(f"tempos {low}..{high} outside the safe range")
    mode_names = list(modes) if modes else list(MODES)
    if set(mode_names) - set(MODES):
        raise ValueError(f"unknown modes: {', '.join(sorted(set(mode_names) - set(MODES)))}")
    q = '"'
    layer_sep = seq(",", Ref("ws"), Ref("layer"))
    number = Ref("number")
    decimals = 2 if whole_numbers else 4
    sound_call = seq(alt("sound(", "s("), q, Ref("sound-stack"), q, ")")
    effect_any = _ranged_effects() if ranged else seq(Ref("effect"), "(", Ref("arg"), ")")
    effect_call = seq(".", effect_any)
    degree = seq(opt("-"), Ref("int"))
    if voiced:
        layer: Expr = alt(
            seq("n(", q, Ref("note-stack"), q, ")", ".scale(", q, Ref("scale-stack"), q, ")",
                ".", sound_call, up_to(effect_call, max_methods - 2)),
            seq("s(", q, Ref("sound-stack"), q, ")", up_to(effect_call, max_methods - 2)),
        )
        note_atom: Expr = seq(opt("-"), Chars("0-9"), opt(Chars("0-9")))
    else:
        layer = seq(Ref("source"), up_to(seq(".", Ref("method")), max_methods))
        note_atom = alt(
            seq(degree, opt(seq(".", Chars("0-9"), opt(Chars("0-9"))))),
            seq(Chars("a-g"), opt(alt("#", "b", "s")), opt(Chars("0-8"))),
        )
        if whole_numbers:
            note_atom = alt(degree, seq(Chars("a-g"), opt(alt("#", "b", "s")), opt(Chars("0-8"))))
    r: dict[str, Expr] = {
        "root": seq(
            "setcpm(", Ref("cpm"), ")", opt(";"), "\n",
            "stack(", Ref("ws"), Ref("layer"),
            *([up_to(layer_sep, max_layers - 1)] if max_layers > 1 else []),
            opt(","), opt("\n"), ")", opt(";"), opt("\n"),
        ),
        "ws": seq(opt("\n"), opt(alt(" ", "  ", "   ", "    "))),
        # Exactly the safe tempo range, spelled out: a model cannot write a tempo outside it.
        "cpm": words([str(n) for n in range(low, high + 1)]),
        "layer": layer,
    }
    if not voiced:
        r["source"] = alt(seq(alt("note(", "n("), q, Ref("note-stack"), q, ")"), sound_call)
        r["method"] = alt(
            seq("scale(", q, Ref("scale-stack"), q, ")"),
            sound_call,
            effect_any,
        )
    # Factors and euclid steps are never zero (`x*0`, `x/0`, `x(3,0)` are refused by the validator).
    fraction = opt(seq(".", Chars("0-9"), opt(Chars("0-9"))))
    below_one = seq("0.", alt(seq("0", Chars("1-9")), seq(Chars("1-9"), opt(Chars("0-9")))))
    mini_num = Ref("count") if whole_numbers else alt(seq(Ref("count"), fraction), below_one)
    r |= {
        "effect": words(list(EFFECTS)),
        "arg": alt(number, Ref("signal")),
        "signal": seq(
            Ref("signal-name"),
            opt(seq(".range(", number, ",", opt(" "), number, ")")),
            opt(seq(".", alt("slow(", "fast("), number, ")")),
            opt(seq(".segment(", Ref("int"), ")")),
        ),
        "signal-name": words(SIGNALS),
        "number": seq(
            opt("-"), Chars("0-9"), up_to(Chars("0-9"), subset.MAX_NUMBER_DIGITS - 1),
            opt(seq(".", Chars("0-9"), up_to(Chars("0-9"), decimals - 1))),
        ),
        "int": seq(Chars("0-9"), up_to(Chars("0-9"), 2)),
        "count": seq(Chars("1-9"), up_to(Chars("0-9"), 2)),
        "mini-mod": alt(
            seq(alt("*", "/", "@"), Ref("mini-num")),
            seq("!", opt(Ref("int"))),
            "?",
            seq("(", Ref("int"), ",", opt(" "), Ref("count"), opt(seq(",", opt(" "), Ref("int"))), ")"),
        ),
        "mini-num": mini_num,
        "note-atom": note_atom,
        "sound-atom": seq(Ref("sound-name"), opt(seq(":", Ref("int")))),
        "sound-name": words(sound_names),
        "scale-atom": seq(Chars("A-G"), opt(alt("#", "b")), opt(Chars("1-6")), ":", Ref("mode")),
        "mode": words(mode_names),
    }
    if ranged:
        r |= _ranged_rules()
    limits = {"max_steps": max_steps, "max_depth": max_depth, "max_mods": max_mods}
    r.update(_mini("note", Ref("note-atom"), **limits))
    r.update(_mini("sound", Ref("sound-atom"), **limits))
    # A scale changes slowly: a bounded grammar gives it a few steps at most ("<C3:minor A2:minor>").
    scale_limits = limits | ({"max_steps": min(max_steps, SCALE_STEPS)} if max_steps > 0 else {})
    r.update(_mini("scale", Ref("scale-atom"), **scale_limits))
    return r


def _arg_rule(effect: str) -> str:
    return f"arg-{effect.lower()}"


def _ranged_effects() -> Expr:
    return alt(*(seq(f"{name}(", Ref(_arg_rule(name)), ")") for name in sorted(EFFECTS)))


def _magnitude(low: float, high: float, integer: bool) -> Expr:
    """Numbers of the size an effect takes: 0..1 as `0.xx`, frequencies as 3-5 digit integers,
    the rest as small decimals. Values past the bounds are still clamped by the validator."""
    digit, nonzero = Chars("0-9"), Chars("1-9")
    decimals = opt(seq(".", digit, opt(digit)))
    if high < 1:  # e.g. gain up to 0.6: 0.0x .. 0.6x (the validator clamps the last step)
        return alt("0", seq("0.", Chars(f"0-{int(high * 10)}"), opt(digit)))
    if high == 1:
        return alt(seq("0", decimals), "1")
    top = len(str(int(high)))
    if low >= 10:  # a frequency: at least one digit more than its floor (no lpf(30) mud)
        least = len(str(int(low))) + 1
        return seq(nonzero, *([digit] * (least - 1)), up_to(digit, top - least))
    whole = alt(digit, seq(nonzero, up_to(digit, top - 1))) if top > 1 else digit
    return whole if integer else seq(whole, decimals)


def _ranged_rules() -> dict[str, Expr]:
    rules: dict[str, Expr] = {}
    digit = Chars("0-9")
    factor = seq(Chars("1-9"), opt(digit), opt(seq(".", digit)))  # a signal's slow()/fast(), never 0
    for name, effect in EFFECTS.items():
        value = Ref(f"{_arg_rule(name)}-value")
        rules[f"{_arg_rule(name)}-value"] = _magnitude(effect.low, effect.high, effect.integer)
        rules[_arg_rule(name)] = alt(value, seq(
            Ref("signal-name"),
            opt(seq(".range(", value, ",", opt(" "), value, ")")),
            opt(seq(".", alt("slow(", "fast("), factor, ")")),
            opt(seq(".segment(", Chars("1-9"), opt(digit), ")")),
        ))
    return rules


# ---- Rendering -----------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _render(expr: Expr, name: Callable[[str], str], top: bool = False) -> str:
    if isinstance(expr, Lit):
        return f'"{_escape(expr.text)}"'
    if isinstance(expr, Chars):
        return f"[{expr.spec}]"
    if isinstance(expr, Ref):
        return name(expr.name)
    if isinstance(expr, Seq):
        body = " ".join(_render(i, name) for i in expr.items)
        return body if top or len(expr.items) == 1 else f"({body})"
    if isinstance(expr, Alt):
        body = " | ".join(_render(i, name, top=True) for i in expr.items)
        return body if top else f"({body})"
    if isinstance(expr, Rep):
        inner = _render(expr.item, name)
        if isinstance(expr.item, Rep):
            inner = f"({inner})"
        suffix = {(0, 1): "?", (0, None): "*", (1, None): "+"}[(expr.low, expr.high)]
        return inner + suffix
    raise TypeError(expr)


def _emit(sounds: Sequence[str] | None, name: Callable[[str], str], header: str, **limits: Any) -> str:
    return render(rules(sounds, **limits), name, header)


def render(grammar: dict[str, Expr], name: Callable[[str], str], header: str) -> str:
    """Rules (root first) as GBNF (`name` keeps names) or XGrammar EBNF (`-` spelled `_`)."""
    lines = [header]
    for rule, expr in grammar.items():
        lines.append(f"{name(rule)} ::= {_render(expr, name, top=True)}")
    return "\n".join(lines) + "\n"


def gbnf_names(name: str) -> str:
    return name


def ebnf_names(name: str) -> str:
    return name.replace("-", "_")


def gbnf(sounds: Sequence[str] | None = None, **limits: Any) -> str:
    """The subset as llama.cpp GBNF (root rule `root`); `sounds` narrows the sound whitelist,
    `max_layers=` / `max_methods=` / `max_steps=` narrow the program size."""
    return _emit(sounds, gbnf_names, "# BookMusic Strudel subset (llama.cpp GBNF)", **limits)


def ebnf(sounds: Sequence[str] | None = None, **limits: Any) -> str:
    """The subset as the EBNF WebLLM takes (`response_format: {type: "grammar", grammar}`).

    WebLLM compiles it with XGrammar (W3C-style EBNF, `#` comments, C-style escapes); rule names
    are spelled with `_` there.
    """
    header = "# BookMusic Strudel subset (XGrammar EBNF)"
    return _emit(sounds, ebnf_names, header, **limits)
