"""PyScript entry point: wires the Python controller to the page's JS modules.

Kept thin on purpose: all logic lives in `app/` (testable in CPython); this file only adapts
JS calls and events to the controller's ports.
"""

from pyodide.ffi import create_proxy
from pyscript import window
from pyscript.js_modules import bridge, modes, sound, store, ui

from app.llm.service import ComposerService
from app.session.listen import Listen, ListeningPlayer
from app.session.reading import Controller, segment_text

# The language model writing ahead of the reader (app/llm/service.py).
composer = ComposerService(llm=bridge, ui=ui, proxy=create_proxy)
# The reader's player goes through the ensemble and the MIDI output (app/session/listen.py).
player = ListeningPlayer(sound, modes)
controller = Controller(ui=ui, player=player, composer=composer, store=store)
# Endless mode asks the loaded model for each next piece (the drift covers when none is ready).
listen = Listen(controller, player, modes, writer=composer.write_endless)


def on_event(name, handler):
    ui.on(name, create_proxy(handler))


on_event("play", lambda *_: controller.play())
on_event("pause", lambda *_: controller.pause())
on_event("section", lambda index, *_: controller.reader_at(int(index)))
on_event("open-sample", lambda *_: controller.open_sample())


async def open_text(title, text, md, *_):
    controller.open_text(str(title), str(text), bool(md))
    await controller.restore_saved()  # the same text again: its place, music and edits come back


on_event("open-text", open_text)
# Books parsed by the worker (ui/ingest.js) arrive as a stream of JSON events.
on_event("book-event", lambda event, *_: controller.receive_book_event(str(event)))
on_event("wpm", lambda wpm, *_: controller.set_wpm(int(wpm)))
on_event("edit-code", lambda index, code, *_: controller.edit_code(int(index), str(code)))
on_event("prefetch", lambda depth, *_: controller.set_prefetch(int(depth)))
on_event("revert-code", lambda index, *_: controller.revert_edit(int(index)))
on_event("export-score", lambda *_: controller.export_score())
on_event("import-score", lambda text, *_: controller.import_score(str(text)))
on_event("forget-book", lambda *_: controller.forget_book())
on_event("clear-all", lambda *_: controller.clear_everything())

ui.on_model_change(
    create_proxy(lambda model_id, load_now=False, *_: composer.choose(str(model_id), bool(load_now)))
)


# The Listen panel: ensemble, endless mode, MIDI export.
def on_mode(name, handler):
    modes.on(name, create_proxy(handler))


on_mode("ensemble", lambda choice, *_: listen.choose_ensemble(str(choice)))
on_mode("endless-start", lambda phrase, seconds=None, *_: listen.start_endless(str(phrase), seconds))
on_mode("endless-stop", lambda *_: listen.stop_endless())
on_mode("endless-every", lambda seconds, *_: listen.set_period(float(seconds)))
on_mode("export-midi", lambda *_: listen.export_midi())

# Reachable from the page (and from tests): text in, sections out.
window.bookmusic.segmentText = create_proxy(segment_text)
# What the language model did so far (JSON), for tests, benchmarks and the console.
window.bookmusic.composerReport = create_proxy(composer.report)

# PyScript runs this file with top-level await allowed.
await controller.resume()  # noqa: F704  (the last book where the reader left it, or the sample)
listen.start()
ui.set_ready()
# Probe WebGPU/wasm and fill the model picker without holding up the page.
composer.background(composer.start())
