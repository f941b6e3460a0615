"""A model's piece, checked; one the token cap cut off is finished so it still plays.

Grammar-constrained decoding means the model can only write a prefix of a valid program, but the
token cap can stop it anywhere: inside a note string, a method name, an effect's value. Such a
piece is finished in two steps:

1. `trim_dangling` cuts back what cannot end well: a half-written effect call (its value would be
   completed with a number nobody chose: `.lpf(4` must not become `.lpf(40)`), and inside a
   mini-notation string a half-written modifier, euclid rhythm or opened group.
2. app/strudel/complete.py appends the shortest ending the same grammar allows (close the string, the
   group and the stack, add a voiced layer's scale and sound).

The validator has the last word, as for every piece; if the finished piece still fails, the cut
layer is dropped and the complete ones kept (`code_shape.salvage`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from app.music.ensemble import Ensemble, validate_for
from app.strudel import grammar
from app.strudel.complete import completion
from app.strudel.scan import open_at_end, salvage
from app.strudel.subset import EFFECTS
from app.strudel.validate import Validation

# Characters that cannot end a mini-notation term: modifiers waiting for their number, an opened
# group, a separator, a sign or a decimal point.
_DANGLING_IN_STRING = " ,*/@!-.:[<"


def _call_name_before(text: str, paren: int) -> tuple[str, int]:
    """The identifier before `text[paren]` and where it starts."""
    start = paren
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:paren], start


def trim_dangling(text: str) -> str:
    """`text` cut back to a point from which the shortest ending makes sense musically."""
    quote_at, parens = open_at_end(text)
    # Inside `stack(`: parens[0] is setcpm's or stack's, parens[1] a layer's call when open.
    if len(parens) >= 2:
        name, start = _call_name_before(text, parens[1])
        if name in EFFECTS and start > 0 and text[start - 1] == ".":
            return text[: start - 1]  # a half-written effect call: drop it whole
    if quote_at is not None:
        body = text[quote_at + 1 :]
        if body.count("(") > body.count(")"):
            body = body[: body.rindex("(")]  # a half-written euclid rhythm
        return text[: quote_at + 1] + body.rstrip(_DANGLING_IN_STRING)
    if len(parens) == 1:
        # Between a layer's calls: a method name being written (`.ga`) or a lone dot.
        dot = text.rfind(".")
        name = text[dot + 1 :]
        if dot > 0 and text[dot - 1] == ")" and (name == "" or name.isidentifier()):
            return text[:dot]
    return text


def _frozen(options: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))


@lru_cache(maxsize=32)
def _rules(options: tuple[tuple[str, Any], ...]) -> dict:
    return grammar.rules(**dict(options))


def finish(text: str, options: dict[str, Any]) -> str | None:
    """The cut-off `text` made whole under the grammar `options` describe (`grammar.rules`
    keywords: the request's `grammar_options`, what it was written under); None when it is not a
    prefix of that grammar's language."""
    rules = _rules(_frozen(options))
    for candidate in dict.fromkeys((trim_dangling(text), text)):
        tail = completion(rules, candidate)
        if tail is not None:
            return candidate + tail
    return None


def check_piece(
    text: str,
    finish_reason: str | None,
    ensemble: Ensemble | None,
    options: dict[str, Any],
) -> tuple[Validation, str]:
    """The validator's verdict on a model's piece, and how it was mended: "" (as written),
    "finished" (cut off by the cap and completed) or "salvaged" (its cut layer dropped)."""
    checked = validate_for(text, ensemble)
    if checked.ok or finish_reason != "length":
        return checked, ""
    for how, mended in (("finished", finish(text, options)), ("salvaged", salvage(text))):
        if mended:
            again = validate_for(mended, ensemble)
            if again.ok:
                return again, how
    return checked, ""
