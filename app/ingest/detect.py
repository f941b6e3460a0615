"""What a file really is, from its first bytes (a PNG renamed .pdf is still a PNG)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from app.ingest.errors import IngestError
from app.ingest.zipguard import ZipReader, open_zip

_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"BM": "a bitmap image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}
_OTHER = {
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"ID3": "an MP3 file",
    b"OggS": "an Ogg audio file",
    b"fLaC": "a FLAC audio file",
    b"\x00\x00\x00\x18ftyp": "a video file",
    b"\x00\x00\x00\x20ftyp": "a video file",
    b"AT&TFORM": "a DjVu document",
}
SUPPORTED = "BookMusic reads PDF, EPUB, plain text and Markdown files."
# A web page saved under another name (a failed download named .pdf, a page saved as .txt).
_HTML = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*|<\?xml[^>]{0,200}>\s*)*(?:<!doctype\s+html|<html[\s>])",
                   re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Detected:
    kind: str  # pdf, epub, text, markdown, html (its text, as Markdown)
    text: str | None = None  # decoded text for text, Markdown and HTML
    note: str = ""  # for the reader: what the file really was


def detect(data: bytes, name: str = "") -> Detected:
    """Sniff the format; raise IngestError with a reader-facing message for anything else."""
    if not data:
        raise IngestError("empty", f"“{name or 'The file'}” is empty (0 bytes): there is nothing to read.")
    head = data[:1024]
    if b"%PDF-" in head:
        return Detected("pdf")
    if data[:4] == b"PK\x03\x04":
        return Detected(_zip_kind(data, name))
    for magic, what in _IMAGES.items():
        if data.startswith(magic):
            raise IngestError(
                "wrong-type", f"“{name}” is {what}, not a book. {SUPPORTED} (Scanned pages need OCR first.)"
            )
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise IngestError("wrong-type", f"“{name}” is a WebP image, not a book. {SUPPORTED}")
    for magic, what in _OTHER.items():
        if data.startswith(magic):
            raise IngestError("wrong-type", f"“{name}” is {what}, not a book. {SUPPORTED}")
    text = decode_text(data)
    if text is None:
        raise IngestError(
            "wrong-type", f"“{name}” is not a format BookMusic knows (binary data). {SUPPORTED}"
        )
    if _HTML.match(text[:4096]):
        from app.ingest.epub import html_text

        real = name.lower().endswith((".htm", ".html", ".xhtml"))
        note = "" if real else f"“{name}” is a web page (HTML), not a book file; its text is shown."
        return Detected("html", html_text(text), note)
    markdown = name.lower().endswith((".md", ".markdown")) or bool(
        re.search(r"^#{1,6} \S", text[:20000], re.MULTILINE)
    )
    return Detected("markdown" if markdown else "text", text)


def _zip_kind(data: bytes, name: str) -> str:
    if _starts_as_epub(data):
        return "epub"  # the book's reader opens the ZIP (and refuses a damaged or huge one)
    with open_zip(data, name) as zf:
        names = set(zf.namelist())
        mimetype = ZipReader(zf, name).read("mimetype")[:64].strip() if "mimetype" in names else b""
    if mimetype == b"application/epub+zip" or "META-INF/container.xml" in names:
        return "epub"
    if "word/document.xml" in names:
        raise IngestError(
            "wrong-type", f"“{name}” is a Word document. {SUPPORTED} Save it as PDF or text first."
        )
    raise IngestError("wrong-type", f"“{name}” is a ZIP archive, not an EPUB book. {SUPPORTED}")


def _starts_as_epub(data: bytes) -> bool:
    """The first entry is `mimetype`, stored, reading application/epub+zip: how the EPUB standard
    says a book starts, seen without reading the ZIP's directory (50,000 entries take a quarter
    of a second, and the EPUB reader reads it again)."""
    if len(data) < 30:
        return False
    method = struct.unpack_from("<H", data, 8)[0]
    size = struct.unpack_from("<I", data, 18)[0]
    length, extra = struct.unpack_from("<HH", data, 26)
    start = 30 + length + extra
    if method != 0 or data[30 : 30 + length] != b"mimetype":
        return False
    return data[start : start + min(size, 64)].strip() == b"application/epub+zip"


def utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes look like UTF-16 text that lost its byte order
    mark: text in the Latin, Greek, Cyrillic... ranges has a zero in every other byte, binary data
    has zeros anywhere."""
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * pairs and other <= 0.02 * pairs:
            text = sample.decode(codec, errors="replace")
            bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
            if bad <= 0.01 * len(text):
                return codec
    return None


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with or without BOM, else Windows-1252; None for
    binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:65536]
    if b"\x00" in sample:
        codec = utf16_without_bom(sample)
        return data.decode(codec, errors="replace") if codec else None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f")
    return None if controls > len(text[:65536]) * 0.01 else text
