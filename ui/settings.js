// The reader's settings, one store: IndexedDB (storage/book_store.js, in memory when the browser
// refuses storage), read once when the page starts so any module can read a setting at once
// (the model picker answers Python synchronously). Writes go to the cache and the store.
import { allSettings, setSetting } from "../storage/book_store.js";

const cache = new Map();
const LOAD_TIMEOUT_MS = 3000; // a store that never answers must not hold the page up

// Settings that older versions kept in localStorage: moved over once, then removed there.
const MOVED = { "bookmusic.model": "model", "bookmusic.wpm": "wpm" };

async function load() {
  const kept = await Promise.race([
    allSettings(),
    new Promise((resolve) => setTimeout(() => resolve({}), LOAD_TIMEOUT_MS)),
  ]);
  for (const [name, value] of Object.entries(kept)) cache.set(name, value);
  try {
    for (const [old, name] of Object.entries(MOVED)) {
      const value = globalThis.localStorage?.getItem(old);
      if (value == null) continue;
      if (!cache.has(name)) keep(name, value);
      localStorage.removeItem(old);
    }
  } catch {
    // localStorage refused too: nothing to move.
  }
}

/** A setting's value, or `fallback` when it was never kept. */
export function setting(name, fallback = undefined) {
  return cache.has(name) ? cache.get(name) : fallback;
}

/** Keep a setting (now in memory, soon in the store); resolves once the store has it. */
export function keep(name, value) {
  cache.set(name, value);
  return setSetting(name, value);
}

// "Clear everything" empties the store: forget the cached copies too.
globalThis.addEventListener?.("bookmusic:settings-cleared", () => cache.clear());

await load();
