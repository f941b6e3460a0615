"""The "small classifier on open emotion data" candidate of issue 12, in pure Python (bench only).

Two stages, both in `bench/mood_xed/weights.json`, made by `scripts/train_mood.py`:
1. An emotion model per language (en, fr, de, es): a linear softmax over Plutchik's eight emotions
   trained on XED movie-subtitle lines (Helsinki-NLP/XED, CC BY 4.0; bench/mood_xed/NOTICE.md),
   on words and 5-letter prefixes, weights quantized to int8. It reads each sentence of a passage
   and the passage as a whole.
2. A mood head trained on the dev split of tests/fixtures/mood/: multinomial logistic regression
   from the emotion log-probabilities (as z-scores against plain narrative in the same language,
   from tests/fixtures/mood/books/) and, in the "cues+xed" head, the shipped reader's cue
   densities, to the mood sheet's 14 labels.

It is not wired into the app: measured, it does not beat the shipped reader
(bench/mood_xed/FINDINGS.md); bench/mood.py reports it beside the reader.
"""

from __future__ import annotations

import json
import math
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.music.mood import _WORD, COORDINATES, detect_language, score_mood  # noqa: E402

WEIGHTS = Path(__file__).resolve().parent / "mood_xed" / "weights.json"
EMOTIONS = ("anger", "anticipation", "disgust", "fear", "joy", "sadness", "surprise", "trust")
MOODS = tuple(COORDINATES)
CUE_MOODS = tuple(m for m in MOODS if m != "neutral")
PREFIX = 5  # a word longer than this also counts as its first PREFIX letters + "*"

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# A sentence ends at . ! ? ; : or a line break; the emotion model was trained on subtitle lines.
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def features(text: str) -> list[str]:
    """The emotion model's features of one line: lower-case words and their 5-letter prefixes."""
    words = [w.lower() for w in _TOKEN.findall(text)]
    return words + [w[:PREFIX] + "*" for w in words if len(w) > PREFIX]


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if len(_TOKEN.findall(s)) >= 2]


@cache
def _model() -> dict:
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def emotions(text: str, lang: str) -> list[float]:
    """Plutchik emotion probabilities of one line (or passage) in `lang` (en, fr, de, es)."""
    table = _model()["emotion"][lang]
    scale: float = table["scale"]
    weights: dict[str, list[int]] = table["features"]
    counts: dict[str, int] = {}
    for f in features(text):
        if f in weights:
            counts[f] = counts.get(f, 0) + 1
    norm = math.sqrt(max(sum(counts.values()), 1))  # the training's count / sqrt(length)
    logits = list(table["bias"])
    for f, k in counts.items():
        row = weights[f]
        for e in range(len(EMOTIONS)):
            logits[e] += row[e] * scale * k / norm
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return [x / total for x in exps]


def emotion_features(text: str, lang: str) -> list[float]:
    """Log-probabilities of the eight emotions: the sentences' mean, then the passage as one line."""
    parts = sentences(text) or [text]
    per = [emotions(s, lang) for s in parts]
    mean = [sum(p[e] for p in per) / len(per) for e in range(len(EMOTIONS))]
    whole = emotions(text, lang)
    return [math.log(max(x, 1e-9)) for x in mean + whole]


def cue_features(text: str) -> list[float]:
    """The shipped reader's cue densities (cues per 100 words), log(1 + x), one per mood."""
    mood = score_mood(text)
    return [math.log1p(mood.density(m)) for m in CUE_MOODS]


def passage_features(text: str) -> tuple[str, list[float], list[float]]:
    """(language, emotion features as z-scores against plain narrative, cue features)."""
    lang = detect_language([w.lower() for w in _WORD.findall(text)])
    mean, sd = _model()["narrative"][lang]
    raw = emotion_features(text, lang)
    return lang, [(x - m) / s for x, m, s in zip(raw, mean, sd, strict=True)], cue_features(text)


def head_input(head: str, text: str) -> list[float]:
    _, xed, cues = passage_features(text)
    return cues + xed if head == "cues+xed" else xed


def probabilities(text: str, head: str = "cues+xed") -> dict[str, float]:
    """Mood probabilities from one of the trained heads ("cues+xed" or "xed")."""
    params = _model()["heads"][head]
    x = [(v - m) / s for v, m, s in zip(head_input(head, text), params["mean"], params["sd"], strict=True)]
    logits = [b + sum(xi * w for xi, w in zip(x, column, strict=True))
              for b, column in zip(params["bias"], params["weights"], strict=True)]
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    return {m: e / total for m, e in zip(MOODS, exps, strict=True)}


def read(text: str, head: str = "cues+xed") -> str:
    """The most probable mood label."""
    p = probabilities(text, head)
    return max(p, key=p.__getitem__)
