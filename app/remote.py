"""The page, seen from the Python worker: its JS modules as ports whose calls are messages.

The app's Python runs in a worker (python_worker/worker.js), off the page's main thread, so it
never holds up a frame. It reaches the page's modules (ui, sound, modes, store, bridge; the table
is python_worker/ports.js) by message, and the page reaches it the same way:

- Python calls `port.method(*args)`: a "call" message; the call returns a future that the page's
  "reply" resolves (awaited where the result matters, such as `await store.load_book(key)`;
  the rest are fire-and-forget, in order).
- A Python function handed to the page (an event handler, a progress report) travels as a
  Callback; the page calls it with a "callback" message.
- The page asks for a named Python function (`expose`) with a "request"; the "result" answers.

Every message is one JSON object, so this runs unchanged in CPython tests (tests/unit/test_remote.py).
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.messages import PROBLEM

Post = Callable[[str], None]


class PageError(Exception):
    """A port call the page could not carry out; the message is the JS error's."""


class Record(dict[str, Any]):
    """A JS object that came back from the page: read as a dict or by attribute (`result.start`)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(eq=False)
class Callback:
    """A Python function the page may call until it is destroyed."""

    seam: Seam
    id: int

    def destroy(self) -> None:
        self.seam.callbacks.pop(self.id, None)


class Port:
    """One JS module of the page: any method name becomes a call message."""

    def __init__(self, seam: Seam, name: str) -> None:
        self._seam = seam
        self._name = name

    def __getattr__(self, method: str) -> Callable[..., asyncio.Future[Any]]:
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args: self._seam.call(self._name, method, args)

    def __repr__(self) -> str:
        return f"Port({self._name!r})"


def _record(value: Any) -> Any:
    return Record(value) if isinstance(value, dict) else value


@dataclass(eq=False)
class Seam:
    """Both directions of the message seam; `post` sends one JSON message to the page."""

    post: Post
    pending: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    callbacks: dict[int, Callable[..., Any]] = field(default_factory=dict)
    exposed: dict[str, Callable[..., Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _tasks: set[asyncio.Future[Any]] = field(default_factory=set)

    def port(self, name: str) -> Any:
        return Port(self, name)

    def proxy(self, fn: Callable[..., Any]) -> Callback:
        """`fn` as something the page can call (create_proxy's place on the main thread)."""
        callback = Callback(self, next(self._ids))
        self.callbacks[callback.id] = fn
        return callback

    def expose(self, name: str, fn: Callable[..., Any]) -> None:
        """Let the page ask for `fn` by name (python_worker/host.js: `python.request(name, ...)`)."""
        self.exposed[name] = fn

    def call(self, port: str, method: str, args: tuple[Any, ...]) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
        # A fire-and-forget call that failed is reported by the page (console); nobody awaits it here.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        call_id = next(self._ids)
        self.pending[call_id] = future
        self.post(json.dumps({"t": "call", "id": call_id, "port": port, "method": method,
                              "args": [self._outgoing(a) for a in args]}))
        return future

    def _outgoing(self, value: Any) -> Any:
        if isinstance(value, Callback):
            return {"$callback": value.id}
        if callable(value):
            raise TypeError("hand the page a function through seam.proxy(), not directly")
        return value

    def receive(self, text: str) -> None:
        """One message from the page."""
        message = json.loads(text)
        kind = message.get("t")
        if kind == "reply":
            future = self.pending.pop(message["id"], None)
            if future is None or future.done():
                return
            if message.get("ok", True):
                future.set_result(_record(message.get("value")))
            else:
                future.set_exception(PageError(str(message.get("error") or "the page failed")))
        elif kind == "callback":
            fn = self.callbacks.get(message["id"])
            if fn is not None:
                self._run(fn, [_record(a) for a in message.get("args", [])])
        elif kind == "request":
            self._keep(asyncio.ensure_future(self._answer(message)))
        else:
            raise ValueError(f"unknown message from the page: {kind!r}")

    async def _answer(self, message: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"t": "result", "id": message["id"]}
        try:
            fn = self.exposed[message["name"]]
            value = fn(*message.get("args", []))
            if inspect.isawaitable(value):
                value = await value
            reply["value"] = value
        except Exception as err:
            reply.update(ok=False, error=f"{type(err).__name__}: {err}")
        self.post(json.dumps(reply))

    def _run(self, fn: Callable[..., Any], args: list[Any]) -> None:
        try:
            result = fn(*args)
        except Exception as err:  # one handler's failure never stops the seam
            self.report(err)
            return
        if inspect.isawaitable(result):
            self.spawn(result)

    def spawn(self, awaitable: Any) -> None:
        """Run `awaitable` as a task of its own; its failure is reported on the page."""
        task = asyncio.ensure_future(awaitable)
        task.add_done_callback(self._reported)
        self._keep(task)

    def _reported(self, task: asyncio.Future[Any]) -> None:
        if not task.cancelled():
            self.report(task.exception())

    def _keep(self, task: asyncio.Future[Any]) -> None:
        # asyncio keeps only weak references to tasks: hold each until it is done.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def report(self, err: BaseException | None) -> None:
        """A handler failed: say so on the page's message line, as the page's own bus does."""
        if err is not None:
            self.call("ui", "set_status", (f"Something went wrong: {err}", PROBLEM))
