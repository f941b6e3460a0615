"""The mood reader on real books (issue 12): the old reader's failures stay fixed, and agreement
with a film composer's labels on the held-out test split does not regress."""

import json
from pathlib import Path

from app.compose.instant import compose
from app.music.mood import NEIGHBOURS, detect_language, follow_mood, mood_for_label, score_mood

PASSAGES = Path(__file__).resolve().parents[1] / "fixtures" / "mood" / "passages.jsonl"


def test_german_war_is_was_not_a_war():
    mood = score_mood("Es war einmal ein Mädchen, das war sehr müde und schlief ein.")
    assert mood.lang == "de"
    assert mood.label != "epic" and "war" not in mood.evidence
    battle = score_mood("Der Krieg begann; die Schlacht tobte, das Heer zog mit Schwertern und Fahnen.")
    assert battle.label == "epic"


def test_french_terre_vent_donner_are_not_a_storm():
    for text in ("La terre était douce; il voulut donner du pain aux enfants.",
                 "Il fit une bonne vente au marché, puis s'assit, le ventre plein, devant la maison."):
        mood = score_mood(text)
        assert mood.lang == "fr" and mood.label != "tense", (text, mood)
        assert not {"terre", "donner", "vente", "ventre"} & set(mood.evidence)
    assert score_mood("La tempête éclata; le tonnerre grondait et ils tremblaient de peur.").label == "tense"


def test_spanish_venta_ventero_ventura_are_not_wind():
    mood = score_mood("Llegaron a la venta; el ventero, hombre gordo, les habló de su buena ventura.")
    assert mood.lang == "es" and mood.label != "tense"
    assert not {"venta", "ventero", "ventura"} & set(mood.evidence)


def test_english_miss_is_a_title_not_a_loss():
    mood = score_mood("Miss Brown poured the tea for Miss Smith, and Miss Jones passed the bread and butter.")
    assert mood.label != "melancholy" and "miss" not in mood.evidence
    # English "held" is not a German hero, German "Rat" is not an English rodent: one list per language.
    assert score_mood("He held the letter and read it twice by the window.").label == "neutral"


def test_ties_go_to_the_calmer_mood():
    kitten = score_mood("The kitten played a funny game with the wool; outside, a storm and thunder.")
    assert kitten.votes["playful"] == kitten.votes["tense"] and kitten.label == "playful"
    rain = score_mood("A quiet, silent afternoon, rain on the window; thunder far off, a storm somewhere.")
    assert rain.votes["calm"] == rain.votes["tense"] and rain.label == "calm"


def test_ordinary_narration_is_neutral_and_says_why():
    plain = score_mood("He took the train at nine, read the paper, and got off at the second station.")
    assert plain.label == "neutral" and "plain narration" in plain.why()
    angry = score_mood("Furious, he cursed them and shouted with rage and hatred.")
    assert angry.label == "angry" and {"furious", "rage"} <= set(angry.cues)
    assert "furious" in angry.why()


def words(text: str) -> list[str]:
    return text.lower().split()


def test_language_detection():
    assert detect_language(words("the cat was on the mat and it was not happy")) == "en"
    assert detect_language(words("le chat était sur la table et il ne dormait pas")) == "fr"
    assert detect_language(words("die Katze war auf dem Tisch und sie schlief nicht")) == "de"
    assert detect_language(words("el gato estaba en la mesa y no dormía con los otros")) == "es"


def test_follow_mood_keeps_the_scene_unless_the_text_clearly_turns():
    storm = score_mood("The storm broke; thunder and lightning, and they fled in terror and fear.")
    assert storm.label == "tense"
    calmer = follow_mood(storm, "They reached the barn. A lamp was lit and the door shut behind them.")
    assert calmer.label == "tense" and calmer.kept and "scene goes on" in calmer.why()
    one_word = follow_mood(storm, "They laughed once, nervously, and listened to the fear outside.")
    assert one_word.label == "tense"
    turn = follow_mood(storm, "At dawn they laughed and sang; joy and delight, a merry feast, "
                              "dancing and laughter, happy at last, glad of the sun.")
    assert turn.label == "joyful" and not turn.kept
    assert follow_mood(None, "A quiet, peaceful, silent evening.").label == "calm"
    assert follow_mood("tense", "The door shut.").label == "tense"  # a stored label works too
    assert mood_for_label("no such mood").label == "neutral"


def test_compose_follows_the_previous_pieces_mood():
    storm = compose("s1", "The storm broke; thunder and lightning, and they fled in terror.")
    after = compose("s2", "They reached the barn and shut the door.", storm.code, storm.mood)
    assert storm.mood == after.mood == "tense"
    assert compose("s2", "They reached the barn and shut the door.").mood == "neutral"


def test_neighbours_are_symmetric_and_near():
    for mood, near in NEIGHBOURS.items():
        assert mood not in near
        for other in near:
            assert mood in NEIGHBOURS[other]
    assert NEIGHBOURS["tense"] == {"angry"} and "playful" in NEIGHBOURS["joyful"]


def test_agreement_on_the_held_out_test_split_does_not_regress():
    rows = [json.loads(line) for line in PASSAGES.read_text().splitlines() if line]
    test = [r for r in rows if r["split"] == "test"]
    assert len(rows) >= 300 and len(test) >= 100
    assert {r["lang"] for r in test} == {"en", "fr", "de", "es"}
    exact = compatible = 0
    for row in test:
        label = score_mood(row["text"]).label
        exact += label == row["label"]
        compatible += label == row["label"] or label in row["also_ok"] or label in NEIGHBOURS[row["label"]]
    # Measured by bench/mood.py when this floor was set: exact 0.363, compatible 0.611 (the reader
    # before issue 12: 0.265 / 0.425). Floors a few points under, so a regression fails.
    assert exact / len(test) >= 0.32, exact / len(test)
    assert compatible / len(test) >= 0.57, compatible / len(test)
