"""Train the "small classifier on open emotion data" mood candidate (issue 12) and write
bench/mood_xed/weights.json, which bench/_mood_xed.py reads in pure Python.

The data is XED (Öhman et al., COLING 2020; https://github.com/Helsinki-NLP/XED, CC BY 4.0),
read at commit 76666d251f147cf518071bef4f8415dab6b96115 from a checkout given with `--xed`:
AnnotatedData/en-annotated.tsv (English subtitle lines, 1..8 Plutchik emotions each) and
Projections/{fr,de,es}-projections.tsv (the annotations projected onto aligned subtitles).
It is not kept in this repository (2 MB, and the CI cannot reach GitHub); the weights are.

    git clone https://github.com/Helsinki-NLP/XED /tmp/XED && git -C /tmp/XED checkout 76666d25
    .venv/bin/python scripts/train_mood.py --xed /tmp/XED

Stage 1, per language: softmax regression (numpy, full-batch Adam, L2) on word and 5-letter
prefix counts / sqrt(length), soft targets spread over a line's emotions; int8 weights.
Stage 2: multinomial logistic regression on the dev split of tests/fixtures/mood/ only (the
test split is never read here); its L2 strength is chosen by 5-fold cross-validation grouped by
book on dev, and the cross-validated agreement is printed beside the shipped reader's.
Deterministic: the same checkout gives the same file.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _mood_xed as xed  # noqa: E402
import mood as bench  # noqa: E402  (bench/mood.py: passages, books, windows, compatibility)

from app.music.mood import score_mood  # noqa: E402

FILES = {"en": "AnnotatedData/en-annotated.tsv", "fr": "Projections/fr-projections.tsv",
         "de": "Projections/de-projections.tsv", "es": "Projections/es-projections.tsv"}
MIN_COUNT = 2  # a feature must appear in this many lines
EMOTION_L2 = 1e-5  # chosen on a held-out fifth of XED (English and French), not on our passages
EMOTION_STEPS = 200
HEAD_L2 = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


def load_xed(root: Path, lang: str) -> list[tuple[str, list[int]]]:
    rows = []
    for line in (root / FILES[lang]).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        labels = [int(x) for x in parts[1].replace(" ", "").split(",") if x.isdigit()]
        labels = [x for x in labels if 1 <= x <= 8]  # 0 would be neutral; projections have none
        if labels:
            rows.append((parts[0], labels))
    return rows


Gradient = Callable[[list[np.ndarray]], list[np.ndarray]]


def adam(grad: Gradient, params: list[np.ndarray], steps: int, lr: float) -> None:
    """Minimise with full-batch Adam; `grad(params)` returns one gradient per parameter."""
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        for p, g, mi, vi in zip(params, grad(params), m, v, strict=True):
            mi *= 0.9
            mi += 0.1 * g
            vi *= 0.999
            vi += 0.001 * g * g
            p -= lr * (mi / (1 - 0.9 ** t)) / (np.sqrt(vi / (1 - 0.999 ** t)) + 1e-8)


def train_emotions(rows: list[tuple[str, list[int]]]) -> dict:
    docs = [xed.features(text) for text, _ in rows]
    seen = collections.Counter(f for d in docs for f in set(d))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in seen.items() if c >= MIN_COUNT))}
    r, c, v = [], [], []
    for i, d in enumerate(docs):
        counts = collections.Counter(f for f in d if f in vocab)
        norm = max(sum(counts.values()), 1) ** 0.5
        for f, k in counts.items():
            r.append(i)
            c.append(vocab[f])
            v.append(k / norm)
    ri, ci, vals = np.array(r), np.array(c), np.array(v)
    n, k = len(rows), len(xed.EMOTIONS)
    target = np.zeros((n, k))
    for i, (_, labels) in enumerate(rows):
        target[i, [x - 1 for x in labels]] = 1 / len(labels)

    def grad(params: list[np.ndarray]) -> list[np.ndarray]:
        w, b = params
        z = np.zeros((n, k))
        np.add.at(z, ri, vals[:, None] * w[ci])
        z += b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        d = (p - target) / n
        gw = np.zeros_like(w)
        np.add.at(gw, ci, vals[:, None] * d[ri])
        return [gw + EMOTION_L2 * w, d.sum(0)]

    w, b = np.zeros((len(vocab), k)), np.log(target.mean(0) + 1e-9)
    adam(grad, [w, b], EMOTION_STEPS, 0.1)
    scale = float(np.abs(w).max() / 127)
    q = np.round(w / scale).astype(int)
    return {"scale": scale, "bias": [round(float(x), 4) for x in b],
            "features": {f: q[i].tolist() for f, i in vocab.items()}}


def train_head(x: np.ndarray, y: np.ndarray, l2: float, classes: int) -> tuple[np.ndarray, np.ndarray]:
    onehot = np.eye(classes)[y]

    def grad(params: list[np.ndarray]) -> list[np.ndarray]:
        w, b = params
        z = x @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        d = (p - onehot) / len(y)
        return [x.T @ d + l2 * w, d.sum(0)]

    w, b = np.zeros((x.shape[1], classes)), np.zeros(classes)
    adam(grad, [w, b], 400, 0.05)
    return w, b


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(0), x.std(0) + 1e-6


def agreement(labels: list[str], rows: list[dict]) -> tuple[float, float]:
    exact = np.mean([p == r["label"] for p, r in zip(labels, rows, strict=True)])
    compat = np.mean([bench.compatible(p, r) for p, r in zip(labels, rows, strict=True)])
    return round(float(exact), 3), round(float(compat), 3)


def cross_validate(x: np.ndarray, y: np.ndarray, rows: list[dict], l2: float) -> tuple[float, float]:
    """5-fold agreement on dev, folds grouped by book so both passages of a novel stay together."""
    books = sorted({r["source"]["where"] for r in rows})
    random.Random(1).shuffle(books)
    fold = np.array([books.index(r["source"]["where"]) % 5 for r in rows])
    predicted = [""] * len(rows)
    for k in range(5):
        train, held = fold != k, fold == k
        mean, sd = standardise(x[train])
        w, b = train_head((x[train] - mean) / sd, y[train], l2, len(xed.MOODS))
        for i, row in zip(np.flatnonzero(held), ((x[held] - mean) / sd) @ w + b, strict=True):
            predicted[i] = xed.MOODS[int(row.argmax())]
    return agreement(predicted, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xed", type=Path, required=True, help="a checkout of Helsinki-NLP/XED")
    args = parser.parse_args()
    out: dict = {"format": 1, "source": "XED, Helsinki-NLP, CC BY 4.0 (bench/mood_xed/NOTICE.md)",
                 "emotions": list(xed.EMOTIONS), "moods": list(xed.MOODS), "emotion": {}}
    for lang in FILES:
        rows = load_xed(args.xed, lang)
        out["emotion"][lang] = train_emotions(rows)
        print(f"{lang}: {len(rows)} lines, {len(out['emotion'][lang]['features'])} features", file=sys.stderr)
    xed.WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    xed.WEIGHTS.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    xed._model.cache_clear()  # stage 2 reads stage 1 through the runtime, quantized as shipped

    # Plain narrative per language (unlabelled books, none a source of a labelled passage).
    rng = random.Random(7)
    out["narrative"] = {}
    for lang, lang_books in sorted(bench.books().items()):
        raw = np.array([xed.emotion_features(t, lang) for t in bench.windows(lang_books, 60, rng)])
        mean, sd = standardise(raw)
        out["narrative"][lang] = [[round(float(v), 4) for v in mean], [round(float(v), 4) for v in sd]]
    xed.WEIGHTS.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    xed._model.cache_clear()

    dev = [r for r in bench.load_passages() if r["split"] == "dev"]
    y = np.array([xed.MOODS.index(r["label"]) for r in dev])
    report: dict = {"shipped_reader_on_dev": agreement([score_mood(r["text"]).label for r in dev], dev)}
    out["heads"] = {}
    for head in ("cues+xed", "xed"):
        x = np.array([xed.head_input(head, r["text"]) for r in dev])
        scores = {l2: cross_validate(x, y, dev, l2) for l2 in HEAD_L2}
        best = max(HEAD_L2, key=lambda l2: sum(scores[l2]))
        report[head] = {"cv_exact_compatible_by_l2": {str(k): v for k, v in scores.items()},
                        "chosen_l2": best}
        mean, sd = standardise(x)
        w, b = train_head((x - mean) / sd, y, best, len(xed.MOODS))
        out["heads"][head] = {"l2": best, "mean": [round(float(v), 5) for v in mean],
                              "sd": [round(float(v), 5) for v in sd],
                              "bias": [round(float(v), 5) for v in b],
                              "weights": [[round(float(v), 5) for v in column] for column in w.T]}
    xed.WEIGHTS.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
