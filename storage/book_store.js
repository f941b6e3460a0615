// The browser's memory of BookMusic, in IndexedDB: books by content hash (the text stays in this
// browser), each book's reading position, composed code and the reader's edits, and settings.
//
// Python's controller calls the snake_case exports (its "store" port, see app/session/reading.py).
// Values cross as JSON strings. Reads answer `undefined` when nothing is kept (Pyodide turns
// undefined into None). When the browser refuses storage (private mode) or it is full, the store
// says so once in the page and keeps working in memory for this session.

const DB_NAME = "bookmusic";
const DB_VERSION = 1;
const LAST_BOOK = "last-book";

let dbPromise = null;
let memory = null; // Map-backed stand-in when IndexedDB is refused
let reported = false;

/** Tell the reader once that their things will not be kept; the page shows it (ui/keeping.js). */
function problem(message) {
  if (reported) return;
  reported = true;
  window.bookmusic = Object.assign(window.bookmusic || {}, { storageProblem: message });
  window.dispatchEvent(new CustomEvent("bookmusic:storage-problem", { detail: message }));
}

/** Storage refused: say so; what is "kept" lives in memory for this visit only. */
export function reportRefused(reason) {
  problem(
    `This browser refused to keep data (${reason}). BookMusic works for this visit, ` +
      "but your place, music and edits will be gone when you close the page.",
  );
}

function useMemory(reason) {
  memory ??= { books: new Map(), state: new Map(), settings: new Map() };
  reportRefused(reason);
  return null;
}

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      let request;
      try {
        request = indexedDB.open(DB_NAME, DB_VERSION);
      } catch (err) {
        resolve(useMemory(err?.name || String(err)));
        return;
      }
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("books", { keyPath: "key" });
        db.createObjectStore("state", { keyPath: "key" });
        db.createObjectStore("settings");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(useMemory(request.error?.name || "storage unavailable"));
      request.onblocked = () => resolve(useMemory("another tab holds an older version open"));
    });
  }
  return dbPromise;
}

/** Run `work(stores)` in one transaction; resolves with its result once committed. */
async function tx(names, mode, work) {
  const db = await open();
  if (!db) return work(memoryStores(names));
  return new Promise((resolve, reject) => {
    let result;
    let t;
    try {
      t = db.transaction(names, mode);
    } catch (err) {
      reject(err);
      return;
    }
    const stores = Object.fromEntries(names.map((n) => [n, wrap(t.objectStore(n))]));
    Promise.resolve(work(stores)).then((r) => (result = r), (err) => { t.abort(); reject(err); });
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error("storage transaction aborted"));
  });
}

const req = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

function wrap(store) {
  return {
    get: (key) => req(store.get(key)),
    put: (value, key) => req(key === undefined ? store.put(value) : store.put(value, key)),
    delete: (key) => req(store.delete(key)),
    clear: () => req(store.clear()),
    getAll: () => req(store.getAll()),
    getAllKeys: () => req(store.getAllKeys()),
  };
}

function memoryStores(names) {
  const keyOf = (name, value, key) => (key !== undefined ? key : value.key);
  return Object.fromEntries(names.map((name) => {
    const map = memory[name];
    return [name, {
      get: async (key) => structuredClone(map.get(key)),
      put: async (value, key) => void map.set(keyOf(name, value, key), structuredClone(value)),
      delete: async (key) => void map.delete(key),
      clear: async () => map.clear(),
      getAll: async () => [...map.values()].map((v) => structuredClone(v)),
      getAllKeys: async () => [...map.keys()],
    }];
  }));
}

/** Writes never throw into Python: a full disk becomes a message, the session goes on. */
function write(promise) {
  return promise.catch((err) => {
    if (err?.name === "QuotaExceededError") {
      problem("Browser storage is full: new music and edits are not being kept. " +
        "Remove cached models or forget old books in “Offline & storage”.");
    } else {
      problem(`Could not keep data in this browser (${err?.name || err}).`);
    }
  });
}

async function updateState(key, change) {
  return tx(["state"], "readwrite", async ({ state }) => {
    const record = (await state.get(key)) || { key, paragraph: 0, pieces: {}, edits: {} };
    change(record);
    record.updatedAt = Date.now();
    await state.put(record);
  });
}

// ---- The store port (called from Python) -------------------------------------------------

export function remember_book(key, bookJson) {
  const book = JSON.parse(bookJson);
  return write(tx(["books", "settings"], "readwrite", async ({ books, settings }) => {
    const old = await books.get(key);
    await books.put({ key, title: book.title, source: book.source, book: bookJson,
      paragraphs: book.paragraphs.length, // the library's "how far read", without parsing the book
      firstOpened: old?.firstOpened || Date.now(), lastOpened: Date.now() });
    await settings.put(key, LAST_BOOK);
  }));
}

export async function last_book() {
  try {
    return await tx(["books", "settings"], "readonly", async ({ books, settings }) => {
      const key = await settings.get(LAST_BOOK);
      const record = key && (await books.get(key));
      return record ? `{"key":${JSON.stringify(key)},"book":${record.book}}` : undefined;
    });
  } catch {
    return undefined;
  }
}

/** A kept book's JSON, for the library (Python opens it); undefined when it is not kept. */
export async function kept_book(key) {
  try {
    const record = await tx(["books"], "readonly", ({ books }) => books.get(key));
    return record?.book;
  } catch {
    return undefined;
  }
}

export async function load_book(key) {
  try {
    const record = await tx(["state"], "readonly", ({ state }) => state.get(key));
    return record ? JSON.stringify(record) : undefined;
  } catch {
    return undefined;
  }
}

export function save_position(key, paragraph) {
  return write(updateState(key, (r) => { r.paragraph = Number(paragraph); }));
}

export function save_piece(key, sectionId, pieceJson) {
  return write(updateState(key, (r) => { r.pieces[sectionId] = JSON.parse(pieceJson); }));
}

export function save_edit(key, sectionId, code) {
  return write(updateState(key, (r) => {
    if (code == null) delete r.edits[sectionId];
    else r.edits[sectionId] = String(code);
  }));
}

export function forget_book(key) {
  return write(tx(["books", "state", "settings"], "readwrite", async ({ books, state, settings }) => {
    await books.delete(key);
    await state.delete(key);
    if ((await settings.get(LAST_BOOK)) === key) await settings.delete(LAST_BOOK);
  }));
}

export function clear_all() {
  return write(tx(["books", "state", "settings"], "readwrite", async (s) => {
    await Promise.all([s.books.clear(), s.state.clear(), s.settings.clear()]);
  }).then(() => window.dispatchEvent(new CustomEvent("bookmusic:settings-cleared"))));
}

// ---- Settings, for the page's own modules (ui/settings.js keeps them in memory too) ------

const SETTING_PREFIX = "setting:";

/** Every setting kept, as {name: value}; {} when storage cannot be read. */
export async function allSettings() {
  try {
    const [keys, values] = await tx(["settings"], "readonly", ({ settings }) =>
      Promise.all([settings.getAllKeys(), settings.getAll()]));
    const found = {};
    keys.forEach((key, i) => {
      if (typeof key === "string" && key.startsWith(SETTING_PREFIX)) found[key.slice(SETTING_PREFIX.length)] = values[i];
    });
    return found;
  } catch {
    return {};
  }
}

export async function getSetting(name, fallback = undefined) {
  try {
    const value = await tx(["settings"], "readonly", ({ settings }) => settings.get(SETTING_PREFIX + name));
    return value === undefined ? fallback : value;
  } catch {
    return fallback;
  }
}

export function setSetting(name, value) {
  return write(tx(["settings"], "readwrite", ({ settings }) => settings.put(value, SETTING_PREFIX + name)));
}

/** Books kept in this browser, newest first (for the storage panel and the library): `open` marks
 * the one on the page, `lastRead` is when it was last opened or read in. */
export async function listBooks() {
  try {
    const [books, states, last] = await tx(["books", "state", "settings"], "readonly", ({ books, state, settings }) =>
      Promise.all([books.getAll(), state.getAll(), settings.get(LAST_BOOK)]));
    const byKey = new Map(states.map((s) => [s.key, s]));
    return books
      .map((b) => ({ key: b.key, title: b.title, source: b.source, bytes: b.book.length,
        lastOpened: b.lastOpened, paragraph: byKey.get(b.key)?.paragraph || 0,
        paragraphs: b.paragraphs ?? paragraphCount(b.book), open: b.key === last,
        lastRead: Math.max(b.lastOpened || 0, byKey.get(b.key)?.updatedAt || 0),
        edits: Object.keys(byKey.get(b.key)?.edits || {}).length }))
      .sort((a, b) => b.lastOpened - a.lastOpened);
  } catch {
    return [];
  }
}

// Books kept before records counted their paragraphs.
function paragraphCount(bookJson) {
  try {
    return JSON.parse(bookJson).paragraphs.length;
  } catch {
    return 0;
  }
}

export function isPersistent() {
  return open().then((db) => db !== null);
}
