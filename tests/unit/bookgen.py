"""Test books built from scratch: a tiny PDF writer and an EPUB writer, pure stdlib.

Pure Python on purpose: the unit tests run inside Pyodide too, and the benchmark and the browser
tests build their files with the same code. The PDFs are laid out like real books: running
headers, page numbers, indented paragraphs, words hyphenated at line ends, two-column pages, and
a Type0 font with a ToUnicode map for text outside Latin-1 (CJK, ligatures).
"""

from __future__ import annotations

import io
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


def wrap(text: str, width: int) -> list[str]:
    """Greedy line breaking by characters; CJK text (no spaces) breaks anywhere."""
    if " " not in text:
        return [text[i : i + width // 2] for i in range(0, len(text), width // 2)]
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            room = width - len(line) - 2
            # Hyphenate long words at the line end, as typeset books do.
            if word.isalpha() and len(word) >= 8 and room >= 4:
                lines.append(f"{line} {word[:room]}-")
                line = word[room:]
                continue
            lines.append(line)
            line = word
        else:
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
            for i, line in enumerate(wrap(paragraph, col_width_chars)):
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
