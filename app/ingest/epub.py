"""EPUB 2 and 3 to paragraphs: container.xml → OPF → spine → XHTML, with the stdlib only."""

from __future__ import annotations

import codecs
import posixpath
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import unquote
from xml.etree import ElementTree

from app.ingest.cleanup import clean_text, is_chapter_heading
from app.ingest.errors import IngestError
from app.ingest.zipguard import MAX_BOOK_BYTES, ZipReader, megabytes, open_zip

_BLOCKS = {
    "p", "div", "li", "blockquote", "pre", "section", "article", "aside", "header", "footer",
    "td", "th", "dt", "dd", "figcaption", "tr", "ul", "ol", "table", "body", "hr", "nav",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "title", "svg", "math", "rt", "rp"}
# Font obfuscation (IDPF, Adobe) is not DRM: those books read fine.
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


class _Blocks(HTMLParser):
    """Collects (kind, text) blocks: headings and paragraphs, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._text: list[str] = []
        self._kind = "text"
        self._skip = 0

    def _flush(self) -> None:
        if self._text:  # most tags close or open a block with no text in between
            text = clean_text("".join(self._text))
            if text:
                self.blocks.append((self._kind, text))
            self._text = []
        self._kind = "text"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _HEADINGS:
            self._flush()
            self._kind = "heading"
        elif tag in _BLOCKS:
            self._flush()
        elif tag == "br":
            self._text.append(" ")
        elif tag == "img" and not self._skip:
            alt = dict(attrs).get("alt") or ""
            if alt.strip() and len(alt) > 40:  # a long alt text is content; short ones are labels
                self._text.append(alt)

    def updatepos(self, i: int, j: int) -> int:
        # Line and column for getpos(), which nothing here asks for: counting the newlines of
        # every piece of text and every tag was a tenth of reading a 50,000-chapter book.
        return j

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADINGS or tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_text(html: str) -> str:
    """A web page's text as Markdown-like plain text: blocks apart by blank lines, headings as
    `#` lines (scripts, styles and the head left out)."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return "\n\n".join(f"# {text}" if kind == "heading" else text for kind, text in parser.blocks)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


MAX_XML_DEPTH = 200  # real container and package files nest under 10 deep
# A tag, a comment or a script still open after this much text is not a real chapter's: the HTML
# parser would rescan it on every piece fed (quadratic), so the rest of that file is dropped.
MAX_PENDING = 1 << 20


def xml_depth(data: bytes) -> int:
    """How deep the elements of an XML file nest, in one linear pass over its tags: a file nested
    far deeper than any real one is refused before the tree parser builds (and frees) it, which
    recurses and can overflow the page's stack. (What `<(/?)[^>]*?(/?)>` found, but with `find`:
    that pattern rescans to the end from every `<` of a file of `<` without `>`.)"""
    depth = deepest = 0
    start = data.find(b"<")
    while start >= 0:
        end = data.find(b">", start + 1)
        if end < 0:
            break
        if data.startswith((b"<?", b"<!"), start):
            pass
        elif data.startswith(b"</", start):
            depth -= 1
        elif data[end - 1 : end] != b"/" or end - 1 == start:
            depth += 1
            deepest = max(deepest, depth)
        start = data.find(b"<", end + 1)
    return deepest


def encrypted_targets(xml: str) -> list[str]:
    """The `URI="..."` values of encryption.xml (what `URI="([^"]+)"` found, in linear time)."""
    targets: list[str] = []
    start = xml.find('URI="')
    while start >= 0:
        end = xml.find('"', start + 5)
        if end < 0:
            break
        if end > start + 5:
            targets.append(xml[start + 5 : end])
            start = xml.find('URI="', end + 1)
        else:
            start = xml.find('URI="', start + 1)
    return targets


def _parse_xml(data: bytes, what: str) -> ElementTree.Element:
    if xml_depth(data) > MAX_XML_DEPTH:
        raise ValueError(f"its {what} nests more than {MAX_XML_DEPTH} elements deep")
    return ElementTree.fromstring(data)


def _readable(entry: dict[str, str], manifest: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The spine item itself when it is XHTML, else the XHTML page its fallback chain names (an
    EPUB may list an image or another format there with a text page to fall back to)."""
    seen: set[str] = set()
    current: dict[str, str] | None = entry
    while current is not None and len(seen) < 16:
        if "html" in current.get("media-type", "html"):
            return current
        fallback = current.get("fallback", "")
        if not fallback or fallback in seen:
            return None
        seen.add(fallback)
        current = manifest.get(fallback)
    return None


class EpubSource:
    """An opened EPUB: title, and its spine documents as (kind, text) blocks, one file at a time."""

    def __init__(self, data: bytes, name: str = "book.epub") -> None:
        self.name = name
        self.warnings: list[str] = []
        self.zip = open_zip(data, name)
        self.reader = ZipReader(self.zip, name)
        try:
            names = set(self.zip.namelist())
            self._check_drm(names)
            container = _parse_xml(self.reader.read("META-INF/container.xml"), "container file")
            rootfile = next(el for el in container.iter() if _local(el.tag) == "rootfile")
            self.opf_path = unquote(rootfile.attrib["full-path"])
            opf = _parse_xml(self.reader.read(self.opf_path), "package file")
        except IngestError:
            raise
        except (zipfile.BadZipFile, KeyError, StopIteration, ElementTree.ParseError, OSError, ValueError) as err:  # noqa: E501
            raise IngestError("corrupt", f"“{name}” is a damaged EPUB that cannot be read ({err}).") from err
        base = posixpath.dirname(self.opf_path)
        manifest: dict[str, dict[str, str]] = {}
        for item in opf.iter():
            if _local(item.tag) == "item" and "id" in item.attrib and "href" in item.attrib:
                manifest[item.attrib["id"]] = item.attrib
        self.documents: list[str] = []
        listed = 0
        for ref in opf.iter():
            if _local(ref.tag) != "itemref":
                continue
            entry = manifest.get(ref.attrib.get("idref", ""))
            if not entry or "nav" in (entry.get("properties") or "").split():
                continue
            listed += 1
            entry = _readable(entry, manifest)
            if entry is None:
                continue
            self.documents.append(posixpath.normpath(posixpath.join(base, unquote(entry["href"]))))
        if not self.documents and listed:
            raise IngestError(
                "empty",
                f"“{name}” is an EPUB whose pages are images or drawings (no text to read): "
                "BookMusic needs a book with text.",
            )
        if not self.documents:
            raise IngestError("corrupt", f"“{name}” is an EPUB whose table of contents (spine) is empty.")
        titles = [el.text for el in opf.iter() if _local(el.tag) == "title" and el.text and el.text.strip()]
        self.title = clean_text(titles[0]) if titles else name.rsplit(".", 1)[0]

    def _check_drm(self, names: set[str]) -> None:
        drm = IngestError(
            "drm",
            f"“{self.name}” is protected by DRM (copy protection), so its text cannot be read. "
            "BookMusic can only open DRM-free EPUBs.",
        )
        if "META-INF/rights.xml" in names:
            raise drm
        if "META-INF/encryption.xml" in names:
            xml = self.reader.read("META-INF/encryption.xml").decode("utf-8", "replace")
            # Obfuscated or encrypted fonts (_FONT_OBFUSCATION) leave the text readable.
            fonts = (".otf", ".ttf", ".woff", ".woff2")
            if any(not t.lower().endswith(fonts) for t in encrypted_targets(xml)):
                raise drm

    def blocks(self, piece: int = 50_000) -> Iterator[tuple[int, list[tuple[str, str]]]]:
        """(spine documents done, new blocks), a piece of a document at a time: some books are
        one huge XHTML file, and its first section should not wait for the whole of it. Each file
        is unpacked and decoded as a stream, within the budgets of `zipguard`."""
        missing = damaged = 0
        for done, path in enumerate(self.documents, 1):
            try:
                info = self.zip.getinfo(path)
            except KeyError:
                missing += 1
                yield done, []
                continue
            self.reader.check(info)  # a bomb is refused, not skipped as "too much text"
            size = info.file_size
            if self.reader.spent + size > MAX_BOOK_BYTES:
                self.warnings.append(
                    f"This EPUB holds more than {megabytes(MAX_BOOK_BYTES)} of text; BookMusic read "
                    f"the first {done - 1} of its {len(self.documents)} chapter files."
                )
                break
            self.reader.spent += size
            parser = _Blocks()
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            for raw in self.reader.pieces(path):
                text = decoder.decode(raw)
                for start in range(0, len(text), piece):
                    parser.feed(text[start : start + piece])
                if len(parser.rawdata) > MAX_PENDING:
                    damaged += 1
                    parser.rawdata = ""  # an endless tag, comment or script: drop the rest
                    break
                if parser.blocks:  # a big file's first blocks go out before the rest is read
                    yield done - 1, self._drain(parser)
            else:
                if rest := decoder.decode(b"", final=True):
                    parser.feed(rest)
            parser.close()
            yield done, self._drain(parser)
        if missing:
            self.warnings.append(f"{missing} chapter file(s) listed in the EPUB are missing.")
        if damaged:
            self.warnings.append(
                f"{damaged} chapter file(s) are damaged (a tag, comment or script never ends) and "
                "were read only up to there."
            )

    @staticmethod
    def _drain(parser: _Blocks) -> list[tuple[str, str]]:
        blocks, parser.blocks = parser.blocks, []
        return [
            ("heading" if kind == "text" and is_chapter_heading(text) and len(text) < 40 else kind, text)
            for kind, text in blocks
        ]
