"""Benchmark: how well the mood reader reads real books as a film composer would (issue 12).

Prints JSON:
* agreement on the labelled passages (tests/fixtures/mood/passages.jsonl, LABELLING.md there),
  exact and compatible, overall, per mood and per language, with a confusion table, for the
  shipped reader and the alternatives it was compared with: the reader before issue 12 (v1) and a
  naive Bayes classifier trained on the dev split (the "small classifier" candidate, trained on
  the only openly licensed mood-labelled literary text at hand: our own dev split), and the
  classifier on open emotion data (XED, CC BY 4.0; bench/_mood_xed.py, made by
  scripts/train_mood.py, findings in bench/mood_xed/FINDINGS.md) with and without the reader's cues;
* base rates: the share of each mood on random 200-word windows of plain narrative per language
  (tests/fixtures/mood/books/, novels that gave no labelled passage);
* flips per chapter on those books, sections of about 230 words, scored one by one
  (`score_mood`) and following the scene (`follow_mood`);
* milliseconds per section in CPython (Pyodide: not measured here, see "pyodide").

`--split dev` reports the dev split instead (what tuning may look at); the default is test.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _mood_v1  # noqa: E402
import _mood_xed  # noqa: E402

from app.music.mood import COORDINATES, NEIGHBOURS, follow_mood, score_mood  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "mood"
MOODS = list(COORDINATES)


def load_passages() -> list[dict]:
    return [json.loads(line) for line in (FIXTURES / "passages.jsonl").read_text().splitlines() if line]


def compatible(predicted: str, row: dict) -> bool:
    return predicted == row["label"] or predicted in row["also_ok"] or predicted in NEIGHBOURS[row["label"]]


def agreement(rows: list[dict], read: Callable[[str], str]) -> dict:
    per_mood: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    per_lang: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    confusion: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    exact = compat = 0
    quadrant = 0
    for row in rows:
        predicted = read(row["text"])
        e, c = predicted == row["label"], compatible(predicted, row)
        exact += e
        compat += c
        lv, la = COORDINATES[row["label"]]
        pv, pa = COORDINATES[predicted]
        quadrant += (lv >= 0) == (pv >= 0) and (la >= 0) == (pa >= 0)
        for table, key in ((per_mood, row["label"]), (per_lang, row["lang"])):
            table[key][0] += 1
            table[key][1] += e
            table[key][2] += c
        confusion[row["label"]][predicted] += 1

    def summary(t: list[int]) -> dict:
        return {"n": t[0], "exact": round(t[1] / t[0], 3), "compatible": round(t[2] / t[0], 3)}

    n = len(rows)
    return {
        "n": n, "exact": round(exact / n, 3), "compatible": round(compat / n, 3),
        "same_quadrant": round(quadrant / n, 3),
        "per_language": {k: summary(v) for k, v in sorted(per_lang.items())},
        "per_mood": {k: summary(v) for k, v in sorted(per_mood.items())},
        "confusion": {k: dict(v.most_common()) for k, v in sorted(confusion.items())},
    }


# ---- The "small classifier" candidate: multinomial naive Bayes on the dev split -----------------

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def train_naive_bayes(rows: list[dict]) -> Callable[[str], str]:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    priors: collections.Counter = collections.Counter()
    for row in rows:
        priors[row["label"]] += 1
        counts[row["label"]].update(w.lower() for w in _TOKEN.findall(row["text"]))
    vocabulary = {w for c in counts.values() for w in c}
    totals = {m: sum(c.values()) for m, c in counts.items()}

    def read(text: str) -> str:
        words = [w.lower() for w in _TOKEN.findall(text) if w.lower() in vocabulary]
        def score(m: str) -> float:
            return math.log(priors[m]) + sum(
                math.log((counts[m][w] + 1) / (totals[m] + len(vocabulary))) for w in words)
        return max(priors, key=score)

    return read


# ---- Plain narrative: base rates and flips ------------------------------------------------------

def books() -> dict[str, list[tuple[str, list[str]]]]:
    """language -> [(book, [chapter text, ...])]"""
    out: dict[str, list[tuple[str, list[str]]]] = collections.defaultdict(list)
    for path in sorted((FIXTURES / "books").glob("*.txt")):
        chapters = [c.strip() for c in re.split(r"^## \d+\s*$", path.read_text(), flags=re.M) if c.strip()]
        out[path.name[:2]].append((path.name, chapters))
    return out


def sections(chapter: str, words: int = 230) -> list[str]:
    """Paragraph-aligned sections of about `words` words, like the app's reading sections."""
    out, current, n = [], [], 0
    for paragraph in chapter.split("\n\n"):
        current.append(paragraph)
        n += len(paragraph.split())
        if n >= words:
            out.append("\n\n".join(current))
            current, n = [], 0
    if current:
        if out and n < words / 3:
            out[-1] += "\n\n" + "\n\n".join(current)
        else:
            out.append("\n\n".join(current))
    return out


def windows(lang_books: list[tuple[str, list[str]]], count: int, rng: random.Random) -> list[str]:
    words = [w for _, chapters in lang_books for c in chapters for w in c.split()]
    starts = [rng.randrange(0, len(words) - 200) for _ in range(count)]
    return [" ".join(words[s:s + 200]) for s in starts]


def base_rates(read: Callable[[str], str], samples: dict[str, list[str]]) -> dict:
    out = {}
    for lang, texts in samples.items():
        labels = collections.Counter(read(t) for t in texts)
        out[lang] = {m: round(n / len(texts), 3) for m, n in labels.most_common()}
    return out


def flips(all_books: dict[str, list[tuple[str, list[str]]]]) -> dict:
    out = {}
    for lang, lang_books in sorted(all_books.items()):
        alone = followed = chapters = n_sections = 0
        for _, chapter_texts in lang_books:
            for chapter in chapter_texts:
                parts = sections(chapter)
                if len(parts) < 2:
                    continue
                chapters += 1
                n_sections += len(parts)
                labels = [score_mood(p).label for p in parts]
                alone += sum(a != b for a, b in itertools.pairwise(labels))
                mood = None
                kept = []
                for p in parts:
                    mood = follow_mood(mood, p)
                    kept.append(mood.label)
                followed += sum(a != b for a, b in itertools.pairwise(kept))
        out[lang] = {"chapters": chapters, "sections_per_chapter": round(n_sections / chapters, 1),
                     "flips_per_chapter_score_mood": round(alone / chapters, 2),
                     "flips_per_chapter_follow_mood": round(followed / chapters, 2)}
    return out


def timing(texts: list[str], read: Callable[[str], str]) -> dict:
    times = []
    read(texts[0])  # loads the weights once, as the page would before the first section
    for t in texts:
        start = time.perf_counter()
        read(t)
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 3), "max_ms": round(max(times), 3),
            "sections": len(texts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=["test", "dev"])
    args = parser.parse_args()
    passages = load_passages()
    evaluated = [r for r in passages if r["split"] == args.split]
    dev = [r for r in passages if r["split"] == "dev"]
    rng = random.Random(12)
    all_books = books()
    samples = {lang: windows(b, 150, rng) for lang, b in sorted(all_books.items())}
    section_texts = [s for b in all_books.values() for _, cs in b for c in cs for s in sections(c)][:400]
    report = {
        "split": args.split,
        "passages": {"total": len(passages), "evaluated": len(evaluated),
                     "per_language": dict(collections.Counter(r["lang"] for r in evaluated))},
        "reader": agreement(evaluated, lambda t: score_mood(t).label),
        "alternatives": {
            "v1_stems_all_languages": agreement(evaluated, lambda t: _mood_v1.score_mood(t).label),
            "naive_bayes_trained_on_dev": agreement(evaluated, train_naive_bayes(dev))
            if args.split == "test" else "not applicable: trained on dev",
            "xed_classifier_cues_plus_emotions": agreement(evaluated, lambda t: _mood_xed.read(t, "cues+xed"))
            if args.split == "test" else "not applicable: its head is trained on dev",
            "xed_classifier_emotions_only": agreement(evaluated, lambda t: _mood_xed.read(t, "xed"))
            if args.split == "test" else "not applicable: its head is trained on dev",
        },
        "base_rates_random_200_word_windows": {
            "reader": base_rates(lambda t: score_mood(t).label, samples),
            "v1_stems_all_languages": base_rates(lambda t: _mood_v1.score_mood(t).label, samples),
            "xed_classifier_cues_plus_emotions": base_rates(lambda t: _mood_xed.read(t, "cues+xed"), samples),
        },
        "flips": flips(all_books),
        "time_per_section_cpython": timing(section_texts, lambda t: score_mood(t).label),
        "time_per_section_cpython_xed_classifier":
            timing(section_texts, lambda t: _mood_xed.read(t, "cues+xed")),
        "pyodide": "not measured by this script; the reader is pure Python (re, math, dataclasses) and "
                   "runs unchanged in Pyodide (tests/unit/test_mood.py runs there with the unit suite)",
    }
    for alt in report["alternatives"].values():
        if isinstance(alt, dict):
            alt.pop("confusion", None)
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
