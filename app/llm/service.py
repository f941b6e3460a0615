"""Keeps the language model writing music ahead of the reader.

Owns the model's life (capabilities, the picked model, loading with progress) and a small pump
that composes the sections in the schedule's window one at a time, cancelling a generation when
the reader gets to its section first. Every piece passes the validator before the controller
may play it; until a section has one, the instant composer's piece covers it.

Talks to the page through two ports so it runs in CPython tests with fakes:
- `llm` (webllm_bridge/llm.js): llm_capabilities(), llm_load(spec, on_progress),
  llm_generate(request, on_token), llm_abort(), llm_unload() — awaitables answer JSON strings.
- `ui` (ui/model_picker.js via ui/index.js): set_models(json) -> {"id", "consent"} (JSON),
  set_engine(text),
  set_section_music(index, state), set_status(text, kind), set_progress(fraction, label).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from app.compose.instant import compose
from app.compose.sheet import parse_sheet, piece_from_sheet
from app.llm import catalog
from app.llm.catalog import Capabilities, ModelEntry
from app.llm.finish import check_piece
from app.llm.prompt import GenerationRequest, build_request, warmup_request
from app.llm.schedule import next_job, should_cancel
from app.messages import PROBLEM, MessageKind
from app.models import Piece, Section
from app.music.ensemble import Ensemble, validate_for, voice_for
from app.music.mood import score_mood
from app.strudel.validate import Validation, refused
from app.wording import count

State = Literal["idle", "loading", "ready", "failed", "refused", "off"]


class LLMPort(Protocol):
    def llm_capabilities(self) -> Awaitable[str]: ...
    def llm_load(self, spec_json: str, on_progress: Any) -> Awaitable[Any]: ...
    def llm_generate(self, request_json: str, on_token: Any) -> Awaitable[str]: ...
    def llm_abort(self) -> Any: ...
    def llm_unload(self) -> Awaitable[Any]: ...


class ComposerUIPort(Protocol):
    def set_models(self, picker_json: str) -> Any: ...
    def set_engine(self, text: str) -> Any: ...
    def set_section_music(self, index: int, state: str) -> Any: ...
    def set_status(self, text: str, kind: MessageKind) -> Any: ...
    def set_progress(self, fraction: float, label: str) -> Any: ...


@dataclass
class Attempt:
    """One generation, for the page's log and for tests/benchmarks."""

    index: int
    section_id: str
    ok: bool
    seconds: float
    text: str
    errors: list[str]
    finish_reason: str | None
    stats: dict[str, Any]
    code: str = ""  # the validated program that may play ("" when refused)


def _spawn(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.ensure_future(coro)


def _same(fn: Callable[..., Any]) -> Any:
    return fn


@dataclass
class ComposerService:
    llm: LLMPort
    ui: ComposerUIPort
    spawn: Callable[[Coroutine[Any, Any, Any]], Any] = _spawn  # runs a coroutine in the background
    proxy: Callable[[Callable[..., Any]], Any] = _same  # Python callable -> JS callable (create_proxy)
    depth: int = 2  # prefetch depth: how many sections ahead the model writes
    caps: Capabilities = field(default_factory=Capabilities)
    selected: str = catalog.INSTANT_ONLY.id
    model: ModelEntry | None = None  # loaded (or loading) model
    state: State = "idle"
    wanted: bool = False  # the reader pressed Play: load the model
    probed: bool = False  # start() has read the browser's capabilities
    consent: bool = False  # the reader chose a model (now or before): downloading it is wanted
    sections: Sequence[Section] = ()
    current: int = 0
    in_flight: int | None = None
    pumping: bool = False
    epoch: int = 0  # bumped when the book changes: late results for the old book are dropped
    pieces: dict[str, Piece] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    # Measured in use, not simulated: of the sections the reader read on into while a model was
    # loaded, how many had the model's piece ready on arrival (the rest got the instant composer).
    reached: int = 0
    ready_on_arrival: int = 0
    tasks: set[Any] = field(default_factory=set)  # background tasks, held so none is collected early
    ensemble: Ensemble | None = None  # the listener's instruments: the model may write only these
    writing_endless: bool = False  # the engine writes an endless-mode piece: the pump waits

    def background(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = self.spawn(coro)
        if isinstance(task, asyncio.Future):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    # ---- setup and model choice -------------------------------------------------------------

    async def start(self) -> None:
        """Probe the browser, offer the models that fit, say which engine and why."""
        self.caps = Capabilities.from_json(str(await self.llm.llm_capabilities()))
        shown = self.ui.set_models(catalog.picker_json(self.caps))  # the page's reply: its pick
        picked = json.loads(str(await shown if inspect.isawaitable(shown) else shown))
        found = catalog.find(str(picked.get("id") or ""), self.caps)
        self.selected = found.id if found else catalog.default_model(self.caps).id
        self.consent = bool(found and picked.get("consent"))
        self.ui.set_engine(self._engine_line())
        self.probed = True
        if self.wanted:  # Play was pressed before the probe finished
            await self.ensure_loaded()

    def _engine_line(self) -> str:
        choice = catalog.choose_engine(self.caps)
        problem = catalog.model_url_problem(self.caps)
        note = f" ({problem}.)" if problem else ""
        return f"{choice.reason[:1].upper()}{choice.reason[1:]}.{note}"

    async def choose(self, model_id: str, load_now: bool = False) -> None:
        """The reader picked a model in the picker (`load_now`: with the Load button)."""
        self.consent = True
        if model_id == self.selected and self.state in ("loading", "ready"):
            return
        self.selected = model_id
        await self._drop_model()
        if self.wanted or load_now:
            await self.ensure_loaded()
            return
        resolved = catalog.resolve(model_id, self.caps)
        if resolved.entry is None:
            self.ui.set_engine(resolved.refusal)  # say it now, not only at Play
        elif resolved.entry.engine == "none":
            self.ui.set_engine("Instant composer only: no language model is loaded.")
        else:
            self.ui.set_engine(resolved.note or f"{resolved.entry.label}: loads when you press Play.")

    async def _drop_model(self) -> None:
        if self.model is not None:
            self.llm.llm_abort()
            await self.llm.llm_unload()
        self.model = None
        self.state = "idle"

    def wake(self) -> None:
        """Play was pressed: from now on the model should be loaded and writing (in the
        background: the instant composer is already playing)."""
        self.wanted = True
        if self.state == "idle" and self.probed:
            self.background(self.ensure_loaded())

    async def ensure_loaded(self) -> None:
        if self.state in ("loading", "ready"):
            return
        resolved = catalog.resolve(self.selected, self.caps)
        if resolved.entry is None:
            self.state = "refused"
            self.ui.set_engine(resolved.refusal)
            self.ui.set_status(f"{resolved.refusal} The instant composer plays meanwhile.", PROBLEM)
            return
        entry = resolved.entry
        if entry.engine == "none":
            self.state = "off"
            self.ui.set_engine("Instant composer only: no language model is loaded.")
            return
        if catalog.needs_consent(entry, self.caps) and not self.consent:
            # Hundreds of megabytes, or a file from another host: only once the reader chose it.
            size = f"{entry.download_mb} MB once, then cached" if entry.download_mb else f"from {entry.url}"
            self.ui.set_engine(f"The instant composer plays. To let {entry.label} write the music, press "
                               f"Load model ({size}) or pick another.")
            return
        self.model = entry
        self.state = "loading"
        size = f" ({entry.download_mb} MB once, then cached)" if entry.download_mb else ""
        label = f"Loading {entry.label}{size}"
        self.ui.set_engine(resolved.note or f"{label}…")
        self.ui.set_progress(0.0, f"{label}… the instant composer plays meanwhile.")

        def progress(fraction: Any, text: Any = "") -> None:
            # The engine's own measure when it gives one ("12.3 of 98.0 MB"), else a percentage.
            done = str(text or "") or f"{round(float(fraction or 0) * 100)}%"
            self.ui.set_progress(float(fraction or 0.0), f"{label}: {done}")

        callback = self.proxy(progress)
        try:
            await self.llm.llm_load(json.dumps(entry.to_json()), callback)
        except Exception as err:  # the engine's message is the useful part: show it
            if self.model is entry:
                self.state = "failed"
                self.model = None
                message = _js_message(err)
                self.ui.set_progress(1.0, "")
                self.ui.set_engine(f"{entry.label} could not load: {message}.")
                self.ui.set_status(f"{entry.label} could not load: {message}. "
                                   "The instant composer plays meanwhile.", PROBLEM)
            return
        finally:
            _release(callback)
        if self.model is not entry:  # another model was picked while this one loaded
            return
        self.ui.set_progress(1.0, f"{entry.label} is reading the instructions…")
        await self._warm(entry)
        if self.model is not entry:
            return
        self.state = "ready"
        self.ui.set_progress(1.0, f"{entry.label} is ready: it writes music ahead of you.")
        self.ui.set_engine(f"{entry.label} on {catalog.ENGINE_NAMES.get(entry.engine, entry.engine)}" +
                           (f" ({resolved.note})" if resolved.note else ""))
        self.kick()

    async def _warm(self, entry: ModelEntry) -> None:
        """Prefill the stable system prompt once, before any section is asked for."""
        callback = self.proxy(_ignore)
        try:
            await self.llm.llm_generate(warmup_request(engine=entry.engine, thinks=entry.thinks).to_json(),
                                        callback)
        except Exception as err:  # a failed warm-up only costs speed: the first section pays it
            print("model warm-up failed:", _js_message(err))
        finally:
            _release(callback)

    # ---- following the reader -----------------------------------------------------------------

    def set_book(self, sections: Sequence[Section]) -> None:
        self.epoch += 1
        if self.in_flight is not None:
            self.llm.llm_abort()
        self.sections = sections  # the book's own list: sections still arriving show up here
        self.current = 0
        self.kick()

    def reader_at(self, index: int) -> None:
        if index == self.current + 1 and self.state == "ready" and 0 <= index < len(self.sections):
            self.reached += 1
            self.ready_on_arrival += self.sections[index].id in self.pieces
        self.current = index
        if should_cancel(self.in_flight, index, len(self.sections), self.depth):
            self.llm.llm_abort()  # the reader skipped past it: the instant composer covers it
        self.kick()

    def piece_for(self, section_id: str) -> Piece | None:
        return self.pieces.get(section_id)

    def discard(self, section_id: str, errors: list[str]) -> None:
        """The page refused a model piece at play time: never offer it again."""
        if self.pieces.pop(section_id, None) is not None:
            self.failed[section_id] = list(errors)
            index = next((s.index for s in self.sections if s.id == section_id), None)
            if index is not None:
                self.ui.set_section_music(index, "failed")

    def set_depth(self, depth: int) -> None:
        self.depth = max(0, depth)
        if should_cancel(self.in_flight, self.current, len(self.sections), self.depth):
            self.llm.llm_abort()
        self.kick()

    def set_ensemble(self, ensemble: Ensemble | None) -> None:
        """New instruments: pieces written for the old ones no longer fit, so they are rewritten."""
        if ensemble == self.ensemble:
            return
        self.ensemble = ensemble
        self.epoch += 1
        if self.in_flight is not None:
            self.llm.llm_abort()
        for section_id in list(self.pieces):
            index = next((s.index for s in self.sections if s.id == section_id), None)
            if index is not None:
                self.ui.set_section_music(index, "")
        self.pieces.clear()
        self.failed.clear()
        self.kick()

    async def write_endless(self, brief: str, previous: str, steer: dict | None = None) -> str | None:
        """Endless mode's writer (app/session/listen.py): the next piece from the loaded model, under the
        ensemble's sounds and the drift's tempo and mode (`steer`, grammar options), or None when no
        model is ready or the engine is busy with a section."""
        if self.state != "ready" or self.model is None or self.in_flight is not None:
            return None
        sounds = self.ensemble.sounds if self.ensemble else None
        request = build_request(f"endless-{len(self.attempts)}", -1, brief, previous,
                                engine=self.model.engine, thinks=self.model.thinks, sounds=sounds,
                                steer=steer, sheet=False)
        self.writing_endless = True
        self.in_flight = -1
        try:
            result = json.loads(str(await self.llm.llm_generate(request.to_json(), self.proxy(_ignore))))
        finally:
            self.in_flight = None
            self.writing_endless = False
            self.kick()
        checked, _ = self._check(result, request)
        return checked.code if checked.ok else None

    def _check(self, result: dict[str, Any], request: GenerationRequest) -> tuple[Validation, str]:
        """The validator's verdict, after finishing a piece the token cap cut off (under the
        grammar the request was written under)."""
        return check_piece(str(result.get("text") or ""), result.get("finish_reason"), self.ensemble,
                           request.grammar_options)

    def kick(self) -> None:
        if self.writing_endless:
            return
        if self.state == "ready" and not self.pumping and self._next() is not None:
            self.pumping = True
            self.background(self._pump())

    def _next(self) -> int | None:
        settled = {i for i, s in enumerate(self.sections) if s.id in self.pieces or s.id in self.failed}
        if self.in_flight is not None:
            settled.add(self.in_flight)
        return next_job(self.current, len(self.sections), self.depth, settled)

    async def _pump(self) -> None:
        try:
            while self.state == "ready" and not self.writing_endless and (job := self._next()) is not None:
                await self._compose(job)
        finally:
            self.pumping = False

    def _previous_code(self, index: int) -> str:
        if index <= 0:
            return ""
        prev = self.sections[index - 1]
        piece = self.pieces.get(prev.id) or compose(prev.id, prev.text)
        return piece.code

    async def _compose(self, index: int) -> None:
        assert self.model is not None
        section = self.sections[index]
        epoch = self.epoch
        request = build_request(section.id, index, section.text, self._previous_code(index),
                                engine=self.model.engine, thinks=self.model.thinks,
                                sounds=self.ensemble.sounds if self.ensemble else None)
        self.in_flight = index
        self.ui.set_section_music(index, "composing")
        tokens = 0

        def on_token(_text: Any) -> None:
            nonlocal tokens
            tokens += 1
            if tokens % 8 == 1 and self.model is not None:
                written = count(tokens, "token")
                self.ui.set_engine(f"{self.model.label}: writing section {index + 1} ({written})…"
                                   + self._on_time_note())

        callback = self.proxy(on_token)
        try:
            result = json.loads(str(await self.llm.llm_generate(request.to_json(), callback)))
        except Exception as err:
            result = {"text": "", "finish_reason": "error", "error": _js_message(err)}
        finally:
            _release(callback)
            self.in_flight = None
        if epoch != self.epoch:
            return  # the book changed meanwhile
        if result.get("finish_reason") == "abort":
            self.ui.set_section_music(index, "")
            return
        self._accept(index, section, result, request)

    def _accept(
        self, index: int, section: Section, result: dict[str, Any], request: GenerationRequest
    ) -> None:
        assert self.model is not None
        text = str(result.get("text") or "")
        made: Piece | None = None
        if request.kind == "sheet":
            checked, made = self._from_sheet(index, section, text, request)
        else:
            checked, mended = self._check(result, request)
            if mended:
                result = {**result, mended: True}  # "finished" or "salvaged": cut off by the token cap
        errors = list(checked.errors) or ([str(result["error"])] if result.get("error") else [])
        stats = {k: v for k, v in result.items() if k != "text"}
        stats["grammar_options"] = request.grammar_options
        stats["kind"] = request.kind
        self.attempts.append(Attempt(index, section.id, checked.ok, float(result.get("seconds") or 0.0),
                                     text, errors, result.get("finish_reason"), stats, checked.code))
        if checked.program is not None:
            source = f"model {self.model.label}"
            if made is not None:  # the model's sheet, arranged
                self.pieces[section.id] = Piece(checked.program, made.style, made.mood,
                                                f"{source}, arranged", made.why)
            else:
                mood = score_mood(section.text)
                self.pieces[section.id] = Piece(checked.program, "model", mood.label, source, mood.why())
            self.ui.set_section_music(index, "model")
            self.ui.set_engine(f"{self.model.label}: section {index + 1} written in "
                               f"{float(result.get('seconds') or 0):.1f} s" + self._on_time_note())
        else:
            self.failed[section.id] = errors
            self.ui.set_section_music(index, "failed")

    def _from_sheet(
        self, index: int, section: Section, text: str, request: GenerationRequest
    ) -> tuple[Validation, Piece | None]:
        """A score sheet read and arranged; refused when it holds nothing usable."""
        options = request.grammar_options
        sheet = parse_sheet(text, options.get("moods", ()), options.get("leads", ()))
        if sheet is None:
            return refused(["the model wrote no usable score sheet"]), None
        previous = self._previous_code(index) or None
        piece = piece_from_sheet(section.id, sheet, section.text, previous)
        code = voice_for(piece.code, self.ensemble) if self.ensemble else piece.code
        return validate_for(code, self.ensemble), piece

    def _on_time_note(self) -> str:
        if not self.reached:
            return ""
        reached = count(self.reached, "section")
        return f" · its music was ready for {self.ready_on_arrival} of {reached} you reached"

    def report(self) -> str:
        """What the model did so far (JSON), for the page's debug handle, tests and benchmarks."""
        return json.dumps(
            {
                "state": self.state,
                "model": self.model.id if self.model else None,
                "selected": self.selected,
                "engine": catalog.choose_engine(self.caps).engine,
                "attempts": [a.__dict__ for a in self.attempts],
                "on_time": {"reached": self.reached, "ready": self.ready_on_arrival},
            }
        )


def _ignore(*_args: Any) -> None:
    """Token callback for endless pieces: nothing to show per token."""


def _js_message(err: BaseException) -> str:
    text = str(err).strip()
    # Pyodide wraps JS errors as "Error: message": keep the message.
    return text.split("Error: ", 1)[-1] if text.startswith(("Error: ", "JsException")) else text or repr(err)


def _release(callback: Any) -> None:
    destroy = getattr(callback, "destroy", None)
    if callable(destroy):
        destroy()
