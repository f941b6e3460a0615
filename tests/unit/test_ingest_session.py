"""The controller receiving a book from the parse worker's event stream."""

import json

from app.ingest.stream import book_events
from app.session.reading import ReadingSession

from .aio import run
from .bookgen import STORY, layout_book, long_story, make_pdf
from .fakes import FakePlayer, FakeUI


def feed(controller, data, name, every=0.0):
    for event in book_events(data, name, controller.wpm, every=every):
        run(controller.receive_book_event(json.dumps(event)))


def calls(ui, name):
    return [c[1:] for c in ui.calls if c[0] == name]


def test_a_streamed_book_shows_at_its_first_section_then_grows():
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer())
    feed(controller, make_pdf(layout_book("Long", long_story(chapters=4))), "long.pdf")
    (first,) = calls(ui, "render_book")
    shown = json.loads(first[0])
    assert shown["source"] == "pdf" and 0 < len(shown["sections"]) < len(controller.book.sections)
    appended = [json.loads(a[0]) for a in calls(ui, "append_book")]
    total = len(shown["sections"]) + sum(len(a["sections"]) for a in appended)
    assert total == len(controller.book.sections)
    assert calls(ui, "set_progress")[-1] == (None, None)
    assert controller.arriving is None


def test_a_bad_file_leaves_the_open_book_alone():
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer())
    controller.open_sample()
    sample = controller.book
    feed(controller, b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "cover.pdf")
    assert controller.book is sample
    (message,) = calls(ui, "show_error")
    assert "PNG" in message[0]


def test_a_tiny_book_without_a_full_section_still_opens():
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer())
    feed(controller, make_pdf(layout_book("S", STORY)), "s.pdf", every=1e9)
    assert controller.book.source == "pdf" and len(controller.book.sections) >= 1


def test_measured_pace_resizes_sections_and_keeps_the_position():
    now = [0.0]
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer(), clock=lambda: now[0])
    feed(controller, make_pdf(layout_book("Long", long_story(chapters=6))), "long.pdf")
    before = len(controller.book.sections)
    for index in range(1, 6):  # every section read in 30 s: about twice the default pace
        now[0] += 30
        run(controller.reader_at(index))
    assert controller.pace.wpm > 350
    assert controller.wpm >= 320 and len(controller.book.sections) < before
    sizes = sorted(s.words for s in controller.book.sections)
    assert sizes[len(sizes) // 2] > 280


def test_set_wpm_keeps_the_reader_on_the_same_paragraph():
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer())
    feed(controller, make_pdf(layout_book("Long", long_story(chapters=6))), "long.pdf")
    run(controller.reader_at(7))
    paragraph = controller.book.sections[7].first
    controller.set_wpm(120)
    section = controller.book.sections[controller.current]
    assert section.first <= paragraph <= section.last
    assert calls(ui, "set_current")[-1] == (controller.current,)


def test_speed_changed_while_a_book_arrives_applies_when_it_is_complete():
    ui = FakeUI()
    controller = ReadingSession(ui=ui, player=FakePlayer())
    events = list(book_events(make_pdf(layout_book("Long", long_story(chapters=4))), "long.pdf", every=0.0))
    for event in events[:3]:
        run(controller.receive_book_event(json.dumps(event)))
    controller.set_wpm(120)
    for event in events[3:]:
        run(controller.receive_book_event(json.dumps(event)))
    from app.segment import make_sections

    expected = make_sections(controller.book.paragraphs, 120)
    assert [s.id for s in controller.book.sections] == [s.id for s in expected]
