"""Every path from text to sections gives the same sections: the worker's stream, the page helper,
the sample, opening text in the session, and a stream fed to the session event by event."""

from __future__ import annotations

import json

import pytest

from app.ingest.stream import book_events, read_book
from app.sample import STORY, sample_book
from app.segment import book_from_text
from app.session.reading import ReadingSession, segment_text

from .aio import run
from .fakes import FakePlayer, FakeUI

LONG_PARAGRAPH = "# One\n\n" + " ".join(f"Sentence number {i} walks along the shore." for i in range(120))
TEXTS = {
    "one long paragraph": LONG_PARAGRAPH,
    "chapters and dialogue": "\n\n".join(
        f"# Chapter {c}\n\n"
        + "\n\n".join(f"“Line {c}.{k},” she said, and the rain kept falling." for k in range(40))
        for c in range(3)
    ),
    "cjk and long lines": "# 第一章\n\n" + "雨が降っている。" * 400 + "\n\n" + "Plain words here. " * 300,
    "huge text in blocks": "\n\n".join(f"# Part {c}\n\n" + ("A quiet line of prose. " * 40 + "\n\n") * 60
                                       for c in range(3)),
}


def ids(sections) -> list[str]:
    return [s["id"] if isinstance(s, dict) else s.id for s in sections]


def streamed_into_session(text: str, name: str, wpm: int) -> list[str]:
    session = ReadingSession(FakeUI(), FakePlayer(), wpm=wpm)
    for event in book_events(text.encode(), name, wpm, every=0.0):
        run(session.receive_book_event(json.dumps(event)))
    assert session.book is not None
    return ids(session.book.sections)


@pytest.mark.parametrize("wpm", [120, 230, 400])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_path_gives_the_same_section_ids(name: str, wpm: int) -> None:
    text = TEXTS[name]
    worker = ids(read_book(text.encode(), "book.md", wpm).sections)
    helper = ids(json.loads(segment_text(text, wpm)))
    builder = ids(book_from_text("book", text, markdown=True, wpm=wpm).sections)
    session = ReadingSession(FakeUI(), FakePlayer(), wpm=wpm)
    session.open_text("book", text, markdown=True)
    assert session.book is not None
    opened = ids(session.book.sections)
    streamed = streamed_into_session(text, "book.md", wpm)
    assert len(worker) > 1
    assert worker == helper == builder == opened == streamed


def test_the_issue_repro_prints_the_same_number_twice() -> None:
    worker = read_book(LONG_PARAGRAPH.encode(), "t.md")
    assert len(json.loads(segment_text(LONG_PARAGRAPH))) == len(worker.sections) == 3


def test_the_sample_is_the_same_book_as_its_file_read_by_the_worker() -> None:
    worker = read_book(STORY.read_bytes(), STORY.name)
    assert ids(sample_book().sections) == ids(worker.sections)
    assert sample_book().paragraphs == worker.paragraphs
