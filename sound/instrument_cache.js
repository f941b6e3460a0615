// The General MIDI instruments are fetched when a piece first needs one, and the service worker
// keeps each from then on (scripts/build.py lists them as cached on first use). This module says
// which are kept (the player asks before it fetches offline; "Offline & storage" counts them), and
// keeps them all for a reader who wants every style to sound right offline.
import { facts } from "./facts.js";

const base = new URL(facts.gm.base, import.meta.url);
const CONCURRENT = 4;

/** The sounds cached on first use (the instruments, and the drums no style plays; the build
 * says which) with their sample files' URLs and weight. */
export function instruments() {
  const lazy = new Set(facts.gm.lazy || []);
  return Object.entries(facts.gm.map || {})
    .filter(([name]) => lazy.has(name))
    .map(([name, bank]) => ({
      name,
      urls: (Array.isArray(bank) ? bank : Object.values(bank).flat()).map((f) => new URL(f, base).href),
      bytes: facts.gm.bytes?.[name] || 0,
    }));
}

/** Whether every file is in this origin's caches (the service worker's, any version: a lazy
 * file's cache key carries its revision). Without Cache Storage nothing is known to be kept. */
export async function allCached(urls) {
  if (!globalThis.caches) return false;
  const found = await Promise.all(urls.map((url) => caches.match(url, { ignoreSearch: true })));
  return found.every(Boolean);
}

const isKept = (instrument) => allCached(instrument.urls);

/** {kept, total, keptBytes, missingBytes}: how many instruments this browser has for offline. */
export async function instrumentsKept() {
  const all = instruments();
  const flags = await Promise.all(all.map(isKept));
  const sum = (pick) => all.reduce((n, inst, i) => n + (pick(flags[i]) ? inst.bytes : 0), 0);
  return {
    kept: flags.filter(Boolean).length,
    total: all.length,
    keptBytes: sum((f) => f),
    missingBytes: sum((f) => !f),
  };
}

/**
 * Fetch every instrument not kept yet through the service worker, which keeps what it fetches.
 * `progress(done, total, bytes)` after each file. Resolves {files, failed}.
 */
export async function keepAllInstruments(progress = () => {}) {
  if (!navigator.serviceWorker?.controller) {
    throw new Error("this browser is not keeping the app for offline use here");
  }
  const missing = [];
  for (const inst of instruments()) if (!(await isKept(inst))) missing.push(...inst.urls);
  const total = missing.length;
  let done = 0;
  let bytes = 0;
  let failed = 0;
  const next = async () => {
    while (missing.length) {
      const url = missing.shift();
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        bytes += (await res.arrayBuffer()).byteLength;
      } catch {
        failed += 1;
      }
      done += 1;
      progress(done, total, bytes);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, next));
  return { files: done, failed };
}
