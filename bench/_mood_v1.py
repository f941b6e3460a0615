"""The mood reader before issue 12 (stems voting across all languages), kept only as the benchmark baseline.

Each stem (matched at the start of a word, so "storm" hits "storms", "stormy") adds one vote to one
mood. The label is the mood with the most votes; valence (dark..bright) and arousal (calm..intense)
are the vote-weighted averages of the moods' coordinates, kept for the prompt and for tie-breaks.
No statistics, no model: you can read why a passage got its mood in `Mood.evidence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# mood -> (valence, arousal), each in -1..1
COORDINATES: dict[str, tuple[float, float]] = {
    "calm": (0.4, -0.8), "neutral": (0.0, -0.2), "warm": (0.6, -0.3), "tender": (0.6, -0.5),
    "melancholy": (-0.6, -0.5), "dreamy": (0.4, -0.6), "mysterious": (-0.3, 0.0),
    "strange": (-0.2, 0.2), "tense": (-0.6, 0.7), "angry": (-0.9, 0.9), "epic": (0.2, 0.8),
    "joyful": (0.9, 0.6), "playful": (0.7, 0.4), "pastoral": (0.5, -0.4),
}

# mood -> stems. Short, common, and specific; several languages side by side.
STEMS: dict[str, tuple[str, ...]] = {
    "calm": (
        "calm", "quiet", "gentl", "soft", "peace", "rest", "slow", "silen", "serene", "patient",
        "drift", "sleep", "hush", "tranquil", "breath",
        "calme", "paisib", "doux", "douce", "silenc", "repos", "sommeil",
        "ruhig", "stille", "sanft", "leise", "friedl", "schlaf",
        "tranquil", "quiet", "suave", "sosieg", "silencio", "dormi",
    ),
    "warm": (
        "warm", "home", "tea", "coffee", "kitchen", "fire", "hearth", "cosy", "cozy", "friend", "bread",
        "blanket", "comfort", "familiar",
        "maison", "chaleur", "chaud", "ami", "feu", "cuisine",
        "heim", "freund", "gemütl", "küche", "wärme",
        "hogar", "casa", "amig", "calor", "cocina",
    ),
    "tender": (
        "love", "kiss", "tender", "embrace", "hug", "care", "heart", "darling", "beloved",
        "amour", "baiser", "tendre", "cœur", "coeur", "aim",
        "liebe", "kuss", "zärtl", "herz", "umarm",
        "amor", "beso", "tiern", "corazón", "abraz",
    ),
    "melancholy": (
        "sad", "sorrow", "grief", "griev", "tear", "weep", "wept", "cry", "cried", "lonel", "alone",
        "lost", "miss", "mourn", "funeral", "dead", "death", "dying", "regret", "empty", "grey", "gray",
        "rain", "ended", "farewell", "goodbye", "memor",
        "triste", "chagrin", "larme", "pleur", "seul", "perdu", "mort", "deuil", "pluie", "adieu",
        "traurig", "träne", "weinen", "einsam", "verlor", "tod", "regen", "abschied",
        "trist", "lágrima", "llor", "soledad", "perdid", "muert", "lluvia", "adiós",
    ),
    "dreamy": (
        "dream", "star", "moon", "sky", "cloud", "magic", "wonder", "float", "shimmer", "glow", "fairy",
        "heaven", "angel", "spell",
        "rêve", "reve", "étoile", "lune", "ciel", "nuage", "magie", "merveil",
        "traum", "stern", "mond", "himmel", "wolke", "zauber", "wunder",
        "sueñ", "estrell", "luna", "cielo", "nube", "magia", "maravill",
    ),
    "mysterious": (
        "myster", "secret", "shadow", "night", "dark", "fog", "mist", "whisper", "hidden", "clue",
        "detective", "stranger", "candle", "unknown", "murder", "corridor",
        "mystère", "secret", "ombre", "nuit", "sombre", "brouillard", "murmur", "indice",
        "geheim", "schatten", "nacht", "dunkel", "nebel", "flüster", "rätsel",
        "misterio", "secreto", "sombra", "noche", "oscur", "niebla", "susurr",
    ),
    "strange": (
        "strange", "weird", "alien", "machine", "robot", "uncanny", "glitch", "wrong", "impossib",
        "eerie", "bizarre", "surreal", "void", "static", "signal",
        "étrange", "bizarre", "machine", "vide",
        "seltsam", "fremd", "unheiml", "maschine", "leere",
        "extrañ", "raro", "máquina", "vacío",
    ),
    "tense": (
        "storm", "thunder", "lightning", "fear", "afraid", "terr", "danger", "panic", "shak", "tremb",
        "scream", "run", "ran", "chase", "hunt", "threat", "wave", "crash", "wind", "escape", "trap",
        "alarm", "heartbeat", "pound", "hurr", "nervous", "anxi", "dread", "horror",
        "tempête", "tonnerre", "peur", "danger", "cri", "fuir", "menace", "vague", "vent",
        "sturm", "donner", "angst", "gefahr", "schrei", "flucht", "drohung", "welle",
        "tormenta", "trueno", "miedo", "peligro", "grit", "huir", "amenaza", "ola", "viento",
    ),
    "angry": (
        "anger", "angry", "rage", "fury", "furious", "hate", "smash", "slam", "shout", "yell", "fight",
        "punch", "kill", "blood", "bitter", "curse", "tore", "torn", "broke", "destroy", "violen",
        "colère", "fureur", "haine", "frapp", "hurl", "détru",
        "wut", "zorn", "hass", "schlag", "brüll", "blut", "zerstör",
        "ira", "rabia", "furia", "odio", "golpe", "sangre", "destru",
    ),
    "epic": (
        "battle", "army", "war", "sword", "king", "queen", "kingdom", "hero", "glory", "triumph",
        "march", "mountain", "empire", "victory", "charge", "banner", "dragon", "vast", "legend",
        "bataille", "armée", "guerre", "épée", "roi", "reine", "royaume", "héro", "gloire",
        "schlacht", "armee", "krieg", "schwert", "könig", "reich", "held", "ruhm", "sieg",
        "batalla", "ejército", "guerra", "espada", "rey", "reina", "reino", "héroe", "gloria",
    ),
    "joyful": (
        "joy", "happ", "laugh", "danc", "sing", "song", "festiv", "celebrat", "cheer", "smil", "glad",
        "delight", "firework", "wedding", "party", "bright", "sun",
        "joie", "heureu", "rire", "danse", "chant", "fête", "sourir", "soleil",
        "freude", "glück", "lach", "tanz", "sing", "fest", "lächel", "sonne",
        "alegr", "feliz", "reír", "ríe", "bail", "cant", "fiesta", "sonri", "sol",
    ),
    "playful": (
        "play", "game", "joke", "funny", "tease", "trick", "giggl", "mischie", "curious", "puppy",
        "kitten", "jump", "skip", "bounc",
        "jeu", "jouer", "blague", "drôle", "malic", "curieu",
        "spiel", "witz", "lustig", "neugier",
        "jueg", "broma", "gracios", "travies", "curios", "salt",
    ),
    "pastoral": (
        "field", "meadow", "forest", "tree", "river", "hill", "farm", "village", "garden", "flower",
        "bird", "grass", "spring", "harvest", "orchard", "sheep", "valley", "path", "road", "walk",
        "champ", "prairie", "forêt", "arbre", "rivière", "colline", "ferme", "jardin", "fleur", "oiseau",
        "feld", "wiese", "wald", "baum", "fluss", "hügel", "dorf", "garten", "blume", "vogel",
        "campo", "prado", "bosque", "árbol", "río", "colina", "granja", "pueblo", "jardín", "flor",
    ),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Short stems would hit too many words: they must match the whole word.
_WHOLE_WORD_BELOW = 4


def _index() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for mood, stems in STEMS.items():
        for stem in stems:
            if len(stem) < _WHOLE_WORD_BELOW:
                exact.setdefault(stem, mood)
            else:
                prefixes.append((stem, mood))
    prefixes.sort(key=lambda p: -len(p[0]))  # the most specific stem wins
    return exact, prefixes


_EXACT, _PREFIXES = _index()


@dataclass(frozen=True)
class Mood:
    valence: float  # -1 dark .. 1 bright
    arousal: float  # -1 calm .. 1 intense
    hits: int  # lexicon words found; 0 means "no evidence, stay neutral"
    votes: dict[str, int] = field(default_factory=dict, compare=False)
    evidence: tuple[str, ...] = field(default=(), compare=False)  # the words that voted

    @property
    def label(self) -> str:
        if not self.votes:
            return "neutral"
        # Most votes wins; ties go to the more intense mood (a storm in a calm chapter is heard).
        return max(self.votes, key=lambda m: (self.votes[m], COORDINATES[m][1], m))


def mood_of_word(word: str) -> str | None:
    if word in _EXACT:
        return _EXACT[word]
    for stem, mood in _PREFIXES:
        if word.startswith(stem):
            return mood
    return None


def score_mood(text: str) -> Mood:
    votes: dict[str, int] = {}
    evidence: list[str] = []
    for word in _WORD.findall(text.lower()):
        mood = mood_of_word(word)
        if mood:
            votes[mood] = votes.get(mood, 0) + 1
            evidence.append(word)
    hits = sum(votes.values())
    if hits == 0:
        return Mood(0.0, -0.3, 0)
    valence = sum(COORDINATES[m][0] * n for m, n in votes.items()) / hits
    arousal = sum(COORDINATES[m][1] * n for m, n in votes.items()) / hits
    return Mood(round(valence, 3), round(arousal, 3), hits, votes, tuple(evidence[:24]))
