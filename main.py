"""The Python worker's entry point: wires the reading session to the page's JS modules.

It runs in python_worker/worker.js (Pyodide in a worker), never on the page's main thread. Kept
thin on purpose: all logic lives in `app/` (testable in CPython); this file only hands the
session its ports (app/remote.py: the page's modules, reached by message) and subscribes it to
page events.
"""

import js
import pyodide_js
from pyodide.ffi import create_proxy

from app.ingest.warmup import warm_up
from app.llm.service import ComposerService
from app.remote import Seam
from app.session import library, memory, score
from app.session.listen import Listen, ListeningPlayer
from app.session.opening import BookOpener
from app.session.reading import ReadingSession, segment_text

seam = Seam(post=js.postMessage)
# The page's modules, by the names python_worker/ports.js gives them.
bridge, modes, sound, store, ui = (seam.port(name) for name in ("bridge", "modes", "sound", "store", "ui"))

# The language model writing ahead of the reader (app/llm/service.py).
composer = ComposerService(llm=bridge, ui=ui, proxy=seam.proxy)
# The reader's player, followed by the MIDI output (app/session/listen.py).
player = ListeningPlayer(sound, modes)
session = ReadingSession(ui=ui, player=player, composer=composer, store=store)
# Endless mode asks the loaded model for each next piece (the drift covers when none is ready).
listen = Listen(session, player, modes, writer=composer.write_endless)


async def load_pdf_reader():
    # pypdf's wheel is loaded on first use (Pyodide remembers it): most visits open no PDF.
    await pyodide_js.loadPackage("pypdf", messageCallback=lambda *_: None)


opener = BookOpener(receive=session.receive_book_event, ready_reader=load_pdf_reader)


def on_event(name, handler):
    ui.on(name, seam.proxy(handler))


on_event("play", lambda *_: session.play())
on_event("pause", lambda *_: session.pause())
on_event("section", lambda index, *_: session.reader_at(int(index)))
# Errors the page meets before a book reaches Python (the file could not be read from disk).
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
    seam.proxy(lambda model_id, load_now=False, *_: composer.choose(str(model_id), bool(load_now)))
)


# The Listen panel: ensemble, endless mode, MIDI export.
def on_mode(name, handler):
    modes.on(name, seam.proxy(handler))


on_mode("ensemble", lambda choice, *_: listen.choose_ensemble(str(choice)))
on_mode("endless-start", lambda phrase, seconds=None, *_: listen.start_endless(str(phrase), seconds))
on_mode("endless-stop", lambda *_: listen.stop_endless())
on_mode("endless-every", lambda seconds, *_: listen.set_period(float(seconds)))
on_mode("export-midi", lambda *_: listen.export_midi())


async def warm_reader():
    """Ready the PDF reader before the reader drops a book (the page asks when one is near)."""
    await load_pdf_reader()
    warm_up()
    return True


# Reachable from the page (and from tests): text in, sections out; what the model did so far
# (JSON); the PDF reader warmed ahead of a drop.
seam.expose("segment_text", segment_text)
seam.expose("composer_report", composer.report)
seam.expose("warm_reader", warm_reader)

# From here the worker hands over the page's messages (queued until now) and the books' bytes.
js.bookmusicListen(
    create_proxy(seam.receive),
    # The bytes are copied out at once: the JS array is the caller's only during the call.
    create_proxy(lambda book_id, name, data, wpm: seam.spawn(
        opener.open(int(book_id), str(name), data.to_bytes(), int(wpm)))),
)

# The worker runs this file with top-level await allowed.
await memory.resume(session)  # noqa: F704  (the last book where the reader left it, or the sample)
listen.start()
ui.set_ready()
# Probe WebGPU/wasm and fill the model picker without holding up the page.
composer.background(composer.start())
