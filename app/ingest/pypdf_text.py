"""pypdf's `get_text_operands` (a text-showing operator's string decoded, and its width) and
`get_display_str` (the decoded string through the font's character map), with tables kept per
font instead of one Python step per glyph.

pypdf decodes a one-byte string through the font's encoding dictionary one byte at a time and
sums the glyph widths one character at a time, with a width cache it empties after each string:
on 1,500 pages of a plain novel that is a fifth of its text extraction. Here each font gets a
256-entry decoding table and a width by character, built once; the string is decoded and its
widths summed by C loops, in the same order (so the same float); the character map is one
`str.translate` table. Same results as the originals (tests/unit/test_ingest_pypdf_patches.py);
anything unusual (right-to-left text, a map pypdf would fail on) goes to the original.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial, reduce
from operator import add
from typing import Any


@dataclass
class _Tables:
    decode: list[str] | None  # the encoding dictionary for each byte; None when not a dict
    characters: dict[int, str] | None  # the character map as a translate table; None if odd
    space: tuple[Any, Any]  # the space character and its width when `widths` was filled
    widths: dict[str, float] = field(default_factory=dict)


# id of the Font -> (a weak reference to it, its tables): a font's tables go when the font goes
# (a book's fonts with the book, pypdf's placeholder fonts with their page), before its id can
# be reused.
_tables: dict[int, tuple[weakref.ref[Any], _Tables]] = {}


def _drop(key: int, _gone: object) -> None:
    _tables.pop(key, None)


def _for(font: Any) -> _Tables:
    key = id(font)
    known = _tables.get(key)
    if known is not None and known[0]() is font:
        tables = known[1]
    else:
        encoding = font.encoding
        decode = [encoding.get(x, chr(x)) for x in range(256)] if isinstance(encoding, dict) else None
        tables = _Tables(decode, _translation(font.character_map), (None, None))
        _tables[key] = (weakref.ref(font, partial(_drop, key)), tables)
    space = (font.space_char, font.space_width)
    if tables.space != space:  # pypdf sets a page's default space width on the font
        tables.space, tables.widths = space, {font.space_char: font.space_width}
    return tables


def _translation(character_map: Any) -> dict[int, str] | None:
    """`character_map.get(c, c)` for every character c as a `str.translate` table: one-character
    keys only (no other key can equal one character), string values only."""
    if not isinstance(character_map, dict) or not all(isinstance(v, str) for v in character_map.values()):
        return None
    return {ord(k): v for k, v in character_map.items() if isinstance(k, str) and len(k) == 1}


def display_str(
    original: Callable[..., tuple[str, bool, str]],
    text: str,
    cm_matrix: list[float],
    tm_matrix: list[float],
    font_resource: Any,
    font: Any,
    text_operands: str,
    font_size: float,
    rtl_dir: bool,
    visitor_text: Any,
) -> tuple[str, bool, str]:
    from pypdf import _text_extraction as pypdf_text

    characters = _for(font).characters
    custom_rtl = pypdf_text.CUSTOM_RTL_MIN and pypdf_text.CUSTOM_RTL_MAX
    if characters is not None and not rtl_dir and not custom_rtl:
        appended = text_operands.translate(characters)
        if pypdf_text.RTL_CHARACTER_PATTERN.search(appended) is None:  # left to right: appended
            return text + appended, rtl_dir, ""
    return original(
        text, cm_matrix, tm_matrix, font_resource, font, text_operands, font_size, rtl_dir, visitor_text
    )


def text_operands(
    original: Callable[..., tuple[str, bool, float]],
    operands: list[Any],
    cm_matrix: list[float],
    tm_matrix: list[float],
    font: Any,
    orientations: tuple[int, ...],
) -> tuple[str, bool, float]:
    from pypdf._text_extraction import mult, orient

    if not operands or orient(mult(tm_matrix, cm_matrix)) not in orientations:
        return "", False, 0.0
    first = operands[0]
    tables = _for(font)
    if isinstance(first, str):
        text, is_str, chars = first, True, first
    elif isinstance(first, bytes) and tables.decode is not None:
        decode = tables.decode
        text, is_str, chars = "".join(map(decode.__getitem__, first)), False, first.decode("latin-1")
    else:  # a named encoding (two-byte fonts): pypdf's own decoding
        return original(operands, cm_matrix, tm_matrix, font, orientations)
    widths = tables.widths
    for char in set(chars).difference(widths):
        widths[char] = font.get_text_width(char)
    return text, is_str, reduce(add, map(widths.__getitem__, chars), 0.0)
