// The page's side of the app's Python: starts it in its worker (./worker.js) and carries the
// messages of app/remote.py. Python's port calls go to the page's modules (./ports.js) and their
// results go back; a Python function handed to the page becomes a JS function that sends a
// "callback" message; the page asks Python for named functions with request().
//
// A worker that dies after it started (out of memory in a hostile book) is replaced: the new
// Python reopens the last book where the reader was, as after a reload.
import { status } from "../ui/bus.js";
import { PORTS } from "./ports.js";

const WORKER_URL = new URL("./worker.js", import.meta.url);
const MAX_RESTARTS = 3; // per page: a Python that keeps dying is reported, not rebooted in a loop

const state = { worker: null, started: false, restarts: 0, calls: 0, modules: null };
let portsReady = null; // resolves once the page's port modules are loaded
const requests = new Map(); // id -> {resolve, reject}
let nextRequest = 1;

function send(message) {
  state.worker?.postMessage(JSON.stringify(message));
}

/** A value as JSON can carry it (a JS object with functions or cycles loses them, as it must). */
function plain(value) {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}

function incoming(arg) {
  if (arg && typeof arg === "object" && "$callback" in arg) {
    const id = arg.$callback;
    return (...args) => send({ t: "callback", id, args: args.map(plain) });
  }
  return arg;
}

async function onCall({ id, port, method, args }) {
  state.calls += 1;
  const reply = { t: "reply", id, ok: true, value: null };
  try {
    await portsReady; // loaded long before Python's first call: its boot takes seconds
    const fn = state.modules[port]?.[method];
    if (typeof fn !== "function") throw new Error(`the page has no ${port}.${method}`);
    reply.value = plain(await fn(...args.map(incoming)));
  } catch (err) {
    console.error(`Python called ${port}.${method}:`, err);
    Object.assign(reply, { ok: false, value: null, error: String(err?.message || err) });
  }
  send(reply);
}

function onResult({ id, ok = true, value, error }) {
  const pending = requests.get(id);
  if (!pending) return;
  requests.delete(id);
  if (ok) pending.resolve(value);
  else pending.reject(new Error(error));
}

function onMessage(e) {
  if (typeof e.data !== "string") {
    if (e.data?.t === "failed") failed(e.data.message);
    if (e.data?.t === "crashed") restart(e.target, e.data.message);
    return;
  }
  const message = JSON.parse(e.data);
  state.started = true;
  if (message.t === "call") onCall(message);
  else if (message.t === "result") onResult(message);
}

function failed(reason) {
  status(`The app's Python could not start (${reason}). Reload the page to try again.`, "problem");
}

function start() {
  const worker = new Worker(WORKER_URL, { type: "module", name: "bookmusic-python" });
  state.worker = worker;
  state.started = false;
  worker.addEventListener("message", onMessage);
  worker.addEventListener("error", (e) => {
    e.preventDefault?.();
    restart(worker, e.message);
  });
}

/** Python broke (a hostile book ran it out of memory or stack): a fresh one reopens the last
 * book where the reader was. One that never started is reported, not rebooted in a loop. */
function restart(worker, reason) {
  if (state.worker !== worker) return;
  for (const pending of requests.values()) pending.reject(new Error("Python stopped"));
  requests.clear();
  if (!state.started || state.restarts >= MAX_RESTARTS) {
    failed(reason || "its worker stopped");
    return;
  }
  worker.terminate();
  state.restarts += 1;
  status("Reading that file stopped the app's Python; it is starting again…", "problem");
  start();
}

/**
 * Start Python at once (Pyodide's boot is the long pole of the page's start) and load the page's
 * port modules meanwhile, after `storage` settles (the store port must see the IndexedDB that
 * storage/boot.js chose). Python's calls wait for the ports. Resolves once they are loaded.
 */
export function startPython({ storage = Promise.resolve() } = {}) {
  start();
  const names = Object.keys(PORTS);
  portsReady = (async () => {
    await storage;
    const loaded = await Promise.all(names.map((name) => import(new URL(PORTS[name], import.meta.url))));
    state.modules = Object.fromEntries(names.map((name, i) => [name, loaded[i]]));
  })();
  return portsReady;
}

/** Ask Python for one of the functions main.py exposes; resolves with its (JSON) result. */
export function request(name, ...args) {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    requests.set(id, { resolve, reject });
    send({ t: "request", id, name, args: args.map(plain) });
  });
}

/** Hand Python a book's bytes (an ArrayBuffer, transferred); a newer id replaces an older book. */
export function openBook(id, name, bytes, wpm) {
  state.worker?.postMessage({ t: "open", id, name, data: bytes, wpm }, [bytes]);
}

// For tests, benchmarks and devtools.
window.bookmusic = Object.assign(window.bookmusic || {}, {
  python: { state, request },
  segmentText: (text) => request("segment_text", text),
  composerReport: () => request("composer_report"),
});
