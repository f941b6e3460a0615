"""The message seam between the Python worker and the page (app/remote.py), with a fake page that
answers as python_worker/host.js does: every message is JSON text."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import pytest

from app.remote import Callback, PageError, Seam

from .aio import run_in_loop

# Real event loops and tasks: CPython only (Pyodide runs no second loop in its tests).
pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="needs a thread for its loop")


class FakePage:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def post(self, text: str) -> None:
        assert isinstance(text, str)
        self.sent.append(json.loads(text))

    def calls(self) -> list[tuple[str, str, list[Any]]]:
        return [(m["port"], m["method"], m["args"]) for m in self.sent if m["t"] == "call"]


def run(coro: Any) -> Any:
    return run_in_loop(coro)


def test_port_calls_are_messages_in_order_and_replies_resolve_them() -> None:
    async def go() -> None:
        page = FakePage()
        seam = Seam(page.post)
        ui, store = seam.port("ui"), seam.port("store")
        ui.set_status("hello", "notice")  # fire-and-forget
        loading = store.load_book("abc")
        assert page.calls() == [("ui", "set_status", ["hello", "notice"]), ("store", "load_book", ["abc"])]
        call_id = page.sent[1]["id"]
        seam.receive(json.dumps({"t": "reply", "id": call_id, "ok": True, "value": '{"k": 1}'}))
        assert await loading == '{"k": 1}'
        # A JS object comes back readable by attribute too (ListeningPlayer reads result.start).
        playing = seam.port("sound").play("code")
        value = {"start": 4, "cancelled": False}
        seam.receive(json.dumps({"t": "reply", "id": page.sent[-1]["id"], "value": value}))
        result = await playing
        assert result.start == 4 and result["cancelled"] is False and getattr(result, "missing", None) is None

    run(go())


def test_a_failed_call_raises_the_pages_message_where_it_is_awaited() -> None:
    async def go() -> None:
        page = FakePage()
        seam = Seam(page.post)
        loading = seam.port("bridge").llm_load("{}")
        seam.receive(json.dumps({"t": "reply", "id": page.sent[0]["id"], "ok": False, "error": "HTTP 404"}))
        with pytest.raises(PageError, match="HTTP 404"):
            await loading
        # An unawaited call that failed leaves no "exception was never retrieved" behind.
        seam.port("ui").set_engine("x")
        seam.receive(json.dumps({"t": "reply", "id": page.sent[-1]["id"], "ok": False, "error": "gone"}))
        await asyncio.sleep(0)

    run(go())


def test_callbacks_carry_python_functions_to_the_page_until_destroyed() -> None:
    async def go() -> None:
        page = FakePage()
        seam = Seam(page.post)
        got: list[Any] = []

        async def handler(index: int, *_: Any) -> None:
            got.append(index)

        callback = seam.proxy(handler)
        seam.port("ui").on("section", callback)
        assert page.sent[0]["args"] == ["section", {"$callback": callback.id}]
        seam.receive(json.dumps({"t": "callback", "id": callback.id, "args": [3]}))
        await asyncio.sleep(0)
        assert got == [3]
        callback.destroy()
        seam.receive(json.dumps({"t": "callback", "id": callback.id, "args": [4]}))
        await asyncio.sleep(0)
        assert got == [3]
        with pytest.raises(TypeError):
            seam.port("ui").on("x", handler)  # a bare function cannot cross: it needs proxy()

    run(go())


def test_a_failing_handler_is_reported_on_the_page_and_the_seam_goes_on() -> None:
    async def go() -> None:
        page = FakePage()
        seam = Seam(page.post)

        async def broken() -> None:
            raise RuntimeError("no such section")

        callback = seam.proxy(broken)
        seam.receive(json.dumps({"t": "callback", "id": callback.id, "args": []}))
        await asyncio.sleep(0.01)
        assert ("ui", "set_status", ["Something went wrong: no such section", "problem"]) in page.calls()

    run(go())


def test_requests_answer_with_the_exposed_functions_result_or_error() -> None:
    async def go() -> None:
        page = FakePage()
        seam = Seam(page.post)

        async def slow(x: int) -> int:
            await asyncio.sleep(0)
            return x * 2

        seam.expose("double", slow)
        seam.expose("upper", str.upper)
        seam.receive(json.dumps({"t": "request", "id": 7, "name": "double", "args": [21]}))
        seam.receive(json.dumps({"t": "request", "id": 8, "name": "upper", "args": ["ab"]}))
        seam.receive(json.dumps({"t": "request", "id": 9, "name": "nothing", "args": []}))
        await asyncio.sleep(0.01)
        results = {m["id"]: m for m in page.sent if m["t"] == "result"}
        assert results[7]["value"] == 42 and results[8]["value"] == "AB"
        assert results[9]["ok"] is False and "nothing" in results[9]["error"]

    run(go())


def test_unknown_messages_are_refused() -> None:
    seam = Seam(FakePage().post)
    with pytest.raises(ValueError):
        seam.receive(json.dumps({"t": "bogus"}))
    assert isinstance(seam.proxy(print), Callback)
