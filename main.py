"""PyScript entry point: wires the Python controller to the page's JS modules.

Kept thin on purpose: all logic lives in `app/` (testable in CPython); this file only adapts
JS calls and events to the controller's ports.
"""

from pyodide.ffi import create_proxy
from pyscript import window
from pyscript.js_modules import bridge, ui

from app.composer_service import ComposerService
from app.controller import Controller, segment_text

composer = ComposerService(llm=bridge, ui=ui, proxy=create_proxy)
controller = Controller(ui=ui, player=bridge, composer=composer)


def on_event(name, handler):
    ui.on(name, create_proxy(handler))


on_event("play", lambda *_: controller.play())
on_event("pause", lambda *_: controller.pause())
on_event("section", lambda index, *_: controller.reader_at(int(index)))
on_event("open-sample", lambda *_: controller.open_sample())
on_event("open-text", lambda title, text, md, *_: controller.open_text(str(title), str(text), bool(md)))
# Books parsed by the worker (ui/ingest.js) arrive as a stream of JSON events.
on_event("book-event", lambda event, *_: controller.book_event(str(event)))
on_event("wpm", lambda wpm, *_: controller.set_wpm(int(wpm)))
on_event("edit-code", lambda index, code, *_: controller.edit_code(int(index), str(code)))
on_event("prefetch", lambda depth, *_: controller.set_prefetch(int(depth)))

ui.on_model_change(
    create_proxy(lambda model_id, load_now=False, *_: composer.choose(str(model_id), bool(load_now)))
)

# Reachable from the page (and from tests): text in, sections out.
window.bookmusic.segmentText = create_proxy(segment_text)
# What the language model did so far (JSON), for tests, benchmarks and the console.
window.bookmusic.composerReport = create_proxy(composer.report)

controller.open_sample()
ui.set_ready()
# Probe WebGPU/wasm and fill the model picker without holding up the page.
composer.background(composer.start())
