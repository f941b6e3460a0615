"""Plain text and Markdown to paragraphs: blank lines separate paragraphs, `#` lines are headings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace

from app.models import Paragraph

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_MARKUP = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def normalize(text: str) -> str:
    """NFC, unified newlines, no soft hyphens or zero-width characters, no control characters."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub("[\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def strip_markdown(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    return _MARKUP.sub(r"\2", line)


def paragraphs_from_text(text: str, markdown: bool = False) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    chapter = 0
    buffer: list[str] = []

    def flush() -> None:
        joined = " ".join(part.strip() for part in buffer if part.strip())
        joined = re.sub(r"\s+", " ", joined).strip()
        if joined:
            paragraphs.append(Paragraph(joined, "text", chapter))
        buffer.clear()

    for line in normalize(text).split("\n"):
        heading = _HEADING.match(line) if markdown else None
        if heading:
            flush()
            if paragraphs:
                chapter += 1
            paragraphs.append(Paragraph(strip_markdown(heading.group(2)), "heading", chapter))
        elif not line.strip():
            flush()
        elif markdown and re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
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
