"""The one message area: seen at any scroll position, in the reader's words (a cause and a Retry
when the model cannot load, "1 section" not "1 sections"), notices that clear themselves and
problems that stay."""

from __future__ import annotations

import pytest

from tests.conftest import LAPTOP, PHONE, READY, composer_report

PICKER_FILLED = READY + " && document.querySelectorAll('#model option').length > 1"
MISSING_MODEL = "models/no-such-model.gguf"  # served from localhost: a 404


def seen(page, selector):
    """On screen and not under anything (what a look at that spot would read)."""
    return page.evaluate(
        """(sel) => { const n = document.querySelector(sel); const r = n.getBoundingClientRect();
        if (!r.height || r.top < 0 || r.bottom > innerHeight) return false;
        const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
        return hit === n || n.contains(hit); }""",
        selector,
    )


def status(page):
    return page.inner_text("#status")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_message_is_seen_after_scrolling_and_nothing_moves(open_at, viewport):
    page = open_at(viewport, wait_for=PICKER_FILLED)
    page.evaluate("scrollTo(0, document.scrollingElement.scrollHeight / 2)")
    page.wait_for_timeout(300)
    # A speed change (the menu's on a phone) says so where the reader is.
    if viewport is PHONE:
        page.click("#more")
    page.select_option("#wpm", "280")
    page.wait_for_function("document.querySelector('#status').textContent.includes('280 words a minute')")
    assert seen(page, "#status")
    if viewport is LAPTOP:
        assert seen(page, "#engine")  # the engine line, atop the sticky music panel
    # A long problem takes no more room than the line kept for it: the text does not move.
    page.keyboard.press("Escape")
    page.evaluate("document.querySelector('#s-3').scrollIntoView()")
    top = page.evaluate("document.querySelector('#s-3').getBoundingClientRect().top")
    height = page.evaluate("document.querySelector('#messages').offsetHeight")
    page.evaluate("""async () => { const ui = await import(new URL('ui/index.js', location.href));
        ui.set_status('This code cannot play: ' + 'a layer starts with n(...) or s(...); '.repeat(6),
                      'problem'); }""")
    assert page.evaluate("document.querySelector('#messages').offsetHeight") == height
    assert page.evaluate("document.querySelector('#s-3').getBoundingClientRect().top") == top
    assert seen(page, "#status") and seen(page, "#message-close")
    assert page.console_errors == []


def test_notices_clear_themselves_and_problems_stay_until_dismissed(open_at):
    page = open_at(LAPTOP, wait_for=PICKER_FILLED)
    page.select_option("#wpm", "280")
    page.wait_for_function("document.querySelector('#status').textContent.includes('280')")
    assert page.is_hidden("#message-close")  # a notice: nothing to dismiss, it goes by itself
    page.wait_for_function("document.querySelector('#status').textContent === ''", timeout=15_000)
    page.focus("#code-view .cm-content")  # the code editor: select all, type
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("fetch('x')")
    page.click("#apply-code")
    page.wait_for_function("document.querySelector('#status').textContent.includes('cannot play')")
    page.wait_for_timeout(8000)  # longer than a notice lives
    assert "cannot play" in status(page) and page.is_visible("#message-close")
    page.click("#message-close")
    assert status(page) == "" and page.is_hidden("#message-close")


def test_the_sender_names_the_kind_not_the_wording(open_at):
    """A problem worded calmly still stays; a notice that says "could not" still clears itself."""
    page = open_at(LAPTOP, wait_for=PICKER_FILLED)
    say = """async ([text, kind]) => { const ui = await import(new URL('ui/index.js', location.href));
        ui.set_status(text, kind); }"""
    page.evaluate(say, ["Heads up: the book ends here.", "problem"])
    page.wait_for_timeout(7000)  # longer than a notice lives
    assert status(page) == "Heads up: the book ends here." and page.is_visible("#message-close")
    page.evaluate(say, ["Could not matter less: all is well.", "notice"])
    assert page.is_hidden("#message-close")
    page.wait_for_function("document.querySelector('#status').textContent === ''", timeout=15_000)
    # A kind the page does not know is a bug in the sender: reported as a page error, and the
    # message stays (seen, not lost).
    page.evaluate(say, ["Hello", "shout"])
    page.wait_for_timeout(500)
    assert any('message kind "shout" is not one of notice,problem' in e for e in page.console_errors)
    assert status(page) == "Hello" and page.is_visible("#message-close")


def test_a_model_that_cannot_load_says_why_in_plain_words_and_retry_tries_again(open_at):
    page = open_at(PHONE, f"?model-url={MISSING_MODEL}", wait_for=PICKER_FILLED)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if MISSING_MODEL in r.url else None)
    page.click("#play")  # the address named the model: Play loads it
    page.wait_for_function("!document.querySelector('#message-action').hidden", timeout=30_000)
    text = status(page)
    assert "could not load: the model file was not found at its address (HTTP 404)" in text, text
    assert "Error" not in text and "fetch" not in text  # no developer wording
    assert "(HTTP 404)" in page.text_content("#engine")  # the picker's line, in the drawer
    assert page.inner_text("#message-action") == "Retry" and seen(page, "#message-action")
    first = len(asked)
    assert first >= 1
    page.click("#message-action")
    # Retry loads the model again: a new request, and the same plain cause once it fails again.
    page.wait_for_function("document.querySelector('#status').textContent.includes('could not load')"
                           " && !document.querySelector('#message-action').hidden", timeout=30_000)
    assert len(asked) > first
    assert composer_report(page)["state"] == "failed"


def test_one_section_is_one_section(open_at):
    page = open_at(LAPTOP, wait_for=PICKER_FILLED)
    page.click("#paste")
    page.fill("#paste-text", "A short note about the sea.")
    page.click("#paste-open")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('Pasted text:')")
    assert status(page) == "Pasted text: 1 section."
