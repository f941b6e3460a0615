// The page's event bus and shared state. Python subscribes to the page's events through
// ui.on / modes.on (both land here); the page's modules emit them. One status line writer.
//
// Events (name: arguments) are listed in ui/index.js and ui/modes.js where they are emitted.

const listeners = new Map();

/** What the page knows and every module may read: the open book, where the reader is... */
export const state = { book: null, current: 0, playing: false, ready: false, piece: null };

/** Subscribe `fn` to the page event `name`; returns a function that unsubscribes. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
  return () => {
    const list = listeners.get(name) || [];
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };
}

/** Tell every subscriber of `name`; a failing one is reported on the status line, not thrown. */
export function emit(name, ...args) {
  for (const fn of [...(listeners.get(name) || [])]) {
    let result;
    try {
      result = fn(...args);
    } catch (err) {
      failed(err);
      continue;
    }
    Promise.resolve(result).catch(failed);
  }
}

function failed(err) {
  status(`Something went wrong: ${err?.message || err}`, "problem");
}

let statusWriter = (text) => {
  const line = globalThis.document?.getElementById("status");
  if (line) line.textContent = text;
};

/** Write the one message line under the toolbar; `kind` is "notice" (clears itself) or
 * "problem" (stays until dismissed): the sender knows which. */
export function status(text, kind) {
  statusWriter(String(text), kind);
}

/** For tests: where status() writes (returns the previous writer). */
export function setStatusWriter(fn) {
  const previous = statusWriter;
  statusWriter = fn;
  return previous;
}
