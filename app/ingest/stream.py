"""Any file to a book, as a stream of small JSON events (app/session/opening.py hands them to the
reading session).

Events, in order:
- {"type": "meta", "title", "source", "total", "unit", "warnings"}: the file opened; `total`
  pages (PDF), chapter files (EPUB) or paragraphs (text)
- {"type": "chunk", "paragraphs": [...], "sections": [...], "done", "total"}: new paragraphs
  (appended in order) and the sections closed so far; the first arrives after a few pages
- {"type": "done", "paragraphs", "sections", "warnings"}
- {"type": "error", "kind", "message"}: instead of anything after it; `message` is for the reader
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from app.ingest.assemble import BookAssembler
from app.ingest.detect import detect
from app.ingest.errors import IngestError
from app.ingest.plain import block_paragraphs, strip_gutenberg, text_blocks
from app.models import Book, Paragraph
from app.segment import DEFAULT_WPM, BookBuilder

EMPTY_PAGES_BEFORE_GIVING_UP = 30  # a scanned book is told so early, not after 500 pages


def book_events(
    data: bytes,
    name: str,
    wpm: int = DEFAULT_WPM,
    every: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[dict[str, Any]]:
    """The whole pipeline for one file. A chunk goes out as soon as the first section is closed,
    then at most every `every` seconds (and always at the end)."""
    try:
        yield from _events(data, name, wpm, every, clock)
    except IngestError as err:
        yield {"type": "error", "kind": err.kind, "message": err.message}
    except Exception as err:  # a bug or a file nobody foresaw: say so, keep the page alive
        yield {"type": "error", "kind": "internal", "message": f"“{name}” could not be read: {err!r}"}


def book_events_json(data: Any, name: str, wpm: int = DEFAULT_WPM) -> Iterator[str]:
    """For the worker: accepts JS bytes (anything with to_py) and yields JSON strings."""
    raw = data.to_py() if hasattr(data, "to_py") else data
    for event in book_events(bytes(raw), name, wpm):
        yield json.dumps(event, ensure_ascii=False)


def _events(
    data: bytes, name: str, wpm: int, every: float, clock: Callable[[], float]
) -> Iterator[dict[str, Any]]:
    detected = detect(data, name)
    builder = BookBuilder(wpm)
    base = name.rsplit(".", 1)[0] if "." in name else name
    last = clock()
    first_sent = False

    def chunk(done: int, total: int) -> dict[str, Any]:
        nonlocal last, first_sent
        last, first_sent = clock(), True
        return {"type": "chunk", **builder.delta(), "done": done, "total": total}

    def due() -> bool:
        return (not first_sent and builder.has_news()) or clock() - last >= every

    if detected.kind == "pdf":
        from app.ingest.layout import LayoutReader
        from app.ingest.pdf import PdfSource

        pdf = PdfSource(data, name)
        total = pdf.pages_to_read
        yield meta(pdf.title, "pdf", total, "pages", pdf.warnings)
        layout = LayoutReader()
        empty = 0
        for page in pdf.pages():
            if not page.runs:
                empty += 1
                if empty == page.number and empty >= min(EMPTY_PAGES_BEFORE_GIVING_UP, total):
                    raise pdf.failure() if pdf.failed and pdf.failed * 2 >= empty else _scanned(name)
            builder.add(layout.feed(page))
            if due():
                yield chunk(page.number, total)
        builder.add(layout.finish())
        if not builder.paragraphs:
            raise pdf.failure() if pdf.failed and pdf.failed * 2 >= empty else _scanned(name)
        empty -= pdf.failed  # those are counted as unreadable, not as images
        if empty:
            pdf.warnings.append(f"{empty} page(s) have no text (images or blank) and were skipped.")
        warnings = pdf.warnings
    elif detected.kind == "epub":
        from app.ingest.epub import EpubSource

        epub = EpubSource(data, name)
        total = len(epub.documents)
        yield meta(epub.title, "epub", total, "chapters", epub.warnings)
        chapter, has_text = 0, False
        for done, blocks in epub.blocks():
            paragraphs = []
            for kind, text in blocks:
                if kind == "heading":
                    if has_text:
                        chapter, has_text = chapter + 1, False
                    paragraphs.append(Paragraph(text, "heading", chapter))
                else:
                    has_text = True
                    paragraphs.append(Paragraph(text, "text", chapter))
            builder.add(paragraphs)
            if due():
                yield chunk(done, total)
        if not builder.paragraphs:
            raise IngestError("empty", f"“{name}” is an EPUB with no readable text (images only?).")
        warnings = epub.warnings
    else:
        parts = text_blocks(strip_gutenberg(detected.text or ""))
        total = len(parts)
        notes = [detected.note] if detected.note else []
        yield meta(base, detected.kind, total, "parts", notes)
        markdown = detected.kind in ("markdown", "html")
        for done, paragraphs in enumerate(block_paragraphs(parts, markdown), 1):
            builder.add(paragraphs)
            if due():
                yield chunk(done, total)
        if not builder.paragraphs:
            raise IngestError("empty", f"“{name}” has no readable text.")
        warnings = notes
    builder.finish()
    yield chunk(total, total)
    yield {
        "type": "done",
        "paragraphs": len(builder.paragraphs),
        "sections": len(builder.sections),
        "warnings": warnings,
    }


def meta(title: str, source: str, total: int, unit: str, warnings: list[str]) -> dict[str, Any]:
    return {
        "type": "meta", "title": title, "source": source, "total": total, "unit": unit,
        "warnings": list(warnings),
    }


def _scanned(name: str) -> IngestError:
    return IngestError(
        "scanned",
        f"“{name}” has no text layer: it looks like scanned page images. BookMusic needs real "
        "text; run it through OCR (text recognition) first.",
    )


def read_book(data: bytes, name: str, wpm: int = DEFAULT_WPM) -> Book:
    """The whole file at once (tests, CPython use): the same pipeline and the same assembler as
    the page."""
    assembler = BookAssembler()
    for event in book_events(data, name, wpm, every=1e9):
        arrival = assembler.feed(event)
        if arrival.kind == "error":
            raise IngestError(arrival.error_kind, arrival.label)
    assert assembler.book is not None
    return assembler.book
