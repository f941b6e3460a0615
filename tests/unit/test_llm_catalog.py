import json

from app.llm.catalog import (
    MODELS,
    Capabilities,
    choices,
    choose_engine,
    custom_entry,
    default_model,
    find,
    model_url_problem,
    needs_consent,
    resolve,
)

GPU = Capabilities(webgpu=True, adapter="nvidia ampere", shader_f16=True, max_storage_binding=1 << 30,
                   max_buffer_size=1 << 31, wasm=True, jspi=True, memory64=True)
GPU_NO_F16 = Capabilities(**{**GPU.__dict__, "shader_f16": False})
SOFTWARE = Capabilities(**{**GPU_NO_F16.__dict__, "fallback_adapter": True, "adapter": "google swiftshader"})
NO_GPU = Capabilities(wasm=True, jspi=True, memory64=True, webgpu_reason="no WebGPU adapter is available")
NOTHING = Capabilities(webgpu_reason="this browser has no WebGPU")


def test_engine_choice_follows_the_capabilities_and_says_why():
    assert choose_engine(GPU).engine == "webllm"
    no_gpu = choose_engine(NO_GPU)
    assert no_gpu.engine == "wllama" and "no WebGPU adapter" in no_gpu.reason
    software = choose_engine(SOFTWARE)
    assert software.engine == "wllama" and "software" in software.reason
    small = Capabilities(**{**GPU.__dict__, "max_storage_binding": 64 << 20})
    assert choose_engine(small).engine == "wllama" and "limits" in choose_engine(small).reason
    nothing = choose_engine(NOTHING)
    assert nothing.engine == "none" and "JSPI" in nothing.reason
    assert choose_engine(Capabilities(**{**GPU.__dict__, "engine_override": "wllama"})).engine == "wllama"


def test_every_webllm_model_names_a_sibling_that_exists_and_sizes_are_given():
    for m in MODELS:
        assert m.download_mb > 0 and m.memory_mb > 0, m.id
        if m.f32_variant:
            sibling = find(m.f32_variant)
            assert sibling is not None and not sibling.needs_f16 and sibling.engine == "webllm"
        if m.engine == "wllama":
            assert m.url.startswith("https://huggingface.co/") and m.url.endswith(".gguf")
    assert any(m.needs_f16 and not m.f32_variant for m in MODELS)  # an f16-only model exists


def test_defaults_are_small_and_fit_the_engine():
    assert default_model(GPU).engine == "webllm" and default_model(GPU).download_mb < 500
    assert default_model(NO_GPU).engine == "wllama"
    assert default_model(NOTHING).id == "instant"
    # Without shader-f16 the default is the f32 build of the same model.
    assert default_model(GPU_NO_F16).id.endswith("q4f32_1-MLC")


def test_picker_offers_f32_builds_where_f16_is_missing():
    ids = [m.id for m in choices(GPU_NO_F16)]
    assert "Qwen2.5-0.5B-Instruct-q4f32_1-MLC" in ids and "Qwen2.5-0.5B-Instruct-q4f16_1-MLC" not in ids
    assert [m.id for m in choices(GPU)].count("Qwen2.5-0.5B-Instruct-q4f16_1-MLC") == 1
    assert choices(NO_GPU)[-1].id == "instant"
    assert all(m.engine != "webllm" for m in choices(NO_GPU))


def test_resolve_switches_to_f32_or_refuses_an_f16_only_model():
    switched = resolve("Qwen2.5-0.5B-Instruct-q4f16_1-MLC", GPU_NO_F16)
    assert switched.entry is not None and switched.entry.id == "Qwen2.5-0.5B-Instruct-q4f32_1-MLC"
    assert "f32" in switched.note
    refused = resolve("gemma3-1b-it-q4f16_1-MLC", SOFTWARE)
    assert refused.entry is None and "shader-f16" in refused.refusal
    assert resolve("gemma3-1b-it-q4f16_1-MLC", GPU).entry is not None
    assert "WebGPU" in resolve("Qwen2.5-0.5B-Instruct-q4f16_1-MLC", NO_GPU).refusal
    assert resolve("nope", GPU).entry is None


def test_model_url_override_points_the_cpu_engine_at_a_local_file():
    caps = Capabilities.from_json(json.dumps({**NO_GPU.__dict__, "model_url": "http://127.0.0.1:9/models/x.gguf",
                                              "unknown_field": 1}))
    first = default_model(caps)
    assert first.engine == "wllama" and first.url.endswith("/models/x.gguf") and first.id == "url:x.gguf"
    assert resolve(first.id, caps).entry == first


def test_model_url_must_be_http_and_a_foreign_host_needs_consent():
    bad = Capabilities(**{**NO_GPU.__dict__, "model_url": "javascript:alert(1)", "page_origin": "http://127.0.0.1:8000"})
    assert custom_entry(bad) is None and "http(s)" in model_url_problem(bad)
    assert not default_model(bad).id.startswith("url:")
    assert all(not m.id.startswith("url:") for m in choices(bad))

    def caps_for(url: str) -> Capabilities:
        return Capabilities(**{**NO_GPU.__dict__, "model_url": url, "page_origin": "http://127.0.0.1:8000"})

    own = caps_for("http://127.0.0.1:8000/models/x.gguf")
    other = caps_for("https://example.org/x.gguf")
    assert not needs_consent(custom_entry(own), own)
    assert needs_consent(custom_entry(other), other)
    assert needs_consent(MODELS[0], own)  # a listed model is hundreds of MB: always asked
