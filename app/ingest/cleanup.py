"""Text cleanup every format needs: ligatures, odd spaces, soft hyphens, line joining, headings."""

from __future__ import annotations

import re
import unicodedata

# Typographic ligatures only: full NFKC would also rewrite CJK full-width punctuation.
_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij",
}
_LIGATURE_RE = re.compile("[" + "".join(_LIGATURES) + "]")
# No-break, thin, hair, figure and other fixed-width spaces read as a plain space.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\t\f\v]")
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe]")
_CJK_EDGE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")

# "Chapter 12", "CHAPTER XII", "Part Two", "Prologue", "第三章", "Chapitre 4", ...
CHAPTER_HEADING = re.compile(
    r"^\s*(?:(?:chapter|part|book|chapitre|capítulo|capitolo|kapitel|teil|livre|parte|глава)"
    r"\s+(?:[0-9]+|[ivxlcdm]+|[a-zà-ÿ-]+)\b.{0,60}"
    r"|prologue|epilogue|prolog|epilog|introduction|preface|afterword|foreword"
    r"|第[0-9一二三四五六七八九十百千〇零]+[章節节回部巻卷].{0,30})\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»」』)）]*$")


def clean_text(text: str) -> str:
    """One line or paragraph: NFC, ligatures spelled out, odd spaces plain, invisibles gone."""
    text = unicodedata.normalize("NFC", text)
    text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    text = _CONTROL.sub("", text)
    return re.sub(r"[ \n]+", " ", text).strip()


def join_lines(previous: str, line: str) -> str:
    """Append a line to a paragraph: rejoin words hyphenated at the line end, no space in CJK."""
    if not previous:
        return line
    if not line:
        return previous
    if previous.endswith("\u00ad"):
        return previous[:-1] + line
    # "breakwa-" + "ter" -> "breakwater"; "Anglo-" + "Saxon" and "12-" + "13" keep the hyphen.
    if re.search(r"\w-$", previous):
        if re.search(r"[^\W\d_]-$", previous) and line[0].islower():
            return previous[:-1] + line
        return previous + line
    if _CJK_EDGE.match(previous[-1]) and _CJK_EDGE.match(line[0]):
        return previous + line
    if previous.endswith(" "):
        return previous + line.lstrip()
    return previous + " " + line.lstrip()


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def is_chapter_heading(text: str) -> bool:
    return len(text) <= 80 and bool(CHAPTER_HEADING.match(text))


_SENTENCE_SPLIT = re.compile(
    r"(?<=[.!?…][\"'”’»)]) +"  # after closing quotes
    r"|(?<=[.!?…]) +(?=[\"'“‘«(]?[A-ZÀ-ÖØ-ÞА-Я0-9])"  # before a capital
    r"|(?<=[。！？])"  # CJK full stops need no space
)


def split_sentences(text: str) -> list[str]:
    """Sentences, keeping their punctuation; a sentence never ends inside a word."""
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]
