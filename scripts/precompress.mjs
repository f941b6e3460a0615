// Write brotli (.br) and gzip (.gz) copies beside the files of a built folder, for static hosts
// that serve a precompressed sibling when the browser accepts it (GitLab Pages, nginx
// gzip_static/brotli_static, Caddy's precompressed, static-web-server, scripts/serve.py). The
// plain file stays: it is what other hosts (GitHub Pages compresses on the fly) and the service
// worker's integrity hashes use.
//
// A copy is written only where it saves at least MIN_SAVING (wasm, JavaScript, JSON, text; not
// the already-compressed Ogg samples, wheels and zips). Maximum compression is slow (24 s for
// Pyodide's wasm), so each result is kept in a cache folder under its content hash and a rebuild
// of unchanged files costs a copy.
//
// Usage: node scripts/precompress.mjs <folder> <cache folder>   (prints a JSON summary)
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import zlib from "node:zlib";

const MIN_SAVING = 0.1;
const MIN_BYTES = 1024; // smaller files gain nothing worth a second request path

const ENCODERS = {
  br: (bytes) =>
    zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gz: (bytes) => zlib.gzipSync(bytes, { level: 9 }),
};

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && !/\.(br|gz)$/.test(entry.name)) yield path;
  }
}

function encoded(bytes, kind, cacheDir) {
  const key = createHash("sha256").update(bytes).digest("hex");
  const cached = join(cacheDir, `${key}.${kind}`);
  // An empty marker means "does not compress": skip it without trying again.
  if (existsSync(cached)) return statSync(cached).size ? cached : null;
  const out = ENCODERS[kind](bytes);
  const worth = out.length <= bytes.length * (1 - MIN_SAVING);
  writeFileSync(cached, worth ? out : new Uint8Array(0));
  return worth ? cached : null;
}

function main() {
  const [root, cacheDir] = process.argv.slice(2);
  if (!root || !cacheDir) throw new Error("usage: precompress.mjs <folder> <cache folder>");
  mkdirSync(cacheDir, { recursive: true });
  // *_served_bytes: what the whole folder weighs for a browser that accepts that encoding.
  const summary = { files: 0, plain_bytes: 0, br_files: 0, br_served_bytes: 0, gz_files: 0, gz_served_bytes: 0 };
  for (const path of files(root)) {
    const bytes = readFileSync(path);
    summary.files += 1;
    summary.plain_bytes += bytes.length;
    for (const kind of Object.keys(ENCODERS)) {
      const copy = bytes.length >= MIN_BYTES ? encoded(bytes, kind, cacheDir) : null;
      if (copy) {
        copyFileSync(copy, `${path}.${kind}`);
        summary[`${kind}_files`] += 1;
      }
      summary[`${kind}_served_bytes`] += copy ? statSync(copy).size : bytes.length;
    }
  }
  console.log(JSON.stringify(summary));
}

main();
