"""The controller remembers books through its store port; a fake store keeps it in a dict."""

import json

import pytest

from app.persistence import ScoreError, book_key, parse_score
from app.sample import sample_book
from app.session import memory, score
from app.session.reading import ReadingSession
from app.strudel.validate import validate

from .aio import run
from .fakes import FakePlayer, FakeUI


class FakeStore:
    """Same contract as storage/book_store.js, in memory: JSON strings in and out."""

    def __init__(self):
        self.books = {}  # key -> book json
        self.saved = {}  # key -> {"paragraph", "pieces", "edits"}
        self.last = None

    def _state(self, key):
        return self.saved.setdefault(key, {"paragraph": 0, "pieces": {}, "edits": {}})

    def remember_book(self, key, book_json):
        self.books[key] = book_json
        self.last = key

    async def load_book(self, key):
        return json.dumps(self.saved[key]) if key in self.saved else None

    async def last_book(self):
        if self.last is None:
            return None
        return json.dumps({"key": self.last, "book": json.loads(self.books[self.last])})

    def save_position(self, key, paragraph):
        self._state(key)["paragraph"] = paragraph

    def save_piece(self, key, section_id, piece_json):
        self._state(key)["pieces"][section_id] = json.loads(piece_json)

    def save_edit(self, key, section_id, code):
        edits = self._state(key)["edits"]
        if code is None:
            edits.pop(section_id, None)
        else:
            edits[section_id] = code

    def forget_book(self, key):
        self.books.pop(key, None)
        self.saved.pop(key, None)
        if self.last == key:
            self.last = None

    def clear_all(self):
        self.__init__()


def fresh(store):
    ui, player = FakeUI(), FakePlayer()
    return ReadingSession(ui, player, store), ui, player


def shown(ui):
    return [json.loads(c[1]) for c in ui.calls if c[0] == "show_code"]


EDIT = 'note("c3").sound("sine")'
EDITED = validate(EDIT).code  # the validator's normal form: what is kept and played

BOOK = "# Storm\n\n" + "the storm and thunder shook the house. " * 120 + "\n\n# After\n\n" + (
    "calm morning tea and gentle quiet. " * 120
)


def test_reload_brings_back_book_position_music_and_edit():
    store = FakeStore()
    ctl, _, player = fresh(store)
    run(memory.resume(ctl))  # first visit: nothing kept, the sample opens
    assert ctl.book.source == "sample"
    ctl.open_text("storm", BOOK, markdown=True)
    run(memory.restore(ctl))
    run(ctl.play())
    run(ctl.reader_at(1))
    composed = ctl.piece_for(1).code
    assert run(ctl.edit_code(1, EDIT))
    assert player.played[-1] == EDITED

    # A new page: a new controller with the same browser storage.
    ctl2, ui2, player2 = fresh(store)
    run(memory.resume(ctl2))
    assert ctl2.book.title == "storm" and ctl2.memory.key == ctl.memory.key
    assert ctl2.current == 1
    assert ("scroll_to", 1) in ui2.calls
    assert ctl2.originals[ctl2.book.sections[1].id].code == composed  # kept under the edit
    run(ctl2.play())
    assert player2.played[0] == EDITED
    assert shown(ui2)[-1]["edited"] is True and shown(ui2)[-1]["source"] == "edited"
    # The composed piece was kept under the edit: reverting brings it back, not a new one.
    run(ctl2.revert_edit(1))
    assert player2.played[-1] == validate(composed).code
    assert store.saved[ctl2.memory.key]["edits"] == {}


def test_reopening_the_same_text_restores_it_and_other_text_does_not():
    store = FakeStore()
    ctl, _, _ = fresh(store)
    ctl.open_text("a", BOOK, markdown=True)
    run(ctl.reader_at(1))
    ctl.open_text("b", "calm sea " * 50)
    run(memory.restore(ctl))
    assert ctl.current == 0
    ctl.open_text("a again", BOOK, markdown=True)
    run(memory.restore(ctl))
    assert ctl.current == 1


def test_place_is_kept_as_a_paragraph_so_it_survives_a_new_pace():
    store = FakeStore()
    ctl, _, _ = fresh(store)
    ctl.open_text("a", BOOK, markdown=True)
    run(ctl.reader_at(1))
    paragraph = ctl.book.sections[1].first
    assert store.saved[ctl.memory.key]["paragraph"] == paragraph
    slow, _, _ = fresh(store)
    slow.wpm = 60  # smaller sections: the same paragraph now sits in a later section
    run(memory.resume(slow))
    section = slow.book.sections[slow.current]
    assert section.first <= paragraph <= section.last


class Later:
    """An answer that arrives one step later, like IndexedDB's."""

    def __init__(self, value):
        self.value = value

    def __await__(self):
        yield
        return self.value


def test_a_record_read_late_is_not_applied_to_the_next_book():
    store = FakeStore()
    ctl, _, _ = fresh(store)
    ctl.open_text("a", BOOK, markdown=True)
    run(ctl.reader_at(1))
    ctl.open_text("a", BOOK, markdown=True)
    # A place that would exist in the sample too: it must still not be applied there.
    answer = json.dumps({"paragraph": sample_book().sections[2].first, "pieces": {}, "edits": {}})
    store.load_book = lambda key: Later(answer)
    pending = memory.restore(ctl)
    pending.send(None)  # waiting for the store...
    ctl.open_sample()  # ...while the reader opens another book
    with pytest.raises(StopIteration):
        pending.send(None)
    assert ctl.current == 0 and ctl.book.source == "sample"


def test_revert_edit_goes_back_to_the_composed_piece():
    store = FakeStore()
    ctl, ui, _ = fresh(store)
    ctl.open_book(sample_book())
    run(ctl.edit_code(0, 's("sbd")'))
    assert shown(ui)[-1]["edited"] is True
    run(ctl.revert_edit(0))
    assert store.saved[ctl.memory.key]["edits"] == {}
    assert shown(ui)[-1]["code"] == ctl.piece_for(0).code


def test_forget_and_clear():
    store = FakeStore()
    ctl, ui, _ = fresh(store)
    ctl.open_text("a", BOOK, markdown=True)
    key = ctl.memory.key
    run(ctl.edit_code(0, 's("sbd")'))
    run(memory.forget_book(ctl))
    assert key not in store.saved and key not in store.books
    assert ctl.book.source == "sample" and not ctl.edited_ids()
    assert "Forgot" in ui.calls[-1][1]
    run(memory.clear_everything(ctl))
    assert store.books == {ctl.memory.key: store.books[ctl.memory.key]}  # only the sample, reopened just now
    assert store.saved == {}


def test_damaged_record_still_boots():
    store = FakeStore()
    store.last = "x"
    store.books["x"] = json.dumps({"title": "broken"})
    ctl, _, _ = fresh(store)
    run(memory.resume(ctl))
    assert ctl.book.source == "sample"


def test_no_store_still_works():
    ctl, _, player = fresh(None)
    run(memory.resume(ctl))
    run(ctl.play())
    assert player.played


def test_book_key_depends_on_text_only():
    a, b = sample_book(), sample_book(wpm=120)
    assert book_key(a) == book_key(b) and len(book_key(a)) == 32
    b.paragraphs.pop()
    assert book_key(a) != book_key(b)


def test_score_round_trip_restores_every_section():
    ctl, ui, _ = fresh(FakeStore())
    ctl.open_text("storm", BOOK, markdown=True)
    run(ctl.edit_code(0, 's("sbd*2")'))
    score.export_score(ctl)
    name, mime, text = next(c[1:] for c in ui.calls if c[0] == "download")
    assert name == "storm.score.json" and mime == "application/json"
    data = json.loads(text)
    assert [s["id"] for s in data["sections"]] == [s.id for s in ctl.book.sections]
    assert data["sections"][0]["code"] == validate('s("sbd*2")').code
    assert data["sections"][0]["source"] == "edit"
    assert all(s["style"] and s["code"] for s in data["sections"])

    other, ui2, _ = fresh(FakeStore())
    other.open_text("storm", BOOK, markdown=True)
    run(score.import_score(other, text))
    assert other.composed[other.book.sections[0].id].code == validate('s("sbd*2")').code
    assert len(other.edited_ids()) == len(other.book.sections)
    count = len(other.book.sections)  # its 840-word "sentences" are cut to keep sections short
    assert f"{count} of {count}" in next(c[1] for c in reversed(ui2.calls) if c[0] == "set_status")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "x"}', "format mark"),
        ('{"format": "bookmusic-score", "version": 9}', "version 9"),
        ('{"format": "bookmusic-score", "version": 1, "sections": [{"id": "a", "code": ""}]}', "damaged"),
    ],
)
def test_bad_score_files_get_a_clear_message(text, message):
    with pytest.raises(ScoreError, match=message):
        parse_score(text)
    ctl, ui, _ = fresh(None)
    ctl.open_sample()
    run(score.import_score(ctl, text))
    assert message in ui.calls[-1][1]
    assert ctl.edited_ids() == []


def test_score_of_another_book_is_refused():
    ctl, ui, _ = fresh(None)
    ctl.open_text("storm", BOOK, markdown=True)
    score.export_score(ctl)
    text = next(c[3] for c in ui.calls if c[0] == "download")
    ctl.open_sample()
    run(score.import_score(ctl, text))
    assert "another book" in ui.calls[-1][1]


def test_a_streamed_pdf_is_kept_whole_once_complete_and_reopens_in_place():
    from app.ingest.stream import book_events

    from .bookgen import layout_book, long_story, make_pdf

    pdf = make_pdf(layout_book("Long", long_story(chapters=4)))
    store = FakeStore()
    ctl, _, _ = fresh(store)

    def feed(controller):
        for event in book_events(pdf, "long.pdf", controller.wpm):
            run(controller.receive_book_event(json.dumps(event)))

    feed(ctl)
    kept = json.loads(store.books[ctl.memory.key])
    assert len(kept["paragraphs"]) == len(ctl.book.paragraphs)  # the whole book, not a first chunk
    assert store.last == ctl.memory.key
    run(ctl.reader_at(3))
    # The same file opened again: back at the same place.
    again, ui, _ = fresh(store)
    feed(again)
    assert again.memory.key == ctl.memory.key and again.current == 3
    assert ("scroll_to", 3) in ui.calls
    # And after a reload, the last book is the PDF, from the browser's copy.
    reloaded, _, _ = fresh(store)
    run(memory.resume(reloaded))
    assert reloaded.book.title == ctl.book.title and reloaded.current == 3


@pytest.mark.parametrize("hostile", ["[" * 20_000, '{"a":' * 20_000, '["\\"[[[[' + "[" * 30 + '"]'])
def test_a_deeply_nested_score_is_refused_before_parsing(hostile):
    if hostile.startswith('["'):  # brackets inside a string do not count: a plain (non-score) list
        with pytest.raises(ScoreError, match="format mark"):
            parse_score(hostile)
        return
    with pytest.raises(ScoreError, match="nests"):
        parse_score(hostile)
    ctl, ui, _ = fresh(FakeStore())
    ctl.open_sample()
    run(score.import_score(ctl, hostile))
    assert "nests" in ui.named("set_status")[-1][0]
    run(ctl.play())  # the page's Python still works
    assert ui.named("show_code")


def test_a_streamed_book_is_durable_before_the_page_says_it_is_open():
    from app.ingest.stream import book_events

    class Commit:
        """The page's store answers with a promise; this one commits when awaited."""

        def __init__(self, store, key, book_json):
            self.args = (store, key, book_json)

        def __await__(self):
            store, key, book_json = self.args
            FakeStore.remember_book(store, key, book_json)
            return iter(())

    class SlowStore(FakeStore):
        def remember_book(self, key, book_json):
            return Commit(self, key, book_json)

    store = SlowStore()
    ctl, ui, _ = fresh(store)
    statuses = []
    ui.set_status = lambda text, kind: statuses.append((text, store.last))
    for event in book_events(BOOK.encode(), "storm.md", ctl.wpm):
        run(ctl.receive_book_event(json.dumps(event)))
    done = [(text, last) for text, last in statuses if "sections." in text or text.endswith("sections")]
    assert done and done[-1][1] == ctl.memory.key  # kept (as the last book) when it was announced
