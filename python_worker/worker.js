// The app's one Python (Pyodide), in a worker: reading books, sections, mood, composition, prompts
// and validation all run here, so none of it ever holds up a frame of the page.
//
// Messages with the page (python_worker/host.js) are JSON text both ways (app/remote.py), plus:
//   in:  {t: "open", id, name, data: ArrayBuffer, wpm}: a book's bytes (transferred, not copied);
//   out: {t: "failed", message}: Python could not start.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const root = new URL("../", import.meta.url);
const inbox = []; // what the page sent before Python listens
let receive = null;
let openBook = null;

function deliver(data) {
  try {
    if (typeof data === "string") receive(data);
    else if (data?.t === "open") openBook(data.id, data.name, new Uint8Array(data.data), data.wpm);
  } catch (err) {
    // Python turns every error it can catch into a message of its own, so one that reaches here
    // broke Pyodide itself: the page starts a fresh worker.
    postMessage({ t: "crashed", message: String(err?.message || err) });
  }
}

onmessage = (e) => (receive ? deliver(e.data) : inbox.push(e.data));

// main.py calls this once its handlers are in place (before its first await).
self.bookmusicListen = (onText, onBook) => {
  receive = (text) => onText(text);
  openBook = (...args) => onBook(...args);
  for (const data of inbox.splice(0)) deliver(data);
};

async function fetched(name, as) {
  const response = await fetch(new URL(name, root));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response[as]();
}

async function boot() {
  // The runtime, the app's Python (a zip of app/ and prompts/) and main.py load side by side.
  const [pyodide, zip, main] = await Promise.all([
    loadPyodide({ indexURL: new URL("vendor/pyodide/", root).href }),
    fetched("bookmusic_py.zip", "arrayBuffer"),
    fetched("main.py", "text"),
  ]);
  pyodide.unpackArchive(zip, "zip", { extractDir: "/home/pyodide/bookmusic" });
  pyodide.runPython('import sys; sys.path.insert(0, "/home/pyodide/bookmusic")');
  await pyodide.runPythonAsync(main, { filename: "main.py" });
}

boot().catch((err) => postMessage({ t: "failed", message: String(err?.message || err) }));
