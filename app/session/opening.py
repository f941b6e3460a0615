"""Books read in the same Python that plays them: the events of app/ingest/stream.py go straight
to the reading session, one at a time, with the page's messages handled between them.

A book still being read when the reader opens another is dropped at its next event (the newer
one wins), so a 1,500-page PDF never holds up the next file or the music for more than one event
(the stream sends one at most every quarter of a second of parsing).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.ingest.stream import book_events_json

Receive = Callable[[str], Awaitable[None]]


@dataclass
class BookOpener:
    receive: Receive  # ReadingSession.receive_book_event
    # Makes sure the PDF reader (pypdf) is importable: in the page, Pyodide loads its wheel on
    # first use; in CPython it is installed already.
    ready_reader: Callable[[], Awaitable[Any]] | None = None
    events: Callable[[Any, str, int], Iterator[str]] = book_events_json
    latest: int = 0

    async def open(self, book_id: int, name: str, data: Any, wpm: int) -> bool:
        """Read one book (`data`: its bytes, or JS bytes with to_py); False if a newer one took over."""
        self.latest = max(self.latest, book_id)
        if self.ready_reader is not None:
            await self.ready_reader()
        if book_id != self.latest:
            return False
        stream = self.events(data, name, wpm)
        try:
            for event in stream:
                if book_id != self.latest:
                    return False
                await self.receive(event)
                await asyncio.sleep(0)  # let the page's messages in between events
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        return True
