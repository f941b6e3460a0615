"""The SoundFont converter: every listed instrument and drum ships, with sane loop points."""

import itertools
import sys
from pathlib import Path

import pytest

from app.strudel import subset

if sys.platform == "emscripten":  # pragma: no cover - the Pyodide run of the unit tests
    pytest.skip("the build's converter and Debian's SoundFont are for CPython", allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import soundfont

# Held notes: the SoundFont loops them (sampleModes 1, volume sustained). The rest decay.
SUSTAINED = {
    "gm_violin", "gm_cello", "gm_string_ensemble_1", "gm_synth_strings_1", "gm_choir_aahs",
    "gm_trumpet", "gm_trombone", "gm_french_horn", "gm_brass_section", "gm_oboe", "gm_clarinet",
    "gm_flute", "gm_pad_warm", "gm_pad_halo",
}
DECAYING = {
    "gm_piano", "gm_epiano1", "gm_celesta", "gm_glockenspiel", "gm_music_box", "gm_vibraphone",
    "gm_marimba", "gm_acoustic_guitar_nylon", "gm_acoustic_guitar_steel", "gm_electric_guitar_clean",
    "gm_acoustic_bass", "gm_electric_bass_finger", "gm_pizzicato_strings", "gm_orchestral_harp",
    "gm_timpani",
}
DRUMS = {"bd": 36, "rim": 37, "sd": 38, "cp": 39, "hh": 42, "lt": 45, "oh": 46, "cr": 49, "ht": 50, "rd": 51}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("soundfont")
    return out, soundfont.convert(out)


def test_every_listed_instrument_and_drum_ships(converted):
    out, result = converted
    wanted = soundfont.load_wanted()
    assert set(wanted.instruments) == SUSTAINED | DECAYING and wanted.drums == DRUMS
    assert list(result.map) == [*wanted.instruments, *wanted.drums]
    for name in wanted.instruments:
        keyed = result.map[name]
        assert isinstance(keyed, dict) and len(keyed) >= 2, name
        midis = [soundfont._midi(key) for key in keyed]
        assert all(b - a >= soundfont.MIN_SPACING for a, b in itertools.pairwise(midis)), name
        for key, files in keyed.items():
            assert soundfont.note_name(soundfont._midi(key)) == key and len(files) == 1
    for name in wanted.drums:
        assert isinstance(result.map[name], list) and len(result.map[name]) == 1, name
    files = [f for bank in result.map.values() for f in (bank if isinstance(bank, list) else
                                                         [fs[0] for fs in bank.values()])]
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.ogg")} == set(files)
    for rel in set(files):
        assert (out / rel).read_bytes()[:4] == b"OggS"


def test_sustained_instruments_loop_and_decaying_ones_do_not(converted):
    out, result = converted
    assert set(result.loops) == SUSTAINED and set(result.release) == SUSTAINED
    for name, loops in result.loops.items():
        bank = result.map[name]
        assert isinstance(bank, dict) and set(loops) <= set(bank)
        assert len(loops) >= len(bank) / 2, name  # most of its samples hold
        for key, (begin, end) in loops.items():
            data = (out / bank[key][0]).read_bytes()
            rate = int.from_bytes(data[data.find(b"\x01vorbis") + 12 :][:4], "little")
            seconds = soundfont.ogg_frames(data) / rate
            assert 0 <= begin < end <= seconds, (name, key)
            assert end - begin >= 0.0005, (name, key)  # one period of its note at least (high ones: 1 ms)
        assert 0.1 <= result.release[name] <= soundfont.MAX_RELEASE


def test_loop_points_count_frames_from_the_sample_start():
    """SF3 headers: start/end are byte offsets of the Ogg stream, loops are decoded frames from its
    first frame, so a loop ends within the stream's decoded length, past its byte length."""
    font = soundfont.SoundFont(soundfont.DEFAULT_SF3)
    piano = font.samples[font.zones(font.preset_instruments(0)[0])[0].sample]
    frames = soundfont.ogg_frames(font.ogg(piano))
    assert piano.end - piano.start < piano.loop_end <= frames


def test_drum_names_are_percussion_and_come_from_one_table():
    assert set(subset.GM_DRUMS) == set(DRUMS)
    assert set(DRUMS) | {"sbd"} == set(subset.DRUM_SOUNDS) <= subset.PERCUSSIVE
    assert not set(subset.GM_SOUNDS) & subset.PERCUSSIVE
    assert set(subset.all_sounds()) >= set(DRUMS) | SUSTAINED | DECAYING


def test_a_program_the_soundfont_lacks_is_an_error(tmp_path):
    toml = tmp_path / "wanted.toml"
    toml.write_text("[instruments]\ngm_nothing = 200\n")
    with pytest.raises(KeyError):
        soundfont.convert(tmp_path / "out", wanted=soundfont.load_wanted(toml))


def test_the_no_drums_cap_drops_a_sampled_kit_layer():
    from app.strudel.validate import validate

    code = ('setcpm(30)\nstack(\n  s("bd ~ sd ~, hh*4").gain(0.3),\n'
            '  note("c3 e3").sound("gm_string_ensemble_1").gain(0.3)\n)')
    full = validate(code)
    assert full.ok and {"bd", "sd", "hh"} <= set(full.sounds)
    capped = validate(code, drums=False)
    assert capped.ok and capped.sounds == ["gm_string_ensemble_1"], capped
