"""pypdf's content stream parser (`ContentStream._parse_content_stream`), the common tokens
matched by patterns over the whole stream instead of read a few bytes at a time.

A page of a novel is a few thousand tokens: numbers, names, strings, arrays of those, and the
operators between them. pypdf reads each with several `read`/`seek` calls and a pattern search
over small chunks; after the string readers were fixed that was still 40 % of a plain page's
extraction. Here numbers, simple names, strings, arrays of numbers and strings, and operators are
matched in place; everything else (dictionaries, comments, inline images, odd bytes, anything
near a limit) goes through pypdf's own code for that token, so the result, the parsing budget and
the errors are pypdf's (tests/unit/test_ingest_pypdf_patches.py compares the two).
"""

from __future__ import annotations

import functools
import re
from types import SimpleNamespace
from typing import Any

from app.ingest.pypdf_strings import read_hex_string, read_literal_string

_ARRAY_SPACE = re.compile(rb"[\x00\t\n\v\f\r ]*")  # inside an array `isspace()` counts too
_END = rb"(?=[\t\n\v\f\r ()<>\[\]{}/%]|\Z)"  # where pypdf ends a name or an operator
# pypdf reads a number from a 20-byte window, up to the first byte not in "+,-.0-9"; a number
# that fills the window is read another way, so only shorter ones are matched here.
_NUMBER_BODY = rb"[+\-.0-9][+,\-.0-9]{0,18}(?=[^+,\-.0-9])"
_NUMBER = re.compile(_NUMBER_BODY)
# One token after pypdf's whitespace: an operator (far below pypdf's 128 bytes), a number, a
# plain ASCII name without # escapes, or any other byte (a string, an array, or pypdf's code).
_TOKEN = re.compile(
    rb"[\x00\t\n\f\r ]*(?:"
    rb"(?P<operator>[A-Za-z'\"][^\t\n\v\f\r ()<>\[\]{}/%]{0,99})" + _END
    + rb"|(?P<number>" + _NUMBER_BODY + rb")"
    + rb"|(?P<name>/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]{0,200})" + _END
    + rb"|(?P<other>.))",
    re.DOTALL,
)


@functools.cache
def _pypdf() -> SimpleNamespace:
    """pypdf's names used here, imported once (the worker imports this module before pypdf)."""
    from pypdf._utils import read_non_whitespace, read_until_regex
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject
    from pypdf.generic._data_structures import (
        IndirectPattern,
        StreamParsingBudget,
        get_configuration,
        read_object,
    )

    return SimpleNamespace(
        read_non_whitespace=read_non_whitespace, read_until_regex=read_until_regex,
        ArrayObject=ArrayObject, FloatObject=FloatObject, NameObject=NameObject,
        NumberObject=NumberObject, IndirectPattern=IndirectPattern,
        StreamParsingBudget=StreamParsingBudget, get_configuration=get_configuration,
        read_object=read_object,
    )


def parse_content_stream(self: Any, stream: Any) -> None:
    """Fills `self._operations` as pypdf's parser does."""
    lib = _pypdf()
    stream.seek(0, 0)
    data = stream.read()
    work = lib.get_configuration().stream_parsing_work_maximum_count
    budget = lib.StreamParsingBudget(remaining_budget=work)
    operations = self._operations
    operands: list[Any] = []
    pos = 0
    while True:
        token = _TOKEN.match(data, pos)
        if token is None:  # only whitespace is left
            break
        kind = token.lastgroup or "other"
        pos = token.start(kind)
        if kind != "other":
            if kind == "operator":
                value = token.group(kind)
                if value != b"BI":  # an inline image: pypdf's code reads it
                    _count(self, budget)
                    operations.append((operands, value))
                    operands = []
                    pos = token.end()
                    continue
            elif kind == "number":
                if not lib.IndirectPattern.match(data, pos, pos + 20):  # "1 0 R": pypdf's error
                    _count(self, budget)
                    value = token.group(kind)
                    operands.append(lib.FloatObject(value) if b"." in value else lib.NumberObject(value))
                    pos = token.end()
                    continue
            else:
                _count(self, budget)
                operands.append(lib.NameObject(token.group(kind).decode("ascii")))
                pos = token.end()
                continue
        elif data[pos] in b"(<[":
            _count(self, budget)
            value, end = _array(self, lib, data, pos, stream, budget) if data[pos] == 0x5B else _scalar(
                self, lib, data, pos, stream
            )
            if end >= 0:
                operands.append(value)
                pos = end
                continue
            budget.remaining_budget += 1  # counted again by pypdf's code below
        # pypdf's own step for this token
        stream.seek(pos)
        peek = lib.read_non_whitespace(stream)
        if peek == b"":
            break
        stream.seek(-1, 1)
        if peek.isalpha() or peek in (b"'", b'"'):
            operator = lib.read_until_regex(
                stream=stream, regex=lib.NameObject.delimiter_pattern, length=self._OPERATOR_LENGTH_LIMIT
            )
            if operator == b"BI":
                assert operands == []  # as pypdf has it
                self._check_limits(parsing_budget=budget, token_decrement=2)
                image = self._read_inline_image(stream, parsing_budget=budget)
                operations.append((image, b"INLINE IMAGE"))
            else:
                self._check_limits(parsing_budget=budget, token_decrement=1)
                operations.append((operands, operator))
                operands = []
        elif peek == b"%":  # a comment runs to the line's end
            while peek not in (b"\r", b"\n", b""):
                peek = stream.read(1)
        else:
            self._check_limits(parsing_budget=budget, token_decrement=1)
            operands.append(lib.read_object(stream, None, self.forced_encoding, parsing_budget=budget))
        pos = stream.tell()


def _count(self: Any, budget: Any) -> None:
    """One token off the stream's parsing budget; pypdf's own check raises when it is spent."""
    if budget.remaining_budget > 0:
        budget.remaining_budget -= 1
    else:
        self._check_limits(parsing_budget=budget, token_decrement=1)


def _scalar(self: Any, lib: Any, data: bytes, pos: int, stream: Any) -> tuple[Any, int]:
    """A number or a string at `pos`, as pypdf's `read_object` reads it."""
    first = data[pos]
    if first == 0x28:  # "("
        stream.seek(pos)
        value = read_literal_string(stream, self.forced_encoding)
        return value, stream.tell()
    if first == 0x3C and data[pos + 1:pos + 2] != b"<":  # "<" and not a dictionary
        stream.seek(pos)
        value = read_hex_string(stream, self.forced_encoding)
        return value, stream.tell()
    found = _NUMBER.match(data, pos)
    if found is None or lib.IndirectPattern.match(data, pos, pos + 20):  # "1 0 R": pypdf's error
        return None, -1
    number = found.group()
    return (lib.FloatObject(number) if b"." in number else lib.NumberObject(number)), found.end()


def _array(self: Any, lib: Any, data: bytes, pos: int, stream: Any, budget: Any) -> tuple[Any, int]:
    """An array of numbers and strings (a TJ's operand); anything else inside, or a limit
    reached, and pypdf reads the whole array."""
    items = lib.ArrayObject()
    room = min(lib.get_configuration().array_maximum_element_count, budget.remaining_budget)
    pos += 1
    while True:
        pos = _ARRAY_SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if pos >= len(data):  # pypdf ends an unclosed array at the stream's end
            break
        if data[pos] == 0x5D:  # "]"
            pos += 1
            break
        if len(items) == room:  # pypdf raises its own error at this element
            return None, -1
        value, end = _scalar(self, lib, data, pos, stream)
        if end < 0:
            return None, -1
        items.append(value)
        pos = end
    budget.remaining_budget -= len(items)  # one per element, as pypdf counts them
    return items, pos
