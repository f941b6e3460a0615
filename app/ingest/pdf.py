"""PDF pages to positioned text runs (pypdf), with clear messages for PDFs we cannot read."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from app.ingest.errors import IngestError
from app.ingest.layout import PageText, TextRun
from app.ingest.pypdf_patches import FontCache, shared_fonts

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
        self._font_widths: dict[int, tuple[Any, FontWidths | None]] = {}
        self._parsed_fonts: FontCache = {}  # pypdf's parsed fonts, shared by the pages
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
        from pypdf.generic import IndirectObject, NameObject

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
                if name not in page:  # pypdf's dictionaries take only PDF names as keys
                    page[NameObject(name)] = value
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
        try:
            fonts = page["/Resources"]["/Font"]
        except Exception:  # no fonts, or a broken resource dictionary: widths are estimated
            fonts = {}
        ink = Ink(fonts, self._font_widths)

        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if not text or not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4] - left
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] - bottom
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]) or 1.0
            real = float(size) * scale
            a = tm[0] * cm[0] + tm[1] * cm[2]
            b = tm[0] * cm[1] + tm[1] * cm[3]
            angle = (0 if a > 0 else 180) if abs(a) >= abs(b) else (90 if b > 0 else 270)
            bold = False
            if font is not None:
                try:
                    bold = "bold" in str(font.get("/BaseFont", "")).lower()
                except Exception:
                    bold = False
            # pypdf may hand over several lines at once; later ones go one line lower each.
            for k, piece in enumerate(text.split("\n")):
                if piece.strip():
                    out.runs.append(TextRun(x, y - k * real * 1.2, piece, real, bold, angle=angle))

        with shared_fonts(self._parsed_fonts):
            page.extract_text(visitor_text=visit, visitor_operand_before=ink)
        out.runs = ink.measure(out.runs, left, bottom)
        return upright(out)


def upright(page: PageText) -> PageText:
    """A page whose text mostly runs sideways or upside down (a landscape page, a rotated scan's
    text layer) seen in the text's own frame, so its lines are lines again."""
    chars: dict[int, int] = {}
    for run in page.runs:
        chars[run.angle] = chars.get(run.angle, 0) + len(run.text)
    angle = max(chars, key=lambda k: chars[k], default=0)
    if angle == 0:
        return page
    w, h = page.width, page.height
    turn = {
        90: lambda x, y: (y, w - x),
        180: lambda x, y: (w - x, h - y),
        270: lambda x, y: (h - y, x),
    }[angle]
    width, height = (w, h) if angle == 180 else (h, w)
    runs = [replace(run, x=turn(run.x, run.y)[0], y=turn(run.x, run.y)[1], angle=0) for run in page.runs]
    return PageText(page.number, width, height, runs)


# Widths by code, the default width, two-byte codes, the glyph space unit, one-byte codes' widths.
FontWidths = tuple[dict[str, float], float, bool, float, list[float]]


def font_widths(font: Any) -> FontWidths | None:
    """A font's glyph widths by character code (pypdf reads /Widths, /W and the 14 standard
    fonts' metrics), in thousandths of the font size."""
    from pypdf.generic._font import Font

    try:
        parsed = Font.from_font_resource(font)
        widths = {k: float(v) for k, v in parsed.character_widths.items()}
        scale = 1.0
        if font.get("/Subtype") == "/Type3":  # glyph space is the font's own matrix
            scale = float(font["/FontMatrix"][0]) * 1000
        default = widths.get("default", 500.0)
        table = [widths.get(chr(code), default) for code in range(256)]
        return widths, default, font.get("/Subtype") == "/Type0", scale, table
    except Exception:  # a font pypdf cannot parse: its runs keep estimated widths
        return None


class Ink:
    """Where each text-showing operator really puts ink, from the font's glyph widths: pypdf's
    text visitor says where a run starts, not where it ends, and a column gutter, a short last
    line or a word gap is only seen from the ends."""

    def __init__(self, fonts: Any, cache: dict[int, tuple[Any, FontWidths | None]]) -> None:
        self.fonts = fonts
        self.cache = cache  # by font object, across pages
        self.widths: FontWidths | None = None
        self._by_name: dict[str, FontWidths | None] = {}  # this page's fonts by resource name
        self.size = 0.0
        self.char_spacing = self.word_spacing = 0.0
        self.scale = 1.0
        self.pen = 0.0  # advance since the last positioning, in text space
        self.origin: tuple[float, float] | None = None
        self.spans: list[tuple[float, float, float, float]] = []  # x0, x1, y, size (page space)

    def __call__(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        try:
            if op in (b"Tj", b"TJ"):
                self._show(args, cm, tm, op == b"TJ")
            elif op == b"Tf":
                self.size = float(args[1])
                name = args[0]
                if name not in self._by_name:
                    self._by_name[name] = self._font(self.fonts.get(name))
                self.widths = self._by_name[name]

            elif op == b"Tc":
                self.char_spacing = float(args[0])
            elif op == b"Tw":
                self.word_spacing = float(args[0])
            elif op == b"Tz":
                self.scale = float(args[0]) / 100
        except Exception:  # a malformed operator: pypdf decides what it means for the text
            return

    def _font(self, ref: Any) -> FontWidths | None:
        if ref is None:
            return None
        font = ref.get_object()
        known = self.cache.get(id(font))
        if known is None or known[0] is not font:
            known = (font, font_widths(font))
            self.cache[id(font)] = known
        return known[1]

    def _show(self, args: Any, cm: Any, tm: Any, array: bool) -> None:
        if self.widths is None:
            return
        widths, default, two_byte, unit, table = self.widths
        origin = (tm[4], tm[5])
        if origin != self.origin:  # every positioning operator puts the pen back at the origin
            self.origin, self.pen = origin, 0.0
        start = self.pen
        for item in args[0] if array else args[:1]:
            if isinstance(item, (int, float)):
                self.pen -= float(item) / 1000 * self.size * self.scale
                continue
            raw = item.get_original_bytes() if hasattr(item, "get_original_bytes") else bytes(item)
            if two_byte:
                count, spaces = len(raw) // 2, 0
                pairs = range(0, len(raw) - 1, 2)
                total = sum(widths.get(chr(raw[i] << 8 | raw[i + 1]), default) for i in pairs)
            else:  # one byte a glyph: a table lookup each
                count, spaces = len(raw), raw.count(32)
                total = sum(map(table.__getitem__, raw))
            glyphs = total * unit / 1000 * self.size
            self.pen += (glyphs + self.char_spacing * count + self.word_spacing * spaces) * self.scale
        size = self.size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        x0, y = _apply(start, tm, cm)
        x1, _ = _apply(self.pen, tm, cm)
        self.spans.append((x0, x1, y, size))

    def measure(self, runs: list[TextRun], left: float, bottom: float) -> list[TextRun]:
        """Each run with its real width: the last ink on its baseline before the next run starts."""
        if not self.spans:
            return runs
        by_line: dict[int, list[tuple[float, float]]] = {}
        for x0, x1, y, _ in self.spans:
            by_line.setdefault(round(y - bottom), []).append((x0 - left, x1 - left))
        starts: dict[int, list[float]] = {}
        for run in runs:
            starts.setdefault(round(run.y), []).append(run.x)
        out = []
        for run in runs:
            if run.angle:  # sideways: its ink is not along its baseline's y; widths are estimated
                out.append(run)
                continue
            line = round(run.y)
            after = [x for key in (line - 1, line, line + 1) for x in starts.get(key, ()) if x > run.x + 0.5]
            limit = min(after, default=math.inf) - 0.5
            ends = [x1 for key in (line - 1, line, line + 1) for x0, x1 in by_line.get(key, ())
                    if run.x - 0.5 <= x0 < limit]
            # A new run rather than dataclasses.replace: this is once per line of every page.
            out.append(TextRun(run.x, run.y, run.text, run.size, run.bold, max(ends) - run.x, run.angle)
                       if ends else run)
        return out


def _apply(advance: float, tm: Any, cm: Any) -> tuple[float, float]:
    x = advance * tm[0] + tm[4]
    y = advance * tm[1] + tm[5]
    return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]
