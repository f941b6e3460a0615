import json

from app.controller import Controller

from .aio import run


class FakeUI:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


class FakePlayer:
    def __init__(self):
        self.played = []

    async def play(self, code):
        self.played.append(code)

    async def stop(self):
        self.played.append(None)


def test_play_follows_the_reader_through_sections():
    ui, player = FakeUI(), FakePlayer()
    ctl = Controller(ui, player)
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
    ctl = Controller(ui, player)
    ctl.open_text("empty", "   \n\n ")
    assert ctl.book is None
    assert ui.calls == [("set_status", "“empty” has no readable text.")]
