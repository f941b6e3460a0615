// Checks strings against an EBNF grammar with the XGrammar build that WebLLM itself bundles.
// The XGrammar sub-module is not exported by @mlc-ai/web-llm, so we lift its factory out of the
// bundle text and run it here. Usage: node xgrammar_accepts.mjs < {"grammar": "...", "inputs": [...]}
// Prints {"compiled": true, "accepted": [bool, ...]} or {"compiled": false, "error": "..."}.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
globalThis.createRequire = () => createRequire(import.meta.url); // the module asks for its own path

const root = fileURLToPath(new URL("../../", import.meta.url));
const bundle = readFileSync(`${root}node_modules/@mlc-ai/web-llm/lib/index.js`, "utf8");
const lines = bundle.split("\n");
const marker = lines.findIndex((l, i) => l.includes("(function (exports) {") && lines[i + 2]?.includes("var Module = (() => {"));
const end = lines.findIndex((l, i) => i > marker && l.includes("exports.Testings = Testings;"));
if (marker < 0 || end < 0) throw new Error("XGrammar module not found in the WebLLM bundle");
const close = lines.findIndex((l, i) => i > end && l.trim() === "}));");
const head = lines[marker].slice(lines[marker].indexOf("(function (exports) {"));
// In Node the module resolves its own location from a placeholder path: give it a real file URL.
const here = JSON.stringify(new URL("../../node_modules/@mlc-ai/web-llm/lib/index.js", import.meta.url).href);
const factory = (0, eval)([head, ...lines.slice(marker + 1, close), "})"].join("\n").replaceAll('"MLC_DUMMY_PATH"', here));
const xgr = {};
factory(xgr);

const input = JSON.parse(readFileSync(0, "utf8"));
let out;
try {
  const grammar = await xgr.Grammar.fromEBNF(input.grammar, "root");
  const accepted = [];
  for (const text of input.inputs) accepted.push(await xgr.Testings.isGrammarAcceptString(grammar, text));
  out = { compiled: true, accepted };
} catch (err) {
  out = { compiled: false, error: String(err?.message || err) };
}
process.stdout.write(JSON.stringify(out));
