"""PDF extraction checked paragraph by paragraph on books built here (CPython and Pyodide)."""

import io

import pytest

from app.ingest.errors import IngestError
from app.ingest.layout import LayoutReader, PageText, TextRun
from app.ingest.pdf import MAX_PAGES, PdfSource
from app.ingest.stream import book_events, read_book

from .bookgen import STORY, Chapter, Page, Run, layout_book, long_story, make_pdf

CJK = Chapter(
    "第三章",
    [
        "港の朝は静かだった。漁師たちは網を繕い、かもめが空を回っていた。「嵐が来る」と老人は言った。",
        "二番目の段落です。",
    ],
)


def expected(chapters):
    out = []
    for number, chapter in enumerate(chapters):
        out.append(("heading", number, chapter.title))
        out += [("text", number, text) for text in chapter.paragraphs]
    return out


def got(book):
    return [(p.kind, p.chapter, p.text) for p in book.paragraphs]


@pytest.mark.parametrize("columns", [1, 2])
def test_pages_with_headers_numbers_hyphens_and_page_breaks_give_the_exact_paragraphs(columns):
    # Ten lines a page: paragraphs run across pages and columns; headers alternate.
    pdf = make_pdf(layout_book("The Harbour", [*STORY, CJK], columns=columns, lines_per_page=10))
    book = read_book(pdf, "harbour.pdf")
    assert book.source == "pdf"
    assert got(book) == expected([*STORY, CJK])
    assert book.warnings == []


def test_words_hyphenated_at_line_ends_are_rejoined():
    pdf = make_pdf(layout_book("T", STORY, lines_per_page=40))
    text = " ".join(p.text for p in read_book(pdf, "t.pdf").paragraphs)
    assert "breakwater" in text and "breakwa-" not in text
    assert "harbourmaster" in text


def test_two_column_page_is_read_column_by_column():
    left = [Run(72, 700 - 16 * i, f"left line {i} of the first column") for i in range(8)]
    right = [Run(324, 700 - 16 * i, f"right line {i} of the second column") for i in range(8)]
    pdf = make_pdf([Page([*right, *left])])  # drawn right column first, on purpose
    (para,) = read_book(pdf, "cols.pdf").paragraphs
    words = para.text.split()
    assert words[:2] == ["left", "line"]
    assert para.text.index("left line 7") < para.text.index("right line 0")


def test_ligatures_odd_spaces_soft_hyphens_and_accents_are_normalized():
    runs = [
        Run(90, 700, "The \ufb01shermen found a\u00a0\ufb02ask in the caf\u00e9 of"),
        Run(72, 684, "Se\u0301bastien, who spoke of a wonder\u00adful stor-"),
        Run(72, 668, "m\u2009\u2014 fin."),
    ]
    (para,) = read_book(make_pdf([Page(runs)]), "lig.pdf").paragraphs
    assert para.text == (
        "The fishermen found a flask in the café of Sébastien, who spoke of a wonderful storm \u2014 fin."
    )


def test_chapter_headings_are_recognized_by_size_and_by_wording():
    runs = [
        Run(72, 700, "PROLOGUE", 20, True),
        Run(90, 660, "It began with a letter."),
        Run(72, 600, "Chapter 1"),
        Run(90, 580, "The letter said nothing at all."),
    ]
    book = read_book(make_pdf([Page(runs)]), "h.pdf")
    assert got(book) == [
        ("heading", 0, "PROLOGUE"),
        ("text", 0, "It began with a letter."),
        ("heading", 1, "Chapter 1"),
        ("text", 1, "The letter said nothing at all."),
    ]


def test_block_paragraphs_without_indents_split_at_gaps():
    runs = [
        Run(72, 700, "First paragraph line one goes on for a while here and"),
        Run(72, 684, "it ends on this line."),
        Run(72, 650, "Second paragraph after a blank line."),
    ]
    assert [p.text for p in read_book(make_pdf([Page(runs)]), "b.pdf").paragraphs] == [
        "First paragraph line one goes on for a while here and it ends on this line.",
        "Second paragraph after a blank line.",
    ]


def test_layout_reader_streams_paragraphs_before_the_end():
    pages = layout_book("Long", long_story(chapters=4), lines_per_page=40)
    reader = LayoutReader()
    seen = []
    for number, page in enumerate(pages, 1):
        runs = [TextRun(r.x, r.y, r.text, r.size) for r in page.runs]
        seen.append(len(reader.feed(PageText(number, 612, 792, runs))))
    assert sum(seen[:6]) > 0, "paragraphs must come out while pages are still being fed"
    assert sum(seen) + len(reader.finish()) > 40


def test_encrypted_pdf_with_a_password_gets_a_clear_message():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(layout_book("S", STORY)))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(IngestError) as err:
        read_book(out.getvalue(), "locked.pdf")
    assert err.value.kind == "encrypted" and "password" in err.value.message


def test_pdf_encrypted_with_an_empty_user_password_opens():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(layout_book("S", STORY)))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert got(read_book(out.getvalue(), "owner-only.pdf")) == expected(STORY)


def test_scanned_pdf_without_text_is_explained():
    pdf = make_pdf([Page(image_only=True) for _ in range(3)])
    with pytest.raises(IngestError) as err:
        read_book(pdf, "scan.pdf")
    assert err.value.kind == "scanned" and "OCR" in err.value.message


def test_scanned_book_is_explained_early_without_reading_every_page():
    pdf = make_pdf([Page(image_only=True) for _ in range(60)])
    events = list(book_events(pdf, "scan.pdf"))
    assert events[-1]["type"] == "error" and events[-1]["kind"] == "scanned"
    assert not any(e["type"] == "chunk" for e in events)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF",
        b"%PDF-1.4\n" + bytes(range(256)) * 20,
        make_pdf(layout_book("S", STORY))[:300],
    ],
    ids=["no-pages", "garbage", "truncated"],
)
def test_corrupt_pdf_gets_a_clear_message(data):
    with pytest.raises(IngestError) as err:
        read_book(data, "broken.pdf")
    assert err.value.kind in {"corrupt", "scanned"}
    assert "broken.pdf" in err.value.message


def test_a_huge_pdf_is_capped_with_a_message():
    pages = [Page([Run(72, 700, f"Page {n} has one short line of text.")]) for n in range(MAX_PAGES + 5)]
    source = PdfSource(make_pdf(pages, compress=False), "huge.pdf")
    assert source.page_count == MAX_PAGES + 5
    assert source.pages_to_read == MAX_PAGES
    assert str(MAX_PAGES + 5) in source.warnings[0]


def test_pages_that_inherit_resources_and_size_from_the_page_tree_are_read():
    """dvipdfm(x) and others put /Resources and /MediaBox on the /Pages node, once for all pages
    (texlive's own manuals were refused as "damaged" for it)."""
    from .bookgen import write_pdf

    data = b"BT /F1 11 Tf 72 700 Td (A page whose font is inherited from the page tree.) Tj ET"
    pdf = write_pdf([
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [4 0 R] /Count 1 /MediaBox [0 0 612 792]"
        b" /Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>>>>",
        b"<</Length %d>>\nstream\n" % len(data) + data + b"\nendstream",
        b"<</Type /Page /Parent 2 0 R /Contents 3 0 R>>",
    ], 1)
    (para,) = read_book(pdf, "inherited.pdf").paragraphs
    assert para.text == "A page whose font is inherited from the page tree."
