"""PDF pages to positioned text runs (pypdf), with clear messages for PDFs we cannot read."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

from app.ingest.errors import IngestError
from app.ingest.layout import PageText, TextRun

MAX_PAGES = 1500  # beyond this a browser tab risks running out of memory; the reader is told


class PdfSource:
    """An opened PDF: page count, title, and its pages as text runs, one at a time."""

    def __init__(self, data: bytes, name: str = "book.pdf") -> None:
        from pypdf import PdfReader  # imported here: the worker imports this module early
        from pypdf.errors import PdfReadError

        self.name = name
        self.warnings: list[str] = []
        try:
            self.reader = PdfReader(io.BytesIO(data))
            if self.reader.is_encrypted:
                self._decrypt()
            self.page_count = len(self.reader.pages)
        except IngestError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as err:
            raise IngestError("corrupt", f"“{name}” is a damaged PDF that cannot be read ({err}).") from err
        if self.page_count == 0:
            raise IngestError("corrupt", f"“{name}” is a PDF with no pages.")
        if self.page_count > MAX_PAGES:
            self.warnings.append(
                f"This PDF has {self.page_count} pages; BookMusic reads the first {MAX_PAGES} "
                "so the page stays responsive."
            )
        self.title = self._title()

    def _decrypt(self) -> None:
        try:
            unlocked = self.reader.decrypt("")
        except Exception as err:  # pypdf raises DependencyError for AES without a crypto library
            raise IngestError(
                "encrypted",
                f"“{self.name}” is an encrypted PDF that BookMusic cannot unlock here ({err}). "
                "Save an unprotected copy (print to PDF) and open that.",
            ) from err
        if not unlocked:
            raise IngestError(
                "encrypted",
                f"“{self.name}” is protected by a password. Open it in a PDF reader, save an "
                "unprotected copy, and drop that here.",
            )

    def _title(self) -> str:
        try:
            meta = self.reader.metadata
            title = str(meta.title).strip() if meta and meta.title else ""
        except Exception:  # broken metadata must not stop the text
            title = ""
        return title or self.name.rsplit(".", 1)[0]

    @property
    def pages_to_read(self) -> int:
        return min(self.page_count, MAX_PAGES)

    def pages(self) -> Iterator[PageText]:
        failed = 0
        for number in range(1, self.pages_to_read + 1):
            try:
                yield self.page(number)
            except Exception:  # one bad page must not lose the book
                failed += 1
                yield PageText(number, 612, 792)
        if failed:
            self.warnings.append(f"{failed} page(s) could not be read and were skipped.")

    def page(self, number: int) -> PageText:
        page = self.reader.pages[number - 1]
        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        out = PageText(number, float(box.width), float(box.height))

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if not text or not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] - left
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - bottom
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
            real = float(size) * scale
            bold = False
            if font is not None:
                try:
                    bold = "bold" in str(font.get("/BaseFont", "")).lower()
                except Exception:
                    bold = False
            # pypdf may hand over several lines at once; later ones go one line lower each.
            for k, piece in enumerate(text.split("\n")):
                if piece.strip():
                    out.runs.append(TextRun(x, y - k * real * 1.2, piece, real, bold))

        page.extract_text(visitor_text=visit)
        return out
