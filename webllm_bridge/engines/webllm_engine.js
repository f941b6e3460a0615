// WebLLM on WebGPU, in a Web Worker. Loaded only when WebGPU is usable (the library is 6.8 MB).
// Model and model-library URLs come from WebLLM's own prebuilt config, absolute and matching the
// library version (0.2.86). Models are cached by WebLLM (Cache API) after the first download.

import { chatStream } from "./chat_stream.js";

const LIB = new URL("../../vendor/web-llm/index.js", import.meta.url).href;

/** Needs shader-f16? WebLLM names its builds q{bits}f{float bits}, e.g. q4f16_1 / q4f32_1. */
function needsShaderF16(record) {
  return (record.required_features || []).includes("shader-f16") || /-q\d+f16/.test(record.model_id);
}

export function create() {
  let webllm = null;
  let engine = null;
  let worker = null;
  return {
    name: "webllm",

    async load(spec, onProgress) {
      webllm = await import(LIB);
      const record = webllm.prebuiltAppConfig.model_list.find((r) => r.model_id === spec.id);
      if (!record) throw new Error(`WebLLM ${webllm.modelVersion} has no build named ${spec.id}.`);
      const adapter = await navigator.gpu?.requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) {
        throw new Error(`${spec.label} needs WebGPU, and this browser offers no WebGPU adapter.`);
      }
      // Refuse before any download: WebLLM itself only finds out after fetching the weights.
      if (needsShaderF16(record) && !adapter.features.has("shader-f16")) {
        throw new Error(
          `${spec.label} needs the WebGPU feature shader-f16, which this GPU adapter lacks ` +
            "(no f32 build of this model exists). Pick another model.",
        );
      }
      worker = new Worker(new URL("./webllm_worker.js", import.meta.url), { type: "module" });
      engine = await webllm.CreateWebWorkerMLCEngine(worker, spec.id, {
        appConfig: webllm.prebuiltAppConfig,
        initProgressCallback: (report) => onProgress(report.progress, report.text),
      });
    },

    async generate(req, onToken, signal) {
      const onAbort = () => engine.interruptGenerate();
      signal.addEventListener("abort", onAbort);
      try {
        const chunks = await engine.chat.completions.create({
          messages: [
            { role: "system", content: req.system },
            { role: "user", content: req.user },
          ],
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: req.max_tokens,
          temperature: req.temperature,
          response_format: req.grammar_ebnf ? { type: "grammar", grammar: req.grammar_ebnf } : undefined,
          // Thinking would spend the whole token cap before any code.
          extra_body: req.thinking_off ? { enable_thinking: false } : undefined,
        });
        const got = chatStream(onToken);
        for await (const chunk of chunks) got.add(chunk);
        const usage = got.usage;
        const extra = usage?.extra || {};
        return {
          text: got.text,
          finish_reason: signal.aborted ? "abort" : got.finish,
          prompt_tokens: usage?.prompt_tokens ?? null,
          completion_tokens: usage?.completion_tokens ?? null,
          prefill_tps: extra.prefill_tokens_per_s ?? null,
          decode_tps: extra.decode_tokens_per_s ?? null,
        };
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },

    async unload() {
      await engine?.unload();
      worker?.terminate();
      engine = null;
      worker = null;
    },
  };
}
