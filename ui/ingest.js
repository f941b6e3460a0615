// Files into the parse worker, its events out to Python ("book-event"). Nothing leaves the
// browser: the file's bytes go from the picker, a drop or a paste straight to the worker.
import { facts } from "../sound/facts.js";

const WORKER_URL = new URL("./ingest_worker.js", import.meta.url);

const state = { worker: null, ready: null, current: 0, emit: null, status: null, wpm: facts.default_wpm };

export function initIngest({ emit, status }) {
  state.emit = emit;
  state.status = status;
  // For tests and devtools: workerReady() boots the worker if needed and says if it started.
  window.bookmusic.ingest = { state, workerReady: () => bootWorker().then(() => true, () => false) };
}

export function setWpm(wpm) {
  state.wpm = Number(wpm) || state.wpm;
}

/** Start the worker's Python now (after the page is ready) so a drop is parsed at once. */
export function bootWorker() {
  if (state.worker) return state.ready;
  const worker = new Worker(WORKER_URL, { type: "module", name: "bookmusic-ingest" });
  state.worker = worker;
  state.ready = new Promise((resolve, reject) => {
    worker.addEventListener("message", function first(e) {
      if (e.data.type === "ready") {
        worker.started = true;
        resolve(worker);
      }
      if (e.data.type === "failed") reject(new Error(e.data.message));
      if (e.data.type === "ready" || e.data.type === "failed") worker.removeEventListener("message", first);
    });
    worker.addEventListener("error", (e) => reject(new Error(e.message || "the parse worker failed to start")));
  });
  state.ready.catch(() => {}); // reported when a book is opened
  worker.addEventListener("message", (e) => {
    // Events of an abandoned book (an older id) are dropped.
    if (e.data.type === "event" && e.data.id === state.current) state.emit("book-event", e.data.json);
    if (e.data.type === "crashed") replaceWorker(worker);
  });
  // A worker that dies after it started (out of memory) is replaced too. One that never started
  // is not rebooted in a loop: the next file tries again and reports why it cannot.
  worker.addEventListener("error", () => worker.started && replaceWorker(worker));
  return state.ready;
}

/** Drop a broken worker: the next file boots a fresh one, so one bad file never stops the next. */
function replaceWorker(worker) {
  worker.terminate();
  if (state.worker !== worker) return;
  state.worker = null;
  state.busy = false;
  state.restarts = (state.restarts || 0) + 1;
  bootWorker(); // warm again right away, as at start
}

function errorEvent(message) {
  return JSON.stringify({ type: "error", kind: "internal", message });
}

/** Parse `bytes` (ArrayBuffer) named `name` in the worker. A book still being read is dropped. */
export async function openBytes(name, bytes) {
  if (state.busy) {
    // The worker is inside Python for the old book: replace it rather than wait.
    state.worker?.terminate();
    state.worker = null;
  }
  const id = ++state.current;
  state.busy = true;
  if (!state.worker) bootWorker();
  state.status?.(`Opening “${name}”…`, "notice");
  let worker;
  try {
    worker = await state.ready;
  } catch (err) {
    state.busy = false;
    state.worker = null; // try a fresh worker next time
    state.emit("book-event", errorEvent(`The background reader could not start (${err.message}).`));
    return;
  }
  if (id !== state.current) return;
  const done = (e) => {
    if (e.data.type !== "event" || e.data.id !== id) return;
    const kind = JSON.parse(e.data.json).type;
    if (kind === "done" || kind === "error") {
      state.busy = false;
      worker.removeEventListener("message", done);
    }
  };
  worker.addEventListener("message", done);
  worker.postMessage({ type: "open", id, name, data: bytes, wpm: state.wpm }, [bytes]);
}

export async function openFile(file) {
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (err) {
    state.emit("book-event", errorEvent(`“${file.name}” could not be read from disk (${err.message}).`));
    return;
  }
  await openBytes(file.name, bytes);
}

export function openText(name, text) {
  return openBytes(name, new TextEncoder().encode(text).buffer);
}
