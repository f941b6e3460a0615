"""The book arriving as a stream of events (app.ingest.stream) put back together.

One assembler for both sides: `read_book` in CPython and the page's reading session use it, so a
streamed book is the same book wherever it is collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.models import Book, Paragraph, Section
from app.wording import count


@dataclass
class Arrival:
    """What one event changed."""

    kind: str  # meta, chunk, done, error, or stray (an event with no book arriving)
    paragraphs: list[Paragraph] = field(default_factory=list)  # new in this event
    sections: list[Section] = field(default_factory=list)
    fraction: float | None = None  # how much has arrived, for the progress bar
    label: str = ""  # what to tell the reader
    error_kind: str = ""


@dataclass
class BookAssembler:
    book: Book | None = None
    total: int = 1
    unit: str = "pages"
    complete: bool = False

    def feed(self, event: dict[str, Any]) -> Arrival:
        kind = event.get("type")
        if kind == "meta":
            warnings = [str(w) for w in event.get("warnings", [])]
            self.book = Book(str(event["title"]), [], [], str(event["source"]), warnings)
            self.total = int(event["total"]) or 1
            self.unit = str(event["unit"])
            self.complete = False
            return Arrival("meta", fraction=0.0, label=f"Opening “{self.book.title}”… {self._note()}".strip())
        if kind == "error":
            self.book = None
            return Arrival("error", label=str(event["message"]), error_kind=str(event.get("kind", "")))
        book = self.book
        if book is None or self.complete:
            return Arrival("stray")
        if kind == "chunk":
            paragraphs = [Paragraph(**p) for p in event["paragraphs"]]
            sections = [Section(**s) for s in event["sections"]]
            book.paragraphs += paragraphs
            book.sections += sections
            done, total = int(event["done"]), int(event["total"]) or 1
            label = f"Reading “{book.title}”: {done} of {total} {self.unit}… {self._note()}"
            return Arrival("chunk", paragraphs, sections, done / total, label.strip())
        if kind == "done":
            book.warnings = [str(w) for w in event.get("warnings", [])]
            self.complete = True
            label = f"{book.title}: {count(len(book.sections), 'section')}. {self._note()}"
            return Arrival("done", label=label.strip())
        return Arrival("stray")

    def _note(self) -> str:
        return " ".join(self.book.warnings) if self.book else ""
