// What this browser can run: WebGPU (and how good the adapter is), wasm features the CPU engine
// needs, and the page-address overrides (?engine=, ?model-url=). Python decides from this report
// (app/llm/catalog.py); nothing here loads an engine.

// A wasm module that only declares a 64-bit memory: validates only where memory64 is supported.
const MEMORY64_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 0]);

function memory64() {
  try {
    return WebAssembly.validate(MEMORY64_PROBE);
  } catch {
    return false;
  }
}

function describe(info) {
  if (!info) return "";
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(" ").trim();
}

/** The capability report (a plain object; llm.js sends it to Python as JSON). */
export async function detect() {
  const params = new URLSearchParams(location.search);
  const modelUrl = params.get("model-url");
  const caps = {
    webgpu: false,
    adapter: "",
    fallback_adapter: false,
    shader_f16: false,
    max_storage_binding: 0,
    max_buffer_size: 0,
    wasm: typeof WebAssembly === "object",
    jspi: typeof WebAssembly === "object" && typeof WebAssembly.Suspending === "function",
    memory64: typeof WebAssembly === "object" && memory64(),
    webgpu_reason: "",
    model_url: modelUrl ? new URL(modelUrl, location.href).href : "",
    page_origin: location.origin, // a model from another host is fetched only with the reader's consent
    engine_override: params.get("engine") || "",
  };
  if (!navigator.gpu) {
    caps.webgpu_reason = "this browser has no WebGPU";
    return caps;
  }
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) {
      caps.webgpu_reason = "no WebGPU adapter is available (no usable GPU, or WebGPU is blocked)";
      return caps;
    }
    const info = adapter.info || {};
    caps.webgpu = true;
    caps.adapter = describe(info) || "an unnamed GPU";
    caps.fallback_adapter = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter) ||
      /swiftshader/i.test(caps.adapter);
    caps.shader_f16 = adapter.features.has("shader-f16");
    caps.max_storage_binding = Number(adapter.limits.maxStorageBufferBindingSize) || 0;
    caps.max_buffer_size = Number(adapter.limits.maxBufferSize) || 0;
  } catch (err) {
    caps.webgpu_reason = `WebGPU failed to start (${err?.message || err})`;
  }
  return caps;
}
