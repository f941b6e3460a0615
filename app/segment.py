"""Group paragraphs into sections of about one minute of reading."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from app.models import Paragraph, Section

DEFAULT_WPM = 230


def section_id(text: str) -> str:
    """Content hash: stable across sessions, so music for a section is found again."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def make_sections(
    paragraphs: Sequence[Paragraph], wpm: int = DEFAULT_WPM, minutes: float = 1.0
) -> list[Section]:
    """Sections close near `wpm * minutes` words and never cross a chapter boundary."""
    target = max(20, int(wpm * minutes))
    sections: list[Section] = []
    start: int | None = None
    words = 0

    def close(end: int) -> None:
        nonlocal start, words
        if start is None:
            return
        chunk = paragraphs[start : end + 1]
        text = "\n\n".join(p.text for p in chunk)
        sections.append(
            Section(
                id=section_id(text),
                index=len(sections),
                first=start,
                last=end,
                words=sum(p.words for p in chunk),
                chapter=chunk[-1].chapter,
                text=text,
            )
        )
        start, words = None, 0

    for i, para in enumerate(paragraphs):
        # A section holding only headings (book title, then chapter title) runs on into the text.
        new_chapter = (
            start is not None
            and para.chapter != paragraphs[i - 1].chapter
            and any(p.kind == "text" for p in paragraphs[start:i])
        )
        # Close before this paragraph if it would overshoot and the section is already substantial.
        overshoot = start is not None and words + para.words > target * 1.25 and words >= target * 0.5
        if new_chapter or overshoot:
            close(i - 1)
        if start is None:
            start = i
        words += para.words
        if words >= target:
            close(i)
    close(len(paragraphs) - 1)
    return sections
