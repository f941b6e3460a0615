"""What plays for a section is one thing: shown, played, and exported (score, MIDI) with the same
code, name and length; the validator runs once per piece; the listener's ensemble and intensity
are applied before any of that."""

from __future__ import annotations

import json
import re
from typing import Any

from app.session import score
from app.session.listen import Listen, ListeningPlayer
from app.session.reading import ReadingSession
from app.strudel import subset
from app.strudel import validate as validate_module
from app.strudel.validate import validate

from .aio import run
from .fakes import FakePlayer, FakeUI
from .midi_reader import read

# An angry storm: the mood sheet routes anger only to styles with a drum kit (anger, tense).
TITLE_BOOK = "# Storm\n\n" + "the storm raged; in fury he smashed the door and screamed with hate. " * 60


class RecordingPlayer(FakePlayer):
    """Remembers the code each MIDI export asked events for, and for how long."""

    def __init__(self) -> None:
        super().__init__()
        self.exported: list[tuple[str, float]] = []

    async def events(self, code: str, begin: float, end: float, seconds: float) -> Any:
        self.exported.append((code, seconds))
        return await super().events(code, begin, end, seconds)


def setup() -> tuple[ReadingSession, Listen, FakeUI, FakeUI, RecordingPlayer]:
    ui, modes, player = FakeUI(), FakeUI(), RecordingPlayer()
    listening = ListeningPlayer(player, modes)
    session = ReadingSession(ui, listening)
    listen = Listen(session, listening, modes)
    listen.start()
    session.open_text("Éléphant: Tome 2", TITLE_BOOK, markdown=True)
    return session, listen, ui, modes, player


def test_score_midi_and_shown_code_are_the_same_code_name_and_length() -> None:
    session, listen, ui, modes, player = setup()
    run(listen.choose_ensemble("pads"))
    run(session.set_intensity("soft"))
    run(session.play())
    shown = json.loads(ui.named("show_code")[-1][0])
    played = player.played[-1]
    assert shown["code"] == played

    score.export_score(session)
    score_name, _, text = ui.named("download")[-1]
    in_score = json.loads(text)["sections"][0]["code"]

    midi = run(listen.export_midi())
    midi_name = modes.named("download_file")[-1][0]
    midi_code, midi_seconds = player.exported[-1]

    assert in_score == played == midi_code
    assert shown["file"] == "elephant-tome-2-section-1"
    assert midi_name == shown["file"] + ".mid" and score_name == "elephant-tome-2.score.json"
    assert abs(midi_seconds - shown["seconds"]) < 0.1
    assert shown["seconds"] == round(session.book.sections[0].words / session.wpm * 60, 1)
    assert len(read(midi).tracks) > 1


def test_intensity_caps_what_plays_and_what_is_exported() -> None:
    session, _listen, ui, _modes, player = setup()
    run(session.play())
    full = validate(player.played[-1])
    drums = set(full.sounds) & subset.PERCUSSIVE
    assert drums  # a storm has drums
    run(session.set_intensity("nodrums"))
    capped = validate(player.played[-1])
    assert not drums & set(capped.sounds) and capped.layers == full.layers - 1
    run(session.set_intensity("soft"))
    gains = [float(g) for g in re.findall(r"\.gain\(([0-9.]+)\)", player.played[-1])]
    assert gains and max(gains) <= 0.15
    score.export_score(session)
    exported = validate(json.loads(ui.named("download")[-1][2])["sections"][0]["code"])
    assert not drums & set(exported.sounds)
    run(session.set_intensity("full"))
    assert validate(player.played[-1]).sounds == full.sounds


def count_validations(monkeypatch: Any, *modules: str) -> list[str]:
    """Every code the validator is asked about from these modules, from now on."""
    calls: list[str] = []
    real = validate_module.validate

    def counting(code: str, **options: Any) -> Any:
        calls.append(code)
        return real(code, **options)

    for module in modules:
        monkeypatch.setattr(f"{module}.validate", counting)
    return calls


def test_one_play_runs_the_validator_once_per_new_piece(monkeypatch: Any) -> None:
    session = ReadingSession(FakeUI(), FakePlayer(), prefetch=0)
    session.open_text("storm", TITLE_BOOK, markdown=True)
    calls = count_validations(monkeypatch, "app.compose.instant", "app.session.reading")
    run(session.play())
    assert len(calls) == 1  # the instant composer's own check; playing it checks nothing again
    run(session.pause())
    run(session.play())
    assert len(calls) == 1  # the same piece again: no new check


def test_an_edit_is_validated_once(monkeypatch: Any) -> None:
    session = ReadingSession(FakeUI(), FakePlayer(), prefetch=0)
    session.open_text("storm", TITLE_BOOK, markdown=True)
    run(session.play())
    calls = count_validations(monkeypatch, "app.session.reading")
    assert run(session.edit_code(0, 'n("0 2").sound("sine")'))
    assert len(calls) == 1
