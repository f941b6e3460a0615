"""The built-in sample story, written for BookMusic, so a newcomer hears music at once."""

from __future__ import annotations

from pathlib import Path

from app.models import Book
from app.segment import book_from_text

STORY = Path(__file__).with_name("the_lighthouse_keeper.md")


def sample_book(wpm: int = 230) -> Book:
    text = STORY.read_text(encoding="utf-8")
    return book_from_text("The Lighthouse Keeper's Year", text, markdown=True, wpm=wpm, source="sample")
