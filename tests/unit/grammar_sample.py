"""Random programs drawn from the grammar's rules (app/strudel/grammar.py `rules`), for property tests.

Only for bounded grammars (a `max_depth`, so no rule recurses): every draw ends. Repetitions are
drawn short, the way a model writes, and every alternative gets its turn.
"""

from __future__ import annotations

import random

from app.strudel.grammar import Alt, Chars, Expr, Lit, Ref, Rep, Seq


def _chars(spec: str) -> list[str]:
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out += [chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1)]
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return out


def draw(rules: dict[str, Expr], rng: random.Random, expr: Expr | None = None, depth: int = 0) -> str:
    if depth > 40:
        raise RecursionError("draw() is for bounded grammars (give rules() a max_depth)")
    expr = Ref("root") if expr is None else expr
    if isinstance(expr, Lit):
        return expr.text
    if isinstance(expr, Chars):
        assert not expr.spec.startswith("^")
        return rng.choice(_chars(expr.spec))
    if isinstance(expr, Ref):
        return draw(rules, rng, rules[expr.name], depth + 1)  # depth counts rules
    if isinstance(expr, Seq):
        return "".join(draw(rules, rng, i, depth) for i in expr.items)
    if isinstance(expr, Alt):
        return draw(rules, rng, rng.choice(expr.items), depth)
    if isinstance(expr, Rep):
        high = 2 if expr.high is None else expr.high
        count = rng.choice(range(expr.low, high + 1))
        return "".join(draw(rules, rng, expr.item, depth) for _ in range(count))
    raise TypeError(expr)
