// The CPU engine: llama.cpp compiled to wasm (wllama), for browsers without usable WebGPU.
// wllama runs the model in its own Web Worker. Its single wasm build needs JSPI + memory64; for
// other browsers wllama would fetch a "compat" build from a CDN, which we never allow.
// One thread: more need cross-origin isolation, which a static host cannot promise.

import { chatStream } from "./chat_stream.js";

const LIB = new URL("../../vendor/wllama/index.js", import.meta.url).href;
const WASM = new URL("../../vendor/wllama/wllama.wasm", import.meta.url).href;

const mb = (bytes) => (bytes / 1e6).toFixed(1);

export function create() {
  let wllama = null;
  return {
    name: "wllama",

    async load(spec, onProgress) {
      const { Wllama } = await import(LIB);
      wllama = new Wllama({ default: WASM }, { suppressNativeLog: true, allowOffline: true });
      wllama.setCompat(null); // never the CDN build
      await wllama.loadModelFromUrl(spec.url, {
        n_threads: 1,
        n_ctx: spec.n_ctx || 2048,
        n_parallel: 1,
        // In megabytes: "12.3 of 98.0 MB" says how long is left better than a percentage.
        progressCallback: ({ loaded, total }) =>
          onProgress(total ? loaded / total : 0, total ? `${mb(loaded)} of ${mb(total)} MB` : `${mb(loaded)} MB`),
      });
    },

    async generate(req, onToken, signal) {
      const got = chatStream(onToken);
      try {
        await wllama.createChatCompletion({
          messages: [
            { role: "system", content: req.system },
            { role: "user", content: req.user },
          ],
          stream: true,
          onData: got.add,
          abortSignal: signal,
          max_tokens: req.max_tokens,
          temperature: req.temperature,
          grammar: req.grammar_gbnf || undefined,
          cache_prompt: true, // the system prompt is a stable prefix: reuse its KV cache
          chat_template_kwargs: req.thinking_off ? { enable_thinking: false } : undefined,
          seed: req.seed,
        });
      } catch (err) {
        if (!signal.aborted) throw err;
      }
      const { timings, usage } = got;
      return {
        text: got.text,
        finish_reason: signal.aborted ? "abort" : got.finish,
        prompt_tokens: timings?.prompt_n ?? usage?.prompt_tokens ?? null,
        cached_tokens: timings?.cache_n ?? null,
        completion_tokens: timings?.predicted_n ?? usage?.completion_tokens ?? null,
        prefill_tps: timings?.prompt_per_second ?? null,
        decode_tps: timings?.predicted_per_second ?? null,
      };
    },

    async unload() {
      await wllama?.exit();
      wllama = null;
    },
  };
}
