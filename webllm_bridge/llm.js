// The one language-model interface Python calls (through PyScript's js_modules "bridge"):
// capabilities, load (with progress), generate (grammar-constrained, streamed, token cap), abort,
// unload. Engines: WebLLM on WebGPU (engines/webllm_engine.js) or wllama on the CPU
// (engines/wllama_engine.js), imported only when chosen. Results cross to Python as JSON strings.
import { detect } from "./capabilities.js";
import { plainCause } from "./causes.js";

let engine = null; // the loaded engine
let loaded = null; // its spec
let current = null; // AbortController of the generation in flight
const state = { status: "idle", model: null, error: null, last: null };

function call(fn, ...args) {
  // Python callbacks may already be released when a late event arrives: never let that throw.
  try {
    fn?.(...args);
  } catch {
    /* ignored */
  }
}

export async function llm_capabilities() {
  return JSON.stringify(await detect());
}

/** Load the model described by specJson ({engine, id, label, url}); onProgress(fraction, text). */
export async function llm_load(specJson, onProgress) {
  const spec = JSON.parse(specJson);
  await llm_unload();
  state.status = "loading";
  state.model = spec.id;
  state.error = null;
  const started = performance.now();
  try {
    const module =
      spec.engine === "webllm"
        ? await import("./engines/webllm_engine.js")
        : await import("./engines/wllama_engine.js");
    const next = module.create();
    await next.load(spec, (fraction, text) => call(onProgress, fraction, text || ""));
    engine = next;
    loaded = spec;
    state.status = "ready";
    return JSON.stringify({ engine: spec.engine, id: spec.id, load_s: (performance.now() - started) / 1000 });
  } catch (err) {
    state.status = "failed";
    state.error = plainCause(err);
    console.warn("model load failed:", err); // the engine's own words, for debugging
    throw new Error(state.error, { cause: err });
  }
}

/** Generate code for one request ({system, user, grammar_gbnf, grammar_ebnf, max_tokens, ...}).
 * Streams each piece of text to onToken(text); resolves to JSON with the text and timings.
 * Aborted generations resolve with finish_reason "abort" rather than throwing. */
export async function llm_generate(requestJson, onToken) {
  if (!engine) throw new Error("No language model is loaded.");
  const req = JSON.parse(requestJson);
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const started = performance.now();
  try {
    const result = await engine.generate(req, (text) => call(onToken, text), controller.signal);
    result.seconds = (performance.now() - started) / 1000;
    result.engine = loaded.engine;
    result.model = loaded.id;
    state.last = result;
    return JSON.stringify(result);
  } finally {
    if (current === controller) current = null;
  }
}

/** Stop the generation in flight (the reader skipped its section). */
export function llm_abort() {
  current?.abort();
}

export async function llm_unload() {
  current?.abort();
  const old = engine;
  engine = null;
  loaded = null;
  state.status = "idle";
  await old?.unload();
}

/** For the page and tests: what the engine is doing. */
export function llm_state() {
  return JSON.stringify(state);
}
