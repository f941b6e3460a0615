"""pypdf's two string readers for content streams, reading blocks instead of single bytes.

pypdf reads a `(literal)` or `<hex>` string one byte and one Python call at a time; on a plain
novel page that is most of the time its content parser takes (1,500 pages of text: 3.9 s of
CPU). These read a block and copy the runs between special bytes at once. Same results, the same
stream position after, and the same errors as the originals (tests/unit/test_ingest_pypdf_patches.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

BLOCK = 4096
_SPECIAL = re.compile(rb"[()\\]")  # everything else in a literal string is copied as it is
_OCTAL = b"01234567"


def read_hex_string(stream: Any, forced_encoding: Any = None) -> Any:
    """pypdf's `read_hex_string_from_stream`, reading up to the `>` in blocks."""
    from pypdf.errors import STREAM_TRUNCATED_PREMATURELY, PdfStreamError
    from pypdf.generic._utils import create_string_object

    stream.read(1)  # the "<"
    pieces: list[bytes] = []
    while True:
        block = stream.read(BLOCK)
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


def read_literal_string(stream: Any, forced_encoding: Any = None, block: int = BLOCK) -> Any:
    """pypdf's `read_string_from_stream`: balanced parentheses, backslash escapes (named, one to
    three octal digits, an escaped line end), read in blocks of `block` bytes."""
    escapes, create_string_object, truncated = _pypdf()
    stream.read(1)  # the "("
    origin = stream.tell()  # where data[0] is in the stream
    data = stream.read(block)
    out = bytearray()
    parens = 1
    i = 0
    while True:
        found = _SPECIAL.search(data, i)
        if found is None:
            out += data[i:]
            origin += len(data)
            data, i = stream.read(block), 0
            if not data:
                raise truncated()
            continue
        j = found.start()
        out += data[i:j]
        byte = data[j]
        if byte == 0x28:  # "(" nests
            parens += 1
            out.append(byte)
            i = j + 1
            continue
        if byte == 0x29:  # ")"
            parens -= 1
            if parens == 0:
                stream.seek(origin + j + 1)
                return create_string_object(bytes(out), forced_encoding)
            out.append(byte)
            i = j + 1
            continue
        # A backslash: its escape is at most three more bytes, keep them in view.
        while len(data) - j < 4:
            more = stream.read(block)
            if not more:
                break
            data, origin, j = data[j:] + more, origin + j, 0
        if j + 1 >= len(data):  # the stream ends on the backslash
            raise truncated()
        code = data[j + 1]
        if code in escapes:
            out.append(escapes[code])
            i = j + 2
        elif code in _OCTAL:
            end = j + 2
            while end < j + 4 and end < len(data) and data[end] in _OCTAL:
                end += 1
            value = int(data[j + 1:end], 8)
            if value > 255:  # the backslash stands for itself, the digits are read again
                out.append(0x5C)
                i = j + 1
            else:
                out.append(value)
                i = end
        elif code in b"\n\r":  # an escaped line end (one or two bytes) is no text
            i = j + 2
            if i < len(data) and data[i] in b"\n\r":
                i += 1
        else:
            from pypdf._utils import logger_warning

            logger_warning(
                "Unexpected escaped string: %(token)s", source="pypdf.generic._utils",
                token=bytes((code,)).decode("utf-8", "ignore"),
            )
            out += bytes((0x5C, code))
            i = j + 2


@functools.cache
def _pypdf() -> tuple[dict[int, int], Any, Callable[[], Exception]]:
    """pypdf's named escapes (`\\n`, `\\(`, ...) by the byte after the backslash, its string
    maker and its truncation error, imported once (the worker imports this module before pypdf)."""
    from pypdf.errors import STREAM_TRUNCATED_PREMATURELY, PdfStreamError
    from pypdf.generic._utils import __ESCAPE_DICT__, create_string_object

    escapes = {key[0]: value for key, value in __ESCAPE_DICT__.items()}
    return escapes, create_string_object, lambda: PdfStreamError(STREAM_TRUNCATED_PREMATURELY)
