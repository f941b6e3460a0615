"""Two small patches we carry for pypdf 7.1, where a profile of reading a book found its time.

1. Parsed fonts shared between the pages of one book.

pypdf parses every font of a page again on every page (`Font.from_font_resource` in
`PageObject._extract_text`), its ToUnicode map included. A book whose fonts carry large maps
(calibre's CID fonts, CJK books) spends most of its reading time there: 65 % of it on a 60-page
CJK book built in the tests, 11 pages/s. Within `shared_fonts(cache)`, a font dictionary parsed
once is parsed no more: pypdf resolves an indirect font to the same object on every page, so the
object itself is the key (kept in the cache, so its id cannot be reused).

2. Hex strings (`<0041004200>`, how CID fonts show text) read at once instead of one byte and
one `int()` at a time: `read_hex_string_from_stream` took 1.8 s of the same 9 s after patch 1.
Same results and the same errors as the original (tests/unit/test_ingest_pypdf_patches.py).

3. The 256-entry WinAnsi table that every page's text extractor builds for its placeholder font
(`encoding_dict_from_named_encoding`, 4.5 ms a page, 256 decodes) built once and copied.
"""

from __future__ import annotations

from typing import Any

FontCache = dict[int, tuple[Any, Any]]  # id of the font dictionary -> (dictionary, parsed Font)

_active: FontCache | None = None
_installed = False
parsed = 0  # fonts parsed by pypdf itself (for the tests)


def read_hex_string(stream: Any, forced_encoding: Any = None) -> Any:
    """pypdf's `read_hex_string_from_stream`, reading up to the `>` in blocks."""
    from pypdf.errors import STREAM_TRUNCATED_PREMATURELY, PdfStreamError
    from pypdf.generic._utils import create_string_object

    stream.read(1)  # the "<"
    pieces: list[bytes] = []
    while True:
        block = stream.read(4096)
        if not block:
            raise PdfStreamError(STREAM_TRUNCATED_PREMATURELY)
        end = block.find(b">")
        if end < 0:
            pieces.append(block)
            continue
        pieces.append(block[:end])
        stream.seek(end + 1 - len(block), 1)  # just past the ">"
        break
    digits = b"".join(pieces).translate(None, b"\x00\t\n\f\r ")
    bad = digits.translate(None, b"0123456789abcdefABCDEF")
    if bad:
        raise PdfStreamError(f"Invalid hexadecimal character {bad[:1]!r} in hex string")
    if len(digits) % 2:
        digits += b"0"
    return create_string_object(bytes.fromhex(digits.decode("ascii")), forced_encoding)


def install() -> None:
    """Wrap `Font.from_font_resource` once (outside `shared_fonts` it behaves as before) and put
    the block-reading hex string reader where pypdf's content parser looks it up."""
    global _installed
    if _installed:
        return
    from pypdf import _codecs
    from pypdf._text_extraction import _text_extractor
    from pypdf.generic import _data_structures, _font
    from pypdf.generic._font import Font

    _data_structures.read_hex_string_from_stream = read_hex_string
    tables: dict[str, dict[int, str]] = {}
    named = _codecs.encoding_dict_from_named_encoding

    def encoding_table(encoding: str) -> dict[int, str]:
        if encoding not in tables:
            tables[encoding] = named(encoding)
        return dict(tables[encoding])  # a copy: a font may change its own

    _text_extractor.encoding_dict_from_named_encoding = encoding_table
    _font.encoding_dict_from_named_encoding = encoding_table

    original = Font.from_font_resource.__func__  # type: ignore[attr-defined]

    def from_font_resource(cls: Any, pdf_font_dict: Any) -> Any:
        global parsed
        cache = _active
        if cache is not None:
            known = cache.get(id(pdf_font_dict))
            if known is not None and known[0] is pdf_font_dict:
                return known[1]
        parsed += 1
        font = original(cls, pdf_font_dict)
        if cache is not None:
            cache[id(pdf_font_dict)] = (pdf_font_dict, font)
        return font

    Font.from_font_resource = classmethod(from_font_resource)  # type: ignore[method-assign, assignment]
    _installed = True


class shared_fonts:  # noqa: N801 (used as a `with` statement, like contextlib's helpers)
    """Fonts parsed inside are kept in `cache` (one per book) and reused on the next pages."""

    def __init__(self, cache: FontCache) -> None:
        install()
        self.cache = cache
        self.previous: FontCache | None = None

    def __enter__(self) -> None:
        global _active
        self.previous, _active = _active, self.cache

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = self.previous
