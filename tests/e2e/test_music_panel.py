"""The code panel: an edit is validated (Python), checked (page), played and kept for its section;
the code view (CodeMirror) wraps, colours the subset's words, marks the notes sounding now and
shows a refusal at its place."""

import json

from app.seam import code_words
from app.strudel.validate import validate
from tests.conftest import EDITOR, type_code

EDIT = 'setcpm(24)\nstack(\n  n("0 2 4 7").scale("D3:dorian").sound("sine").gain(0.9)\n)'


def code(page):
    return page.evaluate("document.querySelector('#code').value")


def test_edit_plays_is_clamped_and_kept_and_bad_code_is_refused(app):
    app.wait_for_selector(EDITOR)
    assert app.is_hidden("#code")  # the editor took the first paint's textarea's place
    app.click("#play")
    app.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000, polling=50)
    type_code(app, EDIT)
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('by edited')")
    assert "Your edit plays for section 1" in app.inner_text("#status")
    assert "gain(0.6)" in code(app)  # what plays is the clamped, validated code
    assert "gain(0.6)" in app.inner_text(EDITOR)
    voices = app.evaluate("window.bookmusic.sound.position()")["voices"]
    assert voices[-1]["cpm"] == 24

    type_code(app, 'fetch("https://example.com").then(eval)')
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#status').textContent.includes('cannot play')")
    assert "a layer starts with" in app.inner_text("#status")  # the validator's reason
    # ... and in the code view, under the line, with the refused word marked at its place.
    app.wait_for_selector("#code-view .code-error")
    assert "a layer starts with" in app.inner_text("#code-view .code-error")
    assert app.inner_text("#code-view .code-error-at") == "fetch"
    assert app.evaluate("window.bookmusic.sound.position()")["voices"][-1]["cpm"] == 24
    # Changing the code clears the stale mark.
    app.focus(EDITOR)
    app.keyboard.press("End")
    app.keyboard.type(" ")
    assert app.locator("#code-view .code-error").count() == 0

    app.select_option("#intensity", "nodrums")
    app.fill("#prefetch", "3")
    app.dispatch_event("#prefetch", "change")
    app.click("#play")  # pause
    app.wait_for_function("window.bookmusic.sound.level() < 0.001", timeout=15_000, polling=100)


def test_ctrl_enter_plays_the_edit_and_an_error_in_a_string_is_placed_inside_it(app):
    app.wait_for_selector(EDITOR)
    bad = 'setcpm(20)\nstack(\n  n("0 2 q 4").sound("sine")\n)'
    type_code(app, bad)
    app.keyboard.press("Control+Enter")
    app.wait_for_selector("#code-view .code-error")
    # The validator's place inside the mini-notation string is the place in the whole code.
    assert app.inner_text("#code-view .code-error-at") == "q"
    where = validate(bad).where
    assert where is not None and bad[where] == "q"
    assert "cannot play" in app.inner_text("#status")
    type_code(app, EDIT)
    app.keyboard.press("Control+Enter")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('by edited')")
    assert app.locator("#code-view .code-error").count() == 0


def test_the_code_view_wraps_and_colours_the_subsets_words(app):
    app.wait_for_selector(EDITOR)
    long_line = 'n("' + " ".join(["0 2 4 7"] * 12) + '").scale("C3:minor").sound("gm_piano").lpf(800)'
    type_code(app, f"setcpm(20)\nstack(\n  {long_line},\n  fetch(1)\n)")
    # Wrapped: nothing runs past the editor's right edge, and the long line takes several rows.
    assert app.evaluate("(() => { const s = document.querySelector('#code-view .cm-scroller');"
                        " return s.scrollWidth <= s.clientWidth; })()")
    lines = app.evaluate("[...document.querySelectorAll('#code-view .cm-line')].map((l) => l.offsetHeight)")
    assert max(lines) > 2 * min(lines)
    coloured = app.evaluate("""(() => { const out = {};
        for (const el of document.querySelectorAll('#code-view [class*="tok-"]')) {
          const kind = [...el.classList].find((c) => c.startsWith('tok-'));
          (out[kind] ||= []).push(el.textContent); }
        return out; })()""")
    words = code_words()
    assert coloured["tok-program"] == ["setcpm", "stack"]
    assert set(coloured["tok-method"]) == {"scale", "sound", "lpf"} <= set(words["methods"])
    assert coloured["tok-sound"] == ["gm_piano"] and "gm_piano" in words["sounds"]
    assert coloured["tok-mode"] == ["minor"]
    assert coloured["tok-unknown"] == ["fetch"]  # outside the subset
    # The colours come from the build's facts: the same words the validator reads.
    facts = json.loads(app.evaluate("JSON.stringify(window.bookmusic.facts.syntax)"))
    assert facts == words


def test_the_notes_sounding_now_are_marked_in_the_code(app):
    app.wait_for_selector(EDITOR)
    app.click("#play")
    app.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000, polling=50)
    slow = 'setcpm(30)\nstack(\n  n("0 4 7 9").scale("C3:major").sound("sine").gain(0.3)\n)'
    type_code(app, slow)
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('by edited')")
    # Once the edit is the piece that sounds (after its crossfade), its notes light up in turn.
    app.wait_for_function("window.bookmusic.sound.sounding()?.code === document.querySelector('#code').value",
                          timeout=20_000)
    seen = set()
    for _ in range(40):
        marked = app.evaluate("[...document.querySelectorAll('#code-view .tok-playing')]"
                              ".map((e) => e.textContent)")
        seen.update(marked)
        app.wait_for_timeout(100)
    # Each marked span is a degree of the pattern (or its scale): the atoms Strudel reports.
    assert {"0", "4", "7", "9"} & seen, seen
    assert len(seen & {"0", "4", "7", "9"}) >= 2, seen  # it moves with the music
    app.click("#play")
    app.wait_for_function("document.querySelectorAll('#code-view .tok-playing').length === 0", timeout=5_000)
