"""Page layout to paragraphs: lines from positioned text runs, columns, running headers and
footers, paragraph breaks from gaps and indentation, paragraphs joined across pages.

Works as a stream (`LayoutReader.feed(page)` → finished paragraphs) so a big book shows its
first paragraphs while later pages are still being read.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median

from app.ingest.cleanup import LineJoiner, Vocabulary, clean_text, ends_sentence, is_chapter_heading
from app.models import Paragraph


@dataclass(frozen=True)
class TextRun:
    """A piece of text as the PDF placed it: baseline start (x, y) in points, y grows upwards."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    width: float = 0.0  # from the font's glyph widths; 0 when unknown (then estimated)
    angle: int = 0  # the text's direction on the page: 0, 90, 180 or 270 degrees


@dataclass
class Line:
    x: float
    y: float
    size: float
    text: str
    bold: bool = False
    column: int = 0
    width: float = 0.0  # measured from glyph widths; 0 when any of its runs was estimated
    right: float = 0.0  # where full lines of its column end (set when paragraphs are made)


@dataclass
class PageText:
    number: int  # 1-based
    width: float
    height: float
    runs: list[TextRun] = field(default_factory=list)


# ---- Runs to lines, column by column --------------------------------------------------------------


def _merge_runs(runs: list[TextRun]) -> str:
    runs = sorted(runs, key=lambda r: r.x)
    text = runs[0].text
    for k, (prev, run) in enumerate(pairwise(runs)):
        # A raised small marker opening a line is a footnote's number: "¹A note" reads "1 A note".
        if k == 0 and prev.size < 0.8 * run.size and prev.y > run.y + 0.1 * run.size and prev.text.isdigit():
            text += " "
        # pypdf already puts a space where the pen jumps by a word gap (it knows the glyph
        # widths); runs apart by a word space or more (tabbed, separate text blocks, a font
        # change) still need one, but never between CJK glyphs, which have no word spaces.
        gap = run.x - _estimated_end(prev)
        cjk = bool(text) and bool(run.text) and bool(_CJK.match(text[-1])) and bool(_CJK.match(run.text[0]))
        needed = prev.size if cjk or prev.width <= 0 else 0.2 * prev.size
        if not (text.endswith(" ") or run.text.startswith(" ")) and gap > needed:
            text += " "
        text += run.text
    return text


_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _gutter(runs: list[TextRun], width: float) -> float | None:
    """The x where a second column starts: several lines start there, right of the page's
    centre region, and no line crosses it (text left of it ends at least half an em before)."""
    starts = Counter(round(r.x) for r in runs if width * 0.3 < r.x < width * 0.75)
    for x, count in starts.most_common(3):
        if count < 3:
            break
        left = [r for r in runs if r.x < x - 20]
        if len(left) < 3:
            continue
        # Any text reaching it from the left, glyphs drawn one by one (CJK) included.
        crossing = sum(1 for r in runs if r.x < x - 1 and _estimated_end(r) > x - 0.5 * r.size)
        if crossing * 3 < count:
            return float(x)
    return None


def _estimated_end(run: TextRun) -> float:
    if run.width > 0:
        return run.x + run.width
    # Average glyph width of book fonts is about half the font size.
    return run.x + 0.5 * run.size * len(run.text)


def page_lines(page: PageText) -> list[Line]:
    """Lines in reading order: the left column top to bottom, then the right one."""
    runs = [r for r in page.runs if r.text.strip()]
    if not runs:
        return []
    gutter = _gutter(runs, page.width)
    lines: list[Line] = []
    for column in (0, 1) if gutter is not None else (0,):
        mine = [
            r for r in runs
            if gutter is None or (r.x >= gutter - 4 if column else r.x < gutter - 4)
        ]
        mine.sort(key=lambda r: (-r.y, r.x))
        group: list[TextRun] = []
        for run in mine:
            # Half a line of tolerance keeps superscripts (note markers) on their line.
            if group and abs(run.y - group[0].y) > 0.5 * max(run.size, group[0].size):
                lines.append(_line(group, column))
                group = []
            group.append(run)
        if group:
            lines.append(_line(group, column))
    return [line for line in lines if line.text]


def _line(group: list[TextRun], column: int) -> Line:
    size = max(r.size for r in group)
    x = min(r.x for r in group)
    measured = all(r.width > 0 for r in group)
    return Line(
        x=x,
        y=group[0].y,
        size=size,
        text=clean_text(_merge_runs(group)),
        bold=all(r.bold for r in group),
        column=column,
        width=max(_estimated_end(r) for r in group) - x if measured else 0.0,
    )


def _room_left(line: Line, following: Line) -> bool:
    """The first word of the following line would have fitted at the end of this one: this
    line ends short, so its paragraph ends here (justified or ragged, indented or not)."""
    if line.width <= 0 or following.width <= 0 or line.right <= 0:
        return False
    text = following.text
    # Its first word; a line of one word is all of it, CJK text breaks after any glyph.
    word = text.split(" ", 1)[0] if " " in text else text[:1] if _CJK.match(text) else text
    # The word's share of its line's width, and more for safety (wide letters: "Summer"): a
    # ragged line that only nearly had room must not end its paragraph.
    word_width = 1.6 * following.width * len(word) / max(1, len(text))
    return line.x + line.width + 0.3 * line.size + word_width < line.right


# ---- Running headers, footers, page numbers ------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|.]*(?:page\s+|p\.\s*)?(?:\d{1,5}|[ivxlcdm]{1,8})(?:\s*(?:of|/)\s*\d{1,5})?[\s\-–—|.]*$",
    re.IGNORECASE,
)
BAND = 0.1  # the top and bottom tenth of a page is where running heads live
_BULLET = re.compile(r"^(?:[•◦▪‣●○■□–—*]|\d{1,3}[.)]|[a-z][.)])\s")


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _in_band(line: Line, page: PageText) -> bool:
    return line.y > page.height * (1 - BAND) or line.y < page.height * BAND


EDGE = 0.25  # running heads and folios are looked for in the top and bottom quarter
_NOTE_START = re.compile(r"^(?:\d{1,3}|[*†‡§¶])(?:\s|[^\d\s])")


def edge_lines(lines: list[Line], page: PageText, body: float) -> list[tuple[str, Line]]:
    """The top and bottom lines of a page when a gap sets them apart from the text: where
    running heads and folios sit, whatever their text and however far in from the edge."""
    if len(lines) < 2:
        return []
    ys = sorted({round(line.y, 1) for line in lines}, reverse=True)
    out: list[tuple[str, Line]] = []
    for zone, y, neighbour in (("top", ys[0], ys[1] if len(ys) > 1 else None),
                               ("bottom", ys[-1], ys[-2] if len(ys) > 1 else None)):
        at = [line for line in lines if abs(line.y - y) < 1.0]
        small = all(line.size < 0.9 * body for line in at)
        # Set apart by a gap, or by its smaller print (a banner close above the text).
        if neighbour is None or (abs(y - neighbour) < 1.8 * body and not small):
            continue
        if (zone == "top" and y < page.height * (1 - EDGE)) or (zone == "bottom" and y > page.height * EDGE):
            continue
        out += [(zone, line) for line in at]
    return out


def _zone_key(zone: str, line: Line) -> tuple[str, int]:
    return zone, round(line.y / 3)


# ---- The stream ---------------------------------------------------------------------------------


@dataclass
class _Open:
    """The paragraph being built; it may continue on the next column or page."""

    text: LineJoiner = field(default_factory=LineJoiner)  # joined in linear time
    last_line: Line | None = None
    heading: bool = False


class LayoutReader:
    """Feed pages in order; get paragraphs as soon as they are known to be complete.

    Pages wait in a short look-ahead queue so a running header is recognized on the first page
    too (it repeats on the pages after it).
    """

    LOOKAHEAD = 3
    LOOKBACK = 12

    def __init__(self) -> None:
        self._queue: deque[tuple[PageText, list[Line]]] = deque()
        self._recent: deque[set[str]] = deque(maxlen=self.LOOKBACK)
        self._sizes: Counter[float] = Counter()
        self._body: float | None = None
        self._open = _Open()
        self._chapter = 0
        self._has_text = False
        self._line_lengths: deque[int] = deque(maxlen=400)
        self._rights: dict[tuple[int, int], float] = {}
        self._zones: Counter[tuple[str, int]] = Counter()  # edge positions seen, pages each
        self._pages_seen = 0
        self._notes: list[Paragraph] = []  # footnotes waiting for their page's open paragraph
        self.vocabulary = Vocabulary()  # every page's words, look-ahead included
        self._open = _Open(LineJoiner(self.vocabulary))

    # -- public

    def feed(self, page: PageText) -> list[Paragraph]:
        lines = page_lines(page)
        for line in lines:
            self._sizes[round(line.size, 1)] += len(line.text)
            self.vocabulary.add_line(line.text)
        self._body = None
        self._pages_seen += 1
        self._zones.update({_zone_key(zone, line) for zone, line in edge_lines(lines, page, self.body_size)})
        self._queue.append((page, lines))
        out: list[Paragraph] = []
        while len(self._queue) > self.LOOKAHEAD:
            out += self._release()
        return out

    def finish(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        while self._queue:
            out += self._release()
        out += self._close()
        out += self._notes
        self._notes = []
        return out

    # -- internals

    @property
    def body_size(self) -> float:
        if self._body is None:  # known again after each page
            self._body = self._sizes.most_common(1)[0][0] if self._sizes else 11.0
        return self._body

    def _band_keys(self, page: PageText, lines: list[Line]) -> set[str]:
        return {_key(line) for line in lines if _in_band(line, page) and line.size <= self.body_size * 1.05}

    def _release(self) -> list[Paragraph]:
        page, lines = self._queue.popleft()
        others: set[str] = set().union(*self._recent) if self._recent else set()
        for other_page, other_lines in self._queue:
            others |= self._band_keys(other_page, other_lines)
        mine = self._band_keys(page, lines)
        furniture = {id(line) for zone, line in edge_lines(lines, page, self.body_size)
                     if self._is_furniture(zone, line)}
        body = [
            line for line in lines
            if id(line) not in furniture
            and not (
                _in_band(line, page)
                and line.size <= self.body_size * 1.05
                and (_PAGE_NUMBER.match(line.text) or _key(line) in others)
            )
        ]
        self._recent.append(mine)
        body, notes = self._footnotes(body)
        out = self._paragraphs(body)
        self._notes += self._note_paragraphs(notes)
        if not self._open.text:
            out += self._notes
            self._notes = []
        return out

    def _is_furniture(self, zone: str, line: Line) -> bool:
        """A running head or folio: a line set apart at the page's top or bottom edge, at a
        position where such lines recur on other pages (its text may change: section titles,
        page numbers), or a lone page number there."""
        if line.size > self.body_size * 1.05 or len(line.text) > 100:
            return False
        if _PAGE_NUMBER.match(line.text):
            return True
        zone_, bucket = _zone_key(zone, line)
        seen = max(self._zones[(zone_, b)] for b in (bucket - 1, bucket, bucket + 1))
        return seen >= 3 or (self._pages_seen <= 3 and seen >= 2 and seen == self._pages_seen)

    def _footnotes(self, lines: list[Line]) -> tuple[list[Line], list[Line]]:
        """Small print below the last full-size line of its column: footnotes, kept apart."""
        small = self.body_size * 0.9
        lowest: dict[int, float] = {}
        for line in lines:
            if line.size >= small:
                lowest[line.column] = min(lowest.get(line.column, line.y), line.y)
        notes = [line for line in lines if line.size < small and line.y < lowest.get(line.column, -1.0)]
        if not notes:
            return lines, []
        kept = {id(line) for line in notes}
        return [line for line in lines if id(line) not in kept], notes

    def _note_paragraphs(self, lines: list[Line]) -> list[Paragraph]:
        out: list[Paragraph] = []
        joiner = LineJoiner(self.vocabulary)
        previous: Line | None = None
        for line in lines:
            starts = _NOTE_START.match(line.text) is not None
            apart = previous is not None and (previous.y - line.y > 1.6 * line.size or line.y > previous.y)
            if joiner and (starts or apart):
                out.append(Paragraph(clean_text(joiner.text), "footnote", self._chapter))
                joiner = LineJoiner(self.vocabulary)
            joiner.add(line.text)
            previous = line
        if joiner:
            out.append(Paragraph(clean_text(joiner.text), "footnote", self._chapter))
        return out

    def _is_heading(self, line: Line) -> bool:
        if len(line.text) > 120 or not line.text.strip():
            return False
        bigger = line.size >= self.body_size * 1.2
        return bigger or (is_chapter_heading(line.text) and line.size >= self.body_size)

    def _paragraphs(self, lines: list[Line]) -> list[Paragraph]:
        out: list[Paragraph] = []
        by_column: dict[int, list[Line]] = {}
        for line in lines:
            by_column.setdefault(line.column, []).append(line)
        for column_lines in by_column.values():
            out += self._column(column_lines)
        return out

    def _column(self, lines: list[Line]) -> list[Paragraph]:
        out: list[Paragraph] = []
        body = [line for line in lines if not self._is_heading(line)]
        margin = min((line.x for line in body), default=0.0)
        gaps = [a.y - b.y for a, b in pairwise(body) if 0 < a.y - b.y < 4 * a.size]
        # The line spacing: the lower quartile of the gaps, as a page of one-line paragraphs
        # (dialogue) spaced apart has more paragraph gaps than line gaps.
        spacing = sorted(gaps)[len(gaps) // 4] if len(gaps) >= 3 else self.body_size * 1.4
        typical = median(self._line_lengths) if len(self._line_lengths) >= 5 else 60
        if body and all(line.width > 0 for line in body):
            # Full lines of this column end here; a page of short lines keeps the last known edge.
            right = max(line.x + line.width for line in body)
            key = (lines[0].column, round(margin))
            right = self._rights[key] = max(right, self._rights.get(key, 0.0) - 0.01 * right)
            for line in lines:
                line.right = right
        # Block paragraphs (no indents anywhere): a short last line ends the paragraph.
        block_style = not any(b.x > margin + 0.8 * b.size for b in body)
        previous: Line | None = None
        previous_indented = False
        for line in lines:
            heading = self._is_heading(line)
            indented = margin + 0.8 * line.size <= line.x <= margin + 10 * line.size and (
                # Only a step in: hanging indents and block quotes keep their later lines.
                previous is None or line.x > previous.x + 0.5 * line.size
            )
            if (
                previous is not None
                and abs(line.x - previous.x) < 0.5
                and margin + 0.8 * line.size <= line.x <= margin + 10 * line.size
                and previous_indented
            ):
                indented = True  # two indented lines in a row: two paragraphs (dialogue)
            if previous is not None and _BULLET.match(previous.text) and line.x > previous.x:
                indented = False  # the wrapped rest of a list item
            if _BULLET.match(line.text):
                indented = True
            if previous is not None:
                gap = previous.y - line.y
                breaks = gap > spacing * 1.45 or gap < 0
            else:
                breaks = False  # a new column or page: decided from the text itself below
            open_ = self._open
            if open_.text:
                if heading != open_.heading:
                    out += self._close()
                elif heading:
                    if previous is None or not 0 < previous.y - line.y < 2.2 * line.size:
                        out += self._close()
                elif breaks or indented or self._short_end(open_, previous, line, typical, block_style):
                    out += self._close()
            if not heading:
                self._line_lengths.append(len(line.text))
            self._open.text.add(line.text)
            self._open.heading = heading
            self._open.last_line = line
            previous_indented = indented and not heading
            previous = line
        return out

    def _short_end(
        self, open_: _Open, previous: Line | None, line: Line, typical: float, block_style: bool
    ) -> bool:
        """A line that ends short (the next line's first word would have fitted) ends its
        paragraph; without measured widths, a finished sentence on a short line does, at a page
        or column top, or anywhere in a book without indents."""
        last = previous or open_.last_line
        if last is not None and last.width > 0 and line.width > 0 and last.right > 0:
            return _room_left(last, line)
        if not ends_sentence(open_.text.tail):
            return False
        if previous is None:
            return self._short(open_.last_line, typical)
        return block_style and self._short(previous, typical)

    @staticmethod
    def _short(line: Line | None, typical: float) -> bool:
        return line is not None and len(line.text) < 0.75 * typical

    def _close(self) -> list[Paragraph]:
        open_ = self._open
        self._open = _Open(LineJoiner(self.vocabulary))
        text = clean_text(open_.text.text) if open_.text else ""
        if not text:
            return []
        if open_.heading:
            if self._has_text:
                self._chapter += 1
                self._has_text = False
            return [Paragraph(text, "heading", self._chapter)]
        self._has_text = True
        notes, self._notes = self._notes, []
        return [Paragraph(text, "text", self._chapter), *notes]
