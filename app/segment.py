"""Group paragraphs into sections of about one minute of reading: the one text -> sections path.

`Sectioner` works as a stream (a section is closed as soon as it is complete, so a big book's
first section is playable while the rest is parsed); `make_sections` is the same thing in one call,
so a book gets the same section ids whether it arrived all at once or page by page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from functools import reduce
from typing import Any

from app.ingest.cleanup import join_lines, split_sentences
from app.ingest.plain import block_paragraphs, text_blocks
from app.models import Book, Paragraph, Section

DEFAULT_WPM = 230


def section_id(text: str) -> str:
    """Content hash: stable across sessions, so music for a section is found again."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def target_words(wpm: int = DEFAULT_WPM, minutes: float = 1.0) -> int:
    return max(20, int(wpm * minutes))


class Sectioner:
    """Feed paragraphs in order; sections come out as soon as they are closed.

    Sections close near `wpm * minutes` words and never cross a chapter boundary.
    """

    def __init__(self, wpm: int = DEFAULT_WPM, minutes: float = 1.0) -> None:
        self.target = target_words(wpm, minutes)
        self.paragraphs: list[Paragraph] = []
        self.sections: list[Section] = []
        self._start: int | None = None
        self._words = 0
        self._counts: list[int] = []  # words per paragraph, counted once

    def add(self, para: Paragraph) -> list[Section]:
        before = len(self.sections)
        i = len(self.paragraphs)
        paragraphs = self.paragraphs
        paragraphs.append(para)
        words = para.words
        start = self._start
        # A section holding only headings (book title, then chapter title) runs on into the text.
        new_chapter = (
            start is not None
            and para.chapter != paragraphs[i - 1].chapter
            and any(p.kind == "text" for p in paragraphs[start:i])
        )
        # Close before this paragraph if it would overshoot and the section is already substantial.
        overshoot = (
            start is not None
            and self._words + words > self.target * 1.25
            and self._words >= self.target * 0.5
        )
        if new_chapter or overshoot:
            self._close(i - 1)
        if self._start is None:
            self._start = i
        self._words += words
        self._counts.append(words)
        if self._words >= self.target:
            self._close(i)
        return self.sections[before:]

    def finish(self) -> list[Section]:
        before = len(self.sections)
        self._close(len(self.paragraphs) - 1)
        return self.sections[before:]

    def _close(self, end: int) -> None:
        start = self._start
        if start is None or end < start:
            return
        chunk = self.paragraphs[start : end + 1]
        text = "\n\n".join(p.text for p in chunk)
        self.sections.append(
            Section(
                id=section_id(text),
                index=len(self.sections),
                first=start,
                last=end,
                words=sum(self._counts[start : end + 1]),
                chapter=chunk[-1].chapter,
                text=text,
            )
        )
        self._start, self._words = None, 0


def make_sections(
    paragraphs: Sequence[Paragraph], wpm: int = DEFAULT_WPM, minutes: float = 1.0
) -> list[Section]:
    sectioner = Sectioner(wpm, minutes)
    for para in paragraphs:
        sectioner.add(para)
    sectioner.finish()
    return sectioner.sections


def split_long(para: Paragraph, max_words: int) -> list[Paragraph]:
    """A paragraph longer than `max_words` becomes several, cut at sentence boundaries.

    Pieces after the first are marked `continued` so the reader shows them as one paragraph.
    """
    if para.kind != "text" or para.words <= max_words:
        return [para]
    pieces: list[str] = []
    current: list[str] = []
    words = 0
    for sentence in _sentences(para.text, max_words):
        n = Paragraph(sentence).words
        if current and words + n > max_words:
            pieces.append(reduce(join_lines, current, ""))
            current, words = [], 0
        current.append(sentence)
        words += n
    if current:
        pieces.append(reduce(join_lines, current, ""))
    return [replace(para, text=text, continued=k > 0) for k, text in enumerate(pieces)]




_CLAUSE_MARKS = frozenset(";:,—–।॥、，；：")


def _sentences(text: str, max_words: int) -> list[str]:
    """Sentences; one longer than a section (a text without full stops: Ulysses, a Sanskrit
    text, a hostile file) is cut at clause marks, then between words, so no piece is longer
    than `max_words` and no section runs past twice its length."""
    out: list[str] = []
    for sentence in split_sentences(text):
        # No text has more words than characters: most sentences need no count here.
        if len(sentence) <= max_words or Paragraph(sentence).words <= max_words:
            out.append(sentence)
        else:
            out += _pack(sentence, max_words)
    return out


def _pack(sentence: str, max_words: int) -> list[str]:
    """A long sentence in pieces of at most `max_words` words, each ending at the last clause
    mark of its second half when there is one, else between words; text without spaces (CJK)
    between characters. One pass over the words."""
    tokens = sentence.split()
    if len(tokens) <= 1:
        step = 2 * max_words  # CJK characters count as half a word
        return [sentence[k : k + step] for k in range(0, len(sentence), step)]
    pieces: list[str] = []
    start = 0
    clause = -1  # the last word ending with a clause mark in the current piece
    for i, token in enumerate(tokens):
        if token[-1] in _CLAUSE_MARKS:
            clause = i
        if i - start + 1 >= max_words:
            end = clause if clause >= start + max_words // 2 else i
            pieces.append(" ".join(tokens[start : end + 1]))
            start, clause = end + 1, -1
    if start < len(tokens):
        pieces.append(" ".join(tokens[start:]))
    return pieces


class BookBuilder:
    """Paragraphs in, long ones split, sections out; remembers what has not been sent yet."""

    def __init__(self, wpm: int = DEFAULT_WPM) -> None:
        self.sectioner = Sectioner(wpm)
        self.max_words = int(target_words(wpm) * 1.25)
        self._sent_paragraphs = 0
        self._sent_sections = 0

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.sectioner.paragraphs

    @property
    def sections(self) -> list[Section]:
        return self.sectioner.sections

    def add(self, paragraphs: list[Paragraph]) -> None:
        for para in paragraphs:
            for piece in split_long(para, self.max_words):
                self.sectioner.add(piece)

    def finish(self) -> None:
        self.sectioner.finish()

    def has_news(self) -> bool:
        return len(self.sections) > self._sent_sections

    def delta(self) -> dict[str, Any]:
        paragraphs = self.paragraphs[self._sent_paragraphs :]
        sections = self.sections[self._sent_sections :]
        self._sent_paragraphs += len(paragraphs)
        self._sent_sections += len(sections)
        # The records are flat: a copy of their fields is what `asdict` makes, at a third of the
        # cost (it dominates a 50,000-chapter book).
        return {
            "paragraphs": [dict(vars(p)) for p in paragraphs],
            "sections": [dict(vars(s)) for s in sections],
        }


def book_from_text(
    title: str, text: str, *, markdown: bool = True, wpm: int = DEFAULT_WPM, source: str = ""
) -> Book:
    """Text or Markdown to a book in one call: the same blocks, builder and sections as a text
    file streamed by app/ingest/stream.py, so every path gives the same section ids."""
    builder = BookBuilder(wpm)
    for paragraphs in block_paragraphs(text_blocks(text), markdown):
        builder.add(paragraphs)
    builder.finish()
    kind = source or ("markdown" if markdown else "text")
    return Book(title, builder.paragraphs, builder.sections, kind)
