import json

from app.session.reading import ReadingSession

from .aio import run
from .fakes import FakePlayer, FakeUI


def test_play_follows_the_reader_through_sections():
    ui, player = FakeUI(), FakePlayer()
    ctl = ReadingSession(ui, player)
    ctl.open_sample()
    assert ui.calls[0][0] == "render_book"
    assert len(json.loads(ui.calls[0][1])["sections"]) == len(ctl.book.sections)

    run(ctl.play())
    run(ctl.reader_at(2))
    run(ctl.reader_at(2))  # same section again: nothing new plays
    run(ctl.pause())
    assert len(player.played) == 3 and player.played[-1] is None
    assert player.played[0] != player.played[1]
    shown = [json.loads(c[1]) for c in ui.calls if c[0] == "show_code"]
    assert [s["section"] for s in shown] == [0, 2]


def test_empty_text_gets_a_message_not_a_book():
    ui, player = FakeUI(), FakePlayer()
    ctl = ReadingSession(ui, player)
    ctl.open_text("empty", "   \n\n ")
    assert ctl.book is None
    assert ui.calls == [("set_status", "“empty” has no readable text.", "problem")]


def test_an_edit_is_validated_kept_and_played_for_its_section():
    ui, player = FakeUI(), FakePlayer()
    ctl = ReadingSession(ui, player)
    ctl.open_sample()
    run(ctl.play())
    edited = 'setcpm(20)\nstack(\n  n("0 2 4").scale("D3:minor").sound("sine").gain(0.9)\n)'
    assert run(ctl.edit_code(0, edited))
    assert player.played[-1] == edited.replace("gain(0.9)", "gain(0.6)")  # clamped
    assert ctl.piece_for(0).source == "edited"
    run(ctl.reader_at(1))
    run(ctl.reader_at(0))
    assert player.played[-1] == edited.replace("gain(0.9)", "gain(0.6)")  # kept for its section
    assert ui.named("mark_code_error")[-1] == ("{}",)  # a good edit clears the mark
    assert not run(ctl.edit_code(0, 'fetch("https://example.com")'))
    assert ui.named("set_status")[-1] == (
        "This code cannot play: a layer starts with note(, n(, s( or sound(, not 'fetch' at 0", "problem")
    # The code view gets the place of the error in the code, and the reason to show beside it.
    mark = json.loads(ui.named("mark_code_error")[-1][0])
    assert mark == {"section": 0, "code": 'fetch("https://example.com")', "where": 0,
                    "message": "a layer starts with note(, n(, s( or sound(, not 'fetch' at 0"}


def test_prefetch_composes_sections_ahead():
    ui, player = FakeUI(), FakePlayer()
    ctl = ReadingSession(ui, player)
    ctl.open_sample()
    ctl.set_prefetch(2)
    run(ctl.play())
    ids = [s.id for s in ctl.book.sections[:3]]
    assert all(i in ctl.composed for i in ids)


def test_code_the_page_refuses_falls_back_to_the_instant_composer():
    class PickyPlayer(FakePlayer):
        async def play(self, program):
            if "D3:minor" in program.code:
                raise RuntimeError("sound check failed")
            self.played.append(program.code)

    ui, player = FakeUI(), PickyPlayer()
    ctl = ReadingSession(ui, player)
    ctl.open_sample()
    run(ctl.play())
    run(ctl.edit_code(0, 'n("0 2").scale("D3:minor").sound("sine")'))
    assert "D3:minor" not in player.played[-1] and ctl.piece_for(0).source == "instant"
    assert any("refused" in c[1] for c in ui.calls if c[0] == "set_status")
