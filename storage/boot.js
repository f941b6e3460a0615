// Starts the app's Python (python_worker/) first thing, and meanwhile checks that browser storage
// works: Python's calls reach the page's modules only once that is known. When the browser
// refuses IndexedDB (site data blocked, some private modes), an in-memory one (npm fake-indexeddb)
// stands in: the app runs for this visit, and the reader is told that nothing will be kept.
import { startPython } from "../python_worker/host.js";
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

async function chooseStorage() {
  if (!(await indexedDBWorks())) {
    await import("../vendor/fake-indexeddb/auto.js");
    reportRefused("IndexedDB is not available");
  }
}

await startPython({ storage: chooseStorage() });
