"""The pypdf patches we carry (app/ingest/pypdf_patches.py): same results as pypdf's own code,
fonts parsed once a book instead of once a page."""

import io

import pytest
from pypdf.errors import PdfStreamError
from pypdf.generic._utils import read_hex_string_from_stream

from app.ingest import pypdf_patches
from app.ingest.pypdf_strings import read_hex_string
from app.ingest.stream import read_book

from .bookgen import Page, Run, make_pdf


@pytest.mark.parametrize(
    "data",
    [b"<0041004200> Tj", b"<41 42\n43\t44> rest", b"<414>", b"<>", b"<" + b"00" * 5000 + b"41>x",
     b"<4g41>", b"<4141", b"<41 4"],
)
def test_hex_strings_read_as_pypdf_reads_them(data):
    def run(reader):
        stream = io.BytesIO(data)
        try:
            value = reader(stream)
        except PdfStreamError:
            return "error"
        raw = value.original_bytes if hasattr(value, "original_bytes") else bytes(value)
        return type(value).__name__, bytes(raw), str(value), stream.tell()

    assert run(read_hex_string) == run(read_hex_string_from_stream)


def test_a_books_fonts_are_parsed_once_not_on_every_page():
    # A CJK book: its Type0 font has a ToUnicode map, pypdf parsed it again on every page.
    chars = [chr(0x4E00 + i) for i in range(400)]
    pages = [Page([Run(72, 700 - 16 * k, "".join(chars[(n * 7 + k * 3 + j) % 400] for j in range(20)))
                   for k in range(5)]) for n in range(12)]
    before = pypdf_patches.parsed
    book = read_book(make_pdf(pages), "cjk.pdf")
    assert pypdf_patches.parsed - before <= 3  # regular, bold, CJK: once each
    assert "".join(p.text for p in book.paragraphs).startswith("".join(chars[:20]))
