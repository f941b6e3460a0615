"""The validator refuses anything outside the subset and clamps what is unsafe to read to."""

import re

import pytest

from app.music.styles import load_styles
from app.strudel import subset
from app.strudel.grammar import rules
from app.strudel.validate import Parser, validate

from .gbnf_match import accepts, parse_gbnf
from .grammar_sample import draw

OK = 'setcpm(20)\nstack(\n  n("0 2 4").scale("C3:minor").sound("sine").gain(0.2)\n)'

HOSTILE = [
    'fetch("https://example.com")',
    'eval("1")',
    "globalThis.alert(1)",
    'import("x")',
    'n("0").sound("sine").constructor.constructor("alert(1)")()',
    'n("0")["constructor"]',
    'n("0").sound("sine"); fetch("x")',
    'n("0").sound("sine")\nfetch("x")',
    "n(`0 ${fetch('x')}`).sound(\"sine\")",
    'n("0").sound(\'sine\')',
    'n("0").sound("sine") // fetch("x")',
    'n("0").sound("sine") /* fetch("x") */',
    'n("0").sound("sine").gain(window)',
    'n("0").sound("sine").gain(sine.constructor)',
    'n("0").sound("sine").gain(sine.range(0, 1).then(fetch))',
    'n("\\u0030").sound("sine")',
    'n("0").sound("sin\\x65")',
    'n("0").sоund("sine")',  # Cyrillic o
    'n("0").sound("sine").gain(0.2',
    'n("0").sound("sine").gain(1e9)',
    'n("0").sound("sine").gain(0x10)',
    'n("0").sound("https://evil/x.wav")',
    'n("0").sound("sine").lpf("<300 fetch>")',
    'samples("github:evil/repo")',
    'n("0").sound("sine").pan(x => x)',
    'n("0").sound("sine").pan(() => 1)',
    'stack(n("0").sound("sine"), stack(n("1").sound("sine")))',
    'setcpm(20) stack(n("0").sound("sine")) hush()',
    'n("0 <1 2").sound("sine")',
    'n("0").sound("sine").jux(rev)',
    'n("0").sound("sine").gain(-)',
    'n("0").sound("sine").s("")',
    "",
    "   ",
    'setcpm(20/0)\nn("0").sound("sine")',
    'n("0(3,0)").sound("sine")',
    'n("0*0").sound("sine")',
]


def test_accepts_the_subset():
    result = validate(OK)
    assert result.ok and result.errors == [] and result.code == OK and result.sounds == ["sine"]


@pytest.mark.parametrize("code", HOSTILE)
def test_refuses_hostile_code(code):
    result = validate(code)
    assert not result.ok and result.code == "" and result.errors, code


def test_clamps_what_is_unsafe_for_reading():
    layer = 'n("[0*64]/2").scale("C3:minor").sound("sine").gain(0.95).delayfeedback(1.5).lpq(40)'
    result = validate(f"setcpm(240)\nstack({', '.join([layer] * 8)})")
    assert result.ok
    assert result.cpm == subset.CPM_RANGE[1] and result.layers == subset.MAX_LAYERS
    # Each gain is clamped to 0.6, then five layers of it are scaled down to the loudness budget.
    assert "gain(0.2)" in result.code and "delayfeedback(0.7)" in result.code and "lpq(12)" in result.code
    assert "0*16" in result.code and result.notes
    assert validate('n("0").sound("sine").gain(0.95)').code.endswith("gain(0.6)\n)")
    signal = validate('n("0").sound("sine").gain(sine.range(0.2, 3).slow(8))')
    assert "gain(sine.range(0.2, 0.6).slow(8))" in signal.code
    bare = validate('n("0").sound("sine").gain(sine)')
    assert "gain(sine.range(0.01, 0.6))" in bare.code  # the floor: never silent (subset.GAIN_FLOOR)


def test_adds_a_quiet_gain_and_a_sound_when_missing():
    result = validate('n("0 2")')
    assert result.ok and 'sound("triangle")' in result.code
    assert f"gain({subset.DEFAULT_GAIN})" in result.code


def test_allowed_sounds_and_intensity_cap():
    code = 'setcpm(30)\nstack(\n  n("0").sound("sine").gain(0.5),\n  s("sbd*4").gain(0.5)\n)'
    assert not validate(code, allowed_sounds=["sine"]).ok
    assert "sbd" in validate(code, allowed_sounds=["sine"]).errors[0]
    capped = validate(code, drums=False, max_gain=0.2)
    assert capped.ok and "sbd" not in capped.code and "gain(0.2)" in capped.code
    assert capped.sounds == ["sine"]
    assert not validate('s("sbd*4")', drums=False).ok


def test_output_is_canonical_and_stable():
    for style in load_styles().values():
        once = validate(style.example)
        assert once.ok and validate(once.code).code == once.code


def test_fuzz_mutations_never_pass_unless_they_are_in_the_grammar():
    """Property: whatever survives validation is in the grammar, and is a fixed point."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    grammar = parse_gbnf(__import__("app.strudel.grammar", fromlist=["gbnf"]).gbnf())
    examples = [s.example for s in load_styles().values()]
    junk = st.sampled_from(
        [*"()[]<>{},.;:'\"`$\\/*+-=!?~_#@ \n\t", "fetch", "eval", "this", "constructor",
         "globalThis", "import", "=>", "${", "\\u0041", "//", "/*", "sound", "gain", "0x1", "е"]
    )

    @hypothesis.settings(max_examples=300, deadline=None, derandomize=True)
    @hypothesis.given(st.sampled_from(examples), st.integers(0, 2000), st.integers(0, 8), junk)
    def check(example, at, cut, insert):
        at %= len(example) + 1
        mutated = example[:at] + insert + example[at + cut :]
        result = validate(mutated)
        if result.ok:
            assert accepts(grammar, result.code)
            assert validate(result.code).code == result.code
            for word in ("fetch", "eval", "constructor", "globalThis", "import", "=>", "`", "'"):
                assert word not in result.code

    check()


def test_random_text_is_refused():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None, derandomize=True)
    @hypothesis.given(st.text(min_size=1, max_size=80))
    def check(text):
        result = validate(text)
        if result.ok:  # only tiny programs of the subset survive
            assert result.code.startswith("setcpm(") and "stack(" in result.code

    check()


def test_an_effect_set_again_later_in_a_layer_keeps_only_its_last_value():
    code = ('setcpm(20)\nstack(\n  n("0 2").scale("C3:minor").sound("sine").gain(0.5).lpf(800).gain(0.5)'
            '.gain(0.2).slow(2).slow(2)\n)')
    result = validate(code)
    assert result.ok
    layer = result.code.split("\n")[2]
    assert layer.count(".gain(") == 1 and ".gain(0.2)" in layer and ".lpf(800)" in layer
    assert layer.count(".slow(2)") == 2  # slow() acts again each time: both kept
    assert any("set again" in n for n in result.notes)


# ---- Bounds on what an accepted program may do (how busy, how loud), and idempotence ------------


def test_the_whole_programs_notes_per_cycle_are_bounded_not_each_token():
    for busy in (
        'n("0*16*16").sound("sine")',
        'n("[0!16]!16").sound("sine")',
        'n("0*16").sound("sine")' + ".fast(4)" * 8,
        'n("[0,1,2,3,4,5,6,7]*16").sound("sine")',
        "stack(" + ", ".join(['s("sbd*16")'] * 5) + ")",
        'n("0(16,16)*16").sound("sine")',
    ):
        result = validate(busy)
        assert not result.ok and "too many notes" in result.errors[0], busy
    # Slowing down and alternation count what actually plays per cycle.
    assert validate('n("0*16*16").sound("sine").slow(8)').ok
    assert validate('n("<[0*16] [1*16] [2*16] [3*16]>").sound("sine")').ok


def test_chords_count_against_the_loudness_budget():
    one = validate("stack(" + ", ".join(['n("0").sound("sawtooth").gain(0.6)'] * 5) + ")")
    chord = "[" + ",".join(str(i) for i in range(16)) + "]"
    chords = validate("stack(" + ", ".join([f'n("{chord}").sound("sawtooth").gain(0.6)'] * 3) + ")")
    assert one.ok and chords.ok

    def loudness(code: str) -> float:
        gains = [float(g) for g in re.findall(r"\.gain\(([0-9.]+)\)", code)]
        voices = [1 + layer.count(",") for layer in re.findall(r'n\("([^"]*)"\)', code)]
        weights = [subset.PEAK_WEIGHT.get(s, 1.0) for s in re.findall(r'\.sound\("([a-z]+)"\)', code)]
        return sum(g * v * w for g, v, w in zip(gains, voices, weights, strict=True))

    assert loudness(one.code) <= subset.LOUDNESS_BUDGET + 1e-9
    assert loudness(chords.code) <= subset.LOUDNESS_BUDGET + 1e-9
    assert any("scaled" in n for n in chords.notes)
    # A shipped style is left as its author wrote it.
    quiet = 'stack(n("[0,2,4]").sound("triangle").gain(0.2), s("sbd*4").gain(0.25))'
    assert validate(quiet).code == validate(validate(quiet).code).code
    assert "gain(0.2)" in validate(quiet).code


def test_twelve_methods_without_sound_or_gain_stay_valid_when_checked_again():
    effects = ("room", "size", "delay", "pan", "shape", "attack", "decay", "sustain", "release", "lpq", "fm")
    code = 'n("0 2")' + "".join(f".{m}(0.1)" for m in (*effects, "velocity"))
    first = validate(code)
    assert first.ok
    again = validate(first.code)
    assert again.ok and again.code == first.code


HOSTILE_MUTATIONS = ("*16", "!16", ",0", ".fast(4)", ".gain(0.6)", ".sound(\"sine\")", "[", "]", "<", ">")


def test_validation_is_idempotent_and_bounded_for_drawn_and_mutated_programs():
    hypothesis = pytest.importorskip("hypothesis")  # not among the Pyodide test wheels
    st = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None, derandomize=True)
    @hypothesis.given(st.randoms(use_true_random=False), st.integers(min_value=0, max_value=6))
    def check(rng, mutations):
        program = draw(rules(max_depth=3), rng)
        for _ in range(mutations):  # hostile edits: more notes, louder, broken brackets
            at = rng.randrange(len(program) + 1)
            program = program[:at] + rng.choice(HOSTILE_MUTATIONS) + program[at:]
        first = validate(program)
        if not first.ok:
            return
        again = validate(first.code)
        assert again.ok and again.code == first.code, (program, first.code, again.errors)
        parsed = Parser(first.code).program()
        assert sum(ly.density().events for ly in parsed.layers) <= subset.MAX_EVENTS_PER_CYCLE
        loud = sum(ly.loudness(subset.GAIN_CEILING) for ly in parsed.layers)
        assert loud <= subset.LOUDNESS_BUDGET + 1e-9

    check()


def test_deep_nesting_is_refused_without_recursing():
    deep = 'n("' + "[" * 3000 + "0" + "]" * 3000 + '").sound("sine")'
    result = validate(deep)
    assert not result.ok and "nested more than" in result.errors[0]
    assert validate('n("' + "[" * 8 + "0" + "]" * 8 + '").sound("sine")').ok


def test_a_euclid_rhythm_never_has_more_pulses_than_steps():
    # Strudel's euclid fails ("Invalid array length") when pulses exceed steps.
    assert '"0(3,3)"' in validate('n("0(16,3)").sound("sine")').code
    assert '"0(3,8,2)"' in validate('n("0(3,8,2)").sound("sine")').code


def test_busy_scale_and_sound_patterns_count_too():
    # Strudel queries a layer's scale pattern for every note: a scale changing 100 times a cycle
    # costs as much as 100 notes.
    assert not validate('n("0*16").scale("<C3:minor D3:major>*16 C3:minor/0.02").sound("sine")').ok
    assert validate('n("0*16").scale("<C3:minor D3:major>").sound("sine")').ok


def test_a_program_of_rests_only_is_refused():
    assert "no notes" in validate('note("~(8,8,8)!6").sound("triangle")').errors[0]
    assert validate('stack(note("~ ~").sound("triangle"), s("sbd"))').ok
