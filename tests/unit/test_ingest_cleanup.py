"""Cleanup rules on their own: line joining, normalization, headings, sentences."""

import random
import re
import unicodedata

import pytest

from app.ingest import cleanup
from app.ingest.cleanup import clean_text, is_chapter_heading, join_lines, split_sentences


@pytest.mark.parametrize(
    ("previous", "line", "joined"),
    [
        ("the breakwa-", "ter was wet", "the breakwater was wet"),
        ("a well-", "Known name", "a well-Known name"),  # a capital after the hyphen: a real compound
        ("wonder\u00ad", "ful", "wonderful"),
        ("港の朝は", "静かだった。", "港の朝は静かだった。"),
        ("「嵐が来る」", "と老人は言った。", "「嵐が来る」と老人は言った。"),
        ("Le café", "était fermé", "Le café était fermé"),
        ("pages 12-", "13 of it", "pages 12-13 of it"),
        ("a pause -", "then more", "a pause - then more"),  # a spaced dash is not a hyphen
        ("No answer,\u2014", "nothing done.", "No answer,\u2014nothing done."),  # closed-up dash
        ("a pause \u2014", "then more", "a pause \u2014 then more"),  # a spaced one keeps its space
        ("ran thus:\u2014", "\u201cMost", "ran thus:\u2014 \u201cMost"),  # a quote opens after a space
    ],
)
def test_join_lines(previous, line, joined):
    assert join_lines(previous, line) == joined


def test_clean_text_normalizes_without_touching_cjk_punctuation():
    raw = "e\u0301te\u0301 \ufb01n\u00a0\u2009de  l\u2019\ufb02eur\u200b"
    assert clean_text(raw) == "été fin de l\u2019fleur"
    assert clean_text("「こんにちは」、世界！") == "「こんにちは」、世界！"
    assert clean_text("tab\there\x07") == "tab here"
    # Accents drawn as glyphs of their own by TeX's OT1 fonts: back on their letters.
    assert clean_text("Max-Planck-Institut f\u00a8ur Physik, M\u00a8unchen, caf\u00b4e") == (
        "Max-Planck-Institut für Physik, München, café")
    assert clean_text("a \u00b4 alone, x^2 and `code`") == "a \u00b4 alone, x^2 and `code`"


@pytest.mark.parametrize(
    "text",
    ["Chapter 1", "CHAPTER XII", "Chapter Twelve: The Storm", "Prologue", "Part Two", "第三章", "Chapitre 4",
     "Глава 5"],
)
def test_chapter_headings(text):
    assert is_chapter_heading(text)


@pytest.mark.parametrize("text", ["The chapter ended quietly.", "Chapters are long.", "Partly cloudy."])
def test_not_chapter_headings(text):
    assert not is_chapter_heading(text)


def test_split_sentences():
    assert split_sentences("He left. She stayed! Did they? “Yes.” Then, at 3.5 km, rain.") == [
        "He left.", "She stayed!", "Did they?", "“Yes.”", "Then, at 3.5 km, rain."
    ]
    assert split_sentences("港の朝。静かだった！") == ["港の朝。", "静かだった！"]


def test_clean_text_skips_only_rewrites_that_change_nothing():
    # The fast paths (no odd character, NFC already, single spaces) give what the rewrites give.
    def rewritten(text):
        text = unicodedata.normalize("NFC", text)
        text = cleanup._LIGATURE_RE.sub(lambda m: cleanup._LIGATURES[m.group()], text)
        text = cleanup._INVISIBLE.sub("", cleanup._ODD_SPACES.sub(" ", text))
        return re.sub(r"[ \n]+", " ", cleanup._CONTROL.sub("", text)).strip()

    alphabet = [*"ab .\n\t\x00\x7f\x85\u00a0\u00ad\ufb01e\u0301\u3000\u200b\ufeff\u2009\x0b", "  "]
    rng = random.Random(3)
    for _ in range(8_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert clean_text(text) == rewritten(text), repr(text)


def test_sentences_split_in_chunks_as_in_one_piece(monkeypatch):
    """A long paragraph is split chunk by chunk (cut between two letters): the same sentences as
    the pattern over the whole text, whatever the chunk size."""
    def whole(text):
        return [s.strip() for s in cleanup._SENTENCE_SPLIT.split(text) if s.strip()]

    monkeypatch.setattr(cleanup, "CHUNK", 3)
    alphabet = [*"ab .!?…。！？।॥\"'”’»)）“‘«(AZÀ0 \u3000\n", "  ", "ab", "Ab"]
    rng = random.Random(9)
    for _ in range(8_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert split_sentences(text) == whole(text), repr(text)
    monkeypatch.setattr(cleanup, "CHUNK", 4096)
    words = ["the", "harbour", "lantern", "remembered", "a", "quiet", "morning", "storm"]
    long = " ".join(words[i * 5 % 8] for i in range(200_000)) + ". And then? Nothing."
    assert split_sentences(long) == whole(long)
    assert len(split_sentences(long)) == 3
