"""Every path that turns code into sound takes only what the validator passed: a hostile piece
offered on each one (edit, score import, the browser's stored music, the model, endless mode, MIDI
export) never reaches the player, and the reader hears the instant composer instead of silence."""

from __future__ import annotations

import json

import pytest

from app.midi.export import Span
from app.session import memory, score
from app.session.listen import Listen, ListeningPlayer
from app.session.reading import ReadingSession
from app.strudel.program import ValidProgram
from app.strudel.validate import validate

from .aio import run
from .fakes import FakePlayer, FakeUI
from .test_persistence import FakeStore

HOSTILE = 'n("0").sound("sine").constructor.constructor("fetch(1)")()'
BUSY = 'n("0*16*16").sound("sine").fast(4).fast(4)'


class GuardedPlayer(FakePlayer):
    """The JS player: it must only ever be handed the code of a ValidProgram."""

    async def play(self, program):
        assert isinstance(program, str) and validate(program).ok and validate(program).code == program
        self.played.append(program)


def setup(store=None):
    ui, modes, inner = FakeUI(), FakeUI(), GuardedPlayer()
    listening = ListeningPlayer(inner, modes)
    session = ReadingSession(ui, listening, store)
    return session, Listen(session, listening, modes), ui, inner


@pytest.mark.parametrize("code", [HOSTILE, BUSY])
def test_an_edit_or_an_imported_score_cannot_play_hostile_code(code):
    session, _, ui, player = setup()
    session.open_sample()
    run(session.play())
    assert not run(session.edit_code(0, code))
    entries = [{"id": s.id, "code": code} for s in session.book.sections]
    text = json.dumps({"format": "bookmusic-score", "version": 1, "sections": entries})
    run(score.import_score(session, text))
    assert "could not play" in ui.named("set_status")[-1][0]
    assert session.piece_for(0).source == "instant" and player.played


def test_music_kept_in_the_browser_is_validated_again_when_it_comes_back():
    store = FakeStore()
    session, _, _, player = setup(store)
    session.open_sample()
    key, first = session.memory.key, session.book.sections[0].id
    store.saved[key] = {"paragraph": 0, "pieces": {first: {"code": HOSTILE, "style": "x", "mood": "calm"}},
                        "edits": {first: BUSY}}
    run(memory.restore(session))
    assert session.piece_for(0).source == "instant"
    run(session.play())
    assert player.played


def test_endless_plays_the_drift_when_the_model_writes_hostile_code():
    _, listen, _, player = setup()
    stops = []

    async def writer(brief, previous, steer):
        return HOSTILE

    async def sleep(seconds):
        stops.append(seconds)
        await listen.stop_endless()

    listen.writer, listen.sleep = writer, sleep
    run(listen.start_endless("storm", 20))
    assert [p for p in player.played if p] and stops == [20.0]


def test_midi_export_and_the_player_take_only_validated_programs():
    with pytest.raises(TypeError):
        Span(HOSTILE, 10.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ValidProgram(HOSTILE)
    _, listen, _, _ = setup()
    with pytest.raises(TypeError):
        run(listen.player.play(HOSTILE))  # type: ignore[arg-type]
