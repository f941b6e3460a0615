"""Grading read-back text against known paragraphs: shared by the layout tests and
bench/ingest_quality.py, so the tests assert what the benchmark reports."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def norm(text: str) -> str:
    """Text as compared: NFKC (ligatures spelled out), straight quotes, one space."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    return [t.strip('.,;:!?"()\'*') for t in norm(text).split()]


def rejoined(book: Any) -> list[tuple[str, str]]:
    """(kind, text) per paragraph; a long paragraph cut for sectioning is one paragraph again."""
    out: list[tuple[str, str]] = []
    for p in book.paragraphs:
        if p.continued and out:
            out[-1] = (out[-1][0], out[-1][1] + " " + p.text)
        else:
            out.append((p.kind, p.text))
    return out


def exact(truth: list[tuple[str, str]], found: list[tuple[str, str]]) -> tuple[Counter[str], Counter[str]]:
    """Paragraphs of the truth read back word for word and of the right kind, by kind; and the
    totals by kind."""
    have = Counter((kind, norm(text)) for kind, text in found)
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for kind, text in truth:
        total[kind] += 1
        if have[(kind, norm(text))] > 0:
            have[(kind, norm(text))] -= 1
            right[kind] += 1
    return right, total


def lost_words(truth: list[tuple[str, str]], found: list[tuple[str, str]]) -> int:
    """Words of the truth missing from the text read (hyphenated words aside: counted apart)."""
    want = Counter(t for _, text in truth for t in tokens(text))
    got = Counter(t for _, text in found for t in tokens(text))
    return sum(n - got[t] for t, n in want.items() if n > got[t] and "-" not in t)


def leaked_folios(truth: list[tuple[str, str]], found: list[tuple[str, str]]) -> int:
    want = Counter(t for _, text in truth for t in tokens(text))
    got = Counter(t for _, text in found for t in tokens(text))
    return sum(got[t] - want[t] for t in got if t.isdigit() and got[t] > want[t])


def leaked_heads(truth: list[tuple[str, str]], found: list[tuple[str, str]], heads: list[str]) -> int:
    known = norm(" ".join(t for _, t in truth))
    out = norm(" ".join(t for _, t in found))
    return sum(1 for h in set(heads) if h and norm(h) not in known and norm(h) in out)
