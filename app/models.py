"""Records that flow through the pipeline: file -> text -> paragraphs -> sections -> pieces."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

from app.strudel.program import ValidProgram

ParagraphKind = Literal["text", "heading", "footnote"]  # a footnote is shown small


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


@dataclass(frozen=True)
class Piece:
    """One piece of music, whoever wrote it: the instant composer, the model, the drift or the
    reader (an edit). Its program already passed the validator."""

    program: ValidProgram
    style: str
    mood: str  # the mood label it was written for
    source: str = "instant"  # instant, "model <label>", drift, edited
    why: str = ""  # which words or cues made the mood, for the page

    @property
    def code(self) -> str:
        return self.program.code


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")  # kana, han, hangul


def count_words(text: str) -> int:
    """Words for reading-time purposes; CJK characters count as roughly one word per two."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(text.split())
    # A token counts as a word when anything but CJK is left in it (one regex pass, not per char).
    words = sum(1 for token in text.split() if _CJK.sub("", token))
    return words + (cjk + 1) // 2
