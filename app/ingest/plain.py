"""Plain text and Markdown to paragraphs: blank lines separate paragraphs, `#` lines are headings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace

from app.ingest.cleanup import ends_sentence, is_chapter_heading
from app.models import Paragraph

# No regular expression here may backtrack: a pasted text is hostile input, and a pattern like
# `(.+?)\s*#*\s*$` takes minutes on a heading line padded with 100,000 spaces. Each pattern of
# the old reader is now a scan that looks at every character a bounded number of times
# (tests/unit/test_hostile_files.py times them on 100 KB inputs built to make them backtrack).
_MARKUP_START = re.compile(r"[*_`]")
_DELIMITERS = {"*": ("**", "*"), "_": ("__", "_"), "`": ("`",)}


# Unicode's control characters (category Cc: U+0000-001F and U+007F-009F) but tab and newline: one
# character class, so a 20 MB text is one scan in C rather than a Python loop per character.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """NFC, unified newlines, no soft hyphens or zero-width characters, no control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub("[\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return _CONTROL.sub("", text)


def heading(line: str) -> str | None:
    r"""The text of an ATX heading line (`## Title ##`), else None: what
    `^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$` matched, found in linear time."""
    indent = len(line) - len(line.lstrip())
    if indent > 3 or not line.startswith("#", indent):
        return None
    hashes = len(line) - indent - len(line[indent:].lstrip("#"))
    rest = line[indent + hashes :]
    if hashes > 6 or not rest[:1].isspace():
        return None
    body = rest.lstrip()
    if not body:  # only spaces after the hashes: the pattern kept the last one as the text
        return rest[-1] if len(rest) > 1 else None
    # The shortest non-empty text followed by spaces, closing hashes, spaces.
    end = len(body.rstrip().rstrip("#").rstrip())
    return body[: max(1, end)]


def is_thematic_break(line: str) -> bool:
    """`***`, `- - -`, `___`: three or more of one of -*_ and nothing else but spaces."""
    marks = "".join(line.split())
    return len(marks) >= 3 and marks[0] in "-*_" and marks == marks[0] * len(marks)


def strip_links(line: str) -> str:
    r"""`[text](url)` and `![alt](src)` to their text: `!?\[([^\]]*)\]\([^)]*\)`, in one pass."""
    out: list[str] = []
    emitted = search = 0
    while True:
        start = line.find("[", search)
        if start < 0:
            break
        close = line.find("]", start + 1)
        if close < 0:
            break  # no `]` anywhere after: no later link either
        if not line.startswith("(", close + 1):
            search = close + 1  # every `[` before this `]` fails the same way
            continue
        end = line.find(")", close + 2)
        if end < 0:
            break  # no `)` anywhere after: no later link either
        begin = start - 1 if start > emitted and line[start - 1] == "!" else start
        out += (line[emitted:begin], line[start + 1 : close])
        emitted = search = end + 1
    out.append(line[emitted:])
    return "".join(out)


def strip_emphasis(line: str) -> str:
    r"""`**x**`, `__x__`, `*x*`, `_x_`, `` `x` `` to x: `(\*\*|__|\*|_|`)(.+?)\1`, in linear time.

    The next occurrence of each delimiter is remembered, so a line of 100,000 `*` costs one
    scan instead of one per position."""
    found: dict[str, tuple[int, int]] = {}  # delimiter -> (searched from, next position or -1)

    def next_at(delimiter: str, start: int) -> int:
        known = found.get(delimiter)
        if known is not None and known[0] <= start and (known[1] < 0 or known[1] >= start):
            return known[1]
        position = line.find(delimiter, start)
        found[delimiter] = (start, position)
        return position

    out: list[str] = []
    emitted = pos = 0
    while True:
        mark = _MARKUP_START.search(line, pos)
        if mark is None:
            break
        start = mark.start()
        for delimiter in _DELIMITERS[line[start]]:
            if not line.startswith(delimiter, start):
                continue
            close = next_at(delimiter, start + len(delimiter) + 1)
            if close >= 0:
                out += (line[emitted:start], line[start + len(delimiter) : close])
                emitted = pos = close + len(delimiter)
                break
        else:
            pos = start + 1
    out.append(line[emitted:])
    return "".join(out)


def strip_markdown(line: str) -> str:
    return strip_emphasis(strip_links(line))


_ROMAN = re.compile(r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def is_chapter_line(line: str) -> bool:
    """`CHAPTER I.`, `Chapter 1`, `BOOK ONE`, `Part the First`, or a roman numeral alone."""
    line = line.strip()
    if len(line) > 80:
        return False
    if len(line) <= 8 and _ROMAN.fullmatch(line.rstrip(".")) is not None:
        return True
    return is_chapter_heading(line)


def strip_gutenberg(text: str) -> str:
    """The book without Project Gutenberg's licence header and footer (the `*** START OF THE
    PROJECT GUTENBERG EBOOK … ***` and `*** END OF …` lines and what lies outside them)."""
    upper = text[:200_000].upper()
    start = max(upper.find(f"*** START OF {this} PROJECT GUTENBERG") for this in ("THE", "THIS"))
    if start >= 0:
        line_end = text.find("\n", start)
        text = text[line_end + 1 :] if line_end >= 0 else ""
    tail = text[-200_000:].upper()
    end = max(tail.rfind(f"*** END OF {this} PROJECT GUTENBERG") for this in ("THE", "THIS"))
    if end >= 0:
        text = text[: len(text) - len(tail) + end]
    return text


_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace but a space


def _single_spaced(text: str) -> str:
    r"""`re.sub(r"\s+", " ", text).strip()`, without rewriting (a 20 MB line has four million
    spaces) a text whose whitespace is single spaces already."""
    if "  " in text or _OTHER_SPACE.search(text):
        text = re.sub(r"\s+", " ", text)
    return text.strip()


def paragraphs_from_text(text: str, markdown: bool = False) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    chapter = 0
    buffer: list[str] = []

    def flush() -> None:
        nonlocal chapter
        lines = [part.strip() for part in buffer if part.strip()]
        buffer.clear()
        if not markdown and lines and is_chapter_line(lines[0]):
            # A chapter line alone, or with a short title on the next line, is a heading.
            titled = len(lines) == 2 and len(lines[1]) <= 60 and (
                not ends_sentence(lines[1]) or len(lines[1].split()) <= 6
            )
            title = lines[:2] if titled else lines[:1]
            if paragraphs and paragraphs[-1].kind != "heading":
                chapter += 1
            paragraphs.append(Paragraph(" ".join(title), "heading", chapter))
            lines = lines[len(title) :]
        joined = _single_spaced(" ".join(lines))
        if joined:
            paragraphs.append(Paragraph(joined, "text", chapter))

    for line in normalize(text).split("\n"):
        title = heading(line) if markdown else None
        if title is not None:
            flush()
            if paragraphs:
                chapter += 1
            paragraphs.append(Paragraph(strip_markdown(title), "heading", chapter))
        elif not line.strip():
            flush()
        elif markdown and is_thematic_break(line):
            flush()  # thematic break
        else:
            buffer.append(strip_markdown(line) if markdown else line)
    flush()
    return paragraphs


def text_blocks(text: str, size: int = 60_000) -> list[str]:
    """Long text cut at paragraph breaks into blocks of about `size` characters, so the first
    section of a huge text file is shown before the whole file is split into paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + size)
        end = len(text) if end < 0 else end
        blocks.append(text[start:end])
        start = end
    return blocks or [""]


def block_paragraphs(blocks: Iterable[str], markdown: bool) -> Iterator[list[Paragraph]]:
    """The paragraphs of each block in turn (empty lists included, for progress), chapters
    numbered across the whole text."""
    last_chapter = -1
    for block in blocks:
        paragraphs = paragraphs_from_text(block, markdown=markdown)
        if paragraphs:
            # Each block numbers its chapters from 0; continue the text's numbering.
            offset = max(0, last_chapter + (1 if paragraphs[0].kind == "heading" else 0))
            paragraphs = [replace(p, chapter=p.chapter + offset) for p in paragraphs]
            last_chapter = paragraphs[-1].chapter
        yield paragraphs
