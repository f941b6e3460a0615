"""Real audio: Strudel plays through Web Audio and the master output is measured."""

PATTERN = 'note("c3 e3 g3 b3").sound("triangle").release(0.3).gain(0.5)'


def wait_level(page, above=None, below=None, timeout=15_000):
    """Wait until the output level crosses a threshold; returns the reading that crossed it (a
    second reading could already be on the other side: music breathes)."""
    test = f"l > {above}" if above is not None else f"l < {below}"
    # `+ 1e-12` keeps a silent 0 truthy, so the wait resolves with the reading itself.
    cond = f"() => {{ const l = window.bookmusic.sound.level(); return {test} ? l + 1e-12 : false; }}"
    handle = page.wait_for_function(cond, timeout=timeout, polling=50)
    return handle.json_value() - 1e-12


def test_strudel_plays_a_known_pattern_and_stops(app):
    assert app.evaluate("window.bookmusic.sound.level()") == 0
    app.evaluate("(code) => window.bookmusic.sound.play(code)", PATTERN)
    assert wait_level(app, above=0.02) > 0.02
    app.evaluate("window.bookmusic.sound.stop()")
    assert wait_level(app, below=0.001, timeout=15_000) < 0.001


def test_play_button_plays_music_composed_for_the_sample(app):
    app.click("#play")
    assert wait_level(app, above=0.01, timeout=20_000) > 0.01
    code = app.input_value("#code")
    assert "stack(" in code and "setcpm(" in code
    meta = app.inner_text("#now-meta")
    assert "Section 1" in meta
    # Moving to another section (keyboard) composes something different for it.
    app.keyboard.press("ArrowDown")
    app.keyboard.press("ArrowDown")
    app.wait_for_function("document.querySelector('#now-meta').textContent.includes('Section 3')")
    assert app.input_value("#code") != code
    app.click("#play")  # pause
    wait_level(app, below=0.001, timeout=15_000)
