// The parse worker: its own Pyodide runs app/ingest off the main thread, so a 500-page book
// never freezes the page. It posts the events of app.ingest.stream one by one as JSON.
//
// In:  {type: "open", id, name, data: ArrayBuffer, wpm}
// Out: {type: "ready"} once Python, pypdf and app/ are loaded; {type: "event", id, json};
//      {type: "failed", message} if the worker itself could not start.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const root = new URL("../", import.meta.url);

async function boot() {
  const pyodide = await loadPyodide({ indexURL: new URL("vendor/pyodide/", root).href });
  await pyodide.loadPackage("pypdf", { messageCallback: () => {} });
  const zip = await fetch(new URL("bookmusic_py.zip", root));
  if (!zip.ok) throw new Error(`bookmusic_py.zip: HTTP ${zip.status}`);
  pyodide.unpackArchive(await zip.arrayBuffer(), "zip", { extractDir: "/home/pyodide/bookmusic" });
  // Import everything now so the first page of a dropped book is parsed at once.
  pyodide.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/bookmusic")
import pypdf  # noqa: F401
import app.ingest.epub, app.ingest.layout, app.ingest.pdf  # noqa: F401, E401
from app.ingest.stream import book_events_json
from app.ingest.warmup import warm_up
warm_up()
`);
  return pyodide.globals.get("book_events_json");
}

const ready = boot();
ready.then(
  () => postMessage({ type: "ready" }),
  (err) => postMessage({ type: "failed", message: String(err?.message || err) }),
);

let queue = Promise.resolve();
onmessage = (e) => {
  const { type, id, name, data, wpm } = e.data;
  if (type !== "open") return;
  // One book at a time, in order; the page terminates this worker to abandon a book.
  queue = queue.then(async () => {
    const bookEvents = await ready;
    const events = bookEvents(new Uint8Array(data), name, wpm);
    try {
      for (const json of events) postMessage({ type: "event", id, json });
    } finally {
      events.destroy?.();
    }
  }).catch((err) => {
    // Python turns every error it can catch into an "error" event, so one that reaches here broke
    // Pyodide itself (a stack overflow, memory): say so, and ask the page for a fresh worker.
    const message = `“${name}” could not be read: ${err?.message || err}`;
    postMessage({ type: "event", id, json: JSON.stringify({ type: "error", kind: "internal", message }) });
    postMessage({ type: "crashed" });
  });
};
