from app.music.instant import compose
from app.music.mood import score_mood
from app.sample import sample_book


def test_mood_separates_calm_from_violent_text():
    calm = score_mood("The sea was calm and quiet; gentle waves, soft morning light.")
    violent = score_mood("Thunder and fury: she screamed in rage and smashed the door.")
    assert calm.label == "calm" and violent.label == "tense"
    assert calm.arousal < 0 < violent.arousal


def test_compose_is_deterministic_per_section_and_varies_between_sections():
    book = sample_book()
    pieces = [compose(s.id, s.text) for s in book.sections]
    assert pieces[0] == compose(book.sections[0].id, book.sections[0].text)
    assert len({p.code for p in pieces}) == len(pieces)
    assert len({p.style for p in pieces}) >= 3
    for p in pieces:
        assert p.code.startswith("setcpm(") and "stack(" in p.code
