"""Every style file is valid; a broken one is reported with a reason."""


from app.music.styles import check_style, check_styles, load_moods, load_styles, parse_style, routes
from app.strudel import subset
from app.strudel.validate import validate

REQUIRED = {"ambient", "lofi", "chillhop", "warm_piano", "dreamy", "tense", "happy", "epic", "anger",
            "noir", "folk", "experimental"}


def test_all_style_files_pass_the_check():
    styles = load_styles()
    assert set(styles) >= REQUIRED
    assert check_styles(styles, load_moods()) == []


def test_style_promises_hold():
    for style in load_styles().values():
        assert 2 <= len(style.layers) <= subset.MAX_LAYERS and all(layer.role for layer in style.layers)
        assert style.parts and len(style.parts) == len(style.layers)
        assert style.cpm[0] <= style.example_cpm <= style.cpm[1]
        assert "scale(" in style.example  # harmony through scale degrees
        # A band, not a loop: something joins after the intro and something has two cells.
        assert any(p.enter != "intro" for p in style.parts), style.name
        assert any(len(p.cells) > 1 for p in style.parts), style.name
        if not style.drums:
            # The sounds it plays, not substrings: drum names are short ("sd", "rd", "hh").
            assert not set(validate(style.example).sounds) & subset.PERCUSSIVE, style.name
    assert load_styles()["dreamy"].modes[0] == "lydian" and not load_styles()["dreamy"].drums


BROKEN = '''
name = "broken"
description = "x"
moods = ["calm"]
cpm = [10, 200]
example_cpm = 12
modes = ["klingon"]
sounds = ["sine", "kazoo", "sbd"]
drums = false
[[layers]]
role = "pad"
code = 'n("0 2").scale("C3:major").sound("sine").gain(0.9)'
[[layers]]
role = "evil"
code = 's("sbd").gain(0.2)'
'''


def test_check_reports_what_is_wrong_with_a_broken_style():
    problems = " | ".join(check_style(parse_style("broken", BROKEN)))
    for expected in ("tempo range", "klingon", "kazoo", "clamping"):
        assert expected in problems
    evil = BROKEN.replace("gain(0.9)", "gain(0.2)").replace("sbd", "sbd").replace(
        's("sbd").gain(0.2)', 's("sbd").gain(0.2).then(fetch)')
    assert "refused" in " | ".join(check_style(parse_style("broken", evil)))
    drums = BROKEN.replace("gain(0.9)", "gain(0.2)")
    assert "drums = false" in " | ".join(check_style(parse_style("broken", drums)))


def test_mood_sheet_routes_only_to_existing_styles():
    moods = load_moods()
    styles = load_styles()
    assert {"calm", "tense", "angry", "joyful", "melancholy"} <= set(moods.routes)
    for names in moods.routes.values():
        assert set(names) <= set(styles)


def test_adding_a_style_is_adding_one_file():
    from app.music.styles import routes

    new = BROKEN.replace('name = "broken"', 'name = "harbour"').replace("[10, 200]", "[10, 14]")
    new = new.replace('["klingon"]', '["major"]').replace('"kazoo", ', "").replace("gain(0.9)", "gain(0.2)")
    new = new.replace("drums = false", "drums = true")
    style = parse_style("harbour", new)
    assert check_style(style) == []
    styles = {**load_styles(), "harbour": style}
    assert check_styles(styles, load_moods()) == []
    assert routes(styles, load_moods())["calm"][-1] == "harbour"  # reachable with no other edit


def test_a_style_card_for_prompts_carries_the_example():
    card = load_styles()["noir"].card()
    assert card.startswith("Style noir:") and "setcpm(14..24)" in card and "walking bass" in card
    assert load_styles()["noir"].example in card


def test_every_mood_has_a_palette_of_its_own():
    """The instant composer plays the first style the mood sheet names for a mood: no two moods
    share it, or two different scenes would sound alike (measured: warm and neutral both played
    lofi, and the audio told them apart no better than chance)."""
    own = {mood: styles[0] for mood, styles in routes(load_styles(), load_moods()).items()}
    assert len(set(own.values())) == len(own), own
    assert set(own.values()) <= set(load_styles())
