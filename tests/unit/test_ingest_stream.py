"""The stream of events the parse worker posts: first section early, same ids as in one go."""

from app.ingest.stream import book_events, read_book
from app.models import Paragraph
from app.segment import make_sections, split_long

from .bookgen import layout_book, long_story, make_pdf


class Clock:
    """A clock that advances one tick per call, so chunking is deterministic."""

    def __init__(self):
        self.t = 0.0

    def __call__(self):
        self.t += 0.01
        return self.t


def test_first_section_arrives_long_before_the_book_is_read():
    pdf = make_pdf(layout_book("Long", long_story(chapters=8), lines_per_page=40))
    events = list(book_events(pdf, "long.pdf", every=0.5, clock=Clock()))
    assert events[0]["type"] == "meta" and events[0]["unit"] == "pages"
    total = events[0]["total"]
    first = next(e for e in events if e["type"] == "chunk")
    assert first["sections"], "the first chunk carries a playable section"
    assert first["done"] <= 6 < total
    assert events[-1]["type"] == "done"
    done = [e["done"] for e in events if e["type"] == "chunk"]
    assert done == sorted(done) and done[-1] == total


def test_streamed_sections_equal_sections_made_in_one_go():
    pdf = make_pdf(layout_book("Long", long_story(chapters=5), lines_per_page=40))
    book = read_book(pdf, "long.pdf")
    again = make_sections(book.paragraphs)
    assert [s.id for s in book.sections] == [s.id for s in again]
    assert [s.first for s in book.sections] == [0] + [s.last + 1 for s in book.sections[:-1]]
    assert book.sections[-1].last == len(book.paragraphs) - 1


def test_plain_text_and_markdown_go_through_the_same_stream():
    book = read_book(b"# One\n\nHello there.\n\n# Two\n\nBye now.", "notes.md")
    assert book.source == "markdown"
    assert [(p.kind, p.chapter, p.text) for p in book.paragraphs] == [
        ("heading", 0, "One"), ("text", 0, "Hello there."), ("heading", 1, "Two"), ("text", 1, "Bye now."),
    ]


def test_very_long_paragraphs_are_cut_at_sentence_ends():
    sentence = "This sentence has exactly eight words in it."
    para = Paragraph(" ".join([sentence] * 100))  # 800 words
    pieces = split_long(para, 287)
    assert len(pieces) == 3
    assert all(p.text.endswith("it.") and p.words <= 287 for p in pieces)
    assert [p.continued for p in pieces] == [False, True, True]
    assert " ".join(p.text for p in pieces) == para.text


def test_cjk_paragraphs_are_cut_at_full_stops_without_spaces():
    para = Paragraph("港の朝は静かだった。" * 120)
    pieces = split_long(para, 100)
    assert len(pieces) > 1 and all(p.text.endswith("。") and " " not in p.text for p in pieces)
    assert "".join(p.text for p in pieces) == para.text


def test_worker_warm_up_reads_its_tiny_pdf():
    from app.ingest.warmup import tiny_pdf, warm_up

    assert warm_up() == 3  # meta, chunk, done: no error
    assert read_book(tiny_pdf(), "w.pdf").paragraphs[0].text == "Warming up the reader."


def test_a_long_text_file_streams_and_numbers_chapters_like_one_piece():
    from app.ingest.plain import paragraphs_from_text

    text = "\n\n".join(f"# {c.title}\n\n" + "\n\n".join(c.paragraphs) for c in long_story(chapters=30))
    text = "Opening words before any heading.\n\n" + text
    events = list(book_events(text.encode(), "big.md", every=1e9))
    chunks = [e for e in events if e["type"] == "chunk"]
    assert events[0]["total"] >= 3 and len(chunks) >= 2
    book = read_book(text.encode(), "big.md")
    whole = paragraphs_from_text(text, markdown=True)
    def rows(paragraphs):
        return [(p.text, p.kind, p.chapter) for p in paragraphs]

    assert rows(book.paragraphs) == rows(whole)
