"""A small GBNF reader and Earley recognizer, so tests check the grammar TEXT we emit.

It reads the GBNF features our emitter uses (rules `name ::= ...` one per line, `#` comments,
"strings" with \\n \\" \\\\ escapes, [classes] with ranges and ^, groups, |, ?, * and +) and
answers whether a string is in the language, character by character like llama.cpp does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ESC = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "[": "[", "]": "]", "-": "-"}


@dataclass(frozen=True)
class CharSet:
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def __call__(self, ch: str) -> bool:
        hit = any(lo <= ch <= hi for lo, hi in self.ranges)
        return hit != self.negated


@dataclass
class Grammar:
    rules: dict[str, list[list[object]]] = field(default_factory=dict)  # symbol: NT name | CharSet
    counter: int = 0

    def fresh(self, base: str) -> str:
        self.counter += 1
        return f"{base}~{self.counter}"


class _Reader:
    def __init__(self, text: str, grammar: Grammar, rule: str):
        self.text, self.pos, self.g, self.rule = text, 0, grammar, rule

    def ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def char(self, closing: str) -> str:
        ch = self.text[self.pos]
        if ch == "\\":
            esc = self.text[self.pos + 1]
            self.pos += 2
            if esc == "x":
                value = chr(int(self.text[self.pos : self.pos + 2], 16))
                self.pos += 2
                return value
            if esc not in _ESC:
                raise SyntaxError(f"unknown escape \\{esc}")
            return _ESC[esc]
        self.pos += 1
        return ch

    def alternatives(self) -> list[list[object]]:
        alts = [self.sequence()]
        self.ws()
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            alts.append(self.sequence())
            self.ws()
        return alts

    def sequence(self) -> list[object]:
        items: list[object] = []
        while True:
            self.ws()
            if self.pos >= len(self.text) or self.text[self.pos] in "|)":
                return items
            symbols = self.primary()
            while self.pos < len(self.text) and self.text[self.pos] in "?*+":
                symbols = [self.repeat(symbols, self.text[self.pos])]
                self.pos += 1
            items.extend(symbols)

    def repeat(self, symbols: list[object], op: str) -> str:
        name = self.g.fresh(self.rule)
        if op == "?":
            self.g.rules[name] = [[], symbols]
        elif op == "*":
            self.g.rules[name] = [[], [*symbols, name]]
        else:
            self.g.rules[name] = [symbols, [*symbols, name]]
        return name

    def primary(self) -> list[object]:
        ch = self.text[self.pos]
        if ch == '"':
            self.pos += 1
            out: list[object] = []
            while self.text[self.pos] != '"':
                c = self.char('"')
                out.append(CharSet(((c, c),), False))
            self.pos += 1
            return out
        if ch == "[":
            self.pos += 1
            negated = self.text[self.pos] == "^"
            if negated:
                self.pos += 1
            ranges = []
            while self.text[self.pos] != "]":
                lo = self.char("]")
                hi = lo
                if self.text[self.pos] == "-" and self.text[self.pos + 1] != "]":
                    self.pos += 1
                    hi = self.char("]")
                ranges.append((lo, hi))
            self.pos += 1
            return [CharSet(tuple(ranges), negated)]
        if ch == "(":
            self.pos += 1
            name = self.g.fresh(self.rule)
            self.g.rules[name] = self.alternatives()
            if self.text[self.pos] != ")":
                raise SyntaxError(f"expected ) in rule {self.rule}")
            self.pos += 1
            return [name]
        match = re.compile(r"[A-Za-z0-9_-]+").match(self.text, self.pos)
        if not match:
            raise SyntaxError(f"unexpected {ch!r} in rule {self.rule}")
        self.pos = match.end()
        return [match.group()]


def parse_gbnf(text: str) -> Grammar:
    g = Grammar()
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, body = line.partition("::=")
        if not sep:
            raise SyntaxError(f"not a rule: {line!r}")
        name = name.strip()
        if name in g.rules:
            raise SyntaxError(f"rule {name} defined twice")
        reader = _Reader(body, g, name)
        g.rules[name] = reader.alternatives()
        if reader.pos != len(body.rstrip()):
            raise SyntaxError(f"trailing text in rule {name}")
    for prods in g.rules.values():
        for prod in prods:
            for sym in prod:
                if isinstance(sym, str) and sym not in g.rules:
                    raise SyntaxError(f"undefined rule {sym}")
    return g


def accepts(g: Grammar, text: str, root: str = "root") -> bool:
    """Earley recognition with nullable completion (Aycock & Horspool)."""
    nullable: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, prods in g.rules.items():
            if name not in nullable and any(
                all(isinstance(s, str) and s in nullable for s in p) for p in prods
            ):
                nullable.add(name)
                changed = True

    # item: (rule, production index, dot, origin)
    chart: list[set[tuple[str, int, int, int]]] = [set() for _ in range(len(text) + 1)]
    for i, _ in enumerate(g.rules[root]):
        chart[0].add((root, i, 0, 0))
    for k in range(len(text) + 1):
        agenda = list(chart[k])
        while agenda:
            name, pi, dot, origin = agenda.pop()
            prod = g.rules[name][pi]
            if dot < len(prod):
                sym = prod[dot]
                if isinstance(sym, str):
                    for qi, _ in enumerate(g.rules[sym]):
                        item = (sym, qi, 0, k)
                        if item not in chart[k]:
                            chart[k].add(item)
                            agenda.append(item)
                    if sym in nullable:
                        item = (name, pi, dot + 1, origin)
                        if item not in chart[k]:
                            chart[k].add(item)
                            agenda.append(item)
                elif k < len(text) and sym(text[k]):
                    chart[k + 1].add((name, pi, dot + 1, origin))
            else:
                for pname, ppi, pdot, porigin in list(chart[origin]):
                    pprod = g.rules[pname][ppi]
                    if pdot < len(pprod) and pprod[pdot] == name:
                        item = (pname, ppi, pdot + 1, porigin)
                        if item not in chart[k]:
                            chart[k].add(item)
                            agenda.append(item)
    return any(
        name == root and dot == len(g.rules[root][pi]) and origin == 0
        for name, pi, dot, origin in chart[len(text)]
    )
