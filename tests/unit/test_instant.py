"""The instant composer: mood → style → deterministic variation, always valid code."""

import re

from app.compose.instant import compose, compose_mood
from app.music.mood import score_mood
from app.music.styles import load_styles
from app.sample import sample_book
from app.strudel.grammar import gbnf
from app.strudel.validate import validate

from .gbnf_match import accepts, parse_gbnf

CALM = [
    "The sea was calm and quiet; gentle waves, soft morning light on the kitchen table.",
    "She slept peacefully while the snow fell in silence over the sleeping village.",
    "La mer était calme, le silence doux comme un sommeil.",
    "Der See lag still und ruhig, sanft schlief das Dorf.",
    "Todo estaba tranquilo; el silencio suave de la noche dormida.",
    "He sat by the warm fire with his tea, at home, his old friend beside him.",
]
VIOLENT = [
    "Thunder and fury: she screamed in rage and smashed the door.",
    "He punched the wall, blood on his knuckles, shouting with hate, ready to kill.",
    "The storm tore the roof away; terrified, they ran from the crashing waves.",
    "La colère, la fureur : il frappa la table et hurla de haine.",
    "Wut und Hass: er schlug zu, brüllte, Blut überall.",
    "Con rabia y furia golpeó la puerta; sangre y odio.",
]
VARIED = CALM + VIOLENT + [
    "They danced and laughed at the festival, singing under the fireworks, so happy.",
    "The kitten chased the ball, a funny little game, jumping and bouncing with mischief.",
    "A shadow moved in the fog; the detective followed the secret whisper down the dark corridor.",
    "She dreamed of stars and the moon, floating through clouds of shimmering magic.",
    "The army marched to battle, swords raised, the king's banner high: glory or death.",
    "Alone at the funeral, he wept; the rain and the grief, her memory lost forever.",
    "The meadow and the forest, the river by the farm, birds over the valley path.",
    "The machine hummed, uncanny and alien, a glitch in the static signal.",
    "Her hand in his, a tender kiss, love in her heart.",
    "The train left at nine. He read the paper and looked out of the window.",
]
CALM_STYLES = {"ambient", "warm_piano", "lofi", "dreamy", "folk", "chillhop"}
VIOLENT_STYLES = {"tense", "anger", "epic"}


def test_calm_text_gets_calm_music_and_violent_text_tense_or_angry_music():
    for text in CALM:
        piece = compose(f"calm-{text[:12]}", text)
        assert piece.style in CALM_STYLES, (text, piece.mood, piece.style)
        assert score_mood(text).arousal < 0
    for text in VIOLENT:
        piece = compose(f"violent-{text[:12]}", text)
        assert piece.style in VIOLENT_STYLES, (text, piece.mood, piece.style)
        assert score_mood(text).arousal > 0.5


def test_mood_is_transparent():
    mood = score_mood("Thunder and fury: she screamed in rage and smashed the door.")
    assert mood.label == "angry" and "fury" in mood.evidence and mood.votes["angry"] >= 3
    assert score_mood("1234 ... !!").label == "neutral"


def test_varied_passages_use_most_styles():
    used = set()
    for i, text in enumerate(VARIED):
        for j in range(3):  # the same kind of passage in three places of a book
            used.add(compose(f"s{i}-{j}", text).style)
    assert len(used) >= 10, used
    assert len(used) >= 0.8 * len(load_styles())


def test_compose_is_deterministic_per_section_and_varies_between_sections():
    book = sample_book()
    pieces = [compose(s.id, s.text) for s in book.sections]
    assert pieces[0] == compose(book.sections[0].id, book.sections[0].text)
    assert len({p.code for p in pieces}) == len(pieces)
    assert len({p.style for p in pieces}) >= 4
    same_text = {compose(f"id{i}", CALM[0]).code for i in range(12)}
    assert len(same_text) >= 8  # key, mode, tempo, progression, instruments vary per section


def test_every_composition_is_valid_and_in_the_grammar():
    grammar = parse_gbnf(gbnf())
    styles = load_styles()
    for i, text in enumerate(VARIED * 2):
        piece = compose(f"g{i}", text)
        check = validate(piece.code)
        assert check.ok and check.code == piece.code and not check.notes
        assert set(check.sounds) <= set(styles[piece.style].sounds)
        low, high = styles[piece.style].cpm
        assert low <= check.cpm <= high
        assert accepts(grammar, piece.code)


def test_previous_piece_sets_key_and_tempo_for_continuity():
    before = compose("a1", "The storm tore the roof; thunder and terror, they ran.")
    key = before.code.split('scale("')[1][:2].rstrip("0123456789:")
    after = compose("a2", "Rain, thunder, fear and danger in the storm.", previous=before.code)
    assert f'scale("{key}' in after.code
    cpm = int(before.code.split("setcpm(")[1].split(")")[0])
    low, high = load_styles()[after.style].cpm
    assert f"setcpm({max(low, min(high, cpm))})" in after.code
    assert after == compose("a2", "Rain, thunder, fear and danger in the storm.", previous=before.code)


def test_a_mood_keeps_its_register_while_chance_varies_its_colours():
    """A style's "brighten" parts sit an octave up for bright moods. The mood decides that, not
    the chance in a piece's brightness: pastoral sits near the line, and its pieces were split
    between two octaves (spectral centroid 0.8 vs 1.6 kHz on the listening bench)."""
    register = re.compile(r'scale\("([A-G][#b]?)(\d)')
    for mood in ("pastoral", "warm", "dreamy", "joyful", "tender"):
        by_key: dict[str, set[tuple[str, ...]]] = {}
        for i in range(24):
            layers = register.findall(compose_mood(f"register-{mood}-{i}", mood).program.code)
            # every layer's octave; the key is one for all layers (A, Bb and B sit an octave lower)
            by_key.setdefault(layers[0][0], set()).add(tuple(octave for _, octave in layers))
        assert all(len(octaves) == 1 for octaves in by_key.values()), (mood, by_key)
