"""The WebLLM side in a real browser: the real library, and the paths that must fail gracefully.

No network here, so WebLLM can never download a model: what is tested is everything before that —
capability detection, falling back to the CPU engine, refusing an f16-only model on an adapter
without shader-f16 before any download, and that our catalog matches the shipped library.
"""

import json

import pytest

from app.llm.catalog import MODELS
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, block_outside


def open_app(page, site):
    page.goto(site)
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.wait_for_function("document.documentElement.dataset.llmEngine", timeout=30_000)


def test_without_a_webgpu_adapter_the_cpu_engine_is_chosen_and_the_page_says_why(page, site):
    open_app(page, site)
    caps = json.loads(page.evaluate("window.bookmusic.bridge.llm_capabilities()"))
    assert caps["webgpu"] is False and caps["wasm"] and caps["jspi"] and caps["memory64"]
    assert page.evaluate("document.documentElement.dataset.llmEngine") == "wllama"
    line = page.inner_text("#engine")
    assert "CPU engine" in line and "no WebGPU adapter" in line
    offered = page.eval_on_selector_all("#model option", "els => els.map(e => e.dataset.engine)")
    assert "webllm" not in offered and offered.count("wllama") >= 2 and offered[-1] == "none"
    selected = page.eval_on_selector("#model", "el => el.selectedOptions[0].dataset.engine")
    assert selected == "wllama"
    # Play before any model was chosen: the instant composer plays, nothing is downloaded, and the
    # page says how to let the model write (the page fixture asserts no request left localhost).
    page.click("#play")
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    page.wait_for_function("document.querySelector('#engine').textContent.includes('Load model')")
    assert json.loads(page.evaluate("window.bookmusic.composerReport()"))["state"] == "idle"
    # The 6.8 MB WebLLM library was not loaded: WebGPU is not usable here.
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("vendor/web-llm/" in url for url in loaded)


def test_the_real_webllm_library_loads_and_knows_every_model_we_offer(page, site):
    open_app(page, site)
    library = page.evaluate(
        """async () => {
            const m = await import('./vendor/web-llm/index.js');
            return {version: m.modelVersion, models: m.prebuiltAppConfig.model_list.map(r => ({
                id: r.model_id, vram: r.vram_required_MB, model: r.model, lib: r.model_lib,
                f16: (r.required_features || []).includes('shader-f16')}))};
        }"""
    )
    assert library["version"].startswith("v0_2_86")  # the library pinned in package.json (0.2.86)
    records = {r["id"]: r for r in library["models"]}
    for entry in (m for m in MODELS if m.engine == "webllm"):
        record = records.get(entry.id)
        assert record is not None, f"{entry.id} is not in WebLLM {library['version']}"
        assert record["model"].startswith("https://") and record["lib"].startswith("https://")
        assert "v0_2_86" in record["lib"]  # model library matches the library version
        assert abs(record["vram"] - entry.memory_mb) < 5, entry.id
        assert entry.needs_f16 == ("q4f16" in entry.id or record["f16"]), entry.id


@pytest.fixture
def webgpu_page(playwright_instance, site):
    """A browser whose only WebGPU adapter is the software one (SwiftShader: no shader-f16)."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--enable-unsafe-webgpu"]
    )
    context = browser.new_context()
    outside = block_outside(context)
    page = context.new_page()
    yield page
    context.close()
    browser.close()
    assert outside == [], f"requests left localhost: {outside}"


def test_software_adapter_falls_back_to_cpu_and_refuses_an_f16_only_model(webgpu_page, site):
    page = webgpu_page
    open_app(page, site)
    caps = json.loads(page.evaluate("window.bookmusic.bridge.llm_capabilities()"))
    if not caps["webgpu"]:
        pytest.fail(f"--enable-unsafe-webgpu gave no adapter here: {caps['webgpu_reason']}")
    assert caps["fallback_adapter"] and not caps["shader_f16"]
    assert page.evaluate("document.documentElement.dataset.llmEngine") == "wllama"
    assert "software fallback" in page.inner_text("#engine")

    # The picker offers the WebGPU models (as f32 builds where one exists) and the f16-only one.
    offered = page.eval_on_selector_all("#model option", "els => els.map(e => e.value)")
    assert "Qwen2.5-0.5B-Instruct-q4f32_1-MLC" in offered
    assert "Qwen2.5-0.5B-Instruct-q4f16_1-MLC" not in offered
    f16_only = "gemma3-1b-it-q4f16_1-MLC"
    page.select_option("#model", f16_only)
    page.wait_for_function("document.querySelector('#engine').textContent.includes('shader-f16')")
    page.click("#play")  # refused at Play too, and the instant composer plays
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    assert "shader-f16" in page.inner_text("#status")
    report = json.loads(page.evaluate("window.bookmusic.composerReport()"))
    assert report["state"] == "refused" and report["model"] is None

    # The engine itself (real WebLLM library, in the page) refuses it before any download.
    error = page.evaluate(
        """async (id) => {
            try {
                await window.bookmusic.bridge.llm_load(
                    JSON.stringify({engine: 'webllm', id, label: 'Gemma 3 1B'}), () => {});
                return null;
            } catch (err) { return String(err.message || err); }
        }""",
        f16_only,
    )
    assert error and "shader-f16" in error and "Gemma 3 1B" in error
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert any("vendor/web-llm/index.js" in url for url in loaded)
    assert not any("huggingface" in url or "githubusercontent" in url for url in loaded)


def test_the_model_choice_is_remembered(page, site):
    open_app(page, site)
    offered = page.eval_on_selector_all("#model option", "els => els.map(e => e.value)")
    other = next(v for v in offered if v != page.input_value("#model") and v != "instant")
    page.select_option("#model", other)
    page.wait_for_function("document.querySelector('#engine').textContent.includes('when you press Play')")
    page.reload()
    open_app(page, site)
    assert page.input_value("#model") == other
    page.select_option("#model", "instant")
    page.click("#play")
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    assert "Instant composer only" in page.inner_text("#engine")
    assert json.loads(page.evaluate("window.bookmusic.composerReport()"))["state"] == "off"
