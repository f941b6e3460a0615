"""Books laid out the ways that damaged PDF reading (issue #15), read back paragraph by paragraph:
known paragraphs of a public-domain novel typeset as a justified novel, two columns under a
banner, footnotes; running heads, folios low on the page, dialogue, hyphens at line ends, CJK."""

from collections import Counter

import pytest

from app.ingest.cleanup import LineJoiner, Vocabulary
from app.ingest.stream import read_book

from .bookgen import LAYOUTS, Chapter, Layout, Page, Run, fixture_chapters, make_pdf, typeset
from .grade import rejoined as paragraphs


@pytest.fixture(scope="module")
def chapter() -> list[Chapter]:
    return fixture_chapters(chapters=1)  # Sybil, chapter 1: dialogue, long paragraphs, hyphens


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_typeset_novel_reads_back_paragraph_for_paragraph(layout, chapter):
    book = typeset(chapter, layout)
    got = paragraphs(read_book(book.pdf, f"{layout.name}.pdf"))
    found = Counter(got)
    exact = sum(1 for kind, text in book.truth if found[(kind, text)] > 0)
    # Two columns read column by column (not "…in his book the bet…" across the gutter),
    # dialogue one paragraph a line, footnotes kept as footnotes.
    assert exact >= 0.97 * len(book.truth), [p for p in got if p not in book.truth][:3]
    texts = " ".join(text for _, text in got)
    assert not any(text.isdigit() for _, text in got), "a folio leaked"
    assert all(head not in texts for head in book.heads if head and head not in {t for _, t in book.truth})
    for word in book.hard:  # real hyphens at line ends stay
        assert word.rstrip(",.;") in texts
    assert sum(1 for kind, _ in got if kind == "heading") == len(chapter)


def test_dialogue_lines_are_paragraphs_of_their_own(chapter):
    got = paragraphs(read_book(typeset(chapter, LAYOUTS[0]).pdf, "novel.pdf"))
    assert got[:4] == [
        ("heading", "Chapter 1"),
        ("text", "“I’ll take the odds against Caravan.”"),
        ("text", "“In poneys?”"),
        ("text", "“Done.”"),
    ]


def test_a_folio_at_fourteen_percent_of_the_height_is_no_text(chapter):
    # LaTeX's default article puts the page number 13.9 % up the page: outside a fixed 10 % band.
    book = typeset(chapter, Layout("article", heads=False, folio_at=0.139 + 40 / 792))
    got = paragraphs(read_book(book.pdf, "article.pdf"))
    assert all(text in {t for _, t in book.truth} for _, text in got)


def test_footnotes_are_kept_and_marked(chapter):
    book = typeset(chapter, LAYOUTS[2])
    notes = [text for kind, text in paragraphs(read_book(book.pdf, "notes.pdf")) if kind == "footnote"]
    assert notes == [text for kind, text in book.truth if kind == "footnote"] or sorted(notes) == sorted(
        text for kind, text in book.truth if kind == "footnote"
    )
    assert len(notes) >= 5


def full_line(start: str, end: str, width: float = 440) -> str:
    """`start … end` with small words between, as long as a full line of 11 pt Helvetica."""
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    glyphs = CORE_FONT_METRICS["Helvetica"].character_widths

    def points(text: str) -> float:
        return sum(glyphs.get(ch, glyphs["default"]) for ch in text) * 11 / 1000

    fill: list[str] = []
    fillers = ["and", "so", "the", "old", "a", "at", "of"]
    while points(" ".join([start, *fill, end])) < width - 6:
        fill.append(fillers[len(fill) % len(fillers)])
    return " ".join([start, *fill, end])


def test_hard_hyphens_at_line_ends_stay_and_soft_ones_go():
    lines = [
        full_line("Come to the drawing-room to-morrow, a well known house;", "and"),
        full_line("the pre-training was done;", "the drawing-"),
        full_line("room was full;", "we meet to-"),
        full_line("morrow", "with the well-"),
        full_line("known", "pre-"),
        full_line("training crew", "by the break-"),
        "water, near the breakwater.",
    ]
    pdf = make_pdf([Page([Run(72, 700 - 14 * i, line) for i, line in enumerate(lines)])])
    (para,) = read_book(pdf, "hyphens.pdf").paragraphs
    for word in ("drawing-room", "to-morrow", "well-known", "pre-training", "breakwater"):
        assert f" {word} " in para.text.replace(",", " ").replace(";", " ")
    assert "break-water" not in para.text


def test_the_books_own_words_decide_a_hyphen():
    words = Vocabulary()
    words.add_line("the drawing-room and to-morrow, a well known quiet breakwater at dusk")
    assert words.keeps_hyphen("drawing", "room")
    assert words.keeps_hyphen("to", "morrow")
    assert words.keeps_hyphen("well", "known")  # both halves are words of the book: kept
    assert not words.keeps_hyphen("break", "water")  # the joined word is one
    assert not words.keeps_hyphen("asse", "mbled")  # neither: a soft hyphen
    assert words.keeps_hyphen("half", "a-dozen")  # the rest is hyphenated itself: a compound
    # The book is silent on these: spelling decides.
    assert words.keeps_hyphen("re", "establish")  # a prefix before its own vowel
    assert words.keeps_hyphen("pre", "eminence")
    assert words.keeps_hyphen("co", "operate")
    assert not words.keeps_hyphen("pati", "ence")  # different vowels: a soft hyphen as before
    assert words.keeps_hyphen("rapidly", "increasing")  # an adverb before a participle
    assert not words.keeps_hyphen("sup", "plying")
    assert not words.keeps_hyphen("supply", "ing")  # too short to be a word of its own
    words.add_line("a reestablish")  # the book spells it joined: joined
    assert not words.keeps_hyphen("re", "establish")
    joiner = LineJoiner(words)
    joiner.add("a breakwa-")
    joiner.add("ter and the drawing-")
    joiner.add("room")
    assert joiner.text == "a breakwater and the drawing-room"


def test_whole_words_at_line_ends_count_but_halves_of_a_split_do_not():
    words = Vocabulary()
    words.add_line("digested reports of the gaming-")
    words.add_line("house fellows")  # "house" is the second half of "gaming-house"
    words.add_line("increasing")
    assert words.words["digested"] == words.words["fellows"] == words.words["increasing"] == 1
    assert words.words["gaming"] == words.words["house"] == 0


def test_chinese_glyphs_placed_one_by_one_get_no_spaces_and_no_second_column():
    text = "操作系统的设计与实现是计算机科学的核心课程之一，本书介绍进程、内存和文件系统。"
    runs = []
    for row in range(0, len(text), 12):  # a grid of glyphs 12 to a line, each drawn on its own
        for col, ch in enumerate(text[row : row + 12]):
            runs.append(Run(300 + 12 * col, 700 - 16 * row // 12, ch, size=12))
    pdf = make_pdf([Page(runs)])
    (para,) = read_book(pdf, "cjk.pdf").paragraphs
    assert para.text == text


@pytest.mark.parametrize("matrix", [(0, 1, -1, 0), (0, -1, 1, 0), (-1, 0, 0, -1)], ids=["90", "270", "180"])
def test_sideways_text_is_read_as_lines_not_sent_to_ocr(matrix):
    from .bookgen import write_pdf

    a, b, c, d = matrix
    lines = [f"Line {i} of a landscape page, its text set sideways." for i in range(12)]
    ops = []
    for i, line in enumerate(lines):
        # Each next line sits further along the text's own "down" direction.
        x, y = 306 - 14 * i * c, 396 - 14 * i * d
        ops.append(b"BT /F1 11 Tf %d %d %d %d %d %d Tm (%s) Tj ET" % (a, b, c, d, x, y, line.encode()))
    data = b"\n".join(ops)
    pdf = write_pdf([
        b"<</Type /Catalog /Pages 2 0 R>>", b"<</Type /Pages /Kids [4 0 R] /Count 1>>",
        b"<</Length %d>>\nstream\n" % len(data) + data + b"\nendstream",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources <</Font <</F1 <</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>>>>>>>",
    ], 1)
    text = " ".join(p.text for p in read_book(pdf, "landscape.pdf").paragraphs)
    assert text == " ".join(lines)
