"""The score file: every section's code in one JSON file, and back (as the reader's edits)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.files import file_stem
from app.messages import NOTICE, PROBLEM
from app.persistence import ScoreError, parse_score, score_json
from app.wording import count

if TYPE_CHECKING:
    from app.session.reading import ReadingSession


def export_score(session: ReadingSession) -> None:
    book = session.book
    if not book:
        return
    pieces = {s.id: session.playable(s.index) for s in book.sections}  # as they play
    text = score_json(book, session.memory.key, pieces)
    session.ui.download(f"{file_stem(book.title)}.score.json", "application/json", text)


async def import_score(session: ReadingSession, text: str) -> None:
    book = session.book
    if not book:
        return
    try:
        entries = parse_score(text)
    except ScoreError as err:
        session.ui.set_status(str(err), PROBLEM)
        return
    by_id = {s.id: s for s in book.sections}
    matched = [e for e in entries if e.section_id in by_id]
    if not matched:
        session.ui.set_status("This score belongs to another book: none of its sections match.", PROBLEM)
        return
    refused = 0
    for entry in matched:
        # Imported code is the reader's own choice for that section, kept like an edit; like an
        # edit it must pass the validator first.
        if not session.apply_edit(by_id[entry.section_id].index, entry.code):
            refused += 1
            continue
        session.memory.keep_edit(entry.section_id, session.composed[entry.section_id].code)
    note = f" {refused} could not play and were left out." if refused else ""
    total = len(book.sections)
    imported = f"{len(matched) - refused} of {count(total, 'section')}"
    session.ui.set_status(f"Imported the score: {imported}.{note}", NOTICE)
    await session.show_and_play(play=session.playing)
