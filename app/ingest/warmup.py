"""A tiny PDF read once before the first book is dropped (the page asks when one is near), so the
reader's first real page does not pay for pypdf's lazy imports and first-use setup (fonts, text
extraction)."""

from __future__ import annotations

from app.ingest.stream import book_events


def tiny_pdf() -> bytes:
    text = b"BT /F1 11 Tf 72 700 Td (Warming up the reader.) Tj ET"
    objects = [
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources <</Font <</F1 5 0 R>>>>>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(text), text),
        b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def warm_up() -> int:
    """Run the whole pipeline once; returns the number of events (a sanity check for tests)."""
    return sum(1 for event in book_events(tiny_pdf(), "warmup.pdf") if event["type"] != "error")
