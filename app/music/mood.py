"""The mood of a passage as a film composer would hear it, in English, French, German and Spanish.

How it reads (no model, pure Python, a few milliseconds a section):
1. The passage's language is guessed from its commonest function words (`detect_language`), and
   only that language's cue list is used: German "war" (= was) no longer votes epic, French
   "donner" (to give) is not German thunder, English "held" is not a German hero.
2. Each cue (a whole word, or a stem written with a trailing `*`) votes for one mood. Cues are
   words a composer would react to ("terreur", "Schlacht", "lágrimas"), not topics; titles and
   function words that look like cues ("Miss", "war", "venta") are simply not in the lists.
3. A passage is `neutral` unless its best mood has enough cues for its length: ordinary narrative
   is mostly neutral, as a composer would score it. Ties go to the calmer mood (a kitten at play
   and a rainy afternoon are not a storm).
4. Valence (dark..bright) and arousal (calm..intense) are the cue-weighted average of the moods'
   coordinates, shrunk towards neutral when the evidence is thin.

A composer follows the scene, not each sentence: `follow_mood(previous, text)` keeps the previous
section's mood unless the new text clearly turns, and then the change is full strength.

Why a passage got its mood is shown, not guessed: `Mood.cues` are the words that voted for the
chosen mood (for the page, next to the piece); `Mood.votes` are all moods' cue counts.

Measured on passages labelled before this reader existed: `bench/mood.py` and
tests/fixtures/mood/LABELLING.md. The cue lists are the project's own (AGPL, like the rest);
no third-party lexicon is shipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache

# mood -> (valence, arousal), each in -1..1
COORDINATES: dict[str, tuple[float, float]] = {
    "calm": (0.4, -0.8), "neutral": (0.0, -0.2), "warm": (0.6, -0.3), "tender": (0.6, -0.5),
    "melancholy": (-0.6, -0.5), "dreamy": (0.4, -0.6), "mysterious": (-0.3, 0.0),
    "strange": (-0.2, 0.2), "tense": (-0.6, 0.7), "angry": (-0.9, 0.9), "epic": (0.2, 0.8),
    "joyful": (0.9, 0.6), "playful": (0.7, 0.4), "pastoral": (0.5, -0.4),
}

# Moods a composer could swap without the scene feeling wrong: coordinates at most 0.45 apart.
# Fixed before the evaluation set was measured (tests/fixtures/mood/LABELLING.md, "Compatible").
NEIGHBOUR_DISTANCE = 0.45
NEIGHBOURS: dict[str, frozenset[str]] = {
    a: frozenset(b for b in COORDINATES
                 if b != a and math.dist(COORDINATES[a], COORDINATES[b]) <= NEIGHBOUR_DISTANCE)
    for a in COORDINATES
}

LANGUAGES = ("en", "fr", "de", "es")

# The commonest function words of each language; the language with the most hits wins.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in {
    "en": "the and of to was he she it that his her you with had is not but for which",
    "fr": "le la les et des un une est il elle que qui dans ne pas au du sur avait était",
    "de": "der die das und ist ein eine nicht sie er ich mit den dem zu sich auf war",
    "es": "el la los las y que en un una no se por con su lo del al era como",
}.items()}

# language -> mood -> cues. "word" matches the whole word; "stem*" matches words starting with it.
CUES: dict[str, dict[str, str]] = {
    "en": {
        "calm": "calm* peaceful* peace serene* serenity tranquil* silence silent* hush* hushed gently "
                "slumber* restful placid* stillness lull* drowsy quiet quietly quietness",
        "warm": "home homely hearth fireside cosy cozy comfortable comforting kindly kindness hospitab* "
                "welcome welcomed snug kettle cheery",
        "tender": "love loved lover lovers loving darling dearest beloved kiss kissed kisses kissing "
                  "embrace* caress* tender tenderly tenderness affection* sweetheart adore* fondly "
                  "lovingly",
        "melancholy": "sad sadly sadness sorrow* grief griev* mourn* weep* wept tears tearful lonely "
                      "loneliness forlorn despair* misery miserable wretched* funeral death dying "
                      "regret* lament* melanchol* gloom* desolat* sigh sighed sighing bereav* "
                      "heartbroken sob sobbed sobbing sobs anguish* grave graves coffin* widow* "
                      "dead unhappy* suffering",
        "dreamy": "dream* reverie* moon moonlight moonlit stars starry starlight heaven heavens magic* "
                  "enchant* fairy fairies shimmer* glimmer* vision visions spell-bound dreamily wonder "
                  "wondrous",
        "mysterious": "myster* secret secretly secrets shadow shadows shadowy whisper* unknown clue* "
                      "detective* vanished disappear* puzzl* riddle* suspici* veiled midnight "
                      "lantern* darkness",
        "strange": "strange strangely weird* uncanny eerie bizarre grotesque* ghost* phantom* spectre* "
                   "specter* witch* goblin* monster* hallucin* delirium delirious unearthly "
                   "supernatural nightmare*",
        "tense": "fear* afraid terror* terrif* dread* danger* peril* panic* alarm* anxious* anxiety "
                 "horror* horrib* frighten* fright trembl* shudder* scream* shriek* threat* escape* "
                 "flee fled pursu* chase* storm storms stormy thunder* lightning trap* desperat* "
                 "nervous* hurried* breathless* gasp* rushed",
        "angry": "anger angry angrily rage raged raging furious* fury wrath* indignan* hate hated "
                 "hatred* curse* cursed insult* scorn* contempt* quarrel* shout* yell* brute* brutal* "
                 "violent* violence savage* exasperat* outrage* sneer* jeer* abus* scoundrel "
                 "smash* slam* slammed punch* "
                 "kill killed killing",
        "epic": "battle* army armies soldier* sword* troop* regiment* war wars warrior* cannon* banner* "
                "glory glorious* heroic* hero heroes conquer* victory victorious triumph* cavalry "
                "knight* empire* throne* legion* campaign* fleet* crusade*",
        "joyful": "joy joyful* joyous* happy happiness delight* laugh laughed laughing laughter merry "
                  "merriment glad gladness festiv* feast* celebrat* danc* singing song songs cheer* "
                  "jubil* rejoic* bliss* gaily",
        "playful": "jest* joke* joking funny amus* droll comic* tease* teasing mischie* prank* trick* "
                   "giggl* game games frolic* whimsic* absurd* ridicul* nonsense chuckl* grin grinned "
                   "grinning fun roguish*",
        "pastoral": "field fields meadow* forest* woods tree trees river* brook* hill hills hillside "
                    "valley* farm farms village* garden* flower* blossom* bird birds grass* orchard* "
                    "harvest* sheep cattle cottage* lane lanes hedge* pasture* shepherd* countryside",
    },
    "fr": {
        "calm": "calme calmes calmé* paisib* paix sérén* tranquil* silenc* doucement repos reposait "
                "reposer sommeil endorm* immobile* apais* assoupi*",
        "warm": "foyer chaleur chaleureu* hospital* accueil* amical* amitié* bonté confort* familial* "
                "cordial* gâteau*",
        "tender": "amour amours aime aimait aimer aimé aimée aimés bien-aimé* chéri* baiser* embrass* "
                  "caress* tendre tendres tendresse* affection* adore* adorai* étreint* étreign* "
                  "mignonne amoureu*",
        "melancholy": "triste tristes tristesse* chagrin* douleur* larme* pleur* sanglot* deuil* mort "
                      "morte morts mourir mourut mourant* funèbre* funérail* tombe tombeau* solitude* "
                      "regret* mélancol* désespoir* désespér* malheur* misère* soupir* adieu* veuve* "
                      "orphelin* agonie* cercueil* enterr* hélas souffr*",
        "dreamy": "rêve rêves rêver rêvai* rêveu* rêverie* songe songes lune étoile* ciel cieux azur* "
                  "nuage* magie* magique* enchant* merveil* féer* fée fées vision visions extase*",
        "mysterious": "mystère* mystérieu* secret secrète secrets secrètement ombre ombres ténèbre* "
                      "obscur* chuchot* murmur* inconnu* énigm* soupçon* disparu* disparition* "
                      "lanterne* énigmatique*",
        "strange": "étrange* bizarre* fantôme* spectre* sorcière* sorcier* diable* diabolique* démon* "
                   "cauchemar* hallucin* délire* grotesque* monstr* surnaturel* revenant*",
        "tense": "peur effroi effray* terreur* terrible* terrifi* épouvant* danger* péril* menac* "
                 "angoisse* anxi* inquiet* inquiét* trembl* frisson* cria criait crier cris hurl* fuir "
                 "fuite fuy* poursui* tempête* orage* tonnerre* éclair éclairs panique* alarm* "
                 "haletant* affolé* effar* épouvantable*",
        "angry": "colère* fureur* furieu* furie rage enragé* haine* haïr haïss* hais indign* insult* "
                 "injur* querelle* maudi* brutal* violen* frapp* gifl* mépris* gredin* misérable "
                 "vocifér* irrité* exaspér* infâme* coquin",
        "epic": "bataille* armée* armées soldat* épée* guerre* guerrier* troupe* régiment* canon* "
                "drapeau* gloire* glorieu* héro* héros victoire* triomph* conquête* cavalerie* "
                "chevalier* empire* empereur* combat* combattant* escadron* baïonnette* mousquet* "
                "clairon* trompette*",
        "joyful": "joie* joyeu* heureux heureuse* bonheur* rire rires rit riait riant* gai gaie gaiement "
                  "gaîté gaieté fête* danse* dansai* dansant* chant* allégresse* ravi ravie célébr* "
                  "festin* enthousiasm*",
        "playful": "plaisant* plaisanter* plaisanterie* blague* drôle* farce* malice* malicieu* taquin* "
                   "espièg* badin* amusant* comique* moqu* rigol* sourire* souriait* souriant* "
                   "railleu* narquois*",
        "pastoral": "champ champs prairie* pré prés forêt* arbre* rivière* ruisseau* colline* vallée* "
                    "village* jardin* fleur* fleuri* oiseau* herbe* verger* moisson* troupeau* berger* "
                    "campagne* sentier* bocage* feuillage*",
    },
    "de": {
        "calm": "ruhe ruhig ruhige ruhigen friedlich* frieden sanft* leise* schlaf* schlummer* "
                "gelassen* beschaulich* stille stillen",
        "warm": "gemütlich* behaglich* heimat* herd stube stübchen kaffee freundlich* freundschaft* "
                "gastlich* wärme traulich* geborgen*",
        "tender": "liebe lieben liebte liebten geliebt* liebend* liebling kuss küss* zärtlich* umarm* "
                  "innig* sehnsucht* liebster liebste liebchen herzen herzlich*",
        "melancholy": "traurig* trauer* kummer* schmerz* träne* weinen weinte weint schluchz* einsam* "
                      "tod tode todes tot tote toten sterben starb sterbend* grab gräber begräbnis* "
                      "verzweif* elend* jammer* seufz* abschied* wehmut* schwermut* leiden "
                      "unglücklich* unglück* gram sarg* witwe*",
        "dreamy": "traum träume träum* mond* stern sterne sternen* himmel* wolke* zauber* wunder "
                  "wunderbar* märchen* fee feen silbern* schweb* entrückt*",
        "mysterious": "geheim* rätsel* schatten* dunkel* finster* nebel* flüster* unbekannt* "
                      "verborgen* heimlich* verschwund* verschwand* laterne*",
        "strange": "seltsam* sonderbar* unheimlich* gespenst* hexe* teufel* spuk* grausig* fratze* "
                   "wahn* irrsinn* wunderlich* irrlicht* dämon*",
        "tense": "angst furcht fürcht* schreck* entsetz* grauen gefahr* gefährlich* bedroh* drohen "
                 "drohte* zitter* bebte bebend* schrei* flucht flieh* floh verfolg* sturm stürm* "
                 "gewitter* donner* blitz panik* bang* atemlos* todesangst",
        "angry": "zorn* wut wütend* grimm* ingrimm* hass* haß* hasse* schimpf* fluch* verflucht* "
                 "beleidig* empör* brüll* zank* streit* prügel* höhn* verächt* schurke* elender",
        "epic": "schlacht* heer heere armee* soldat* krieger* schwert* krieg* ritter* ruhm* sieg "
                "siegte* triumph* banner* fahne* reiter* held helden* heldenmüt* kaiser* kampf* "
                "kämpf* hörner* lanze*",
        "joyful": "freude* freudig* fröhlich* froh glück glücklich* lachen lachte lacht jubel* jauchz* "
                  "fest feste festlich* tanz* tanzt* gesang* heiter* selig* hurra vergnügt*",
        "playful": "scherz* spaß* witz* neck* lustig* komisch* drollig* schalk* possier* kicher* "
                   "spott* verschmitzt*",
        "pastoral": "feld felder wiese* wald wälder waldes baum bäume fluss bach hügel* täler dorf* "
                    "garten* blume* vogel vögel gras* ernte* herde* hirte* acker* weide* alm* "
                    "landschaft*",
    },
    "es": {
        "calm": "calma tranquil* paz sosieg* silencio* sereno serena serenidad quieto quieta quietud "
                "suave* reposo* dormía dormido dormida apacible*",
        "warm": "hogar* lumbre cocina cariñoso* acogid* abrigo hospitalari* bondad* amistad* "
                "amistoso*",
        "tender": "amor amores amaba amada amado amante* querida querido besos beso besó besar* abraz* "
                  "ternura* tierno* tierna* cariño adorad* enamor*",
        "melancholy": "triste* tristeza* pena penas dolor* lágrima* llor* sollo* luto muerte muerto "
                      "muerta morir murió moribund* entierro* tumba* sepultur* soledad* desesper* "
                      "desdich* desgraci* infeliz* suspir* adiós melancol* viuda* huérfan* agonía "
                      "féretro*",
        "dreamy": "sueño sueños soñ* ensueño* luna estrell* cielo cielos nube* magia* mágic* encant* "
                  "maravill* hada* visión visiones ilusión* ilusiones",
        "mysterious": "misterio* secreto* secreta* sombra* oscur* tinieblas* susurr* desconocid* "
                      "enigma* sospech* ocult* linterna*",
        "strange": "extraño* extraña* raro rara fantasma* espectro* bruja* brujo* diablo* demonio* "
                   "pesadilla* delirio* grotesc* monstru* sobrenatural*",
        "tense": "miedo* temor* terror* terribl* espanto* pavor* peligro* amenaz* angustia* ansied* "
                 "tembl* estremec* grito gritos gritó gritaba huir huy* persegu* tormenta* trueno* "
                 "relámpago* pánico* alarma* horror* horribl* socorro",
        "angry": "ira cólera* furia* furios* rabia* odio* odia* indign* insult* injuri* maldi* infame* "
                 "brutal* violen* golpe* golpeó pelea* riña* desprecio* despreci* venganza* vengar* "
                 "imbécil*",
        "epic": "batalla* ejército* soldado* espada* guerra* guerrero* tropa* regimiento* cañón* "
                "bandera* estandarte* gloria* glorios* héroe* heroic* victoria* triunf* conquist* "
                "caballería* reino* imperio* combate* arcabuc* mosquete*",
        "joyful": "alegr* feliz felices felicidad* dicha* gozo* júbilo* reír reía risa* fiesta* bail* "
                  "danz* cantaba cantar canto cantos celebr* regocij* entusiasm*",
        "playful": "broma* burla* chist* gracios* travies* divertid* cómic* risueñ* picard* chusc* "
                   "sonri* zalame*",
        "pastoral": "campo campos prado* pradera* bosque* árbol* río ríos arroyo* colina* valle* granja* "
                    "aldea* jardín* jardines flor flores pájaro* aves hierba* huerto* cosecha* "
                    "rebaño* pastor* sendero* campiña*",
    },
}

# How much a mood needs to win: at least MIN_CUES cues and MIN_DENSITY cues per 100 words, else
# the passage is plain narration (neutral). Set on the dev split (bench/mood.py) so that random
# windows of ordinary narrative stay mostly neutral.
MIN_CUES = 2
MIN_DENSITY = 0.5
# follow_mood: a new mood replaces the previous one only with this many cues per 100 words and
# this many times the previous mood's own cues in the new text.
SWITCH_DENSITY = 2.0
SWITCH_RATIO = 2.0

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_MIN_STEM = 3


@dataclass(frozen=True)
class _Lexicon:
    exact: dict[str, str]
    stems: dict[str, str]
    lengths: tuple[int, ...]  # stem lengths, longest first


@cache
def _lexicon(lang: str) -> _Lexicon:
    exact: dict[str, str] = {}
    stems: dict[str, str] = {}
    for mood, cues in CUES[lang].items():
        for cue in cues.split():
            if cue.endswith("*"):
                stem = cue[:-1]
                assert len(stem) >= _MIN_STEM, cue
                stems.setdefault(stem, mood)
            else:
                exact.setdefault(cue, mood)
    lengths = tuple(sorted({len(s) for s in stems}, reverse=True))
    return _Lexicon(exact, stems, lengths)


def detect_language(words: list[str]) -> str:
    """The language whose function words are most frequent in `words` (English on a tie or none)."""
    counts = {lang: 0 for lang in LANGUAGES}
    for word in words:
        for lang, common in _FUNCTION_WORDS.items():
            if word in common:
                counts[lang] += 1
    return max(LANGUAGES, key=lambda lang: (counts[lang], lang == "en"))


def mood_of_word(word: str, lang: str = "en") -> str | None:
    """The mood a (lower-case) word is a cue for in `lang`, if any."""
    lexicon = _lexicon(lang)
    found = lexicon.exact.get(word)
    if found:
        return found
    for n in lexicon.lengths:  # the most specific stem wins
        if n <= len(word):
            found = lexicon.stems.get(word[:n])
            if found:
                return found
    return None


@dataclass(frozen=True)
class Mood:
    label: str
    valence: float  # -1 dark .. 1 bright
    arousal: float  # -1 calm .. 1 intense
    hits: int = 0  # cue words found; 0 means "no evidence, stay neutral"
    votes: dict[str, int] = field(default_factory=dict, compare=False)  # mood -> cue count
    evidence: tuple[str, ...] = field(default=(), compare=False)  # every cue word, in text order
    cues: tuple[str, ...] = field(default=(), compare=False)  # the words that made `label`
    lang: str = field(default="en", compare=False)
    words: int = field(default=0, compare=False)
    kept: bool = field(default=False, compare=False)  # follow_mood kept the previous mood

    def density(self, mood: str) -> float:
        """Cues for `mood` per 100 words of the passage."""
        return 100 * self.votes.get(mood, 0) / max(self.words, 50)

    def why(self) -> str:
        """One line for the page: which words or cues made the mood."""
        if self.kept:
            return f"{self.label}: the scene goes on (no clear turn in this section)"
        if not self.cues:
            return f"{self.label}: no strong cue, plain narration"
        return f"{self.label}: " + ", ".join(dict.fromkeys(self.cues))


def mood_for_label(label: str) -> Mood:
    """A Mood that stands for a stored label (Piece.mood), e.g. the previous section's."""
    valence, arousal = COORDINATES.get(label, COORDINATES["neutral"])
    return Mood(label if label in COORDINATES else "neutral", valence, arousal)


def _choose(votes: dict[str, int], words: int) -> str:
    if not votes:
        return "neutral"
    # The most cues wins; a tie goes to the calmer mood (then the brighter one).
    best = max(votes, key=lambda m: (votes[m], -COORDINATES[m][1], COORDINATES[m][0]))
    if votes[best] < MIN_CUES or 100 * votes[best] / max(words, 50) < MIN_DENSITY:
        return "neutral"
    return best


def score_mood(text: str, lang: str | None = None) -> Mood:
    """The mood of one passage on its own (see `follow_mood` for a section inside a scene)."""
    words = [w.lower() for w in _WORD.findall(text)]
    language = lang or detect_language(words)
    votes: dict[str, int] = {}
    evidence: list[tuple[str, str]] = []
    for word in words:
        mood = mood_of_word(word, language)
        if mood:
            votes[mood] = votes.get(mood, 0) + 1
            evidence.append((word, mood))
    hits = len(evidence)
    label = _choose(votes, len(words))
    if hits == 0:
        return Mood("neutral", 0.0, -0.3, 0, lang=language, words=len(words))
    valence = sum(COORDINATES[m][0] * n for m, n in votes.items()) / hits
    arousal = sum(COORDINATES[m][1] * n for m, n in votes.items()) / hits
    if label != "neutral":  # the chosen mood pulls the coordinates towards itself
        lv, la = COORDINATES[label]
        valence, arousal = (valence + lv) / 2, (arousal + la) / 2
    else:  # thin evidence: stay near the neutral point
        nv, na = COORDINATES["neutral"]
        valence, arousal = (valence + 2 * nv) / 3, (arousal + 2 * na) / 3
    cues = tuple(w for w, m in evidence if m == label)
    return Mood(label, round(valence, 3), round(arousal, 3), hits, votes,
                tuple(w for w, _ in evidence[:24]), cues[:12], language, len(words))


def turns(previous: Mood, new: Mood) -> bool:
    """Whether `new` (a section scored on its own) is a clear turn away from `previous`'s mood."""
    if new.label == previous.label or new.label == "neutral":
        return False
    if previous.label == "neutral":
        return True
    return (new.density(new.label) >= SWITCH_DENSITY
            and new.votes.get(new.label, 0) >= SWITCH_RATIO * max(1, new.votes.get(previous.label, 0)))


def follow_mood(previous: Mood | str | None, text: str) -> Mood:
    """The mood of a section that follows `previous` in the same scene or chapter.

    A composer follows the scene: the previous mood stays unless the text clearly turns (many
    cues of another mood, well above the previous mood's own); a turn is taken at full strength.
    A section with no clear mood of its own keeps the previous one."""
    new = score_mood(text)
    if previous is None:
        return new
    before = mood_for_label(previous) if isinstance(previous, str) else previous
    if before.label == "neutral" or new.label == before.label or turns(before, new):
        return new
    cues = tuple(w for w in new.evidence if mood_of_word(w, new.lang) == before.label)
    return replace(new, label=before.label, valence=before.valence, arousal=before.arousal,
                   cues=cues[:12], kept=True)
