"""ZIP entries read on a budget: a hostile EPUB must not fill the page's memory (wasm has 4 GB at
most, and a zip bomb inflates 1 MB into 1 GB) nor keep the parse worker busy for minutes.

Every entry is checked before a byte is inflated (compression method, declared size, compression
ratio) and read in small pieces that are counted as they come, so a size that lies is caught too.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator

from app.ingest.errors import IngestError

MAX_ENTRIES = 100_000  # files in one ZIP; a long real book has a few hundred
MAX_ENTRY_BYTES = 32 << 20  # one file inflated; a whole novel's XHTML is a few MB
MAX_RATIO = 100  # inflated / compressed, for entries over RATIO_FLOOR; real XHTML is about 3-10
RATIO_FLOOR = 1 << 20
MAX_BOOK_BYTES = 128 << 20  # all chapter files together; beyond this the reader is told
PIECE = 64 << 10
# EPUB (OCF) allows only these two; bzip2 and LZMA inflate without a bound per call in zipfile.
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}


def megabytes(size: int) -> str:
    return f"{size / (1 << 30):.1f} GB" if size >= 1 << 30 else f"{size / (1 << 20):.0f} MB"


def entry_count(data: bytes) -> int | None:
    """How many files the ZIP's central directory lists, from its end record, before zipfile
    builds an object per file; None when the record is not found (zipfile then says why)."""
    tail_start = max(0, len(data) - (22 + 65535))
    end = data.rfind(b"PK\x05\x06", tail_start)
    if end < 0 or end + 22 > len(data):
        return None
    count: int = struct.unpack_from("<H", data, end + 10)[0]
    # zipfile reads every record the directory holds, whatever the count says: count those too.
    directory: int = struct.unpack_from("<I", data, end + 12)[0]
    count = max(count, data.count(b"PK\x01\x02", max(0, end - directory), end))
    if count == 0xFFFF and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        offset: int = struct.unpack_from("<Q", data, end - 12)[0]
        if data[offset : offset + 4] == b"PK\x06\x06" and offset + 40 <= len(data):
            count = struct.unpack_from("<Q", data, offset + 32)[0]
    return count


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The ZIP, or IngestError: damaged, or listing more files than any book has."""
    count = entry_count(data)
    if count is not None and count > MAX_ENTRIES:
        raise IngestError(
            "too-large",
            f"“{name}” lists {count:,} files inside; BookMusic opens books of up to "
            f"{MAX_ENTRIES:,} files, so this is not an EPUB it can read.",
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as err:
        raise IngestError("corrupt", f"“{name}” looks like a ZIP/EPUB file but is damaged ({err}).") from err


class ZipReader:
    """Reads a ZIP's entries within the budgets above; refusals are IngestErrors for the reader."""

    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        self.zip = zf
        self.name = name
        self.spent = 0  # bytes inflated from chapter files so far

    def check(self, info: zipfile.ZipInfo) -> None:
        what = f"“{self.name}”"
        inner = info.filename[:80]
        if info.compress_type not in _METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise IngestError(
                "unsupported",
                f"{what} stores “{inner}” with {method} compression, which EPUB does not allow "
                "(only stored or deflate), so BookMusic does not unpack it.",
            )
        if info.file_size > MAX_ENTRY_BYTES:
            raise IngestError(
                "too-large",
                f"{what} holds a file (“{inner}”) that would unpack to {megabytes(info.file_size)}; "
                f"BookMusic unpacks at most {megabytes(MAX_ENTRY_BYTES)} per file, so it stopped "
                "before reading it (this is how “zip bombs” look).",
            )
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR and ratio >= MAX_RATIO:
            raise IngestError(
                "too-large",
                f"{what} holds a file (“{inner}”) compressed {ratio:,} "
                f"to 1 ({megabytes(info.file_size)} from {info.compress_size:,} bytes); real books "
                f"compress less than {MAX_RATIO} to 1, so BookMusic does not unpack it (a “zip bomb”).",
            )

    def pieces(self, path: str) -> Iterator[bytes]:
        """The entry's bytes a piece at a time; KeyError when the ZIP has no such file."""
        info = self.zip.getinfo(path)
        self.check(info)
        size = 0
        try:
            with self.zip.open(info) as entry:
                while piece := entry.read(PIECE):
                    size += len(piece)
                    if size > info.file_size or size > MAX_ENTRY_BYTES:
                        raise IngestError(
                            "too-large",
                            f"“{self.name}” holds a file (“{info.filename[:80]}”) that unpacks to more "
                            "than it says it does; BookMusic stopped reading it.",
                        )
                    yield piece
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as err:
            # CRC mismatch, truncation, bad data, a password-protected entry
            raise IngestError(
                "corrupt",
                f"“{self.name}” is a damaged EPUB: “{info.filename[:80]}” cannot be unpacked ({err}).",
            ) from err

    def read(self, path: str) -> bytes:
        """A small entry whole (container, package, encryption files), within the same budget."""
        return b"".join(self.pieces(path))
