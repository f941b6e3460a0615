// Starts the app's Python (python_worker/) once browser storage is known to work. When the browser
// refuses IndexedDB (site data blocked, some private modes), an in-memory one (npm fake-indexeddb)
// stands in: the app runs for this visit, and the reader is told that nothing will be kept.
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
const { startPython } = await import("../python_worker/host.js");
await startPython();
