"""The small patches we carry for pypdf 7.1, where a profile of reading a book found its time.

1. Parsed fonts shared between the pages of one book.

pypdf parses every font of a page again on every page (`Font.from_font_resource` in
`PageObject._extract_text`), its ToUnicode map included. A book whose fonts carry large maps
(calibre's CID fonts, CJK books) spends most of its reading time there: 65 % of it on a 60-page
CJK book built in the tests, 11 pages/s. Within `shared_fonts(cache)`, a font dictionary parsed
once is parsed no more: pypdf resolves an indirect font to the same object on every page, so the
object itself is the key (kept in the cache, so its id cannot be reused).

2. Strings in content streams read a block at a time (app/ingest/pypdf_strings.py): hex strings
(`<0041004200>`, how CID fonts show text) took 1.8 s of the same 9 s after patch 1; literal
strings (`(text)`) most of the content parsing of a plain novel.

3. The 256-entry WinAnsi table that every page's text extractor builds for its placeholder font
(`encoding_dict_from_named_encoding`, 4.5 ms a page, 256 decodes) built once and copied.

4. Content streams parsed with patterns for the common tokens (app/ingest/pypdf_content.py).

5. Text operands decoded, measured and mapped to Unicode with tables kept per font
(app/ingest/pypdf_text.py).

Each gives the same results and the same errors as pypdf's own code
(tests/unit/test_ingest_pypdf_patches.py).
"""

from __future__ import annotations

import functools
from typing import Any

from app.ingest.pypdf_content import parse_content_stream
from app.ingest.pypdf_strings import read_hex_string, read_literal_string
from app.ingest.pypdf_text import display_str, text_operands

FontCache = dict[int, tuple[Any, Any]]  # id of the font dictionary -> (dictionary, parsed Font)

_active: FontCache | None = None
_installed = False
originals: dict[str, Any] = {}  # pypdf's own functions, by what they do (for the tests)
parsed = 0  # fonts parsed by pypdf itself (for the tests)


def install() -> None:
    """Wrap `Font.from_font_resource` once (outside `shared_fonts` it behaves as before) and put
    the block-reading string readers and the text operand tables where pypdf looks them up."""
    global _installed
    if _installed:
        return
    from pypdf import _codecs
    from pypdf._text_extraction import _text_extractor
    from pypdf.generic import _data_structures, _font
    from pypdf.generic._font import Font

    originals.update(
        parse=_data_structures.ContentStream._parse_content_stream,
        operands=_text_extractor.get_text_operands,
        display=_text_extractor.get_display_str,
    )
    _data_structures.read_hex_string_from_stream = read_hex_string
    _data_structures.read_string_from_stream = read_literal_string
    _data_structures.ContentStream._parse_content_stream = parse_content_stream  # type: ignore[method-assign]
    _text_extractor.get_text_operands = functools.partial(text_operands, originals["operands"])
    _text_extractor.get_display_str = functools.partial(display_str, originals["display"])
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
