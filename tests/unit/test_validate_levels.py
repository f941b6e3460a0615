"""The validator refuses inaudible music (issue #13): no layer too quiet to hear, no hard pans, no
filter that cuts off the layer's own notes; repeated gain/pan keep the last call."""

from __future__ import annotations

import re

from app.strudel import subset
from app.strudel.pitch import hz, name_to_midi, note_range, scale_range
from app.strudel.validate import Parser, validate


def numbers(code: str, effect: str) -> list[float]:
    """Every number inside the `.effect(...)` calls of the code (plain or a signal's range)."""
    found = []
    for arg in re.findall(rf"\.{effect}\(((?:[^()]|\([^()]*\))*)\)", code):
        values = arg.split(".slow")[0].split(".fast")[0]
        found += [float(x) for x in re.findall(r"[0-9]+(?:\.[0-9]+)?", values)]
    return found


def stable(code: str) -> str:
    first = validate(code)
    assert first.ok, first.errors
    assert validate(first.code).code == first.code  # idempotent
    assert validate(first.code).notes == []  # and nothing left to change
    return first.code


def test_pitch_ranges_match_strudel_scales():
    # The values Strudel's own scale() and note() give (queried once with the vendored Strudel).
    assert name_to_midi("c3") == 48 and name_to_midi("eb") == 51 and name_to_midi("fs2") == 42
    assert name_to_midi("Db4") == 61 and name_to_midi("bs3") == 60
    r = scale_range(["0", "7", "-1"], ["C3:minor"])
    assert r is not None and (r.low, r.high) == (46, 60)  # Bb2 .. C4
    r = scale_range(["0", "4", "5"], ["C3:major:pentatonic"])
    assert r is not None and (r.low, r.high) == (48, 60)
    r = scale_range(["0", "4"], ["C:major", "A2:minor"])  # no octave: octave 3; both scales count
    assert r is not None and (r.low, r.high) == (45, 55)
    r = note_range(["c3", "a", "60"])
    assert r is not None and (r.low, r.high) == (48, 60)
    assert abs(hz(69) - 440) < 1e-9


def test_a_layer_low_passed_below_its_notes_is_opened_up():
    code = stable('n("0 2 4 7").scale("C4:minor").sound("sine").lpf(100).gain(0.3)')
    top = hz(scale_range(["7"], ["C4:minor"]).high)  # C5, 523 Hz
    assert numbers(code, "lpf") == [round(top * subset.FILTER_MARGIN + 0.5)]
    notes = validate('n("0 2 4 7").scale("C4:minor").sound("sine").lpf(100).gain(0.3)').notes
    assert any("cut off the layer's own notes" in n for n in notes)
    # A signal range: its low end is what matters.
    code = stable('note("c4 g4").sound("sawtooth").lpf(sine.range(80, 3000).slow(8)).gain(0.2)')
    low, high = numbers(code, "lpf")
    assert low >= hz(67) * subset.FILTER_MARGIN and high == 3000
    # A muffled pad (cutoff above its notes) is taste, left alone.
    assert "lpf(500)" in stable('n("0 2 4").scale("C3:minor").sound("triangle").lpf(500).gain(0.2)')


def test_a_layer_high_passed_above_its_notes_is_let_down():
    code = stable('n("0 2 4").scale("C2:minor").sound("sine").hpf(2000).gain(0.3)')
    (cut,) = numbers(code, "hpf")
    assert cut <= hz(36) / subset.FILTER_MARGIN  # under C2's fundamental, with margin
    # Drums and noise have no notes to protect: their filters stay as written.
    assert "hpf(2000)" in stable('s("sbd*4").hpf(2000).gain(0.3)')
    assert "lpf(100)" in stable('s("pink").lpf(100).gain(0.1)')


def test_hard_pans_come_toward_the_middle():
    low, high = subset.EFFECTS["pan"].low, subset.EFFECTS["pan"].high
    assert 0.1 <= low < high <= 0.9
    assert numbers(stable('n("0").sound("sine").pan(0).gain(0.2)'), "pan") == [low]
    assert numbers(stable('n("0").sound("sine").pan(1).gain(0.2)'), "pan") == [high]
    swept = stable('n("0").sound("sine").pan(sine.range(0, 1).slow(4)).gain(0.2)')
    assert numbers(swept, "pan") == [low, high]
    assert numbers(stable('n("0").sound("sine").pan(saw).gain(0.2)'), "pan") == [low, high]  # 0..1 by default


BAND = 'n("0 2 4 2").scale("C3:minor").sound("triangle").gain(0.3)'  # a layer at an ordinary level


def test_a_gain_too_quiet_to_hear_is_raised_to_the_floor():
    result = validate(f'stack({BAND}, n("0 2").scale("C3:minor").sound("sine").gain(0.003))')
    assert numbers(result.code, "gain") == [0.3, subset.GAIN_FLOOR]
    assert any("too quiet to hear" in n for n in result.notes)
    # The low end of a gain signal too; a chord's notes together reach the floor.
    swell = stable('n("0").sound("sine").gain(sine.range(0, 0.3))')
    assert numbers(swell, "gain") == [subset.GAIN_FLOOR, 0.3]
    chord = stable(f'stack({BAND}, n("[0,2,4,6]").scale("C3:minor").sound("sine").gain(0.001))')
    chord_gain = numbers(chord, "gain")[-1]
    assert chord_gain * 4 >= subset.GAIN_FLOOR > chord_gain
    # The quietest shipped layers (noise beds at 0.025) stay as written.
    assert "gain(0.025)" in stable(f'stack({BAND}, s("pink").gain(0.025))')


def test_a_whole_piece_too_soft_to_carry_a_section_comes_up_to_the_loudness_floor():
    # Two layers just over their own floors (the model piece at -44 dBFS) and a lone bell.
    ceiling = subset.GAIN_CEILING
    for code in ('stack(n("0 ~ 2 ~").scale("C4:minor").sound("sine").gain(0.012), '
                 'n("<0 -3>").scale("C3:minor").sound("triangle").gain(0.01))',
                 'n("<7 ~ ~ 9>").scale("C5:major").sound("sine").release(3).gain(0.03)'):
        before = [ly.loudest_gain(ceiling) for ly in Parser(code).program().layers]
        result = validate(code)
        assert any("gains raised" in n for n in result.notes), result.notes
        program = Parser(stable(code)).program()
        assert sum(ly.loudness(ceiling) for ly in program.layers) >= subset.LOUDNESS_FLOOR
        after = [ly.loudest_gain(ceiling) for ly in program.layers]
        # All gains go up by one factor (to the 3 decimals kept): the balance stays as written.
        assert len({round(a / b, 1) for a, b in zip(after, before, strict=True)}) == 1
    # A sparse piece at an ordinary gain is music as written.
    assert "gain(0.2)" in stable('n("<7 ~ ~ 9>").scale("C5:major").sound("sine").release(3).gain(0.2)')


def test_the_loudness_budget_never_pushes_a_layer_under_its_floor():
    chord = "[" + ",".join(str(i) for i in range(16)) + "]"
    heavy = "stack(" + ", ".join([f'n("{chord}").scale("C3:minor").sound("sawtooth").gain(0.6)'] * 3)
    heavy += ', n("0 2").scale("C4:minor").sound("sine").gain(0.02))'
    code = stable(heavy)
    program = Parser(code).program()
    ceiling = subset.GAIN_CEILING
    assert sum(ly.loudness(ceiling) for ly in program.layers) <= subset.LOUDNESS_BUDGET + 1e-9
    for layer in program.layers:
        assert layer.loudest_gain(ceiling) >= layer.gain_floor(ceiling)
    assert numbers(code, "gain")[-1] >= subset.GAIN_FLOOR  # the lone melody is still there


def test_a_loud_model_piece_and_a_quiet_one_end_up_near_each_other():
    # The two extremes (model pieces 29 dB apart): every layer at the ceiling, every
    # layer near silence. The budget brings the first down, the floor the second up; the rest of
    # the way is the player's loudness stage (tests/e2e/test_level.py).
    body = 'n("{d}").scale("C3:minor").sound("{s}").gain({g})'
    loud = "stack(" + ", ".join(body.format(d="[0,2,4]*4", s="sawtooth", g=0.6) for _ in range(4)) + ")"
    quiet = "stack(" + ", ".join(body.format(d="0 2", s="sine", g=0.002) for _ in range(2)) + ")"
    ceiling = subset.GAIN_CEILING
    measured = []
    for code in (loud, quiet):
        program = Parser(stable(code)).program()
        measured.append(sum(ly.loudness(ceiling) for ly in program.layers))
    before = [4 * 3 * 0.6 * subset.PEAK_WEIGHT["sawtooth"], 2 * 1 * 0.002]  # voices x gain x weight
    assert before[0] / before[1] > 1000  # ~ 60 dB apart as written
    assert measured[0] <= subset.LOUDNESS_BUDGET and measured[1] >= 2 * subset.GAIN_FLOOR
    assert measured[0] / measured[1] <= subset.LOUDNESS_BUDGET / (2 * subset.GAIN_FLOOR)


def test_repeated_gain_and_pan_keep_the_last_call():
    result = validate('n("0").sound("sine").gain(0.5).pan(0.2).gain(0.1).pan(0.7)')
    assert numbers(result.code, "gain") == [0.1] and numbers(result.code, "pan") == [0.7]
    assert sum("set again later" in n for n in result.notes) == 2
    assert validate(result.code).code == result.code


def test_distortion_is_kept_and_counted_in_the_loudness():
    # .shape runs in one of Strudel's worklets, shipped as a file of the site (scripts/build.py):
    # the page's CSP lets it load, so the layer sounds (tests/e2e/test_level.py hears it).
    result = validate('n("0 2").scale("C2:minor").sound("sawtooth").shape(0.4).gain(0.1)')
    assert ".shape(0.4)" in result.code and validate(result.code).code == result.code
