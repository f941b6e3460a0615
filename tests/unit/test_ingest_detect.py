"""Formats are sniffed from bytes, and wrong or empty files get a message for the reader."""

import pytest

from app.ingest.detect import detect
from app.ingest.errors import IngestError
from app.ingest.stream import book_events, read_book

from .bookgen import STORY, layout_book, make_epub, make_pdf

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


def test_formats_are_sniffed_not_taken_from_the_name():
    assert detect(make_pdf(layout_book("T", STORY)), "book.txt").kind == "pdf"
    assert detect(make_epub("T", STORY), "book.pdf").kind == "epub"
    assert detect(b"# Title\n\nText", "notes").kind == "markdown"
    assert detect(b"Just words.", "notes.pdf").kind == "text"


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (b"", "empty", "empty"),
        (PNG, "wrong-type", "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "wrong-type", "JPEG"),
        (b"PK\x03\x04garbage", "corrupt", "damaged"),
        (bytes(range(256)) * 4, "wrong-type", "binary"),
    ],
    ids=["zero-bytes", "png-renamed", "jpeg", "bad-zip", "binary"],
)
def test_bad_files_get_a_clear_message(data, kind, words):
    with pytest.raises(IngestError) as err:
        read_book(data, "book.pdf")
    assert err.value.kind == kind
    assert words in err.value.message


def test_errors_arrive_as_an_event_not_an_exception():
    (event,) = list(book_events(PNG, "cover.pdf"))
    assert event["type"] == "error" and "cover.pdf" in event["message"]


def test_text_encodings():
    assert detect("Ünïcödé".encode("utf-8-sig")).text == "Ünïcödé"
    assert detect("Ünïcödé".encode("utf-16")).text == "Ünïcödé"
    assert detect("café crème".encode("cp1252")).text == "café crème"


@pytest.mark.parametrize("name", ["saved.txt", "download.pdf"])
def test_a_web_page_under_another_name_is_read_as_its_text_and_said_so(name):
    html = (b"<!DOCTYPE html>\n<html><head><title>T</title><script>var x = '<p>';</script></head>"
            b"<body><h1>Chapter 1</h1><p>It was a <b>dark</b> night.</p><p>Second one.</p></body></html>")
    book = read_book(html, name)
    assert [(p.kind, p.text) for p in book.paragraphs] == [
        ("heading", "Chapter 1"), ("text", "It was a dark night."), ("text", "Second one."),
    ]
    assert book.warnings and "web page (HTML)" in book.warnings[0] and name in book.warnings[0]


def test_an_epub_is_known_from_its_first_entry_and_a_cut_one_is_still_called_damaged():
    data = make_epub("T", STORY)
    assert data[30:38] == b"mimetype"  # stored first, as the standard asks
    assert detect(data[:200], "cut.epub").kind == "epub"  # seen without the ZIP directory
    with pytest.raises(IngestError) as err:
        read_book(data[:200], "cut.epub")
    assert err.value.kind == "corrupt" and "damaged" in err.value.message
