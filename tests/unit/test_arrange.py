"""The arranger: pieces that develop over their minute, from styles that are bands, not loops."""

from __future__ import annotations

import difflib
import random
import re
import statistics

from app.compose.arrange import Setting, arrange
from app.compose.form import PHRASE, plan_form
from app.compose.instant import arc_of, compose, compose_mood, style_library
from app.compose.motif import Motif, cadence, displace, invert, make_motif, phrase_of, sequence
from app.music.harmony import check_harmony, family
from app.music.parts import Part, fill_cell
from app.strudel.validate import validate

FORM = re.compile(r'^\s*(?:n|s)\("<(.*)>/(\d+)"\)', re.M)


def phrases_of(layer_code: str) -> list[str]:
    """The top-level phrases of a layer's <...>/4 form."""
    match = FORM.match(layer_code)
    assert match, layer_code
    items, depth, current = [], 0, ""
    for ch in match.group(1):
        depth += (ch in "[<") - (ch in "]>")
        if ch == " " and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    return [*items, current]


def layers_of(code: str) -> list[str]:
    return [line.strip().rstrip(",") for line in code.splitlines()[2:-1]]


def test_cells_fill_with_degrees_chords_and_motif_notes_but_not_counts():
    assert fill_cell("0 ~ 4 ~", 2) == "2 ~ 6 ~"
    assert fill_cell("c ~ [~ c7]", 3) == "[3,5,7] ~ [~ [3,5,7,9]]"
    assert fill_cell("x _ x x ~ x", 1, [0, 2, 4, 2]) == "1 _ 3 5 ~ 3"
    # numbers after * ! and inside euclid (pulses,steps) count steps: they must not move
    assert fill_cell("0*2 [0,2](3,8) 4!2", 5) == "5*2 [5,7](3,8) 9!2"
    assert fill_cell("bd(3,8,2), hh*4", 0) == "bd(3,8,2),hh*4"


def test_motif_transformations():
    m = Motif("x x ~ x", (0, 2, 4))
    assert invert(m).notes == (0, -2, -3)  # mirrored round the first note, kept in range
    assert sequence(m, 2).notes == (2, 4, 6)
    assert cadence(m).notes[-1] == 0
    moved = displace(Motif("x _ x x", (0, 1, 2)))
    assert moved.cell == "x x _ x" and moved.notes == (2, 0, 1)  # the last note wraps to the front
    assert not displace(Motif("x x ~ x _", (0, 1, 2))).cell.startswith("_")  # a hold never starts
    rng = random.Random(3)
    for _ in range(50):
        motif = make_motif(rng, "x _ x x ~ x [x x]")
        assert len(motif.notes) == 6 and all(-3 <= n <= 9 for n in motif.notes)
        line = phrase_of(motif, rng)
        assert len(line) == PHRASE and line[0] == motif


def test_the_form_lasts_longer_than_a_minute_and_builds_then_releases():
    for cpm in range(8, 61):
        form = plan_form(cpm)
        assert form.cycles * 60 / cpm >= 60, cpm  # the whole texture never repeats within a minute
        assert form.labels[0] == "intro" and form.labels[-1] == "release" and "A" in form.labels
    late = Part("melody", ("sine",), ("x",), enter="second", release=False)
    peak = Part("pad", ("sine",), ("c",), enter="peak")
    rise, fall = plan_form(30, "rise"), plan_form(30, "fall")
    assert not rise.plays(late, 0) and not rise.plays(late, 1) and rise.plays(late, 2)
    assert fall.plays(late, 1)  # a falling arc has its energy up front
    assert not rise.plays(late, len(rise.labels) - 1)
    assert min(rise.peak()) > min(fall.peak())  # the peak comes late when the passage rises
    assert [i for i in range(len(rise.labels)) if rise.plays(peak, i)] == list(rise.peak())


def test_harmony_table_covers_every_mode():
    assert check_harmony() == []
    assert family("major") == "bright" and family("phrygian") == "edge" and family("minor") == "dark"


def test_every_style_arranges_valid_code_that_develops():
    styles, _ = style_library()
    for name, style in styles.items():
        for i in range(6):
            setting = Setting("D", style.modes[i % len(style.modes)], style.cpm[i % 2],
                              brightness=i / 5, arc=("rise", "fall", "steady")[i % 3])
            code = arrange(style, setting, random.Random(i))
            result = validate(code, allowed_sounds=style.sounds)
            assert result.ok and not result.notes, (name, result.errors, result.notes)
            layers = layers_of(result.code)
            forms = [phrases_of(layer) for layer in layers]
            sounding = [sum(p[k] != "~" for p in forms) for k in range(len(forms[0]))]
            assert sounding[0] >= 1, (name, "the intro must sound")
            assert max(sounding) > sounding[0], (name, "parts join after the intro")
            assert sounding[-1] < max(sounding), (name, "the close thins out")
            # more than one phrase of music: the piece is not one loop
            assert any(len({p for p in f if p != "~"}) > 1 for f in forms), name


def test_same_style_pieces_for_different_passages_differ():
    """Code similarity of same-style pieces for different passages, measured as bench/music.py
    does (difflib without its autojunk heuristic), per style, then the median over styles (so how
    often a mood picks which style does not move it). Loops scored 0.93; the issue asks for 0.6,
    which this notation (brackets, commas and small digits everywhere) does not reach yet: 0.63
    before song forms, bridges, turned figures and chord colours, 0.61 with them (the bench's
    passages, all pairs: 0.615). This guards the gain."""
    _, routes = style_library()
    by_style: dict[str, list[str]] = {}
    for mood in routes:
        for i in range(5):
            piece = compose_mood(f"passage-{i}-{mood}", mood)
            by_style.setdefault(piece.style, []).append(piece.code)
    per_style = [statistics.median(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
                                   for j, a in enumerate(codes) for b in codes[j + 1:])
                 for codes in by_style.values() if len(codes) > 2]
    assert len(per_style) >= 10 and statistics.median(per_style) <= 0.64, per_style


def test_bright_moods_play_higher_and_brighter_than_dark_ones():
    def register(mood: str) -> float:
        octaves = []
        for i in range(12):
            code = compose_mood(f"reg{i}", mood).code
            octaves += [int(o) for o in re.findall(r'scale\("[A-G][#b]?(\d)', code)]
        return statistics.mean(octaves)

    assert register("joyful") > register("melancholy")


def test_arc_follows_the_passage():
    calm = "The garden was quiet and still; soft light, gentle rest, a peaceful sleepy afternoon. " * 3
    storm = "Then thunder and terror: screams, fury, blood, the storm tore and smashed, danger! " * 3
    assert arc_of(calm + storm) == "rise"
    assert arc_of(storm + calm) == "fall"
    assert arc_of("Too short to tell.") == "steady"
    assert compose("arc", calm + storm).code != compose("arc", calm + calm).code


def test_an_intense_mood_is_faster_and_starts_with_its_band_playing():
    from app.compose.instant import setting_for
    from app.music.mood import mood_for_label

    styles, _ = style_library()
    tense = styles["tense"]
    calm_cpm, storm_cpm, calm_intro, storm_intro = [], [], [], []
    for i in range(20):
        for label, cpms, intros in (("calm", calm_cpm, calm_intro), ("angry", storm_cpm, storm_intro)):
            setting = setting_for(tense, f"s{i}", mood_for_label(label))
            cpms.append(setting.cpm)
            forms = [phrases_of(layer) for layer in layers_of(arrange(tense, setting, random.Random(i)))]
            intros.append(sum(f[0] != "~" for f in forms))
    assert statistics.mean(storm_cpm) > statistics.mean(calm_cpm) + 3
    assert min(storm_intro) > max(calm_intro)


def test_chord_inversions_keep_the_chord_near_its_root():
    from app.music.parts import voiced

    assert voiced((0, 2, 4), 0) == (0, 2, 4)
    assert voiced((0, 2, 4), 1) == (2, 4, 7)
    assert voiced((0, 2, 4), 2) == (-3, 0, 2)  # lifted too far: down an octave
    assert fill_cell("c", 1, inversion=1) == "[3,5,8]"


def test_a_sheet_without_real_material_leaves_it_to_the_arranger():
    from app.compose.sheet import parse_sheet

    moods, leads = ["calm", "tense"], ["sine"]
    flat = "mood: calm\nmotif: 3 -3 -3 -3 -3\nchords: 6 6 6 6\nlead: sine\narc: rise"
    sheet = parse_sheet(flat, moods, leads)
    assert sheet is not None and sheet.mood == "calm" and not sheet.motif and not sheet.chords
    copied = parse_sheet("mood: tense\nmotif: 2 4 5 4 2 1\nchords: 0 5 3 4", moods, leads)
    from app.compose.sheet import EXAMPLE_MOTIF
    from app.llm.prompt import load_config

    assert "motif: " + " ".join(map(str, EXAMPLE_MOTIF)) in load_config().sheet_system
    assert copied is not None and not copied.motif and copied.chords == (0, 5, 3, 4)
    own = parse_sheet("motif: 0 2 4 5 4\nchords: 0 3 4 0\nlead: kazoo\narc: sideways", moods, leads)
    assert own is not None and own.motif == (0, 2, 4, 5, 4) and own.lead is None and own.arc is None
    assert parse_sheet("lorem ipsum", moods, leads) is None


def test_sections_take_different_song_forms_with_a_bridge_of_their_own():
    forms = {plan_form(24, rng=random.Random(seed)).labels for seed in range(40)}
    assert len(forms) >= 3, forms  # AABB, ABAB, AABA, ABAC: not one build for every section
    for labels in forms:
        assert labels[0] == "intro" and labels[-1] == "release" and labels[1] == "A"
    assert any("C" in labels for labels in forms)
    # A piece whose form has a bridge (its own chords and figure) is valid code.
    style = style_library()[0]["folk"]
    for seed in range(40):
        rng = random.Random(seed)
        if "C" in plan_form(24, rng=random.Random(seed)).labels:
            code = arrange(style, Setting("C", "major", 24, 0.5), rng)
            assert validate(code, allowed_sounds=style.sounds).ok
            break
    else:
        raise AssertionError("no bridge in 40 sections")


def test_a_varied_figure_plays_the_same_notes_in_another_order():
    from app.compose.arrange import vary_figure

    cell = "0 4 2 4 7 4 2 4"
    variants = {vary_figure(cell, random.Random(seed)) for seed in range(30)}
    assert cell in variants and len(variants) >= 3
    for v in variants:
        assert sorted(v.split()) == sorted(cell.split())
    assert vary_figure("[0,2,4] 4", random.Random(1)) == "[0,2,4] 4"  # chords and short cells stay
