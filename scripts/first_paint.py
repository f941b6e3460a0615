"""The page's first paint: the sample story's first section, written into dist/index.html.

Python draws the sample only once Pyodide has started (seconds); until then the reader would see
an empty page. The build renders the same section from the same Python (`app.sample`, at the
default reading speed) into the static page, in the markup `ui/reader.js` gives it, so Python's
render later replaces it with identical nodes: nothing moves and the two cannot drift
(tests/e2e/test_first_minutes.py compares them in the browser).
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the app's Python, as the page has it

from app.models import Book, Paragraph
from app.sample import sample_book
from app.segment import DEFAULT_WPM

# Where index.html takes the section: the reader's empty <main>.
MARKER = '<main id="reader" class="reader" tabindex="-1" aria-label="Book text">'


def paragraph_html(paragraph: Paragraph, index: int) -> str:
    """One paragraph as ui/reader.js paragraphNode makes it."""
    tag = "h2" if paragraph.kind == "heading" else "p"
    cls = "note" if paragraph.kind == "footnote" else "cont" if paragraph.continued else None
    attrs = f' data-para="{index}"' + (f' class="{cls}"' if cls else "")
    return f"<{tag}{attrs}>{escape(paragraph.text, quote=False)}</{tag}>"


def first_section_html(book: Book) -> str:
    """The book's first section, marked current as Python marks it once it has opened the book."""
    section = book.sections[0]
    body = "".join(paragraph_html(book.paragraphs[i], i) for i in range(section.first, section.last + 1))
    attrs = f'class="section current" id="s-{section.index}" data-index="{section.index}"'
    return f"<section {attrs}>{body}</section>"


def with_first_paint(page: str, book: Book | None = None) -> str:
    """index.html with the sample's first section inside the reader, tagged with its book's title."""
    book = book or sample_book(DEFAULT_WPM)
    if page.count(MARKER) != 1:
        raise ValueError("index.html: the reader's <main> is not where first_paint.py expects it")
    tagged = MARKER[:-1] + f' data-first-paint="{escape(book.title)}">'
    return page.replace(MARKER, tagged + first_section_html(book))


def write_first_paint(index_html: Path) -> None:
    index_html.write_text(with_first_paint(index_html.read_text(encoding="utf-8")), encoding="utf-8")
