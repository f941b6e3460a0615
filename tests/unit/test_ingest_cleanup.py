"""Cleanup rules on their own: line joining, normalization, headings, sentences."""

import pytest

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
    ],
)
def test_join_lines(previous, line, joined):
    assert join_lines(previous, line) == joined


def test_clean_text_normalizes_without_touching_cjk_punctuation():
    raw = "e\u0301te\u0301 \ufb01n\u00a0\u2009de  l\u2019\ufb02eur\u200b"
    assert clean_text(raw) == "été fin de l\u2019fleur"
    assert clean_text("「こんにちは」、世界！") == "「こんにちは」、世界！"
    assert clean_text("tab\there\x07") == "tab here"


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
