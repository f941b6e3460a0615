"""Known paragraphs typeset by real LaTeX (pdflatex) and read back: default folios low on the
page, running heads that change with the section, two columns, footnotes, a book-class novel
with indented dialogue, TeX's hyphenation and ligatures. Graded as bench/ingest_quality.py does."""

from __future__ import annotations

import io
import sys

import pytest

if sys.platform == "emscripten":  # the same tests run inside Pyodide, which cannot run pdflatex
    pytest.skip("pdflatex cannot run inside Pyodide", allow_module_level=True)

from app.ingest.stream import read_book

from . import grade
from .bookgen import fixture_chapters
from .bookgen_latex import LATEX_LAYOUTS, LatexLayout, have_pdflatex, latex_typeset


@pytest.fixture(scope="module")
def chapters():
    # Chapter 1 opens with a run of one-line dialogue paragraphs; two chapters, 5-7 pages a layout.
    return fixture_chapters(chapters=2)


@pytest.fixture(scope="module", params=LATEX_LAYOUTS, ids=lambda layout: layout.name)
def typeset(request, chapters):
    if not have_pdflatex():
        pytest.fail("pdflatex is missing: scripts/setup.sh --tests installs texlive-latex-base")
    layout: LatexLayout = request.param
    book = latex_typeset(chapters, layout)
    return layout, book, grade.rejoined(read_book(book.pdf, f"{layout.name}.pdf"))


def _raw_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_layout_really_has_its_folios_and_heads(typeset):
    """The page furniture the reader must drop is in the PDF (else the tests below prove nothing)."""
    layout, book, _ = typeset
    raw = grade.norm(_raw_text(book.pdf))
    assert "3" in raw.split()  # a folio
    if layout.name in ("headings", "book"):
        assert "CHAPTER 2" in raw  # the running head of the second chapter
    if layout.footnotes:
        assert "editor's remark" in raw


def test_no_heads_folios_or_words_leak_or_go_missing(typeset):
    _, book, found = typeset
    assert grade.leaked_folios(book.truth, found) == 0
    assert grade.leaked_heads(book.truth, found, book.heads) == 0
    assert grade.lost_words(book.truth, found) == 0


def test_paragraphs_read_back_exactly(typeset):
    layout, book, found = typeset
    right, total = grade.exact(book.truth, found)
    assert right["heading"] == total["heading"]
    assert right["footnote"] == total["footnote"]  # footnotes kept, each its own paragraph
    # A compound split at its own hyphen (gaming-/house) may be judged a soft break: at most 3 %.
    assert right["text"] >= 0.97 * total["text"], (layout.name, right, total)


def test_dialogue_keeps_one_paragraph_per_speech(typeset):
    """Runs of short indented paragraphs ("In poneys?" / "Done.") stay apart, never merged."""
    _, book, found = typeset
    short = [text for kind, text in book.truth if kind == "text" and len(text) < 80]
    assert len(short) >= 10
    have = {grade.norm(text) for _, text in found}
    assert [t for t in short if grade.norm(t) not in have] == []


def test_ligatures_and_tex_quotes_read_as_letters(typeset):
    _, _, found = typeset
    text = " ".join(t for _, t in found)
    assert not any(ch in text for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04")
    assert "“" in text and "”" in text  # TeX's ``quotes'' are curly quotes, not backticks
    assert "``" not in text and "''" not in text
