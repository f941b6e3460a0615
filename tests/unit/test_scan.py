from app.strudel.scan import digest, salvage, split_program
from app.strudel.validate import validate

FULL = (
    'setcpm(24)\nstack(\n  n("<[0,2,4] [1,5,6]>").scale("D3:lydian").sound("triangle").attack(0.4)'
    '.pan(sine.range(0.7, 1.1).slow(16)).gain(0.2),\n  n("0 2").scale("D4:lydian").sound("sine").gain(0.1)\n)'
)


def test_split_program_finds_layers_despite_commas_in_strings_and_calls():
    head, layers, closed = split_program(FULL)
    assert head == "setcpm(24)" and closed and len(layers) == 2
    assert layers[0].startswith('n("<[0,2,4] [1,5,6]>")') and layers[1].endswith(".gain(0.1)")


def test_salvage_keeps_complete_layers_of_a_cut_off_program():
    cut = FULL[:-40]  # cut inside the second layer
    fixed = salvage(cut)
    assert fixed is not None and fixed.endswith("\n)") and fixed.count(".scale(") == 1
    assert validate(fixed).ok
    assert salvage(FULL) is None  # complete already
    assert salvage('setcpm(24)\nstack(\n  n("0 2') is None  # no complete layer
    assert salvage("fetch('x')") is None


def test_salvage_after_a_trailing_comma_keeps_every_layer():
    cut = FULL.rsplit(",\n  ", 1)[0] + ",\n  "
    fixed = salvage(cut)
    assert fixed is not None and validate(fixed).ok


def test_digest_keeps_tempo_notes_scale_sound_and_gain_only():
    short = digest(FULL)
    assert short.startswith("setcpm(24)\nstack(")
    assert ".attack(" not in short and ".pan(" not in short
    assert '.scale("D3:lydian").sound("triangle").gain(0.2)' in short
    assert len(short) < len(FULL) and validate(short).ok
    assert digest(FULL, max_layers=1).count(".scale(") == 1
