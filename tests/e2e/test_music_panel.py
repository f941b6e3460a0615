"""The code panel: an edit is validated (Python), checked (page), played and kept for its section."""

EDIT = 'setcpm(24)\nstack(\n  n("0 2 4 7").scale("D3:dorian").sound("sine").gain(0.9)\n)'


def test_edit_plays_is_clamped_and_kept_and_bad_code_is_refused(app):
    app.click("#play")
    app.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=20_000, polling=50)
    app.fill("#code", EDIT)
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('by edited')")
    assert "Your edit plays for section 1" in app.inner_text("#status")
    assert "gain(0.6)" in app.input_value("#code")  # what plays is the clamped, validated code
    voices = app.evaluate("window.bookmusic.sound.position()")["voices"]
    assert voices[-1]["cpm"] == 24

    app.fill("#code", 'fetch("https://example.com").then(eval)')
    app.click("#apply-code")
    app.wait_for_function("document.querySelector('#status').textContent.includes('cannot play')")
    assert "a layer starts with" in app.inner_text("#status")  # the validator's reason
    assert app.evaluate("window.bookmusic.sound.position()")["voices"][-1]["cpm"] == 24

    app.select_option("#intensity", "nodrums")
    app.fill("#prefetch", "3")
    app.dispatch_event("#prefetch", "change")
    app.click("#play")  # pause
    app.wait_for_function("window.bookmusic.sound.level() < 0.001", timeout=15_000, polling=100)
