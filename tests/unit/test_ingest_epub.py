"""EPUB 2 and 3 extraction, exactly, and DRM detection."""

import io
import zipfile

import pytest

from app.ingest.errors import IngestError
from app.ingest.stream import read_book

from .bookgen import STORY, Chapter, make_epub

GREEK = Chapter("Κεφάλαιο 1", ["Η θάλασσα ήταν ήσυχη το πρωί.", "Ο ψαράς γύρισε στο σπίτι του."])


def got(book):
    return [(p.kind, p.chapter, p.text) for p in book.paragraphs]


def expected(chapters):
    out = []
    for number, chapter in enumerate(chapters):
        out.append(("heading", number, chapter.title))
        out += [("text", number, text) for text in chapter.paragraphs]
    return out


@pytest.mark.parametrize("version", [2, 3])
def test_epub_chapters_and_paragraphs_come_out_exactly(version):
    data = make_epub("The Harbour", [*STORY, GREEK], version=version)
    book = read_book(data, "harbour.epub")
    assert book.title == "The Harbour" and book.source == "epub"
    assert got(book) == expected([*STORY, GREEK])


def test_epub_markup_entities_and_inline_tags_are_flattened():
    data = make_epub("T", [Chapter("One", ["x"])])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.endswith("ch1.xhtml"):
                body = (
                    b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>skip me</title>'
                    b"<style>p{}</style></head><body><h2>One</h2>"
                    b"<p>A <em>very</em> caf&#233; &amp; <span>bar</span><br/>next&#160;line</p>"
                    b"<div><p>Nested</p> tail text</div><script>var x;</script></body></html>"
                )
            dst.writestr(item, body)
    book = read_book(buf.getvalue(), "t.epub")
    assert [p.text for p in book.paragraphs] == ["One", "A very café & bar next line", "Nested", "tail text"]


def test_epub_with_drm_is_refused_with_a_clear_message():
    with pytest.raises(IngestError) as err:
        read_book(make_epub("T", STORY, drm=True), "locked.epub")
    assert err.value.kind == "drm" and "DRM" in err.value.message


def test_epub_with_obfuscated_fonts_only_is_not_drm():
    data = make_epub("T", STORY)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(
            "META-INF/encryption.xml",
            '<encryption><EncryptedData><EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
            '<CipherData><CipherReference URI="OEBPS/fonts/serif.otf"/></CipherData>'
            "</EncryptedData></encryption>",
        )
    assert got(read_book(buf.getvalue(), "fonts.epub")) == expected(STORY)


def test_damaged_epub_gets_a_clear_message():
    data = make_epub("T", STORY)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            if item.filename != "OEBPS/content.opf":
                dst.writestr(item, src.read(item))
    with pytest.raises(IngestError) as err:
        read_book(buf.getvalue(), "broken.epub")
    assert err.value.kind == "corrupt" and "broken.epub" in err.value.message


def test_one_huge_chapter_file_streams_its_first_section_early():
    from app.ingest.stream import book_events

    from .bookgen import long_story

    paragraphs = [p for c in long_story(chapters=8) for p in c.paragraphs]
    data = make_epub("Huge", [Chapter("All in one", paragraphs)])
    events = list(book_events(data, "huge.epub", every=1e9))
    first = next(e for e in events if e["type"] == "chunk")
    assert first["sections"] and first["done"] == 0 < first["total"]
    assert len(read_book(data, "huge.epub").paragraphs) == len(paragraphs) + 1


@pytest.mark.parametrize("member", ["OEBPS/content.opf", "OEBPS/text/ch1.xhtml"])
def test_an_epub_nested_200000_deep_gets_a_message_not_a_crash(member):
    data = make_epub("T", STORY)
    buf = io.BytesIO()
    deep = b"<x>" * 200_000 + b"text" + b"</x>" * 200_000
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == member:
                body = body.replace(b"</package>", deep + b"</package>").replace(b"<body>", b"<body>" + deep)
            dst.writestr(item, body)
    if member.endswith(".opf"):
        with pytest.raises(IngestError) as err:
            read_book(buf.getvalue(), "deep.epub")
        assert err.value.kind == "corrupt" and "nests more than" in err.value.message
    else:  # chapter pages are read as a stream of tags: the depth costs nothing there
        book = read_book(buf.getvalue(), "deep.epub")
        assert any(p.text == "text" for p in book.paragraphs)


def _rewrite_opf(data: bytes, change, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "OEBPS/content.opf":
                body = change(body.decode()).encode()
            dst.writestr(item, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return buf.getvalue()


def test_epub_whose_spine_pages_are_images_says_there_is_no_text_not_damaged():
    # A comic or a picture book: every spine item is an image or an SVG drawing.
    data = _rewrite_opf(
        make_epub("Pictures", STORY),
        lambda opf: opf.replace('href="text/ch1.xhtml" media-type="application/xhtml+xml"',
                                'href="images/p1.svg" media-type="image/svg+xml"')
        .replace('href="text/ch2.xhtml" media-type="application/xhtml+xml"',
                 'href="images/p2.jpg" media-type="image/jpeg"'),
    )
    with pytest.raises(IngestError) as err:
        read_book(data, "pictures.epub")
    assert err.value.kind == "empty"
    assert "no text to read" in err.value.message and "damaged" not in err.value.message


def test_epub_spine_item_with_a_fallback_to_xhtml_is_read_through_it():
    data = _rewrite_opf(
        make_epub("Fallback", STORY),
        lambda opf: opf.replace(
            '<item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>',
            '<item id="c1" href="text/ch1.dtbook" media-type="application/x-dtbook+xml" fallback="c1x"/>'
            '<item id="c1x" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>',
        ),
        {"OEBPS/text/ch1.dtbook": b"<dtbook/>"},
    )
    assert got(read_book(data, "fallback.epub")) == expected(STORY)
