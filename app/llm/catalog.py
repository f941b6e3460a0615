"""Which language models the page can run, and which engine suits this browser.

Two engines share one interface (webllm_bridge/llm.js):
- "webllm": WebLLM on WebGPU, MLC builds of the models (library version 0.2.86);
- "wllama": llama.cpp compiled to wasm, on the CPU, GGUF files.
"none" means the instant composer alone.

Sizes are the download (what the picker shows); memory is what the engine needs while running
(WebLLM's own vram_required_MB for its builds). A WebLLM build whose weights are f16 needs the
adapter's shader-f16 feature; when it is missing we switch to the f32 build of the same model,
or refuse with a clear message when the model has none.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal
from urllib.parse import urlsplit

Engine = Literal["webllm", "wllama", "none"]

# WebLLM needs buffers this large for the small models we offer (KV cache + weights shards).
MIN_STORAGE_BINDING = 128 * 1024 * 1024
MIN_BUFFER_SIZE = 256 * 1024 * 1024


@dataclass(frozen=True)
class ModelEntry:
    id: str  # WebLLM model_id, or our own id for a GGUF
    label: str
    engine: Engine
    download_mb: int
    memory_mb: int
    url: str = ""  # GGUF file (wllama); WebLLM resolves its own URLs from its prebuilt config
    needs_f16: bool = False  # WebLLM build with f16 weights/shaders
    f32_variant: str = ""  # same model compiled for f32, for adapters without shader-f16
    thinks: bool = False  # a thinking model: thinking is switched off (it would eat the token cap)
    default: bool = False
    note: str = ""

    def to_json(self) -> dict:
        return asdict(self)


_HF = "https://huggingface.co"

MODELS: tuple[ModelEntry, ...] = (
    # ---- WebGPU (WebLLM) ------------------------------------------------------------------
    ModelEntry("Qwen2.5-0.5B-Instruct-q4f16_1-MLC", "Qwen2.5 0.5B Instruct", "webllm", 280, 945,
               needs_f16=True, f32_variant="Qwen2.5-0.5B-Instruct-q4f32_1-MLC", default=True,
               note="good code for its size"),
    ModelEntry("Qwen2.5-0.5B-Instruct-q4f32_1-MLC", "Qwen2.5 0.5B Instruct (f32)", "webllm", 290, 1060),
    ModelEntry("SmolLM2-360M-Instruct-q4f16_1-MLC", "SmolLM2 360M Instruct", "webllm", 200, 376,
               needs_f16=True, f32_variant="SmolLM2-360M-Instruct-q4f32_1-MLC", note="smallest"),
    ModelEntry("SmolLM2-360M-Instruct-q4f32_1-MLC", "SmolLM2 360M Instruct (f32)", "webllm", 210, 580),
    ModelEntry("Qwen3-0.6B-q4f16_1-MLC", "Qwen3 0.6B", "webllm", 340, 1403, needs_f16=True,
               f32_variant="Qwen3-0.6B-q4f32_1-MLC", thinks=True),
    ModelEntry("Qwen3-0.6B-q4f32_1-MLC", "Qwen3 0.6B (f32)", "webllm", 350, 1925, thinks=True),
    ModelEntry("Llama-3.2-1B-Instruct-q4f16_1-MLC", "Llama 3.2 1B Instruct", "webllm", 700, 879,
               needs_f16=True, f32_variant="Llama-3.2-1B-Instruct-q4f32_1-MLC"),
    ModelEntry("Llama-3.2-1B-Instruct-q4f32_1-MLC", "Llama 3.2 1B Instruct (f32)", "webllm", 720, 1129),
    ModelEntry("gemma3-1b-it-q4f16_1-MLC", "Gemma 3 1B (f16 only)", "webllm", 710, 711, needs_f16=True,
               note="no f32 build"),
    ModelEntry("Qwen2.5-1.5B-Instruct-q4f16_1-MLC", "Qwen2.5 1.5B Instruct", "webllm", 870, 1630,
               needs_f16=True, f32_variant="Qwen2.5-1.5B-Instruct-q4f32_1-MLC", note="best, largest"),
    ModelEntry("Qwen2.5-1.5B-Instruct-q4f32_1-MLC", "Qwen2.5 1.5B Instruct (f32)", "webllm", 890, 1889),
    # ---- CPU (wllama, one thread without cross-origin isolation) -----------------------------
    ModelEntry("smollm2-135m-instruct-q8_0", "SmolLM2 135M Instruct (CPU)", "wllama", 145, 300,
               url=f"{_HF}/HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/resolve/main/smollm2-135m-instruct-q8_0.gguf",
               default=True, note="fast enough on one core"),
    ModelEntry("smollm2-360m-instruct-q8_0", "SmolLM2 360M Instruct (CPU)", "wllama", 386, 600,
               url=f"{_HF}/HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/resolve/main/smollm2-360m-instruct-q8_0.gguf",
               note="better, about 3x slower"),
    ModelEntry("qwen2.5-0.5b-instruct-q4_k_m", "Qwen2.5 0.5B Instruct (CPU)", "wllama", 398, 800,
               url=f"{_HF}/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
               note="best on CPU, slow on one core"),
)

# What each engine is called in the page (picker groups, engine line): the one map, sent to JS.
ENGINE_NAMES: dict[str, str] = {
    "webllm": "WebGPU (WebLLM)",
    "wllama": "CPU (wllama)",
    "none": "No language model",
}

INSTANT_ONLY = ModelEntry("instant", "Instant composer only (no download)", "none", 0, 0)


@dataclass(frozen=True)
class Capabilities:
    """What the page's capability probe (webllm_bridge/capabilities.js) found."""

    webgpu: bool = False
    adapter: str = ""  # vendor/architecture/description, for the message
    fallback_adapter: bool = False  # a software adapter (SwiftShader): far too slow for a model
    shader_f16: bool = False
    max_storage_binding: int = 0
    max_buffer_size: int = 0
    wasm: bool = False
    jspi: bool = False  # wllama's one build needs JS promise integration and memory64
    memory64: bool = False
    webgpu_reason: str = ""  # why WebGPU is unusable, in the probe's words
    model_url: str = ""  # ?model-url= override, resolved against the page: a GGUF for the CPU engine
    page_origin: str = ""  # the page's own scheme://host:port (a model from elsewhere needs consent)
    engine_override: str = ""  # ?engine=webllm|wllama|none

    @classmethod
    def from_json(cls, text: str) -> Capabilities:
        raw = json.loads(text)
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in raw.items() if k in known})


@dataclass(frozen=True)
class EngineChoice:
    engine: Engine
    reason: str  # one sentence for the page: which engine and why


def choose_engine(caps: Capabilities) -> EngineChoice:
    """WebLLM when a real adapter with enough limits exists, else the CPU engine, else none."""
    cpu_ok = cpu_usable(caps)
    cpu_why = (
        "" if cpu_ok else "this browser lacks WebAssembly JSPI/memory64, which the CPU engine needs"
    )
    gpu_why = webgpu_problem(caps)
    if caps.engine_override in ("webllm", "wllama", "none"):
        forced = caps.engine_override
        return EngineChoice(forced, f"{ENGINE_NAMES[forced]}, set by the page address (?engine={forced})")  # type: ignore[arg-type]
    if not gpu_why:
        return EngineChoice("webllm", f"WebLLM on WebGPU ({caps.adapter or 'this GPU'})")
    if cpu_ok:
        return EngineChoice("wllama", f"the CPU engine (wllama), because {gpu_why}")
    return EngineChoice("none", f"instant composer only: {gpu_why}, and {cpu_why}")


def webgpu_problem(caps: Capabilities) -> str:
    """Why WebLLM cannot run here ("" when it can)."""
    if not caps.webgpu:
        return caps.webgpu_reason or "this browser has no WebGPU"
    if caps.fallback_adapter:
        return "the only WebGPU adapter is a software fallback, slower than the CPU engine"
    if caps.max_storage_binding < MIN_STORAGE_BINDING or caps.max_buffer_size < MIN_BUFFER_SIZE:
        return "the WebGPU adapter's buffer limits are too small for a language model"
    return ""


@dataclass(frozen=True)
class Resolved:
    """The model to load, or why not (`refusal`), plus a note to show (e.g. the f32 switch)."""

    entry: ModelEntry | None
    refusal: str = ""
    note: str = ""


def find(model_id: str, caps: Capabilities | None = None) -> ModelEntry | None:
    if model_id == INSTANT_ONLY.id:
        return INSTANT_ONLY
    custom = custom_entry(caps) if caps is not None else None
    if custom is not None and model_id == custom.id:
        return custom
    return next((m for m in MODELS if m.id == model_id), None)


def model_url_problem(caps: Capabilities) -> str:
    """Why ?model-url= cannot be used ("" when it can): only http(s) addresses are fetched."""
    if not caps.model_url:
        return ""
    if urlsplit(caps.model_url).scheme not in ("http", "https"):
        return "?model-url= must be an http(s) address; it was ignored"
    return ""


def custom_entry(caps: Capabilities) -> ModelEntry | None:
    """A GGUF named by ?model-url= (relative to the page): how tests and offline dev point the CPU
    engine at a local file without editing code. None when there is none or it is not http(s)."""
    if not caps.model_url or model_url_problem(caps):
        return None
    name = urlsplit(caps.model_url).path.rsplit("/", 1)[-1] or "model.gguf"
    return ModelEntry(f"url:{name}", f"{name} (from the page address)", "wllama", 0, 0, url=caps.model_url)


def needs_consent(entry: ModelEntry, caps: Capabilities) -> bool:
    """A download the reader must agree to first: a listed model (hundreds of MB), or a file from a
    host other than the page's own."""
    if entry.download_mb:
        return True
    if not entry.url:
        return False
    parts = urlsplit(entry.url)
    return not caps.page_origin or f"{parts.scheme}://{parts.netloc}" != caps.page_origin


def choices(caps: Capabilities) -> list[ModelEntry]:
    """What the picker offers here: WebGPU models where an adapter exists (as the f32 build when it
    lacks shader-f16), CPU models where wllama runs, and always the instant composer alone."""
    listed: list[ModelEntry] = []
    custom = custom_entry(caps)
    if custom is not None:
        listed.append(custom)
    if caps.webgpu:
        siblings = {m.f32_variant for m in MODELS if m.f32_variant}
        for m in MODELS:
            if m.engine != "webllm" or m.id in siblings:
                continue
            swap = m.needs_f16 and m.f32_variant and not caps.shader_f16
            listed.append(find(m.f32_variant) if swap else m)  # type: ignore[arg-type]
    if cpu_usable(caps):
        listed += [m for m in MODELS if m.engine == "wllama"]
    return [*listed, INSTANT_ONLY]


def cpu_usable(caps: Capabilities) -> bool:
    return caps.wasm and caps.jspi and caps.memory64


def default_model(caps: Capabilities) -> ModelEntry:
    listed = choices(caps)
    if custom_entry(caps) is not None:
        return listed[0]
    engine = choose_engine(caps).engine
    return next((m for m in listed if m.engine == engine and (m.default or find_primary(m))), listed[-1])


def find_primary(entry: ModelEntry) -> bool:
    """The f32 build standing in for a default f16 model is a default too."""
    return any(m.default and m.f32_variant == entry.id for m in MODELS)


def resolve(model_id: str, caps: Capabilities) -> Resolved:
    """The entry to load for a picked id on this browser, switching to f32 or refusing as needed."""
    entry = find(model_id, caps)
    if entry is None:
        return Resolved(None, refusal=f"Unknown model “{model_id}”.")
    if entry.engine == "webllm":
        why = webgpu_problem(caps)
        if why and not caps.webgpu:
            return Resolved(None, refusal=f"{entry.label} needs WebGPU: {why}.")
        if entry.needs_f16 and not caps.shader_f16:
            if entry.f32_variant:
                f32 = find(entry.f32_variant)
                assert f32 is not None, entry.f32_variant
                return Resolved(f32, note=f"{entry.label}: using the f32 build (this GPU has no shader-f16).")
            return Resolved(
                None,
                refusal=(
                    f"{entry.label} is only built with f16 weights, and this GPU adapter lacks the "
                    "shader-f16 feature it needs. Pick another model."
                ),
            )
    if entry.engine == "wllama" and not cpu_usable(caps):
        return Resolved(None, refusal=f"{entry.label} needs WebAssembly JSPI and memory64 in this browser.")
    return Resolved(entry)


def picker_json(caps: Capabilities) -> str:
    """What ui/model_picker.js renders."""
    choice = choose_engine(caps)
    return json.dumps(
        {
            "engine": choice.engine,
            "reason": choice.reason,
            "default": default_model(caps).id,
            "models": [m.to_json() for m in choices(caps)],
        }
    )


__all__ = [
    "INSTANT_ONLY",
    "MODELS",
    "Capabilities",
    "EngineChoice",
    "ModelEntry",
    "Resolved",
    "choices",
    "choose_engine",
    "cpu_usable",
    "default_model",
    "find",
    "model_url_problem",
    "needs_consent",
    "picker_json",
    "resolve",
    "webgpu_problem",
]
