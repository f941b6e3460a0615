"""The Listen panel's controller: ensemble at the player seam, endless loop, MIDI export flow."""

from __future__ import annotations

import base64
import json

import pytest

from app.compose.drift import Endless
from app.session.listen import Listen, ListeningPlayer
from app.session.reading import ReadingSession
from app.strudel.program import ValidProgram
from app.strudel.validate import validate

from .aio import run
from .fakes import FakePlayer, FakeUI
from .midi_reader import read


def setup(sleeps=3):
    ui, modes, player = FakeUI(), FakeUI(), FakePlayer()
    listening = ListeningPlayer(player, modes)
    controller = ReadingSession(ui, listening)
    slept = []

    async def sleep(seconds):
        slept.append(seconds)
        if len(slept) >= sleeps:
            await listen.stop_endless()

    listen = Listen(controller, listening, modes, sleep=sleep)
    listen.start()
    return listen, controller, ui, modes, player, slept


def test_start_offers_presets_and_the_palette():
    _, _, _, modes, _, _ = setup()
    (payload,) = modes.named("set_ensembles")[0]
    data = json.loads(payload)
    assert {"synths", "pads"} <= {p["name"] for p in data["presets"]}
    assert "sine" in data["palette"]


def test_the_ensemble_applies_to_the_readers_pieces_and_midi_follows():
    listen, controller, _ui, modes, player, _ = setup()
    controller.open_sample()
    run(listen.choose_ensemble("pads"))
    run(controller.play())
    result = validate(player.played[-1])
    assert result.sounds == ["pink", "supersaw", "triangle"]
    shown = json.loads(controller.ui.named("show_code")[-1][0])
    assert shown["code"] == player.played[-1]  # shown as it plays: voiced before it is shown
    assert modes.named("midi_follow")[-1] == (player.played[-1], None)
    run(controller.pause())
    assert modes.named("midi_stopped")


def test_a_bad_custom_pick_is_a_message_and_changes_nothing():
    listen, _, ui, _, _, _ = setup()
    run(listen.choose_ensemble("sine,kazoo"))
    assert listen.ensemble is None
    assert "kazoo" in ui.named("set_status")[-1][0]


def test_endless_plays_a_piece_per_period_until_stopped():
    listen, _controller, _ui, modes, player, slept = setup(sleeps=4)
    run(listen.choose_ensemble("soft-synths"))
    run(listen.start_endless("calm sea", 30))
    pieces = [c for c in player.played if c]
    assert len(pieces) == 4 and slept == [30.0] * 4
    assert player.played[-1] is None  # stopped at the end
    for code in pieces:
        assert validate(code).sounds == ["sine", "triangle"]
    shown = [json.loads(p[0]) for p in modes.named("show_piece")]
    assert [s["pieces"] for s in shown] == [1, 2, 3, 4]
    assert json.loads(modes.named("set_endless")[-1][0]) == {"on": False}


def test_export_of_a_section_downloads_a_midi_file_as_long_as_the_section():
    listen, controller, _ui, modes, _player, _ = setup()
    controller.open_sample()
    data = run(listen.export_midi())
    name, mime, b64 = modes.named("download_file")[-1]
    assert name.endswith("-section-1.mid") and mime == "audio/midi"
    assert base64.b64decode(b64) == data
    midi = read(data)
    section = controller.book.sections[0]
    piece = validate(controller.piece_for(0).code)
    cycles = round(section.words / controller.wpm * 60 * piece.cpm / 60)
    assert len(midi.tracks) == 1 + piece.layers
    assert len(midi.notes(1)) == cycles


def test_export_in_endless_mode_covers_the_pieces_kept():
    listen, _controller, _ui, modes, _player, _ = setup()
    listen.endless = Endless("calm", seed=5, seconds=20)  # as start_endless sets it up
    run(listen._play_next())
    run(listen._play_next())
    data = run(listen.export_midi())
    name = modes.named("download_file")[-1][0]
    assert name.startswith("endless-") and name.endswith("-1-2.mid")
    tempos = [e for e in read(data).tracks[0] if e.kind == "tempo"]
    assert len(tempos) == 2


def test_nothing_to_export_is_a_message():
    listen, _, ui, _modes, _, _ = setup()
    assert run(listen.export_midi()) == b""
    assert "Nothing to export" in ui.named("set_status")[-1][0]


def test_the_period_can_change_while_endless_plays():
    listen, _, _, _, _, slept = setup(sleeps=3)
    original = listen.sleep

    async def sleep_and_change(seconds):
        listen.set_period(90)
        await original(seconds)

    listen.sleep = sleep_and_change
    run(listen.start_endless("", 30))
    assert slept == [30.0, 90.0, 90.0]


def test_a_play_cancelled_by_stop_is_not_followed_by_midi():
    class Cancelled:
        cancelled = True

    class CancellingPlayer(FakePlayer):
        async def play(self, code):
            return Cancelled()

    modes = FakeUI()
    listening = ListeningPlayer(CancellingPlayer(), modes)
    run(listening.play(validate('setcpm(20)\nstack(\n  n("0").sound("sine").gain(0.2)\n)').program))
    assert modes.named("midi_follow") == [] and listening.now_playing is None


def test_the_player_takes_only_validated_programs():
    listening = ListeningPlayer(FakePlayer(), FakeUI())
    with pytest.raises(TypeError):
        run(listening.play('n("0").sound("sine")'))
    with pytest.raises(TypeError):  # nor can one be made by hand
        ValidProgram('n("0").sound("sine")')


def test_endless_asks_a_writer_steered_by_the_drift_and_keeps_the_drift_when_refused():
    listen, _, _, modes, player, _ = setup(sleeps=4)
    run(listen.choose_ensemble("soft-synths"))
    asked = []
    answers = iter([
        'setcpm(16)\nstack(\n  n("0 2 4").scale("C3:major").sound("sine").gain(0.2),\n'
        '  n("<0 4>").scale("C2:major").sound("triangle").gain(0.2)\n)',
        'setcpm(16)\nstack(\n  n("0").sound("sawtooth").gain(0.2)\n)',  # not in the ensemble
        "not music at all",
        None,
    ])

    async def writer(brief, previous, steer):
        asked.append((brief, previous, steer))
        return next(answers)

    listen.writer = writer
    run(listen.start_endless("calm sea", 30))
    pieces = [c for c in player.played if c]
    assert len(asked) == 4 and len(pieces) == 4
    assert 'n("0 2 4").sound("sine").scale("C3:major")' in pieces[0]  # the model's piece played
    states = [p.state for p in listen.endless.pieces] if listen.endless else []
    for (brief, _, steer), state in zip(asked, states, strict=False):
        assert brief.startswith("Endless music, mood: calm sea.")
        # The drift's tempo and mode, as grammar options: the model writes within them.
        assert steer["modes"] == (state.mode,) and steer["tempos"][0] <= state.cpm <= steer["tempos"][1]
    assert all(set(steer) == {"tempos", "modes"} for _, _, steer in asked)
    assert asked[1][1] == pieces[0]  # continuity: the model sees what played before
    # The page says whose piece plays.
    assert [json.loads(p[0])["by"] for p in modes.named("show_piece")] == ["model", "drift", "drift", "drift"]
    for code in pieces[1:]:  # refused answers: the drifted instant piece plays instead
        assert validate(code).sounds == ["sine", "triangle"]
        assert "sawtooth" not in code
