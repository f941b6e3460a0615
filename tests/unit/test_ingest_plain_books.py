"""Plain-text books (issue #15): chapter lines are chapters, Project Gutenberg's licence is not
read, and a text without sentence ends still gets sections of about a minute."""

import pytest

from app.ingest.stream import read_book
from app.segment import target_words

GUTENBERG = """The Project Gutenberg eBook of Pride and Prejudice

This eBook is for the use of anyone anywhere in the United States.

*** START OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***

PRIDE AND PREJUDICE

{one}

It is a truth universally acknowledged, that a single man in possession
of a good fortune, must be in want of a wife.

“I hope Mr. Bingley will like it, Lizzy.”

“We are not in a way to know what Mr. Bingley likes,” said her mother.

{two}
Mr. Bennet was among the earliest of those who waited on Mr. Bingley.

*** END OF THE PROJECT GUTENBERG EBOOK PRIDE AND PREJUDICE ***

Section 1. General Terms of Use and Redistributing Project Gutenberg
"""


@pytest.mark.parametrize(
    "one, two",
    [("CHAPTER I.", "CHAPTER II."), ("Chapter 1", "Chapter 2"), ("I.", "II."), ("BOOK ONE", "BOOK TWO"),
     ("Chapter I. The Ball", "Chapter II")],
)
def test_chapter_lines_start_chapters_and_the_licence_is_left_out(one, two):
    book = read_book(GUTENBERG.format(one=one, two=two).encode(), "pride.txt")
    got = [(p.kind, p.chapter, p.text[:22]) for p in book.paragraphs]
    assert got == [
        ("text", 0, "PRIDE AND PREJUDICE"),
        ("heading", 1, one),
        ("text", 1, "It is a truth universal"[:22]),
        ("text", 1, "“I hope Mr. Bingley wil"[:22]),
        ("text", 1, "“We are not in a way to"[:22]),
        ("heading", 2, two),
        ("text", 2, "Mr. Bennet was among th"[:22]),
    ]
    assert not any("Gutenberg" in p.text or "eBook" in p.text for p in book.paragraphs)


def test_a_chapter_word_in_a_sentence_is_no_heading():
    text = "Book the bet at once, he said.\n\nPart of the plan was to wait.\n\nChapter and verse."
    assert all(p.kind == "text" for p in read_book(text.encode(), "t.txt").paragraphs)


@pytest.mark.parametrize(
    "text",
    [
        # Devanagari: sentences end with a danda, there are no capitals.
        " ".join(["धर्मक्षेत्रे कुरुक्षेत्रे समवेता युयुत्सवः मामकाः पाण्डवाश्चैव किमकुर्वत संजय ।"] * 400),
        # No punctuation at all for thousands of words (Molly Bloom's monologue).
        " ".join(["yes because he never did a thing like that before as ask to get his breakfast"] * 300),
        # Clauses only.
        "; ".join(["the sea the sea and the wind over the harbour wall and the gulls"] * 300),
    ],
    ids=["danda", "unpunctuated", "clauses"],
)
def test_no_section_runs_past_twice_its_length(text):
    book = read_book(text.encode(), "long.txt")
    assert len(book.sections) > 5
    assert max(s.words for s in book.sections) <= 2 * target_words()
    assert " ".join(p.text for p in book.paragraphs).split() == text.split()
