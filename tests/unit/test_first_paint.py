"""The first paint's section (scripts/first_paint.py): the sample's start, as the page draws it."""

import sys
from pathlib import Path

import pytest

from app.models import Book, Paragraph, Section
from app.sample import sample_book
from app.segment import DEFAULT_WPM

if sys.platform == "emscripten":  # pragma: no cover - the Pyodide run of the unit tests
    pytest.skip("the build's scripts are for CPython", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from first_paint import MARKER, first_section_html, with_first_paint

INDEX = Path(__file__).resolve().parents[2] / "index.html"


def test_the_page_gets_the_samples_first_section_and_only_it():
    book = sample_book(DEFAULT_WPM)
    page = with_first_paint(INDEX.read_text(encoding="utf-8"))
    first = book.sections[0]
    assert page.count('class="section current" id="s-0" data-index="0"') == 1
    assert f'data-first-paint="{book.title.replace(chr(39), "&#x27;")}"' in page
    for i in range(first.first, first.last + 1):
        assert f'data-para="{i}"' in page
    assert f'data-para="{first.last + 1}"' not in page


def test_markup_follows_the_reader_kinds_and_text_is_never_markup():
    paragraphs = [
        Paragraph("Chapter <1>", kind="heading"),
        Paragraph("A & B <script>x</script>"),
        Paragraph("the rest", continued=True),
        Paragraph("a note", kind="footnote"),
    ]
    book = Book("T", paragraphs, [Section("id", 0, 0, 3, 9, 0, "")])
    html = first_section_html(book)
    assert '<h2 data-para="0">Chapter &lt;1&gt;</h2>' in html
    assert '<p data-para="1">A &amp; B &lt;script&gt;x&lt;/script&gt;</p>' in html
    assert '<p data-para="2" class="cont">the rest</p>' in html
    assert '<p data-para="3" class="note">a note</p>' in html


def test_a_page_without_the_readers_main_is_refused():
    with pytest.raises(ValueError):
        with_first_paint("<html><body></body></html>")
    assert MARKER in INDEX.read_text(encoding="utf-8")
