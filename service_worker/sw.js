// BookMusic's service worker: after one visit the whole app runs with no network.
//
// scripts/build.py bundles this file (with Workbox, from npm) into dist/sw.js and fills in the
// precache manifest: every file of the build with its content hash. Any change to any file
// changes sw.js, so the browser installs the new version beside the old one; it takes over only
// when no page runs the old one, or when the reader accepts "Reload to update" (no mixed versions).
//
// Model weights are not touched here: the engines keep them in their own caches.
import { clientsClaim } from "workbox-core";
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";

const MANIFEST = self.__BM_PRECACHE; // [{url, revision}], filled in by scripts/build.py
const LAZY = self.__BM_LAZY; // [{url, revision}]: files only some machines need, cached on first use
const VERSION = self.__BM_VERSION; // hash of the manifest
const LAZY_CACHE_PREFIX = "bookmusic-lazy-";
const LAZY_CACHE = LAZY_CACHE_PREFIX + VERSION;

// Workbox fetches precache entries with cache: "reload", downloading the whole app (25 MB) a
// second time right after the first visit loaded it. "no-cache" revalidates with the server
// instead (a 304 when the browser already has the file), and each entry's integrity hash from the
// manifest still guarantees the cached bytes are exactly this version's.
addPlugins([
  {
    requestWillFetch: async ({ request }) =>
      request.mode === "navigate" ? request : new Request(request, { cache: "no-cache" }),
  },
]);
precacheAndRoute(MANIFEST);
cleanupOutdatedCaches();

// Cached on first use, in a cache of this version, under a key that holds the file's revision:
// an old copy can never mix in, and a new version carries over every kept file whose revision
// holds (a reader who kept the instruments or an engine for offline keeps them across updates).
const lazyKeys = new Map(
  LAZY.map(({ url, revision }) => {
    const href = new URL(url, self.registration.scope).href;
    return [href, `${href}?bm-revision=${revision}`];
  }),
);
registerRoute(
  ({ url }) => lazyKeys.has(url.href),
  new CacheFirst({
    cacheName: LAZY_CACHE,
    plugins: [{ cacheKeyWillBeUsed: async ({ request }) => lazyKeys.get(request.url) || request.url }],
  }),
);

async function carryOverLazyFiles() {
  const wanted = new Set(lazyKeys.values());
  const current = await caches.open(LAZY_CACHE);
  for (const name of await caches.keys()) {
    if (!name.startsWith(LAZY_CACHE_PREFIX) || name === LAZY_CACHE) continue;
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      if (wanted.has(request.url) && !(await current.match(request))) {
        await current.put(request, await old.match(request));
      }
    }
    await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => event.waitUntil(carryOverLazyFiles()));
// A new version only activates once no page runs the old one (or the reader asked to reload),
// so taking control at once is safe; on the first visit it lets this very page work offline.
clientsClaim();

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "VERSION") {
    event.ports[0]?.postMessage({ version: VERSION, files: MANIFEST.length, lazy: LAZY.map((f) => f.url) });
  }
});
