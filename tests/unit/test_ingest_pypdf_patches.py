"""The pypdf patches we carry (app/ingest/pypdf_patches.py): same results and the same errors as
pypdf's own code, fonts parsed once a book instead of once a page."""

import gc
import io
import random

import pytest
from pypdf import PdfReader
from pypdf._configuration import CURRENT_CONFIGURATION, DEFAULT_CONFIGURATION
from pypdf.errors import PdfStreamError
from pypdf.generic import ContentStream
from pypdf.generic._font import Font, FontDescriptor
from pypdf.generic._utils import read_hex_string_from_stream, read_string_from_stream

from app.ingest import pypdf_patches, pypdf_text
from app.ingest.pypdf_strings import read_hex_string, read_literal_string
from app.ingest.pypdf_text import display_str, text_operands
from app.ingest.stream import read_book

from .bookgen import LAYOUTS, Page, Run, fixture_chapters, make_pdf, typeset


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


# ---- The block and pattern readers against pypdf's own, on crafted and random input ------------

LITERALS = [
    b"(plain) Tj", b"(nested (parens) inside) x", b"(esc \\( \\) \\\\ \\n \\t \\b \\f \\/) x",
    b"(octal \\101\\7\\0777 \\400 \\9) x", b"(line \\\n joined \\\r\n too \\\n\n) x",
    b"(unknown \\q escape) x", b"(ends on a backslash \\", b"(never closed", b"(", b"()", b"(a\\",
    b"(" + b"long " * 2000 + b") x", b"(\xe9\xff\x00 bytes) x",
]


def _read(reader, data, encoding):
    stream = io.BytesIO(data)
    try:
        value = reader(stream, encoding)
    except PdfStreamError as err:
        return "error", str(err)
    raw = value.original_bytes if hasattr(value, "original_bytes") else bytes(value)
    return type(value).__name__, bytes(raw), str(value), stream.tell()


@pytest.mark.parametrize("data", LITERALS)
@pytest.mark.parametrize("encoding", [None, "bytes"])
def test_literal_strings_read_as_pypdf_reads_them(data, encoding):
    want = _read(read_string_from_stream, data, encoding)
    for block in (1, 2, 3, 4096):  # escapes cut at every place by the block ends
        assert _read(lambda s, e, b=block: read_literal_string(s, e, b), data, encoding) == want


def test_random_literal_strings_read_as_pypdf_reads_them():
    alphabet = [b"(", b")", b"\\", b"\n", b"\r", b"0", b"1", b"7", b"8", b"a", b"n", b" ", b"\xe9"]
    rng = random.Random(7)
    outcomes = set()
    for _ in range(1500):
        data = b"(" + b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) + b") rest"
        want = _read(read_string_from_stream, data, None)
        outcomes.add(want[0])
        for block in (1, 3, 4096):
            assert _read(lambda s, e, b=block: read_literal_string(s, e, b), data, None) == want, data
    assert {"error", "TextStringObject", "ByteStringObject"} <= outcomes


def _operations(parse, data, encoding):
    """A content stream parsed by `parse`: its operations as comparable values, or its error."""
    def value(item):
        if isinstance(item, list):
            return type(item).__name__, [value(x) for x in item]
        if isinstance(item, dict):
            return type(item).__name__, sorted((str(k), value(v)) for k, v in item.items())
        return type(item).__name__, repr(item), getattr(item, "original_bytes", None)

    content = ContentStream(None, None, encoding)
    try:
        parse(content, io.BytesIO(data))
    except Exception as err:  # the same error, with the same message, is what is compared
        return "error", type(err).__name__, str(err)
    return [(value(operands), operator) for operands, operator in content._operations]


TOKENS = [
    b" ", b"\n", b"\x00", b"\x0b", b"BT", b"ET", b"Tj", b"TJ", b"'", b'"', b"/F1", b"/F#20x", b"/",
    b"/\xe9", b"12", b"-3.5", b"1,2", b".5", b"+", b"1 0 R ", b"12345678901234567890123", b"(",
    b")", b"(ab\\)c)", b"(\\053x)", b"[", b"]", b"<", b">", b"<<", b">>", b"<41 42>", b"%c\n",
    b"1234567890123456789 ", b"12345678901234567890 ", b"true", b"null",
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x01 EI ", b"{", b"\xe9", b"x" * 120,
]


def test_content_streams_parse_as_pypdf_parses_them():
    """Token soups, with pypdf's limits made small enough to be reached: the same operations,
    or the same error."""
    pypdf_patches.install()
    original, patched = pypdf_patches.originals["parse"], ContentStream._parse_content_stream
    rng = random.Random(11)
    outcomes = set()
    for _ in range(1500):
        data = b"".join(rng.choice(TOKENS) + rng.choice([b"", b" "]) for _ in range(rng.randint(0, 12)))
        limits = DEFAULT_CONFIGURATION
        if rng.random() < 0.3:
            limits = limits.with_overwrites(
                stream_parsing_work_maximum_count=rng.randint(0, 12),
                array_maximum_element_count=rng.randint(0, 4),
            )
        token = CURRENT_CONFIGURATION.set(limits)
        try:
            encoding = rng.choice([None, "bytes"])
            want = _operations(original, data, encoding)
            assert _operations(patched, data, encoding) == want, data
        finally:
            CURRENT_CONFIGURATION.reset(token)
        outcomes.add(want[1] if want and want[0] == "error" else "ok")
    assert {"ok", "LimitReachedError", "PdfReadError", "PdfStreamError"} <= outcomes


def _books() -> list[bytes]:
    chapters = fixture_chapters(chapters=1)
    cjk = [Page([Run(72, 700 - 16 * k, "".join(chr(0x4E00 + (n * 7 + k * 3 + j) % 400) for j in range(20)))
                 for k in range(4)]) for n in range(3)]
    return [typeset(chapters, layout).pdf for layout in LAYOUTS] + [make_pdf(cjk)]


def test_content_streams_of_typeset_books_parse_as_pypdf_parses_them():
    pypdf_patches.install()
    original, patched = pypdf_patches.originals["parse"], ContentStream._parse_content_stream
    for data in _books():
        for page in PdfReader(io.BytesIO(data)).pages:
            raw = page.get_contents().get_data()
            want = _operations(original, raw, "bytes")
            assert want and want[0] != "error"
            assert _operations(patched, raw, "bytes") == want


def test_text_operands_and_display_strings_as_pypdf_has_them():
    """Every font of the test books (one-byte WinAnsi, Type0 with a ToUnicode map, pypdf's
    placeholder), random strings, upright and turned text, right-to-left text."""
    pypdf_patches.install()
    fonts = [
        Font("Unknown", space_width=250, encoding=dict.fromkeys(range(256), "\ufffd"),
             font_descriptor=FontDescriptor(), character_map={}),
        # An encoding that spells some codes as two letters or none, a map that is not one to one.
        Font("Mapped", space_width=300, encoding={65: "ff", 66: "", 200: "\u00e9", 32: " "},
             font_descriptor=FontDescriptor(),
             character_map={"a": "\ufb01", "b": "yz", "\u05d0": "A", "ab": "Q"}),
    ]
    for data in _books():
        for page in PdfReader(io.BytesIO(data)).pages[:2]:
            for ref in page["/Resources"]["/Font"].values():
                fonts.append(Font.from_font_resource(ref.get_object()))
    operands, display = pypdf_patches.originals["operands"], pypdf_patches.originals["display"]
    rng = random.Random(5)
    upright, turned = [1.0, 0.0, 0.0, 1.0, 72.0, 700.0], [0.0, 1.0, -1.0, 0.0, 300.0, 100.0]
    mapped = 0
    for font in fonts:
        keys = sorted(k for k in font.character_map if isinstance(k, str) and len(k) == 1)
        chars = list("ab \u4e00\u4e01\u05d0\u05d1.\ufb01") + keys[:40]  # mapped ones too
        mapped += len(keys)
        for _ in range(100):
            raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))
            text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
            for operand in (raw, text):
                tm = rng.choice([upright, turned])
                args = ([operand], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], tm, font, rng.choice([(0,), (0, 90)]))
                assert text_operands(operands, *args) == operands(*args)
            for rtl in (False, True):
                args = ("so far ", upright, upright, None, font, text, 11.0, rtl, None)
                assert display_str(display, *args) == display(*args)
    assert mapped


def test_a_books_font_tables_go_with_the_book():
    read_book(make_pdf([Page([Run(72, 700, "A line of a short book.")])]), "short.pdf")
    gc.collect()
    assert not pypdf_text._tables
