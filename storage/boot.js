// Starts PyScript once browser storage is known to work. PyScript itself keeps a small cache in
// IndexedDB and will not start when the browser refuses it (site data blocked, some private
// modes). Then an in-memory IndexedDB (npm fake-indexeddb) stands in: the app runs for this
// visit, and the reader is told that nothing will be kept.
import { reportRefused } from "./book_store.js";

const PROBE = "bookmusic-probe";

async function indexedDBWorks() {
  try {
    const request = indexedDB.open(PROBE);
    const ok = await new Promise((resolve) => {
      request.onsuccess = () => {
        request.result.close();
        resolve(true);
      };
      request.onerror = () => resolve(false);
      request.onblocked = () => resolve(true);
      setTimeout(() => resolve(false), 5000);
    });
    if (ok) indexedDB.deleteDatabase(PROBE);
    return ok;
  } catch {
    return false;
  }
}

if (!(await indexedDBWorks())) {
  await import("../vendor/fake-indexeddb/auto.js");
  reportRefused("IndexedDB is not available");
}
await import("../vendor/pyscript/core.js");
