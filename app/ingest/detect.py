"""What a file really is, from its first bytes (a PNG renamed .pdf is still a PNG)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from app.ingest.errors import IngestError

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


@dataclass(frozen=True)
class Detected:
    kind: str  # pdf, epub, text, markdown
    text: str | None = None  # decoded text for text and Markdown


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
    markdown = name.lower().endswith((".md", ".markdown")) or bool(
        re.search(r"^#{1,6} \S", text[:20000], re.MULTILINE)
    )
    return Detected("markdown" if markdown else "text", text)


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as err:
        raise IngestError("corrupt", f"“{name}” looks like a ZIP/EPUB file but is damaged ({err}).") from err
    if mimetype == b"application/epub+zip" or "META-INF/container.xml" in names:
        return "epub"
    if "word/document.xml" in names:
        raise IngestError(
            "wrong-type", f"“{name}” is a Word document. {SUPPORTED} Save it as PDF or text first."
        )
    raise IngestError("wrong-type", f"“{name}” is a ZIP archive, not an EPUB book. {SUPPORTED}")


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; None for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:65536]
    if b"\x00" in sample:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t\f")
    return None if controls > len(text[:65536]) * 0.01 else text
