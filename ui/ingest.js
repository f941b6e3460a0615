// Files into the app's Python, which reads them in its worker (python_worker/) and shows the book
// as it arrives. Nothing leaves the browser: the file's bytes go from the picker, a drop or a
// paste straight to the worker (transferred, not copied).
import { facts } from "../sound/facts.js";
import { openBook, request } from "../python_worker/host.js";

const state = { current: 0, emit: null, status: null, wpm: facts.default_wpm, warm: null };

export function initIngest({ emit, status }) {
  state.emit = emit;
  state.status = status;
  // For tests and devtools: readerReady() readies the PDF reader if needed and says if it could.
  window.bookmusic.ingest = { state, readerReady: () => warmReader().then(() => true, () => false) };
}

export function setWpm(wpm) {
  state.wpm = Number(wpm) || state.wpm;
}

/** Ready the PDF reader (pypdf's wheel, its first-use setup) before the reader drops a book. */
export function warmReader() {
  if (!state.warm) {
    state.warm = request("warm_reader");
    state.warm.catch(() => (state.warm = null)); // a restarted Python warms again
  }
  return state.warm;
}

function errorEvent(message) {
  return JSON.stringify({ type: "error", kind: "internal", message });
}

/** Read `bytes` (ArrayBuffer) named `name`; a book still being read is dropped for this one. */
export function openBytes(name, bytes) {
  const id = ++state.current;
  state.status?.(`Opening “${name}”…`, "notice");
  openBook(id, name, bytes, state.wpm);
}

export async function openFile(file) {
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (err) {
    state.emit("book-event", errorEvent(`“${file.name}” could not be read from disk (${err.message}).`));
    return;
  }
  openBytes(file.name, bytes);
}

export function openText(name, text) {
  return openBytes(name, new TextEncoder().encode(text).buffer);
}
