"""The built-in sample story, written for BookMusic, so a newcomer hears music at once."""

from __future__ import annotations

from pathlib import Path

from app.ingest.plain import paragraphs_from_text
from app.models import Book
from app.segment import make_sections

STORY = Path(__file__).with_name("the_lighthouse_keeper.md")


def sample_book(wpm: int = 230) -> Book:
    paragraphs = paragraphs_from_text(STORY.read_text(encoding="utf-8"), markdown=True)
    return Book(
        title="The Lighthouse Keeper's Year",
        paragraphs=paragraphs,
        sections=make_sections(paragraphs, wpm=wpm),
        source="sample",
    )
