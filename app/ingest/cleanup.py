"""Text cleanup every format needs: ligatures, odd spaces, soft hyphens, line joining, headings."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

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

# Numbers in words, as chapter and book headings spell them ("Book the First" included).
_NUMBER_WORDS = (
    r"(?:the\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third"
    r"|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final"
    r"|un|une|deux|trois|premier|première|deuxième|second|seconde|troisième|dernier|dernière"
    r"|eins|zwei|drei|erster|erstes|zweiter|zweites|dritter|drittes|letzter|letztes"
    r"|uno|dos|tres|primero|primera|segundo|segunda|tercero|tercera|último|última)(?:[-\s]\w+)?"
)
# "Chapter 12", "CHAPTER XII.", "Part Two", "Book the First", "Prologue", "第三章", "Chapitre 4", ...
CHAPTER_HEADING = re.compile(
    r"^\s*(?:(?:chapter|part|book|chapitre|capítulo|capitolo|kapitel|teil|livre|parte|глава)"
    r"\s+(?:(?:[0-9]+|[ivxlcdm]+)\b.{0,60}|" + _NUMBER_WORDS + r"\b(?:[.:—–-].{0,60}|\s*))"
    r"|prologue|epilogue|prolog|epilog|introduction|preface|afterword|foreword"
    r"|第[0-9一二三四五六七八九十百千〇零]+[章節节回部巻卷].{0,30})\s*$",
    re.IGNORECASE,
)
_SENTENCE_PUNCTUATION = ".!?…。！？"
_CLOSERS = "\"'”’»」』)）"
_HYPHENATED = re.compile(r"\w-")  # matched on the last two characters only: never a scan
_HYPHENATED_WORD = re.compile(r"[^\W\d_]-")
_DASHES = "—―"  # em dash, horizontal bar: set closed up in English books

# A spacing accent before a letter: TeX's old (OT1) fonts have no "ü", so \"u is drawn as an
# accent glyph over a "u" and read back as "¨u" (M¨unchen): put together again. The ASCII ` ^ ~
# are left alone (code is full of them).
_SPACING_ACCENTS = {
    "\u00a8": "\u0308", "\u00b4": "\u0301", "\u02c6": "\u0302", "\u02dc": "\u0303", "\u02c7": "\u030c",
    "\u02d8": "\u0306", "\u02d9": "\u0307", "\u02da": "\u030a", "\u00af": "\u0304", "\u02dd": "\u030b",
}
_ACCENT_BEFORE_LETTER = re.compile("([" + "".join(_SPACING_ACCENTS) + r"])([^\W\d_])")

# Any character one of the rewrites below changes: most lines have none and skip them all.
_UNCLEAN = re.compile("|".join(p.pattern for p in (_LIGATURE_RE, _ODD_SPACES, _CONTROL, _INVISIBLE,
                                                      _ACCENT_BEFORE_LETTER)))
_SPACE_RUNS = re.compile(r"[ \n]+")


def clean_text(text: str) -> str:
    """One line or paragraph: NFC, ligatures spelled out, odd spaces plain, invisibles gone,
    accents drawn apart from their letter put back on it."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _UNCLEAN.search(text):
        text = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text)
        text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
        text = _CONTROL.sub("", text)
        if _ACCENT_BEFORE_LETTER.search(text):
            text = unicodedata.normalize(
                "NFC", _ACCENT_BEFORE_LETTER.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text))
    if "  " in text or "\n" in text:  # else every run of spaces is one space already
        text = _SPACE_RUNS.sub(" ", text)
    return text.strip()


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
    # A closed-up dash ("answer,—nothing") broken after it: TeX and word processors break there.
    if previous[-1] in _DASHES and len(previous) > 1 and not previous[-2].isspace() and line[0].isalnum():
        return previous + line
    if previous.endswith(" "):
        return previous + line.lstrip()
    return previous + " " + line.lstrip()


_VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _word_before_hyphen(text: str) -> re.Match[str] | None:
    """The word a line-end hyphen follows ("well-" -> "well"), found by a forward scan (a pattern
    anchored at the end would retry from every position of a long word: quadratic)."""
    if not text.endswith("-"):
        return None
    words = list(_WORD.finditer(text, 0, len(text) - 1))
    return words[-1] if words and words[-1].end() == len(text) - 1 else None


def _mid_sentence(text: str, at: int) -> bool:
    """Something other than a sentence end (or nothing known) comes before position `at`."""
    before = text[:at].rstrip().rstrip("\"'“‘«(")
    return bool(before) and not ends_sentence(before)


class Vocabulary:
    """The words of one book as it is read, to tell a soft hyphen at a line end (break-water →
    breakwater) from a real one (drawing-room, to-morrow, pre-training)."""

    def __init__(self) -> None:
        self.words: Counter[str] = Counter()
        self._cut = False  # the line before ended in a hyphen: this line's first word is a half

    def add_line(self, line: str) -> None:
        """Count a line's words, lines given in reading order: its first word is a half when the
        line before ended in a hyphen, its last when it ends in one itself."""
        found = _WORD.findall(line.lower())
        cut = _HYPHENATED.fullmatch(line[-2:]) is not None
        self.words.update(found[1 if self._cut else 0 : len(found) - 1 if cut else len(found)])
        self._cut = cut

    def keeps_hyphen(self, head: str, tail: str, name: bool = False) -> bool:
        """`head-` ended a line and `tail` starts the next: is the hyphen part of the word?
        Decided from the book's own words: the hyphenated word seen elsewhere keeps it, the
        joined word seen elsewhere drops it, a name (`name`: a capital inside a sentence) whose
        rest is in small letters is one word (Corn-/hill, Wild-/man), and two real words on
        either side keep it."""
        head, tail = head.lower(), tail.lower()
        words = self.words
        if words[f"{head}-{tail}"] or "-" in tail:  # "half-" "a-dozen": a compound already
            return True
        if words[head + tail] or name:
            return False
        first = head.rsplit("-", 1)[-1]
        if first[-1:] in _VOWELS and tail[:1] == first[-1:]:
            # The same vowel on both sides (re-establish, pre-eminence, co-operate): spelling puts a
            # hyphen between a prefix and such a stem, and a hyphenator seldom breaks a doubled vowel.
            return True
        if len(first) >= 5 and first.endswith("ly") and len(tail) >= 4:
            # An adverb before a participle (rapidly-increasing): a word is not split after "-ly"
            # with four letters or more to follow.
            return True
        return len(first) >= 2 and len(tail) >= 2 and words[first] > 0 and words[tail] > 0


class LineJoiner:
    """A paragraph growing line by line, in time linear in its length: `join_lines` needs only
    the last two characters, so it sees a short tail and the text is kept as pieces (a paragraph
    running across 1,500 pages must not be copied once per line)."""

    TAIL = 64

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self._parts: list[str] = []
        self.tail = ""  # the last TAIL characters of the text
        self.vocabulary = vocabulary

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
        if self.vocabulary is not None and len(joined) < len(self.tail) + len(line):
            # A hyphen was dropped: keep it when the book's own words say it is a real one.
            head = _word_before_hyphen(self.tail)
            tail = _WORD.match(line)
            if head and tail:
                name = head.group()[0].isupper() and _mid_sentence(self.tail, head.start())
                if self.vocabulary.keeps_hyphen(head.group(), tail.group(), name):
                    joined = self.tail + line
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
    r"|(?<=[।॥]) +"  # Devanagari danda and double danda end sentences (no capitals follow)
)


_SENTENCE_END = re.compile("[.!?…。！？।॥]")  # every split above follows one of these


_LETTERS = re.compile(r"[^\W\d_]{2}")
CHUNK = 4096


def split_sentences(text: str) -> list[str]:
    """Sentences, keeping their punctuation; a sentence never ends inside a word.

    The split pattern looks behind at every position; a long paragraph is cut into chunks
    between two letters (where no split, lookbehind or lookahead of the pattern can reach across)
    and only chunks holding a sentence mark are split: a paragraph of 1,500 pages with one full
    stop is one scan for marks."""
    pieces: list[str] = []
    current: list[str] = []  # the sentence running on across chunks
    for chunk in _chunks(text):
        parts = _SENTENCE_SPLIT.split(chunk) if _SENTENCE_END.search(chunk) else [chunk]
        current.append(parts[0])
        if len(parts) > 1:
            pieces.append("".join(current))
            pieces += parts[1:-1]
            current = [parts[-1]]
    pieces.append("".join(current))
    return [s.strip() for s in pieces if s.strip()]


def _chunks(text: str) -> Iterator[str]:
    start = 0
    while len(text) - start > CHUNK:
        pair = _LETTERS.search(text, start + CHUNK)
        if pair is None:
            break
        yield text[start : pair.start() + 1]
        start = pair.start() + 1
    yield text[start:]
