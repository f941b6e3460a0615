// The facts the page shares with Python, read once: sounds, drum keys, MIDI channels, tempo and
// reading-pace ranges, engine names, intensity presets, message kinds, the code subset's words.
// scripts/build.py writes them to sound/facts.json from app/seam.py `page_facts()` (plus `gm`: the
// shipped instruments' and drums' sample map, the sustained ones' loop points and release times),
// so nothing here is typed twice.
//
// A test can hand in its own facts: set `globalThis.bookmusicFacts` before this module loads.

const REQUIRED = [
  "sounds", "drums", "drum_keys", "drum_channel", "melodic_channels", "default_cpm", "cpm_range",
  "default_wpm", "wpm_range", "engine_names", "intensity", "default_intensity", "message_kinds", "syntax",
];

/** Check a parsed facts record and freeze it; throws naming the first missing key. */
export function readFacts(raw) {
  const record = typeof raw === "string" ? JSON.parse(raw) : raw;
  if (!record || typeof record !== "object") throw new Error("facts.json: not an object");
  for (const key of REQUIRED) {
    if (!(key in record)) throw new Error(`facts.json: "${key}" is missing`);
  }
  if (!(record.default_intensity in record.intensity)) {
    throw new Error(`facts.json: default intensity "${record.default_intensity}" is not a preset`);
  }
  return Object.freeze({ gm: { base: "../vendor/soundfont/", map: {} }, ...record });
}

/** Fetch and read the facts file (`url` defaults to sound/facts.json beside this module). */
export async function loadFacts(url = new URL("./facts.json", import.meta.url), fetcher = globalThis.fetch) {
  const res = await fetcher(url);
  if (!res.ok) throw new Error(`facts.json: HTTP ${res.status}`);
  return readFacts(await res.json());
}

/** The facts, loaded once for every module that imports them. */
export const facts = globalThis.bookmusicFacts ? readFacts(globalThis.bookmusicFacts) : await loadFacts();
