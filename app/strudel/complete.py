"""The shortest text (rest-free where it can be) that makes a prefix of the grammar's language whole.

A model writing under the grammar (grammar-constrained decoding) can still be stopped by its token
cap halfway through a piece. What it wrote is then a prefix of some program in the language, and
the grammar knows how to end it: close the open string, group and call, add the calls a layer must
have. `completion` finds that ending by parsing the prefix against the rules (memoised recursive
descent over the same rule data `gbnf()`/`ebnf()` render) and, wherever the input runs out,
appending the shortest string each remaining part can take.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.strudel import subset
from app.strudel.grammar import Alt, Chars, Expr, Lit, Ref, Rep, Seq

# Rests are the shortest atoms but make a silent ending, and drums and noises have the shortest
# sound names but make a poor melody: as endings they cost as much as a long word.
_PENALTY = 40
_COSTLY = {w: _PENALTY for w in ("~", "_", *subset.DRUM_SOUNDS, *subset.NOISE_SOUNDS)}

Ending = tuple[int, str]  # (cost, text): the cheapest string a part of the grammar derives


def _first_char(spec: str) -> str:
    """The smallest character a class body matches (our classes are ranges like 0-9, a-g)."""
    if spec.startswith("^"):
        return next(c for c in " abcdefghijklmnopqrstuvwxyz0123456789" if c not in spec[1:])
    return spec[0]


def _cost(text: str) -> int:
    return len(text) + sum((_PENALTY - len(w)) * text.count(w) for w in _COSTLY if w != "_")


def _cheapest(expr: Expr, table: Mapping[str, Ending]) -> Ending | None:
    """The cheapest string `expr` derives, given the rules' cheapest strings found so far."""
    if isinstance(expr, Lit):
        return _COSTLY.get(expr.text, len(expr.text)), expr.text
    if isinstance(expr, Chars):
        return 1, _first_char(expr.spec)
    if isinstance(expr, Ref):
        return table.get(expr.name)
    if isinstance(expr, Seq):
        parts = [_cheapest(i, table) for i in expr.items]
        found = [p for p in parts if p is not None]
        if len(found) < len(parts):
            return None
        return sum(p[0] for p in found), "".join(p[1] for p in found)
    if isinstance(expr, Alt):
        options = [o for o in (_cheapest(i, table) for i in expr.items) if o is not None]
        return min(options) if options else None
    if isinstance(expr, Rep):
        if expr.low == 0:
            return 0, ""
        one = _cheapest(expr.item, table)
        return None if one is None else (one[0] * expr.low, one[1] * expr.low)
    raise TypeError(expr)


def cheapest_strings(rules: Mapping[str, Expr]) -> dict[str, Ending]:
    """For every rule, the cheapest string it derives (a fixpoint: recursive rules settle on their
    non-recursive alternative)."""
    best: dict[str, Ending] = {}
    changed = True
    while changed:
        changed = False
        for name, expr in rules.items():
            found = _cheapest(expr, best)
            if found is not None and (name not in best or found < best[name]):
                best[name] = found
                changed = True
    return best


@dataclass
class _Outcome:
    """Where a part of the grammar can end in the text (`ends`), and, when the text runs out inside
    it, the shortest ending that completes that part (`tail`)."""

    ends: set[int] = field(default_factory=set)
    tail: str | None = None

    def offer(self, tail: str) -> None:
        if self.tail is None or _cost(tail) < _cost(self.tail):
            self.tail = tail

    def merge(self, other: _Outcome, suffix: str = "") -> None:
        self.ends |= other.ends
        if other.tail is not None:
            self.offer(other.tail + suffix)


class _Completer:
    def __init__(self, rules: Mapping[str, Expr], text: str):
        self.rules, self.text, self.n = rules, text, len(text)
        self.table = cheapest_strings(rules)
        self.memo: dict[tuple[str, int], _Outcome] = {}
        self.endings: dict[int, str] = {}  # id(expr) -> its cheapest string

    def min_of(self, expr: Expr) -> str:
        key = id(expr)
        if key not in self.endings:
            found = _cheapest(expr, self.table)
            assert found is not None, "every rule derives some string"
            self.endings[key] = found[1]
        return self.endings[key]

    def match(self, expr: Expr, pos: int) -> _Outcome:
        out = _Outcome()
        if pos == self.n:
            # The text ends here: this part (and whatever follows it) is still to be written.
            out.offer(self.min_of(expr))
            return out
        if isinstance(expr, Lit):
            rest = self.text[pos : pos + len(expr.text)]
            if rest == expr.text:
                out.ends.add(pos + len(expr.text))
            elif expr.text.startswith(rest) and pos + len(rest) == self.n:
                out.offer(expr.text[len(rest) :])
        elif isinstance(expr, Chars):
            if _in_class(self.text[pos], expr.spec):
                out.ends.add(pos + 1)
        elif isinstance(expr, Ref):
            key = (expr.name, pos)
            if key not in self.memo:
                self.memo[key] = _Outcome()  # left recursion guard (our rules have none)
                self.memo[key] = self.match(self.rules[expr.name], pos)
            return self.memo[key]
        elif isinstance(expr, Seq):
            self._sequence(expr.items, pos, out)
        elif isinstance(expr, Alt):
            for item in expr.items:
                out.merge(self.match(item, pos))
        elif isinstance(expr, Rep):
            self._repeat(expr, pos, out)
        else:
            raise TypeError(expr)
        return out

    def _sequence(self, items: tuple[Expr, ...], pos: int, out: _Outcome) -> None:
        frontier = {pos}
        for k, item in enumerate(items):
            rest = "".join(self.min_of(i) for i in items[k + 1 :])
            nxt: set[int] = set()
            for p in frontier:
                got = self.match(item, p)
                if got.tail is not None:
                    out.offer(got.tail + rest)
                nxt |= got.ends
            frontier = nxt
            if not frontier:
                return
        out.ends |= frontier

    def _repeat(self, rep: Rep, pos: int, out: _Outcome) -> None:
        count, frontier, seen = 0, {pos}, set[int]()
        if rep.low == 0:
            out.ends.add(pos)
        while frontier and (rep.high is None or count < rep.high):
            count += 1
            rest = self.min_of(rep.item) * max(0, rep.low - count)
            nxt: set[int] = set()
            for p in frontier:
                got = self.match(rep.item, p)
                if got.tail is not None:
                    out.offer(got.tail + rest)
                nxt |= {e for e in got.ends if e > p}  # no progress, no loop
            if count >= rep.low:
                out.ends |= nxt
            frontier = nxt - seen
            seen |= nxt


def _in_class(ch: str, spec: str) -> bool:
    negated = spec.startswith("^")
    body = spec[1:] if negated else spec
    hit, i = False, 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            hit = hit or body[i] <= ch <= body[i + 2]
            i += 3
        else:
            hit = hit or ch == body[i]
            i += 1
    return hit != negated


def completion(rules: Mapping[str, Expr], text: str, root: str = "root") -> str | None:
    """The shortest string that makes `text + it` a whole program of the language: "" when `text`
    already is one, None when `text` is not a prefix of any program."""
    parser = _Completer(rules, text)
    got = parser.match(Ref(root), 0)
    if len(text) in got.ends:
        return ""
    return got.tail
