"""PyScript entry point: wires the Python reading session to the page's JS modules.

Kept thin on purpose: all logic lives in `app/` (testable in CPython); this file only adapts
JS calls and events to the session's ports.
"""

from pyodide.ffi import create_proxy
from pyscript import window
from pyscript.js_modules import bridge, modes, sound, store, ui

from app.llm.service import ComposerService
from app.session import library, memory, score
from app.session.listen import Listen, ListeningPlayer
from app.session.reading import ReadingSession, segment_text

# The language model writing ahead of the reader (app/llm/service.py).
composer = ComposerService(llm=bridge, ui=ui, proxy=create_proxy)
# The reader's player, followed by the MIDI output (app/session/listen.py).
player = ListeningPlayer(sound, modes)
session = ReadingSession(ui=ui, player=player, composer=composer, store=store)
# Endless mode asks the loaded model for each next piece (the drift covers when none is ready).
listen = Listen(session, player, modes, writer=composer.write_endless)


def on_event(name, handler):
    ui.on(name, create_proxy(handler))


on_event("play", lambda *_: session.play())
on_event("pause", lambda *_: session.pause())
on_event("section", lambda index, *_: session.reader_at(int(index)))
# Books parsed by the worker (ui/ingest.js) arrive as a stream of JSON events.
on_event("book-event", lambda event, *_: session.receive_book_event(str(event)))
on_event("wpm", lambda wpm, *_: session.set_wpm(int(wpm)))
on_event("intensity", lambda name, *_: session.set_intensity(str(name)))
on_event("edit-code", lambda index, code, *_: session.edit_code(int(index), str(code)))
on_event("prefetch", lambda depth, *_: session.set_prefetch(int(depth)))
on_event("revert-code", lambda index, *_: session.revert_edit(int(index)))
on_event("export-score", lambda *_: score.export_score(session))
on_event("import-score", lambda text, *_: score.import_score(session, str(text)))
on_event("forget-book", lambda *_: memory.forget_book(session))
on_event("clear-all", lambda *_: memory.clear_everything(session))
on_event("open-kept", lambda key, *_: library.open_kept(session, str(key)))

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
await memory.resume(session)  # noqa: F704  (the last book where the reader left it, or the sample)
listen.start()
ui.set_ready()
# Probe WebGPU/wasm and fill the model picker without holding up the page.
composer.background(composer.start())
