"""Plain text and Markdown to paragraphs: blank lines separate paragraphs, `#` lines are headings."""

from __future__ import annotations

import re
import unicodedata

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
