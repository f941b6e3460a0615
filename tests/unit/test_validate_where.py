"""A refused program says where its first error is (a character offset), so the code view can
mark the place; the words the code view colours as the subset's are words the validator accepts."""

from __future__ import annotations

import pytest

from app.seam import code_words
from app.strudel.validate import validate

GOOD = 'setcpm(20)\nstack(\n  n("0 2 4").scale("D3:minor").sound("sine").gain(0.2)\n)'


@pytest.mark.parametrize(
    ("code", "marked"),
    [
        ('fetch("x")', "fetch"),  # a layer must start with a source: the name itself is marked
        ('n("0 2").sound("sine").foo(1)', "foo"),  # an unknown method
        ('n("0 2").sound("sine").gain(sin)', "sin"),  # an unknown signal
        ('n("0 2").sound("sine").gain(sine.wobble(2))', "wobble"),  # an unknown signal method
        ('n("0 2").sound("sine").gain(0.2) // hi', "//"),  # comments
        ("n('0 2').sound(\"sine\")", "'"),  # single quotes
        ('n("0 2").sound("sine") \u00e9', "\u00e9"),  # not ASCII
        ('n("0 2 q").sound("sine")', "q"),  # inside a mini-notation string: the atom itself
        ('n("0 2").sound("sine").scale("D3:nosuch")', "nosuch"),
        ('n("0 2").sound("kazoo")', "kazoo"),  # a sound off the whitelist: where it is written
        ('setcpm(20)\nstack(\n  n("0 2").sound("sine")\n  n("1")\n)', "n(\"1"),  # a missing comma
    ],
)
def test_the_first_error_has_its_place_in_the_code(code: str, marked: str) -> None:
    result = validate(code)
    assert not result.ok
    assert result.where is not None, result.errors
    assert code[result.where:].startswith(marked), (result.where, code[result.where:], result.errors)


def test_whole_program_verdicts_have_no_place() -> None:
    assert validate("").where is None
    many = 'n("' + " ".join(["0*16"] * 8) + '").sound("sine")'
    result = validate(many)
    assert not result.ok and "too many notes" in result.errors[0] and result.where is None


def test_a_sound_the_validator_adds_is_not_placed_in_the_code() -> None:
    result = validate('n("0 2")', allowed_sounds=["sine"])  # it adds "sine": allowed, so it plays
    assert result.ok


def test_every_word_the_code_view_colours_is_accepted_where_it_belongs() -> None:
    words = code_words()
    assert validate(GOOD).ok
    for source in words["sources"]:
        arg = '"sine"' if source in ("s", "sound") else '"0 2"'
        assert validate(f'{source}({arg}).gain(0.2)').ok, source
    for method in words["methods"]:
        arg = {"scale": '"C3:major"', "s": '"sine"', "sound": '"sine"'}.get(method, "0.5")
        assert validate(f'n("0 2").sound("sine").{method}({arg})').ok, method
    for signal in words["signals"]:
        assert validate(f'n("0 2").sound("sine").lpf({signal}.range(400, 900).slow(4))').ok, signal
    for mode in words["modes"]:
        assert validate(f'n("0 2").scale("C3:{mode}").sound("sine")').ok, mode
    for sound in words["sounds"]:
        assert validate(f'n("0 2").sound("{sound}")').ok, sound
    assert words["program"] == ["setcpm", "stack"]
    assert validate('n("0").sound("sine").lpf(sine.segment(4).fast(2))').ok
