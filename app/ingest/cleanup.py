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
_SENTENCE_PUNCTUATION = ".!?…。！？"
_CLOSERS = "\"'”’»」』)）"
_HYPHENATED = re.compile(r"\w-")  # matched on the last two characters only: never a scan
_HYPHENATED_WORD = re.compile(r"[^\W\d_]-")


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
    if _HYPHENATED.fullmatch(previous[-2:]):
        if _HYPHENATED_WORD.fullmatch(previous[-2:]) and line[0].islower():
            return previous[:-1] + line
        return previous + line
    if _CJK_EDGE.match(previous[-1]) and _CJK_EDGE.match(line[0]):
        return previous + line
    if previous.endswith(" "):
        return previous + line.lstrip()
    return previous + " " + line.lstrip()


class LineJoiner:
    """A paragraph growing line by line, in time linear in its length: `join_lines` needs only
    the last two characters, so it sees a short tail and the text is kept as pieces (a paragraph
    running across 1,500 pages must not be copied once per line)."""

    TAIL = 64

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.tail = ""  # the last TAIL characters of the text

    def __bool__(self) -> bool:
        return bool(self.tail)

    def add(self, line: str) -> None:
        if not line:
            return
        if not self._parts:
            self._parts.append(line)
            self.tail = line[-self.TAIL :]
            return
        joined = join_lines(self.tail, line)
        # join_lines keeps all of `previous` but (at most) its last character.
        keep = len(self.tail) - 1
        self._parts[-1] = self._parts[-1][:-1]
        self._parts.append(joined[keep:])
        self.tail = (self.tail[:-1] + joined[keep:])[-self.TAIL :]

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""


def ends_sentence(text: str) -> bool:
    """A sentence mark, then only closing quotes or brackets (`[.!?…][\"'”’»)]*$`), looked for
    from the end: a paragraph is asked after every line, so this must not read all of it."""
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
    while end and text[end - 1] in _CLOSERS:
        end -= 1
    return end > 0 and text[end - 1] in _SENTENCE_PUNCTUATION


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
