"""The adversarial corpus: hostile and huge files of every class the app reads, built from
scratch (pure stdlib), each with the outcome the reader must see.

Used by tests/unit/test_hostile_files.py (CPython, each file in a subprocess with time and memory
limits) and tests/e2e/test_csp.py (a sample through the real page). Bombs are real: the 1 GB
deflate entry really inflates to 1 GB, built in a second from one repeated deflate block.
"""

# ruff: noqa: E501  (the corpus table reads best one file a line)
from __future__ import annotations

import bz2
import functools
import io
import lzma
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from .bookgen import STORY, Chapter, Page, layout_book, long_story, make_epub, make_pdf, write_pdf

GB = 1 << 30
MB = 1 << 20


@dataclass(frozen=True)
class Hostile:
    """One file: how to build it, and what the reader must be told.

    `kind` is the IngestError kind expected, or "ok" when the book must open (with at least
    `paragraphs` paragraphs); `says` is a phrase the message (or a warning) must contain."""

    name: str
    filename: str
    build: Callable[[], bytes]
    kind: str
    says: str = ""
    paragraphs: int = 1


# ---- Markdown and text traps: strings of 100 KB built to make a backtracking pattern explode ----

N = 100_000
MARKDOWN_TRAPS: dict[str, str] = {
    "heading-padded": "# a" + " " * N + "x",
    "heading-hashes": "# " + "#" * N + "x",
    "heading-spaced-hashes": "# a" + " #" * (N // 2) + "x",
    "brackets": "[" * N,
    "bracket-paren": "[a](" * (N // 4),
    "bang-brackets": "![" * (N // 2),
    "brackets-close": "[]" * (N // 2) + "(",
    "stars": "*a" * (N // 2),
    "star-pairs": "**a" * (N // 3),
    "underscores": "_" * N,
    "backticks-open": "`a" + "a" * N,
    "mixed-markup": "*_`[" * (N // 4),
    "thematic": "- " * (N // 2) + "x",
    "thematic-stars": "* " * (N // 2) + "*x",
    "spaces-x": " " * N + "x",
    "dots-quotes": '."' * (N // 2) + "x",
    "sentence-spaces": "." + " " * N + "x",
    "page-number": "1" + " " * N + "x",
    "page-number-of": "page 1 of" + " " * N + "x",
    "chapter-words": "Chapter " + "a" * N,
    "hyphen-lines": "a-\n" * (N // 3),
    "tag-open": "<" * N,
    "uri-open": 'URI="' * (N // 5),
}


def markdown_file(text: str) -> Callable[[], bytes]:
    return lambda: text.encode()


# ---- ZIP entries written by hand (declared sizes that lie, any method, raw deflate) -----------


@dataclass
class Entry:
    name: str
    data: bytes  # as stored in the ZIP (already compressed)
    size: int  # declared uncompressed size
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def raw_zip(entries: list[Entry]) -> bytes:
    out = io.BytesIO()
    central = []
    for e in entries:
        name = e.name.encode()
        offset = out.tell()
        version = 63 if e.method == zipfile.ZIP_LZMA else 46 if e.method == zipfile.ZIP_BZIP2 else 20
        head = struct.pack(
            "<4sHHHHHIIIHH", b"PK\x03\x04", version, 0, e.method, 0, 0x21, e.crc,
            len(e.data), e.size, len(name), 0,
        )
        out.write(head + name + e.data)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, version, 0, e.method, 0, 0x21, e.crc,
                len(e.data), e.size, len(name), 0, 0, 0, 0, 0, offset,
            )
            + name
        )
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    count = min(len(entries), 0xFFFF)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    return out.getvalue()


def stored(name: str, text: str | bytes) -> Entry:
    data = text.encode() if isinstance(text, str) else text
    return Entry(name, data, len(data), zlib.crc32(data), zipfile.ZIP_STORED)


def deflated(name: str, text: str | bytes) -> Entry:
    data = text.encode() if isinstance(text, str) else text
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Entry(name, c.compress(data) + c.flush(), len(data), zlib.crc32(data))


@functools.lru_cache(maxsize=4)
def zeros_deflate(size: int) -> tuple[bytes, int]:
    """Raw deflate of `size` zero bytes (a multiple of 1 MB) and its CRC-32, in about a second:
    after a full flush the compressor starts afresh, so every 1 MB block is the same bytes."""
    block = bytes(MB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert first == again
    stream = first * (size // MB) + c.flush()
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(block, crc)
    return stream, crc


@functools.lru_cache(maxsize=4)
def zeros_zlib(size: int) -> bytes:
    """The same as a zlib stream (what a PDF FlateDecode filter holds)."""
    raw, _ = zeros_deflate(size)
    adler = (size % 65521) << 16 | 1  # Adler-32 of zeros: a stays 1, b adds 1 per byte
    return b"\x78\xda" + raw + struct.pack(">I", adler)


def zero_bomb(name: str, size: int) -> Entry:
    stream, crc = zeros_deflate(size)
    return Entry(name, stream, size, crc)


CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def opf(hrefs: list[str], title: str = "Hostile", doctype: str = "") -> str:
    items = "".join(
        f'<item id="c{i}" href="{h}" media-type="application/xhtml+xml"/>' for i, h in enumerate(hrefs)
    )
    refs = "".join(f'<itemref idref="c{i}"/>' for i in range(len(hrefs)))
    return (
        f'<?xml version="1.0"?>{doctype}<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title>{title}</dc:title><dc:identifier id="id">urn:x</dc:identifier></metadata>'
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    )


def xhtml(body: str) -> str:
    return f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{body}</body></html>'


GOOD = xhtml("<h1>Chapter 1</h1><p>" + " ".join(STORY[0].paragraphs) + "</p>")


def epub(chapters: list[Entry], extra: list[Entry] | None = None, package: str | None = None) -> bytes:
    """mimetype, container, package, then the chapter entries (named OEBPS/...)."""
    hrefs = [e.name.removeprefix("OEBPS/") for e in chapters]
    return raw_zip(
        [stored("mimetype", "application/epub+zip"), deflated("META-INF/container.xml", CONTAINER)]
        + (extra or [])
        + [deflated("OEBPS/content.opf", package or opf(hrefs))]
        + chapters
    )


def bomb_epub() -> bytes:
    return epub([deflated("OEBPS/a.xhtml", GOOD), zero_bomb("OEBPS/b.xhtml", GB)])


def lying_bomb_epub() -> bytes:
    """Declares 2 KB, inflates to 1 GB: caught as it is read."""
    entry = zero_bomb("OEBPS/b.xhtml", GB)
    entry.size = 2048
    return epub([deflated("OEBPS/a.xhtml", GOOD), entry])


def ratio_bomb_epub() -> bytes:
    """Under the per-file cap, but compressed a thousand to one."""
    return epub([deflated("OEBPS/a.xhtml", GOOD), zero_bomb("OEBPS/b.xhtml", 20 * MB)])


def method_bomb_epub(method: int, size: int = 64 * MB) -> bytes:
    data = bytes(size)
    if method == zipfile.ZIP_BZIP2:
        packed = bz2.compress(data, 9)
    else:  # zipfile's LZMA layout: version, properties size, properties, raw LZMA1
        filters = [{"id": lzma.FILTER_LZMA1, "preset": 1}]
        props = lzma._encode_filter_properties(filters[0])  # type: ignore[attr-defined]
        raw = lzma.compress(data, format=lzma.FORMAT_RAW, filters=filters)
        packed = struct.pack("<BBH", 9, 4, len(props)) + props + raw
    bomb = Entry("OEBPS/b.xhtml", packed, size, zlib.crc32(data), method)
    return epub([deflated("OEBPS/a.xhtml", GOOD), bomb])


def container_bomb_epub() -> bytes:
    return raw_zip([stored("mimetype", "application/epub+zip"), zero_bomb("META-INF/container.xml", GB)])


def mimetype_bomb_epub() -> bytes:
    entry = zero_bomb("mimetype", GB)
    return raw_zip([entry, deflated("META-INF/container.xml", CONTAINER)])


def many_entries_epub(count: int = 150_000) -> bytes:
    entries = [stored(f"OEBPS/{i}.xhtml", b"") for i in range(count)]
    return epub([deflated("OEBPS/a.xhtml", GOOD)], extra=entries)


def many_chapters_epub(count: int = 50_000) -> bytes:
    chapters = [
        deflated(f"OEBPS/c{i}.xhtml", xhtml(f"<h2>Chapter {i + 1}</h2><p>Short chapter {i} of many, it ends.</p>"))
        for i in range(count)
    ]
    return epub(chapters)


LAUGHS = (
    '<!DOCTYPE package [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    + "]>"
)


def laughs_epub() -> bytes:
    package = opf(["a.xhtml"], title="&lol9;", doctype=LAUGHS)
    return epub([deflated("OEBPS/a.xhtml", GOOD)], package=package)


def external_entity_epub() -> bytes:
    doctype = '<!DOCTYPE package [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return epub([deflated("OEBPS/a.xhtml", GOOD)], package=opf(["a.xhtml"], title="&xxe;", doctype=doctype))


def xhtml_entities_epub() -> bytes:
    body = '<!DOCTYPE html [<!ENTITY x "boom">]>' + xhtml("<p>&x;&x;&x; " + " ".join(STORY[1].paragraphs) + "</p>")
    return epub([deflated("OEBPS/a.xhtml", body)])


def traversal_epub() -> bytes:
    chapters = [deflated("OEBPS/a.xhtml", GOOD)]
    evil = [deflated("../../evil.xhtml", xhtml("<p>outside</p>")), deflated("/etc/passwd", "root:x:0:0")]
    package = opf(["a.xhtml", "../../../../etc/passwd", "../../evil.xhtml", "/etc/passwd", "%2e%2e/%2e%2e/x"])
    return epub(chapters, extra=evil, package=package)


SCRIPT = (
    "<script>window.__hostile = 1; document.title = 'pwned'</script>"
    "<p>Text before <img src=\"x\" onerror=\"window.__hostile = 2\"> and "
    "<a href=\"javascript:window.__hostile=3\">a link</a>.</p>"
    "<iframe src=\"javascript:parent.__hostile=4\"></iframe><svg><script>window.__hostile=5</script></svg>"
    "<p>&lt;script&gt;window.__hostile = 6&lt;/script&gt; stays text.</p>"
    "<p onclick=\"window.__hostile=7\">" + " ".join(STORY[0].paragraphs) + "</p>"
)


def script_epub() -> bytes:
    return epub([deflated("OEBPS/a.xhtml", xhtml(SCRIPT))])


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def prose(size: int) -> str:
    """About `size` characters of sentences that compress like real text (about 3 to 1)."""
    rng = random.Random(size)
    words = [w for c in long_story(2, 3) for p in c.paragraphs for w in p.split()]
    out: list[str] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choices(words, k=12)).capitalize().rstrip(".") + ". "
        out.append(sentence)
        total += len(sentence)
    return "".join(out)


def unclosed_epub(opening: str) -> bytes:
    """A chapter whose last tag, comment or script never ends, 20 MB long."""
    body = xhtml("<p>" + " ".join(STORY[0].paragraphs) + "</p>" + opening + prose(20 * MB))
    return epub([deflated("OEBPS/a.xhtml", body)])


def huge_paragraph_epub() -> bytes:
    """One <p> of 24 MB: sentences, so it is split into many."""
    return epub([deflated("OEBPS/a.xhtml", xhtml("<p>" + prose(24 * MB) + "</p>"))])


def deep_xhtml_epub() -> bytes:
    return epub([deflated("OEBPS/a.xhtml", xhtml("<div>" * 90_000 + "deep text here." + "</div>" * 90_000))])


def deep_opf_epub() -> bytes:
    package = opf(["a.xhtml"]).replace("<metadata", "<x>" * 100_000 + "<metadata", 1)
    return epub([deflated("OEBPS/a.xhtml", GOOD)], package=package)


def drm_epub() -> bytes:
    return make_epub("Locked", STORY, drm=True)


# ---- PDFs written by hand ---------------------------------------------------------------------


def raw_pdf(objects: list[bytes], root: int = 1, trailer: bytes = b"") -> bytes:
    return write_pdf(objects, root, trailer)


FONT = b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"


def stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        return b"<</Filter /FlateDecode /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<</Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def one_page_pdf(content_stream: bytes, extra_catalog: bytes = b"") -> bytes:
    return raw_pdf([
        b"<</Type /Catalog /Pages 2 0 R%s>>" % extra_catalog,
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources <</Font <</F1 5 0 R>>>>>>",
        content_stream,
        FONT,
    ])


def flate_bomb_pdf() -> bytes:
    bomb = zeros_zlib(GB)
    return one_page_pdf(b"<</Filter /FlateDecode /Length %d>>\nstream\n" % len(bomb) + bomb + b"\nendstream")


def text_bomb_pdf(size: int = 60 * MB) -> bytes:
    """One content stream holding 60 MB of text operators."""
    line = b"(The sea climbed over the harbour wall, furious and relentless.) Tj 0 -14 Td\n"
    ops = b"BT /F1 11 Tf 72 760 Td\n" + line * (size // len(line)) + b"ET\n"
    return one_page_pdf(stream(ops))


def cyclic_parent_pdf() -> bytes:
    """The page inherits its resources from a parent that is its own parent."""
    return raw_pdf([
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1 /Parent 2 0 R>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>>",
        stream(b"BT /F1 11 Tf 72 700 Td (Some text that needs a font.) Tj ET"),
    ])


def cyclic_kids_pdf() -> bytes:
    return raw_pdf([
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [3 0 R 2 0 R] /Count 2>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources <</Font <</F1 5 0 R>>>>>>",
        stream(b"BT /F1 11 Tf 72 700 Td (Some text.) Tj ET"),
        FONT,
    ])


def deep_tree_pdf(depth: int = 5000) -> bytes:
    objects = [b"<</Type /Catalog /Pages 2 0 R>>"]
    for level in range(depth):
        n = level + 2
        parent = b" /Parent %d 0 R" % (n - 1) if level else b""
        objects.append(b"<</Type /Pages /Kids [%d 0 R] /Count 1%s>>" % (n + 1, parent))
    page = len(objects) + 1
    objects.append(
        b"<</Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
        b" /Resources <</Font <</F1 %d 0 R>>>>>>" % (page - 1, page + 1, page + 2)
    )
    objects.append(stream(b"BT /F1 11 Tf 72 700 Td (Deep text.) Tj ET"))
    objects.append(FONT)
    return raw_pdf(objects)


def many_pages_pdf(count: int = 100_000) -> bytes:
    """100,000 pages sharing one content stream and font."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(count))
    objects = [
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids, count),
        stream(b"BT /F1 11 Tf 72 700 Td (A line of text on every page of a very long book.) Tj ET"),
        FONT,
    ]
    page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources <</Font <</F1 4 0 R>>>>>>"
    objects += [page] * count
    return raw_pdf(objects)


def long_paragraph_pdf(pages: int = 1500) -> bytes:
    """One paragraph that runs across 1,500 pages, no sentence ends at a line end."""
    words = ["the", "harbour", "lantern", "remembered", "a", "quiet", "morning", "storm", "beneath", "an", "ancient", "river"]
    lines_needed = pages * 40
    text = " ".join(words[(i * 7) % len(words)] for i in range(lines_needed * 12)) + "."
    chapter = Chapter("Chapter 1", [text])
    return make_pdf(layout_book("Endless", [chapter])[: pages + 1])


def javascript_pdf() -> bytes:
    content = stream(b"BT /F1 11 Tf 72 700 Td (The harbour was quiet in the early morning light.) Tj ET")
    return one_page_pdf(content, b" /OpenAction <</S /JavaScript /JS (app.alert\\(1\\))>>")


def scanned_pdf() -> bytes:
    return make_pdf([Page(image_only=True) for _ in range(5)])


def good_pdf() -> bytes:
    return make_pdf(layout_book("Harbour", long_story(2, 4)))


# ---- Text -------------------------------------------------------------------------------------

TEXT = "\n\n".join(p for c in STORY for p in c.paragraphs)


def huge_line_text() -> bytes:
    return ("word " * (20 * MB // 5)).encode()


CORPUS: list[Hostile] = [
    # EPUB bombs, one per compression method and per place in the book
    Hostile("epub-deflate-1gb", "bomb.epub", bomb_epub, "too-large", "zip bomb"),
    Hostile("epub-deflate-lying-size", "liar.epub", lying_bomb_epub, "corrupt", "cannot be unpacked"),
    Hostile("epub-ratio-1000", "ratio.epub", ratio_bomb_epub, "too-large", "compressed"),
    Hostile("epub-bzip2", "bz2.epub", lambda: method_bomb_epub(zipfile.ZIP_BZIP2), "unsupported", "bzip2"),
    Hostile("epub-lzma", "lzma.epub", lambda: method_bomb_epub(zipfile.ZIP_LZMA), "unsupported", "LZMA"),
    Hostile("epub-container-bomb", "c.epub", container_bomb_epub, "too-large", "container.xml"),
    Hostile("epub-mimetype-bomb", "m.epub", mimetype_bomb_epub, "too-large", "mimetype"),
    Hostile("epub-150k-entries", "many.epub", many_entries_epub, "too-large", "150,004 files"),
    # entity tricks, traversal names, scripts, nesting
    Hostile("epub-billion-laughs", "laughs.epub", laughs_epub, "corrupt", "damaged EPUB"),
    Hostile("epub-external-entity", "xxe.epub", external_entity_epub, "corrupt", "damaged EPUB"),
    Hostile("epub-xhtml-entities", "ent.epub", xhtml_entities_epub, "ok"),
    Hostile("epub-traversal", "trav.epub", traversal_epub, "ok", "missing"),
    Hostile("epub-script", "script.epub", script_epub, "ok", paragraphs=3),
    Hostile("epub-deep-xhtml", "deep.epub", deep_xhtml_epub, "ok"),
    Hostile("epub-deep-opf", "deepopf.epub", deep_opf_epub, "corrupt", "nests more than"),
    Hostile("epub-drm", "drm.epub", drm_epub, "drm", "DRM"),
    # truncations, never-ending constructs, huge single paragraphs, many chapters
    Hostile("epub-truncated-half", "half.epub", lambda: truncated(make_epub("T", long_story(3, 4)), 0.5), "corrupt", "damaged"),
    Hostile("epub-truncated-end", "end.epub", lambda: truncated(make_epub("T", long_story(3, 4)), 0.98), "corrupt", "damaged"),
    Hostile("epub-unclosed-comment", "uc.epub", lambda: unclosed_epub("<!--"), "ok", "never ends"),
    Hostile("epub-unclosed-tag", "ut.epub", lambda: unclosed_epub("<p class=\"x "), "ok", "never ends"),
    Hostile("epub-unclosed-script", "us.epub", lambda: unclosed_epub("<script>"), "ok", "never ends"),
    Hostile("epub-huge-paragraph", "hp.epub", huge_paragraph_epub, "ok", paragraphs=1000),
    Hostile("epub-50k-chapters", "chapters.epub", many_chapters_epub, "ok", paragraphs=50_000),
    # PDFs
    Hostile("pdf-flate-bomb", "bomb.pdf", flate_bomb_pdf, "too-large", "too large"),
    Hostile("pdf-60mb-text-stream", "text.pdf", text_bomb_pdf, "too-large", "too large"),
    Hostile("pdf-cyclic-parent", "cp.pdf", cyclic_parent_pdf, "corrupt", "damaged"),
    Hostile("pdf-cyclic-kids", "ck.pdf", cyclic_kids_pdf, "ok", "could not be read"),
    Hostile("pdf-deep-tree", "dt.pdf", deep_tree_pdf, "corrupt", "damaged"),
    Hostile("pdf-100k-pages", "pages.pdf", many_pages_pdf, "ok", "first 1500", paragraphs=1),
    Hostile("pdf-paragraph-1500-pages", "para.pdf", long_paragraph_pdf, "ok", paragraphs=100),
    Hostile("pdf-truncated", "trunc.pdf", lambda: truncated(good_pdf(), 0.5), "corrupt", "damaged"),
    Hostile("pdf-truncated-head", "head.pdf", lambda: truncated(good_pdf(), 0.05), "corrupt", "damaged"),
    Hostile("pdf-javascript", "js.pdf", javascript_pdf, "ok"),
    Hostile("pdf-scanned", "scan.pdf", scanned_pdf, "scanned", "scanned"),
    # encodings and text
    Hostile("text-utf16le-no-bom", "le.txt", lambda: TEXT.encode("utf-16-le"), "ok", paragraphs=5),
    Hostile("text-utf16be-no-bom", "be.txt", lambda: TEXT.encode("utf-16-be"), "ok", paragraphs=5),
    Hostile("text-utf16-bom", "bom.txt", lambda: TEXT.encode("utf-16"), "ok", paragraphs=5),
    Hostile("text-binary", "bin.txt", lambda: bytes(range(256)) * 4000, "wrong-type", "binary"),
    Hostile("text-huge-line", "line.txt", huge_line_text, "ok", paragraphs=1000),
    *(
        Hostile(f"md-{k}", f"{k}.md", markdown_file(v), "empty" if k == "underscores" else "ok")
        for k, v in MARKDOWN_TRAPS.items()  # a line of only `_` is a thematic break: no text
    ),
]
