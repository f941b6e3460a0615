// pdf.js (pdfjs-dist, a pinned dev dependency) reading the text of PDFs in node, for
// bench/ingest_quality.py's side-by-side speed: the same files, the same work (open the document,
// every page's text content). Usage: node bench/pdfjs_text.mjs a.pdf [b.pdf ...] -> one JSON line
// per file: {"file", "pages", "seconds", "cpu_seconds", "chars"}, the best of three reads (the
// first warms the JIT; the machine is shared, so the least time is the one least disturbed).
// Module loading is not timed.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const fonts = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts/");

async function read(bytes) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  // No worker thread: pdf.js then parses on this thread, as our reader does in its worker.
  const doc = await getDocument({ data: bytes, standardFontDataUrl: fonts, isEvalSupported: false }).promise;
  let chars = 0;
  for (let n = 1; n <= doc.numPages; n += 1) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) chars += (item.str ?? "").length;
    page.cleanup();
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, seconds, cpu_seconds: (used.user + used.system) / 1e6, chars };
}

for (const file of process.argv.slice(2)) {
  const data = await readFile(file);
  // pdf.js takes ownership of the bytes it is given: a fresh copy each read.
  const reads = [];
  for (let k = 0; k < 3; k += 1) reads.push(await read(new Uint8Array(data)));
  const least = (key) => Math.min(...reads.map((r) => r[key]));
  console.log(JSON.stringify({ file, ...reads[0], seconds: least("seconds"), cpu_seconds: least("cpu_seconds") }));
}
