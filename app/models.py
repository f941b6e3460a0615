"""Records that flow through the pipeline: file -> text -> paragraphs -> sections -> code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

ParagraphKind = Literal["text", "heading"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: ParagraphKind = "text"
    chapter: int = 0  # index of the chapter (heading) this paragraph belongs to
    continued: bool = False  # the rest of a long paragraph that was cut at a sentence end

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class Section:
    """About one minute of reading; the unit that gets one piece of music."""

    id: str  # content hash: the same text gives the same id when a book is reopened
    index: int
    first: int  # index of its first paragraph in the book
    last: int  # index of its last paragraph (inclusive)
    words: int
    chapter: int
    text: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Book:
    title: str
    paragraphs: list[Paragraph]
    sections: list[Section] = field(default_factory=list)
    source: str = "text"  # pdf, epub, text, markdown, sample, paste
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "source": self.source,
            "warnings": self.warnings,
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "sections": [s.to_json() for s in self.sections],
        }


def count_words(text: str) -> int:
    """Words for reading-time purposes; CJK characters count as roughly one word per two."""
    words = 0
    cjk = 0
    for token in text.split():
        han = sum(1 for ch in token if _is_cjk(ch))
        cjk += han
        if han < len(token):
            words += 1
    return words + (cjk + 1) // 2


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF  # hangul
    )
