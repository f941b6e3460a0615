"""Books read in the Python that plays them (app/session/opening.py): events reach the session
one at a time, and a newer book stops an older one at its next event."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from app.session.opening import BookOpener

from .aio import run_in_loop

# Real event loops and tasks: CPython only (Pyodide runs no second loop in its tests).
pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="needs a thread for its loop")


def events(count: int, tag: str) -> Iterator[str]:
    for i in range(count):
        yield json.dumps({"type": "chunk", "tag": tag, "i": i})


def test_events_reach_the_session_in_order_and_a_newer_book_wins() -> None:
    got: list[tuple[str, int]] = []
    closed: list[str] = []

    def stream(data: Any, name: str, wpm: int) -> Iterator[str]:
        try:
            yield from events(50, name)
        finally:
            closed.append(name)

    async def receive(event: str) -> None:
        e = json.loads(event)
        got.append((e["tag"], e["i"]))

    async def go() -> tuple[bool, bool]:
        opener = BookOpener(receive=receive, events=stream)
        first = asyncio.ensure_future(opener.open(1, "old", b"", 230))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        second = asyncio.ensure_future(opener.open(2, "new", b"", 230))
        return await first, await second

    old_done, new_done = run_in_loop(go())
    assert (old_done, new_done) == (False, True)
    old = [i for tag, i in got if tag == "old"]
    assert 0 < len(old) < 50 and old == list(range(len(old)))
    assert [i for tag, i in got if tag == "new"] == list(range(50))
    assert sorted(closed) == ["new", "old"]  # the dropped book's stream was closed, not left open


def test_a_real_book_arrives_as_the_streams_events() -> None:
    got: list[str] = []

    async def receive(event: str) -> None:
        got.append(json.loads(event)["type"])

    text = "# A\n\n" + "\n\n".join(f"Paragraph {i} of a short test book." for i in range(40))
    assert run_in_loop(BookOpener(receive=receive).open(1, "a.md", text.encode(), 230))
    assert got[0] == "meta" and got[-1] == "done" and "chunk" in got
