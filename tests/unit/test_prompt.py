import json

from app.llm.prompt import build_request, excerpt, load_config, user_message
from app.sample import sample_book
from app.strudel.validate import validate


def test_system_prompt_is_assembled_from_prompts_and_stable():
    text = load_config().system
    assert "{sounds}" not in text and "{example}" not in text
    assert "setcpm(" in text and "stack(" in text and "sine" in text
    assert text == load_config().system  # a stable prefix: engines reuse its cache
    assert len(text.split()) < 160  # the CPU engine reads ~12 tokens/s: keep it short


def test_the_example_in_the_system_prompt_passes_the_validator():
    example = load_config().system.split("Example:\n", 1)[1]
    assert validate(example).ok


def test_excerpt_keeps_opening_and_close_within_budget():
    words = [f"w{i}" for i in range(300)]
    text = excerpt(" ".join(words), 30)
    assert text.startswith("w0 w1") and text.endswith("w299")
    assert len(text.split()) == 31  # 30 words and the ellipsis
    assert excerpt("short text", 30) == "short text"


def test_user_message_has_the_text_and_the_previous_code():
    previous = 'setcpm(12)\nstack(\n  n("0 2").scale("C3:minor").sound("sine").room(0.5).gain(0.2)\n)'
    msg = user_message("The sea was calm.", previous)
    assert "The sea was calm." in msg and 'n("0 2").scale("C3:minor").sound("sine").gain(0.2)' in msg
    assert ".room(" not in msg  # only the musical core of the previous code
    first = user_message("The sea was calm.", "")
    assert "previous" not in first.lower()


def test_request_for_each_engine_carries_its_grammar_dialect_and_budget(code_path):
    book = sample_book()
    section = book.sections[1]
    cpu = build_request(section.id, 1, section.text, "", engine="wllama")
    gpu = build_request(section.id, 1, section.text, "", engine="webllm", thinks=True)
    assert cpu.grammar_gbnf.startswith("#") and "root ::=" in cpu.grammar_gbnf and not cpu.grammar_ebnf
    assert gpu.grammar_ebnf and not gpu.grammar_gbnf and gpu.thinking_off
    budgets = load_config().budgets
    assert cpu.max_tokens == budgets["wllama"]["max_tokens"]
    assert len(cpu.user.split()) <= budgets["wllama"]["max_words"] + 25  # passage + the mood line
    assert cpu.system == gpu.system
    data = json.loads(cpu.to_json())
    assert data["section_id"] == section.id and 0 < data["temperature"] <= 1
    assert cpu.seed == build_request(section.id, 1, section.text, "", engine="wllama").seed


def test_the_model_grammar_is_a_narrower_version_of_the_subset_grammar(code_path):
    from app.strudel.grammar import gbnf

    from .gbnf_match import accepts, parse_gbnf

    example = load_config().system.split("Example:\n", 1)[1]
    three = example.replace("\n)", ',\n  s("sbd ~ sbd ~").gain(0.2)\n)')
    many_calls = example.replace(".gain(0.1)", ".gain(0.1).room(0.2).pan(0.5).delay(0.1)")
    request = build_request("ab12", 0, "Calm sea.", "", engine="wllama")
    full, small = parse_gbnf(gbnf()), parse_gbnf(request.grammar_gbnf)
    assert accepts(small, example) and accepts(full, example)
    assert not accepts(small, three) and accepts(full, three)
    assert not accepts(small, many_calls) and accepts(full, many_calls)


def test_the_narrowed_webllm_grammar_compiles_in_webllms_own_xgrammar():
    import pytest

    shutil = pytest.importorskip("shutil")
    subprocess = pytest.importorskip("subprocess")
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if shutil.which("node") is None or not (root / "node_modules").exists():
        pytest.skip("needs node and node_modules (CPython side)")
    request = build_request("ab12", 0, "Calm sea.", "", engine="webllm")
    example = load_config().system.split("Example:\n", 1)[1]
    out = subprocess.run(
        ["node", str(root / "tests/grammar/xgrammar_accepts.mjs")],
        input=json.dumps({"grammar": request.grammar_ebnf, "inputs": [example, "fetch('x')"]}),
        capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(out.stdout)
    assert result["compiled"], result
    assert result["accepted"] == [True, False]


def test_webgpu_requests_suggest_the_style_the_mood_sheet_picks_cpu_ones_do_not(code_path):
    book = sample_book()
    storm = book.sections[1]
    gpu = build_request(storm.id, 1, storm.text, "", engine="webllm")
    cpu = build_request(storm.id, 1, storm.text, "", engine="wllama")
    assert "\n\nA style that fits" in gpu.user and "Style " in gpu.user and "setcpm(" in gpu.user
    assert "Style " not in cpu.user  # prompt tokens cost seconds on the CPU engine
    assert gpu.system == cpu.system  # the stable prefix is shared


def test_the_moods_frame_narrows_tempo_modes_and_sounds_of_the_model_grammar(code_path):
    from app.llm.prompt import grammar_options
    from app.strudel.grammar import gbnf

    from .gbnf_match import accepts, parse_gbnf

    book = sample_book()
    calm, storm = book.sections[0], book.sections[1]
    calm_opts, storm_opts = grammar_options("wllama", calm.text), grammar_options("wllama", storm.text)
    assert "phrygian" in storm_opts["modes"] and "phrygian" not in calm_opts["modes"]
    assert "sawtooth" in storm_opts["sounds"] and "gm_piano" not in storm_opts["sounds"]
    assert storm_opts["tempos"][0] > calm_opts["tempos"][0]
    storm_grammar = parse_gbnf(gbnf(**storm_opts))
    piece = 'setcpm({})\nstack(\n  n("0 1 0 4").scale("C3:{}").sound("{}").gain(0.2)\n)'
    assert accepts(storm_grammar, piece.format(24, "phrygian", "sawtooth"))
    assert not accepts(storm_grammar, piece.format(10, "phrygian", "sawtooth"))  # a calm tempo
    assert not accepts(storm_grammar, piece.format(24, "lydian", "sawtooth"))  # a calm mode
    assert not accepts(storm_grammar, piece.format(24, "phrygian", "gm_piano"))  # a calm sound
    # The request says which mood it is writing for, and keeps the options to finish a cut piece.
    request = build_request(storm.id, 1, storm.text, "", engine="wllama")
    assert "Mood: tense" in request.user and request.grammar_options == storm_opts
    # An ensemble's sounds win over the frame's; no text, no frame.
    assert grammar_options("wllama", storm.text, ["gm_piano"])["sounds"] == ("gm_piano",)
    assert "tempos" not in grammar_options("wllama", "")


def test_every_mood_has_a_frame_inside_the_subset():
    from app.music.frame import _frame
    from app.music.styles import load_moods
    from app.strudel.grammar import rules

    for label in load_moods().routes:
        frame = _frame(label)
        assert frame.description and frame.modes and frame.sounds, label
        rules(**frame.grammar_options())  # raises if a tempo, mode or sound is outside the subset


def test_the_cpu_model_writes_a_score_sheet_under_a_grammar_both_engines_take():
    """The sheet language (app/compose/sheet.py): the system prompt's own example is accepted by
    the GBNF llama.cpp decodes with and by WebLLM's XGrammar; code and junk are not."""
    import pytest

    from app.compose.sheet import parse_sheet

    from .gbnf_match import accepts, parse_gbnf

    request = build_request("ab12", 0, "The storm broke and they ran in terror.", "", engine="wllama")
    assert request.kind == "sheet" and request.max_tokens <= 64
    example = load_config().sheet_system.split("Example:\n", 1)[1].strip()
    leads = request.grammar_options["leads"]
    sheet = example.replace("gm_flute", leads[0])
    grammar = parse_gbnf(request.grammar_gbnf)
    assert accepts(grammar, sheet) and accepts(grammar, sheet + "\n")
    assert not accepts(grammar, sheet.replace("tender", "sleepy"))  # not a mood of the sheet
    assert not accepts(grammar, sheet.replace("0 5 3 4", "0 5 3 9"))  # chord roots are 0-6
    assert not accepts(grammar, load_config().system.split("Example:\n", 1)[1].strip())
    assert parse_sheet(sheet, request.grammar_options["moods"], leads).lead == leads[0]

    shutil = pytest.importorskip("shutil")
    subprocess = pytest.importorskip("subprocess")
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if shutil.which("node") is None or not (root / "node_modules").exists():
        pytest.skip("needs node and node_modules (CPython side)")
    out = subprocess.run(
        ["node", str(root / "tests/grammar/xgrammar_accepts.mjs")],
        input=json.dumps({"grammar": request.grammar_ebnf, "inputs": [sheet, "fetch('x')"]}),
        capture_output=True, text=True, timeout=120, check=True,
    )
    result = json.loads(out.stdout)
    assert result["compiled"] and result["accepted"] == [True, False], result
