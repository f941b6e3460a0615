"""Test books built from scratch: a tiny PDF writer and an EPUB writer, pure stdlib.

Pure Python on purpose: the unit tests run inside Pyodide too, and the benchmark and the browser
tests build their files with the same code. The PDFs are laid out like real books: running
headers, page numbers, indented paragraphs, words hyphenated at line ends, two-column pages, and
a Type0 font with a ToUnicode map for text outside Latin-1 (CJK, ligatures).
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from dataclasses import dataclass, field

PAGE_W, PAGE_H = 612, 792


@dataclass(frozen=True)
class Run:
    """One line of text placed on a page (PDF points, origin bottom-left)."""

    x: float
    y: float
    text: str
    size: float = 11
    bold: bool = False


@dataclass
class Page:
    runs: list[Run] = field(default_factory=list)
    image_only: bool = False  # a scanned page: a filled shape, no text


def _latin(text: str) -> bool:
    try:
        text.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def _escape(raw: bytes) -> bytes:
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[Page], compress: bool = True) -> bytes:
    """A valid PDF: Helvetica (WinAnsi) for Latin text, an Identity-H font for anything else."""
    wide_chars = sorted({ch for p in pages for r in p.runs if not _latin(r.text) for ch in r.text})
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        if compress:
            data = zlib.compress(data)
            extra += b" /Filter /FlateDecode"
        return b"<<" + extra + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in at the end
    pages_obj = add(b"")
    regular = add(b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>")
    bold = add(b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding>>")
    fonts = b"/F1 %d 0 R /F2 %d 0 R" % (regular, bold)
    if wide_chars:
        cmap = _to_unicode(wide_chars)
        to_unicode = add(stream(cmap))
        descriptor = add(
            b"<</Type /FontDescriptor /FontName /NotoSerifCJK /Flags 4 /FontBBox [0 -120 1000 880]"
            b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80>>"
        )
        cid = add(
            b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /NotoSerifCJK /CIDToGIDMap /Identity"
            b" /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>>"
            b" /FontDescriptor %d 0 R /DW 1000>>" % descriptor
        )
        wide = add(
            b"<</Type /Font /Subtype /Type0 /BaseFont /NotoSerifCJK /Encoding /Identity-H"
            b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>" % (cid, to_unicode)
        )
        fonts += b" /F3 %d 0 R" % wide
    kids = []
    for page in pages:
        ops = []
        if page.image_only:
            ops.append(b"0.2 g 72 72 468 648 re f")
        for run in page.runs:
            if _latin(run.text):
                font = b"/F2" if run.bold else b"/F1"
                shown = b"(" + _escape(run.text.encode("cp1252")) + b") Tj"
            else:
                font = b"/F3"
                shown = b"<" + "".join(f"{ord(ch):04X}" for ch in run.text).encode() + b"> Tj"
            ops.append(b"BT %s %g Tf %g %g Td %s ET" % (font, run.size, run.x, run.y, shown))
        content = add(stream(b"\n".join(ops)))
        kids.append(
            add(
                b"<</Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
                b" /Resources <</Font <<%s>>>>>>" % (pages_obj, PAGE_W, PAGE_H, content, fonts)
            )
        )
    objects[catalog - 1] = b"<</Type /Catalog /Pages %d 0 R>>" % pages_obj
    objects[pages_obj - 1] = b"<</Type /Pages /Kids [%s] /Count %d>>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return write_pdf(objects, catalog)


def write_pdf(objects: list[bytes], root: int, trailer: bytes = b"") -> bytes:
    """Numbered objects (1-based) into a PDF file with its cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    end = b"trailer\n<</Size %d /Root %d 0 R%s>>\nstartxref\n%d\n%%%%EOF\n"
    out.write(end % (len(objects) + 1, root, trailer, xref))
    return out.getvalue()


def _to_unicode(chars: list[str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(chars), 100):
        block = chars[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{ord(ch):04X}> <{ord(ch):04X}>" for ch in block]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode()


# ---- Laying out a book -------------------------------------------------------------------------


@dataclass
class Chapter:
    title: str
    paragraphs: list[str]


def wrap(text: str, width: int, indent: float = 0) -> list[str]:
    """Greedy line breaking by Helvetica's glyph widths, to the room `width` characters of an
    average half-em take (as a word processor breaks ragged-right lines), the first line
    `indent` thousandths of an em shorter; CJK text (no spaces) breaks anywhere."""
    if " " not in text:  # full-width glyphs, one em each; the first line loses its indent
        first = max(1, width // 2 - math.ceil(indent / 1000))
        return [text[:first]] + [text[i : i + width // 2] for i in range(first, len(text), width // 2)]
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    glyphs = CORE_FONT_METRICS["Helvetica"].character_widths

    def measure(piece: str) -> float:
        return sum(glyphs.get(ch, glyphs["default"]) for ch in piece)

    space = measure(" ")
    lines: list[str] = []
    line, used = "", 0.0  # the line so far and its width, kept as it grows (a paragraph may be huge)
    for word in text.split():
        room = width * 500 - (0 if lines else indent)
        if line and used + space + measure(word) > room:
            # Hyphenate long words at the line end, as typeset books do.
            left = room - used - space - measure("-")
            cut = 0
            if word.isalpha() and len(word) >= 8 and left > 0:
                cut = next((k for k in range(len(word) - 3, 3, -1) if measure(word[:k]) <= left), 0)
            if cut:
                lines.append(f"{line} {word[:cut]}-")
                line, used = word[cut:], measure(word[cut:])
                continue
            lines.append(line)
            line, used = word, measure(word)
        else:
            used += (space if line else 0) + measure(word)
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def layout_book(
    title: str,
    chapters: list[Chapter],
    *,
    columns: int = 1,
    header: bool = True,
    page_numbers: bool = True,
    footer: str | None = "Harbour Press edition",
    lines_per_page: int = 40,
    size: float = 11,
) -> list[Page]:
    """Typeset chapters onto pages: chapters start on a new page with a large bold title; every
    page has a running header (alternating), a page number and a footer line."""
    leading = size * 1.45
    top = PAGE_H - 90
    col_width_chars = 80 if columns == 1 else 36
    col_x = [72.0] if columns == 1 else [72.0, 324.0]
    pages: list[Page] = []
    state = {"col": 0, "line": 0}

    def new_page() -> Page:
        page = Page()
        number = len(pages) + 1
        if header:
            page.runs.append(Run(72, PAGE_H - 50, title if number % 2 else f"{title} - a novel", 9))
        if page_numbers:
            page.runs.append(Run(300, 40, str(number), 9))
        if footer:
            page.runs.append(Run(420, 40, footer, 8))
        pages.append(page)
        state["col"], state["line"] = 0, 0
        return page

    def place(text: str, indent: float = 0, run_size: float = size, bold: bool = False) -> None:
        if state["line"] >= lines_per_page:
            state["col"] += 1
            state["line"] = 0
            if state["col"] >= len(col_x):
                new_page()
        y = top - state["line"] * leading
        pages[-1].runs.append(Run(col_x[state["col"]] + indent, y, text, run_size, bold))
        state["line"] += 1

    for chapter in chapters:
        new_page()
        place(chapter.title, run_size=size * 1.6, bold=True)
        state["line"] += 1  # space after the title
        for paragraph in chapter.paragraphs:
            for i, line in enumerate(wrap(paragraph, col_width_chars, indent=18 / size * 1000)):
                place(line, indent=18 if i == 0 else 0)
    return pages


def make_epub(
    title: str,
    chapters: list[Chapter],
    *,
    version: int = 3,
    drm: bool = False,
    language: str = "en",
) -> bytes:
    """A minimal valid EPUB 2 or 3: container.xml, OPF with a spine, one XHTML file per chapter."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        items, refs = [], []
        for i, chapter in enumerate(chapters):
            name = f"text/ch{i + 1}.xhtml"
            body = "".join(f"<p>{_xml(p)}</p>\n" for p in chapter.paragraphs)
            zf.writestr(
                f"OEBPS/{name}",
                '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
                f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{language}"><head>'
                f"<title>{_xml(chapter.title)}</title><style>p{{margin:0}}</style></head><body>"
                f'<section><h1 class="chapter">{_xml(chapter.title)}</h1>\n{body}</section>'
                "</body></html>",
            )
            items.append(f'<item id="c{i + 1}" href="{name}" media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{i + 1}"/>')
        # The nav document is listed in the manifest but not the spine, as most EPUB 3 books do.
        zf.writestr(
            "OEBPS/nav.xhtml",
            '<html xmlns="http://www.w3.org/1999/xhtml"><body><nav><ol>'
            + "".join(f"<li>{_xml(c.title)}</li>" for c in chapters)
            + "</ol></nav></body></html>",
        )
        items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
        zf.writestr(
            "OEBPS/content.opf",
            f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}.0"'
            ' unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{_xml(title)}</dc:title><dc:language>{language}</dc:language>"
            '<dc:identifier id="id">urn:uuid:bookmusic-test</dc:identifier></metadata>'
            f"<manifest>{''.join(items)}</manifest><spine>{''.join(refs)}</spine></package>",
        )
        if drm:
            zf.writestr(
                "META-INF/encryption.xml",
                '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                '<enc:CipherData><enc:CipherReference URI="OEBPS/text/ch1.xhtml"/></enc:CipherData>'
                "</enc:EncryptedData></encryption>",
            )
            zf.writestr("META-INF/rights.xml", "<rights/>")
    return buf.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- The standard test books ---------------------------------------------------------------------

STORY = [
    Chapter(
        "Chapter 1",
        [
            "The harbour was quiet in the early morning, and the fishermen were mending their nets "
            "while the gulls circled overhead with patient, hungry cries. Nobody spoke of the "
            "storm that had been promised by the old barometer in the window of the harbourmaster.",
            "Marguerite walked along the breakwater with her hands deep in her pockets. She had "
            "come back to the village after eleven years away, and everything looked smaller and "
            "more beautiful than she remembered, the café included.",
            "By noon the wind had turned. Clouds gathered above the headland, heavy and dark, and "
            "the boats came home one after another, their crews silent and watchful.",
        ],
    ),
    Chapter(
        "Chapter 2",
        [
            "The storm arrived in the night with a roar that shook the shutters. Rain hammered "
            "against the glass and the sea climbed over the harbour wall, furious and relentless.",
            "In the morning the village counted its losses: two boats, a chimney, the old "
            "fisherman's shed. But nobody had been hurt, and when the sun came out at last the "
            "children ran down to the beach to see what the waves had brought them.",
        ],
    ),
]


def long_story(chapters: int = 10, paragraphs: int = 12) -> list[Chapter]:
    """A novel-length filler book with varied sentences (for large-book tests and the benchmark)."""
    words = [
        "the", "lantern", "harbour", "quietly", "remembered", "morning", "storm", "village",
        "window", "gathered", "silence", "walked", "beneath", "ancient", "promise", "river",
        "mountain", "shadow", "golden", "letter", "summer", "travelled", "whispered", "distant",
    ]
    out = []
    for c in range(chapters):
        paras = []
        for p in range(paragraphs):
            sentences = []
            for s in range(6):
                n = 9 + (c + p + s) % 7
                sentence = " ".join(words[(c * 7 + p * 3 + s * 5 + k * 11) % len(words)] for k in range(n))
                sentences.append(sentence.capitalize() + ".")
            paras.append(" ".join(sentences))
        out.append(Chapter(f"Chapter {c + 1}", paras))
    return out


# ---- A ground-truth corpus: known paragraphs typeset like real books ----------------------------
#
# `typeset` lays out paragraphs whose text is known in the layouts that damage PDF reading: a
# justified novel in Times with indented dialogue, running heads whose text changes with the
# chapter and a folio low on the page (LaTeX puts it at 13.9 % of the height), two justified
# columns a small gutter apart under a conference banner, block paragraphs with footnotes, words
# hyphenated at line ends (soft splits and real hyphens). Glyph widths are Adobe's Times metrics
# (as pypdf ships them), word gaps are TJ offsets as pdfTeX writes them.


@dataclass(frozen=True)
class Layout:
    name: str
    columns: int = 1
    size: float = 11
    indent: bool = True  # first-line indents; else blank space between paragraphs
    heads: bool = True  # running heads: book title / chapter title with the folio outside
    folio_at: float | None = 0.139  # a folio centred at this fraction of the height from the bottom
    banner: str = ""  # a fixed line just below the top 10 % (a conference banner)
    footnotes: bool = False
    gutter: float = 18


LAYOUTS = [
    Layout("novel"),
    Layout("two-column", columns=2, size=10, heads=False,
           banner="Proceedings of the Harbour Conference on Reading"),
    Layout("footnotes", indent=False, heads=False, footnotes=True),
]


@dataclass
class Typeset:
    pdf: bytes
    truth: list[tuple[str, str]]  # (kind, text): heading, text, footnote
    soft: list[str]  # words split at a line end by a soft hyphen
    hard: list[str]  # hyphenated words split at their own hyphen
    heads: list[str]  # running head and banner texts placed


def _times() -> tuple[dict[str, float], dict[str, float]]:
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    return (dict(CORE_FONT_METRICS["Times-Roman"].character_widths),
            dict(CORE_FONT_METRICS["Times-Bold"].character_widths))


def text_width(text: str, size: float, widths: dict[str, float]) -> float:
    return sum(widths.get(ch, widths["default"]) for ch in text) * size / 1000


def _tj(words: list[str], size: float, gap: float) -> bytes:
    """Words shown with TJ, the gaps between them as pen moves (no space glyphs), as pdfTeX does."""
    parts = [b"(" + _escape(w.encode("cp1252")) + b")" for w in words]
    move = b" %.1f " % (-gap * 1000 / size)
    return b"[" + move.join(parts) + b"] TJ"


def typeset(chapters: list[Chapter], layout: Layout, title: str = "Sybil") -> Typeset:
    roman, _ = _times()
    size = layout.size
    leading = size * 1.2
    margin_x, top, bottom = 72.0, PAGE_H - 100, 130.0
    full = PAGE_W - 2 * margin_x
    col_w = full if layout.columns == 1 else (full - layout.gutter) / 2
    col_x = [margin_x + c * (col_w + layout.gutter) for c in range(layout.columns)]
    space = text_width(" ", size, roman)
    out = Typeset(b"", [], [], [], [])
    pages: list[list[bytes]] = []
    state = {"col": 0, "y": top, "chapter": "", "note_y": bottom}

    def show(x: float, y: float, text: str, run_size: float, font: bytes = b"/F1") -> bytes:
        return b"BT %s %g Tf %.2f %.2f Td (%s) Tj ET" % (font, run_size, x, y, _escape(text.encode("cp1252")))

    def new_page() -> None:
        pages.append([])
        number = len(pages)
        state["col"], state["y"], state["note_y"] = 0, top, bottom
        ops = pages[-1]
        if layout.heads:
            head = title.upper() if number % 2 == 0 else state["chapter"]
            w = text_width(head, 9, roman)
            ops.append(show((PAGE_W - w) / 2, PAGE_H - 60, head, 9))
            folio_x = margin_x if number % 2 == 0 else PAGE_W - margin_x - text_width(str(number), 9, roman)
            ops.append(show(folio_x, PAGE_H - 60, str(number), 9))
            out.heads.append(head)
        if layout.banner:
            ops.append(show(margin_x, PAGE_H * (1 - 0.101) - 8, layout.banner, 8))
            out.heads.append(layout.banner)
        if layout.folio_at is not None and not (layout.heads and number > 1):
            w = text_width(str(number), size, roman)
            ops.append(show((PAGE_W - w) / 2, PAGE_H * layout.folio_at - 40, str(number), size))

    def room(lines: int = 1) -> None:
        if state["y"] - (lines - 1) * leading < state["note_y"]:
            state["col"] += 1
            state["y"] = top
            if state["col"] >= layout.columns:
                new_page()

    def place_line(words: list[str], indent: float, width: float, last: bool) -> None:
        room()  # may move to the next column or page: the x is known only now
        x = col_x[state["col"]] + indent
        natural = sum(text_width(w, size, roman) for w in words)
        gaps = len(words) - 1
        gap = space if last or not gaps else (width - natural) / gaps
        pages[-1].append(b"BT /F1 %g Tf %.2f %.2f Td %s ET" % (size, x, state["y"], _tj(words, size, gap)))
        state["y"] -= leading

    def paragraph(text: str, first: bool, note: str = "") -> None:
        note_lines = wrap(note, int(col_w / (8 * 0.45))) if note else []
        if note_lines:  # the note's room is kept at the foot of the page the paragraph starts on
            # A line's space parts the first note from the text, as a footnote rule does.
            height = len(note_lines) * 9.6 + (leading if state["note_y"] == bottom else 2)
            if state["y"] - leading < state["note_y"] + height:
                state["y"] = -1.0  # no room left here: the next column or page
                room()
            state["note_y"] += height
            for k, note_line in enumerate(note_lines):
                pages[-1].append(show(col_x[state["col"]], state["note_y"] - 9.6 * (k + 1) - 2, note_line, 8))
            out.truth.append(("footnote", " ".join(note_lines)))
        indent = 1.5 * size if layout.indent and not first else 0.0
        words = text.split()
        line: list[str] = []
        x0 = indent
        width = col_w - indent

        def used(ws: list[str]) -> float:
            return sum(text_width(w, size, roman) for w in ws) + space * max(0, len(ws) - 1)

        i = 0
        while i < len(words):
            word = words[i]
            if not line or used([*line, word]) <= width:
                line.append(word)
                i += 1
                continue
            # Break the word itself when a piece of it fits: at its own hyphen, or a soft split.
            head_piece = ""
            if "-" in word[1:-1]:
                cut = word.index("-", 1) + 1
                if used([*line, word[:cut]]) <= width:
                    head_piece, rest = word[:cut], word[cut:]
                    out.hard.append(word)
            elif word.isalpha() and len(word) >= 8:
                for cut in range(len(word) - 3, 2, -1):
                    if used([*line, word[:cut] + "-"]) <= width:
                        head_piece, rest = word[:cut] + "-", word[cut:]
                        out.soft.append(word)
                        break
            if head_piece:
                place_line([*line, head_piece], x0, width, last=False)
                words[i] = rest
            else:
                place_line(line, x0, width, last=False)
            line = []
            x0 = 0.0
            width = col_w
        if line:
            place_line(line, x0, width, last=True)
        if layout.indent is False:
            state["y"] -= leading * 0.6

    new_page()
    for number, chapter in enumerate(chapters):
        state["chapter"] = chapter.title
        if number and layout.columns == 1:
            new_page()
        room(3)
        pages[-1].append(show(col_x[state["col"]], state["y"] - 6, chapter.title, size * 1.5, b"/F2"))
        state["y"] -= leading * 3
        out.truth.append(("heading", chapter.title))
        for k, text in enumerate(chapter.paragraphs):
            note = ""
            if layout.footnotes and k % 5 == 2:
                text += "*"
                note = f"* A note on this paragraph of “{chapter.title}”: the editor's remark {k}."
            out.truth.append(("text", text))
            paragraph(text, first=k == 0, note=note)
    fonts = (
        b"/F1 <</Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding>>"
        b" /F2 <</Type /Font /Subtype /Type1 /BaseFont /Times-Bold /Encoding /WinAnsiEncoding>>"
    )
    objects: list[bytes] = [b"", b""]
    kids = []
    for ops in pages:
        data = zlib.compress(b"\n".join(ops))
        objects.append(b"<</Length %d /Filter /FlateDecode>>\nstream\n" % len(data) + data + b"\nendstream")
        objects.append(
            b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
            b" /Resources <</Font <<%s>>>>>>"
            % (PAGE_W, PAGE_H, len(objects), fonts)
        )
        kids.append(len(objects))
    objects[0] = b"<</Type /Catalog /Pages 2 0 R>>"
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[1] = b"<</Type /Pages /Kids [%s] /Count %d>>" % (refs, len(kids))
    out.pdf = write_pdf(objects, 1)
    return out


def fixture_chapters(name: str = "en-eng18450-disraeli.txt", chapters: int = 3) -> list[Chapter]:
    """Chapters of a public-domain novel from tests/fixtures (paragraphs separated by blank lines,
    `## n` chapter lines), as the ground truth the layouts are judged against."""
    from pathlib import Path

    books = Path(__file__).resolve().parents[1] / "fixtures" / "mood" / "books"
    text = (books / name).read_text(encoding="utf-8")
    out: list[Chapter] = []
    for block in text.split("\n\n"):
        block = " ".join(block.split())
        if block.startswith("## "):
            if len(out) == chapters:
                break
            out.append(Chapter(f"Chapter {block[3:]}", []))
        elif block and out:
            out[-1].paragraphs.append(block)
    return out
