"""A sample of the adversarial corpus (tests/unit/hostile_files.py) through the real page: each bad
file gets its message, the book open before it stays, nothing in it runs, the page keeps drawing
frames, and the next good file opens. Also the two files that used to crash the page's Pythons: a
score of 20,000 `[` and an EPUB nested 90,000 elements deep."""

from __future__ import annotations

from tests.e2e.test_open_books import SLOW, choose, paragraphs, reader, wait_title  # noqa: F401
from tests.unit.bookgen import STORY, make_epub
from tests.unit.hostile_files import CORPUS

SAMPLE = [
    "epub-deflate-1gb", "epub-bzip2", "epub-deep-opf", "pdf-flate-bomb", "pdf-cyclic-parent", "text-binary",
]
OPENS = ["epub-script", "epub-deep-xhtml", "md-brackets"]

FRAMES = """() => {
  window.__gap = 0;
  let last = performance.now();
  const frame = (t) => {
    window.__gap = Math.max(window.__gap, t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""


def test_hostile_files_get_their_message_and_nothing_else_breaks(reader, tmp_path):  # noqa: F811
    by_name = {h.name: h for h in CORPUS}
    assert set(SAMPLE + OPENS) <= set(by_name)
    reader.evaluate(FRAMES)
    gaps = {}
    for number, name in enumerate(SAMPLE):
        hostile = by_name[name]
        before, title = paragraphs(reader), reader.title()
        reader.evaluate("window.__gap = 0")
        choose(reader, tmp_path, hostile.filename, hostile.build())
        reader.wait_for_selector("#error:not([hidden])", timeout=SLOW)
        message = reader.inner_text("#error")
        assert hostile.says in message and hostile.filename in message, (name, message)
        assert paragraphs(reader) == before and reader.title() == title, name
        gaps[name] = reader.evaluate("window.__gap")
        good = f"Good Book {number}"
        choose(reader, tmp_path, f"good{number}.epub", make_epub(good, STORY))
        wait_title(reader, good)
    for name in OPENS:
        hostile = by_name[name]
        reader.evaluate("window.__gap = 0; document.title = 'waiting'")  # the book's title replaces it
        choose(reader, tmp_path, hostile.filename, hostile.build())
        reader.wait_for_function("document.title !== 'waiting'", timeout=SLOW)
        assert reader.is_hidden("#error"), name
        gaps[name] = reader.evaluate("window.__gap")
    print("longest frame gap while each file was read (ms):", gaps)
    assert reader.evaluate("window.__hostile") is None  # no script, handler or link in a book ran
    assert "pwned" not in reader.title()
    assert all(gap < 2000 for gap in gaps.values()), gaps


def test_a_score_of_20000_brackets_gets_a_message_and_play_still_works(reader, tmp_path):  # noqa: F811
    path = tmp_path / "bad.score.json"
    path.write_text("[" * 20_000)
    reader.set_input_files("#import-score", str(path))
    reader.wait_for_function("document.querySelector('#status').textContent.includes('nests')", timeout=SLOW)
    reader.click("#play")
    reader.wait_for_function("document.querySelector('#code').value.includes('stack(')", timeout=SLOW)
    assert reader.inner_text("#play") == "Pause"
