"""What the browser remembers about a book, and the score file: records <-> JSON.

The page keeps books in IndexedDB under a content hash (the text never leaves the browser).
Everything crossing to JavaScript is a JSON string, so the store port stays trivial to fake.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from app.models import Book, Paragraph, Piece, Section
from app.strudel.validate import validate

SCORE_FORMAT = "bookmusic-score"
SCORE_VERSION = 1


def book_key(book: Book) -> str:
    """Content hash of the book's text: reopening the same file finds the same record."""
    digest = hashlib.sha256()
    for paragraph in book.paragraphs:
        digest.update(paragraph.kind.encode())
        digest.update(b"\x00")
        digest.update(paragraph.text.encode("utf-8"))
        digest.update(b"\x01")
    return digest.hexdigest()[:32]


def book_from_json(data: dict) -> Book:
    return Book(
        title=str(data["title"]),
        paragraphs=[Paragraph(**p) for p in data["paragraphs"]],
        sections=[Section(**s) for s in data["sections"]],
        source=str(data.get("source", "text")),
        warnings=[str(w) for w in data.get("warnings", [])],
    )


def piece_to_json(piece: Piece) -> dict:
    fields = ("code", "style", "mood", "source", "why")
    return {name: getattr(piece, name) for name in fields}


def piece_from_json(data: Any) -> Piece | None:
    """A stored piece back as a Piece, through the validator like any code from outside; None
    when the record is not one (old, damaged, or code the validator now refuses)."""
    try:
        checked = validate(str(data["code"]))
        mood = data.get("mood")
        label = str(mood) if isinstance(mood, str) else "neutral"  # records before moods were labels
        if checked.program is None:
            return None
        source, why = str(data.get("source", "instant")), str(data.get("why", ""))
        return Piece(checked.program, str(data["style"]), label, source, why)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


@dataclass
class SavedBook:
    """One book's remembered state: where the reader was, the music composed, their edits."""

    paragraph: int = 0  # where the reader was: the first paragraph of the section in view
    pieces: dict[str, Piece] = field(default_factory=dict)
    edits: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None) -> SavedBook:
        if not text:
            return cls()
        data = json.loads(text)
        pieces = {}
        for section_id, raw in (data.get("pieces") or {}).items():
            piece = piece_from_json(raw)
            if piece is not None:
                pieces[str(section_id)] = piece
        edits = {str(k): str(v) for k, v in (data.get("edits") or {}).items()}
        return cls(int(data.get("paragraph") or 0), pieces, edits)


class ScoreError(ValueError):
    """The file is not a BookMusic score; the message is shown to the reader."""


@dataclass(frozen=True)
class ScoreEntry:
    section_id: str
    index: int
    style: str
    code: str
    source: str


def score_json(book: Book, key: str, pieces: dict[str, Piece]) -> str:
    """Every section's code as it plays (ensemble and intensity applied), keyed by section id, in
    one importable file."""
    sections = []
    for section in book.sections:
        piece = pieces[section.id]
        sections.append(
            {
                "id": section.id,
                "index": section.index,
                "style": piece.style,
                "mood": piece.mood,
                "source": "edit" if piece.source == "edited" else piece.source,
                "code": piece.code,
            }
        )
    score = {
        "format": SCORE_FORMAT,
        "version": SCORE_VERSION,
        "book": {"title": book.title, "key": key, "sections": len(book.sections)},
        "sections": sections,
    }
    return json.dumps(score, indent=2, ensure_ascii=False)


MAX_SCORE_CHARS = 4_000_000  # a score of a long book is a few hundred KB
MAX_SCORE_DEPTH = 16  # a score nests 3 deep; deeper is not a score (and deep enough crashes a parser)


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, in one linear pass (strings skipped),
    so a hostile file is refused before a recursive parser meets it."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_score(text: str) -> list[ScoreEntry]:
    if len(text) > MAX_SCORE_CHARS:
        raise ScoreError(f"This file is too large to be a BookMusic score ({len(text) // 1_000_000} MB).")
    if json_depth(text) > MAX_SCORE_DEPTH:
        raise ScoreError("This is not a BookMusic score (its JSON nests far deeper than a score does).")
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ScoreError(f"This is not a BookMusic score (not JSON: {err}).") from None
    if not isinstance(data, dict) or data.get("format") != SCORE_FORMAT:
        raise ScoreError("This is not a BookMusic score (missing its format mark).")
    if data.get("version") != SCORE_VERSION:
        raise ScoreError(f"This score has version {data.get('version')!r}; this app reads version 1.")
    entries = []
    for raw in data.get("sections") or []:
        try:
            entries.append(
                ScoreEntry(
                    section_id=str(raw["id"]),
                    index=int(raw.get("index", -1)),
                    style=str(raw.get("style", "imported")),
                    code=_checked_code(raw["code"]),
                    source=str(raw.get("source", "score")),
                )
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ScoreError(f"A section of this score is damaged ({err}).") from None
    return entries


def _checked_code(code: Any) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ValueError("empty code")
    return code
