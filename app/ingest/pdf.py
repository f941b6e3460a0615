"""PDF pages to positioned text runs (pypdf), with clear messages for PDFs we cannot read."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

from app.ingest.errors import IngestError
from app.ingest.layout import PageText, TextRun

MAX_PAGES = 1500  # beyond this a browser tab risks running out of memory; the reader is told
MAX_CONTENT_BYTES = 16 << 20  # one page's drawing instructions; a dense real page has under 1 MB
MAX_TREE_DEPTH = 100  # page tree nesting (pypdf's own limit)
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class PageTooLargeError(Exception):
    pass


class PdfSource:
    """An opened PDF: page count, title, and its pages as text runs, one at a time."""

    def __init__(self, data: bytes, name: str = "book.pdf") -> None:
        from pypdf import PdfReader  # imported here: the worker imports this module early
        from pypdf.errors import PdfReadError

        self.name = name
        self.warnings: list[str] = []
        from pypdf.errors import PyPdfError

        self.failed = 0
        self.first_failure: tuple[int, Exception] | None = None
        try:
            self.reader = PdfReader(io.BytesIO(data))
            if self.reader.is_encrypted:
                self._decrypt()
            # The page tree is walked lazily, never flattened: pypdf's `len(reader.pages)` reads
            # every page object first (12 s for 100,000 pages) where we read at most MAX_PAGES.
            self._walk = self._page_refs()
            self._pages: list[Any] = []
            self._more(1)
            self.page_count = max(len(self._pages), self._declared_count())
        except IngestError:
            raise
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                OSError, RecursionError) as err:
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

    def _declared_count(self) -> int:
        try:
            trailer: Any = self.reader.trailer
            return int(trailer["/Root"]["/Pages"].get("/Count", 0))
        except Exception:
            return 0

    def _page_refs(self) -> Iterator[Any]:
        """The page objects in order, each with the attributes it inherits, read one at a time;
        a cycle or a tree nested absurdly deep is a damaged file."""
        from pypdf import PageObject
        from pypdf.generic import IndirectObject

        trailer: Any = self.reader.trailer
        root = trailer["/Root"]["/Pages"]
        stack: list[tuple[Any, dict[str, Any], int]] = [(root.indirect_reference or root, {}, 0)]
        seen: set[tuple[int, int]] = set()
        while stack:
            ref, inherited, depth = stack.pop()
            if isinstance(ref, IndirectObject):
                key = (ref.idnum, ref.generation)
                if key in seen:
                    raise ValueError("Detected cyclic page references")
                seen.add(key)
            node = ref.get_object()
            if depth > MAX_TREE_DEPTH:
                raise ValueError(f"its page tree nests more than {MAX_TREE_DEPTH} levels deep")
            if node.get("/Type") == "/Pages" or "/Kids" in node:
                inherit = dict(inherited)
                inherit.update({k: node[k] for k in _INHERITED if k in node})
                kids = node.get("/Kids", [])
                stack.extend((kid, inherit, depth + 1) for kid in reversed(list(kids)))
                continue
            page = PageObject(self.reader, ref if isinstance(ref, IndirectObject) else None)
            page.update(node)
            for name, value in inherited.items():
                if name not in page:
                    page[name] = value
            yield page

    def _more(self, number: int) -> bool:
        while len(self._pages) < number:
            page = next(self._walk, None)
            if page is None:
                return False
            self._pages.append(page)
        return True

    @property
    def pages_to_read(self) -> int:
        return min(self.page_count, MAX_PAGES)

    def pages(self) -> Iterator[PageText]:
        for number in range(1, self.pages_to_read + 1):
            try:
                if not self._more(number):
                    break
                text = self.page(number)
            except Exception as err:  # one bad page must not lose the book
                self.failed += 1
                self.first_failure = self.first_failure or (number, err)
                text = PageText(number, 612, 792)
            yield text
        if self.failed:
            self.warnings.append(f"{self.failed} page(s) could not be read and were skipped.")

    def failure(self) -> IngestError:
        """Why the pages could not be read, when none could (not "scanned": they were not empty)."""
        number, err = self.first_failure or (1, ValueError("unknown"))
        if isinstance(err, PageTooLargeError) or "decompress" in str(err) or isinstance(err, MemoryError):
            return IngestError(
                "too-large",
                f"“{self.name}” has pages too large to read (page {number}: {err}); BookMusic stops "
                "rather than run out of memory.",
            )
        return IngestError("corrupt", f"“{self.name}” is a damaged PDF whose pages cannot be read ({err}).")

    def page(self, number: int) -> PageText:
        self._more(number)
        page = self._pages[number - 1]
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        if size > MAX_CONTENT_BYTES:
            raise PageTooLargeError(
                f"{size / (1 << 20):.0f} MB of drawing instructions, more than the "
                f"{MAX_CONTENT_BYTES >> 20} MB BookMusic reads per page"
            )
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
