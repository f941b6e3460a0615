"""Benchmark: the instant composer judged by ear, in numbers (a listening test), and its speed.

    python bench/music.py            the listening test (~10-15 min on 2 shared cores)
    python bench/music.py --quick    a smaller listening test (2 passages per mood, 20 s renders)
    python bench/music.py --seconds 75 --per-mood 3   hear more of each piece (longer renders)
    python bench/music.py --offset 30   hear 30 s from 30 s in (past an arranged piece's intro)
    python bench/music.py --timing [--no-browser]   how fast the pipeline answers (was the whole bench)

Prints one JSON object.

The listening test. Passages: the labelled mood set (tests/fixtures/mood/passages.jsonl), `dev`
split only (the `test` split is kept for the mood reader's score, LABELLING.md), for every mood of
prompts/moods.toml the first PER_MOOD passages by id (calm has 2 dev passages, joyful 3: they give
what they have). Section ids: "listen-<passage id>".
* mood block: each passage composed with its labelled mood given (`compose_mood`), so the music is
  judged apart from the mood reader, and with the passage's own arc (`arc_of`: whether its second
  half grows more or less intense), as the app composes it;
* consecutive pairs (code only): within a mood, passage B composed with `previous=` passage A's
  code (a scene going on); across moods, each mood's first passage after the previous mood's;
* end-to-end block: each mood's first passage composed from its text (`compose`, mood read).
Every distinct piece is rendered through the page's own WAV renderer (sound/render_frame.html) in
headless Chromium (a fresh page each, nothing may leave localhost), and its note events queried
for max(64 cycles, 150 s). Features and scores: bench/_listen.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import _listen as lf  # noqa: E402

from app.compose.instant import arc_of, compose, compose_mood  # noqa: E402
from app.music.mood import COORDINATES, NEIGHBOURS  # noqa: E402
from app.music.styles import load_styles  # noqa: E402
from app.sample import sample_book  # noqa: E402
from app.strudel.validate import validate  # noqa: E402

PASSAGES = ROOT / "tests/fixtures/mood/passages.jsonl"
MOODS = list(tomllib.loads((ROOT / "prompts/moods.toml").read_text())["moods"])
PER_MOOD = 4
RENDER_SECONDS = 30.0
SAMPLE_RATE = 22050
EVENT_CYCLES, EVENT_SECONDS = 64, 150.0  # a repeat of up to 75 s is seen twice in 150 s
CONTRASTS = [("joyful", "melancholy"), ("calm", "angry"), ("tense", "tender"), ("playful", "mysterious")]
DARK_CENTROID_HZ = 520.0
LEVEL_TOLERANCE_DB = 3.0
NO_REPEAT_S = 60.0


# ---------------------------------------------------------------------------------------------
# The listening test


@dataclass
class Listened:
    """One piece as heard: what was composed, and what the render and its events say."""

    block: str  # "mood" (mood given) or "e2e" (mood read from the text)
    passage: str
    mood: str  # the passage's label
    played_mood: str  # the mood the composer was given or read
    style: str
    code: str
    cpm: float = 0.0
    audio: lf.AudioFeatures | None = None
    render_s: float = 0.0
    period_s: float | None = None  # notes repeat exactly (timing, pitch, sound, layer)
    period_gain_s: float | None = None  # ... and gains too
    intro_s: float = 0.0
    layers: lf.LayerActivity | None = None
    notes_per_s: float = 0.0  # distinct onset times in the events, per second

    def row(self) -> str:
        a = self.audio
        assert a is not None and self.layers is not None
        rep = "none" if self.period_s is None else f"{self.period_s:.1f}s"
        return (f"{self.block:4} {self.passage:7} {self.mood:10} {self.played_mood:10} {self.style:12} "
                f"{self.cpm:5.1f}cpm {a.level_db:6.1f}dB ±{a.level_spread_db:4.1f} {a.centroid_hz:6.0f}Hz "
                f"on {a.onsets_per_s:4.1f}/s notes {self.notes_per_s:4.1f}/s rep {rep:>6} "
                f"layers {self.layers.mean:.1f} ({self.layers.min}-{self.layers.max}, "
                f"{self.layers.distinct_sets} sets) mode {a.mode:+.2f}")


def select_passages(per_mood: int) -> dict[str, list[dict]]:
    records = [json.loads(line) for line in PASSAGES.read_text(encoding="utf-8").splitlines() if line.strip()]
    dev = sorted((r for r in records if r["split"] == "dev"), key=lambda r: r["id"])
    return {mood: [r for r in dev if r["label"] == mood][:per_mood] for mood in MOODS}


def section_id(passage: dict) -> str:
    return "listen-" + passage["id"]


def compose_all(chosen: dict[str, list[dict]]) -> tuple[list[Listened], list[Listened], dict]:
    """The mood block, the end-to-end block, and the consecutive-pair code similarities."""
    pieces = []
    for mood, passages in chosen.items():
        for p in passages:
            piece = compose_mood(section_id(p), mood, arc=arc_of(p["text"]))
            pieces.append(Listened("mood", p["id"], mood, piece.mood, piece.style, piece.program.code))
    e2e = []
    for mood, passages in chosen.items():
        if passages:
            p = passages[0]
            piece = compose(section_id(p), p["text"])
            e2e.append(Listened("e2e", p["id"], mood, piece.mood, piece.style, piece.program.code))
    code_of = {(x.passage, x.mood): x.code for x in pieces}
    within, across = [], []
    for mood, passages in chosen.items():
        for a, b in itertools.pairwise(passages):
            follower = compose_mood(section_id(b), mood, previous=code_of[(a["id"], mood)],
                                    arc=arc_of(b["text"]))
            within.append(lf.code_similarity(code_of[(a["id"], mood)], follower.program.code))
    firsts = [(m, ps[0]) for m, ps in chosen.items() if ps]
    for (ma, pa), (mb, pb) in itertools.pairwise(firsts):
        follower = compose_mood(section_id(pb), mb, previous=code_of[(pa["id"], ma)], arc=arc_of(pb["text"]))
        across.append(lf.code_similarity(code_of[(pa["id"], ma)], follower.program.code))
    consecutive = {"within_mood": _spread(within), "across_moods": _spread(across)}
    return pieces, e2e, consecutive


def render_all(pieces: list[Listened], seconds: float, offset: float = 0.0) -> dict:
    """Render every distinct code once (in a fresh page) and fill in each piece's features."""
    from _browser import render_piece, site_and_browser
    from conftest import block_outside

    done: dict[str, dict] = {}
    started = time.perf_counter()
    with site_and_browser() as (base, browser):
        context = browser.new_context()
        outside = block_outside(context)
        for piece in pieces:
            if piece.code not in done:
                done[piece.code] = render_piece(context, base, piece.code, seconds, SAMPLE_RATE,
                                                EVENT_CYCLES, EVENT_SECONDS, offset)
                print(f"rendered {len(done):3} {piece.passage} {piece.style}: "
                      f"{done[piece.code]['render_s']:.1f} s", file=sys.stderr, flush=True)
            hear(piece, done[piece.code])
        context.close()
    return {"renders": len(done), "wall_s": round(time.perf_counter() - started, 1),
            "outside_requests": list(outside)}


def hear(piece: Listened, rendered: dict) -> None:
    samples, rate = lf.read_wav(rendered["wav"])
    piece.audio = lf.audio_features(samples, rate)
    piece.render_s = rendered["render_s"]
    data = rendered["events"]
    cps, cycles = float(data["cps"]), int(data["end"])
    events = lf.events_from_json(data)
    piece.cpm = round(cps * 60, 2)
    notes = lf.repetition_period(events, cycles)
    gains = lf.repetition_period(events, cycles, with_gain=True)
    piece.period_s = None if notes.period_cycles is None else round(notes.period_cycles / cps, 2)
    piece.period_gain_s = None if gains.period_cycles is None else round(gains.period_cycles / cps, 2)
    piece.intro_s = round(notes.intro_cycles / cps, 2)
    piece.layers = lf.layer_activity(events, cycles)
    piece.notes_per_s = round(len({round(e.start, 6) for e in events}) / (cycles / cps), 2)


def scores(pieces: list[Listened], e2e: list[Listened], consecutive: dict, seconds: float) -> dict:
    audio = [p.audio for p in pieces if p.audio is not None]
    z = lf.standardise([lf.feature_vector(a) for a in audio])
    d = lf.distance_matrix(z)
    styles = [p.style for p in pieces]
    moods = [p.mood for p in pieces]
    passages = [p.passage for p in pieces]
    all_pairs = [float(d[i, j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces))]

    same_style = [lf.code_similarity(pieces[i].code, pieces[j].code)
                  for i in range(len(pieces)) for j in range(i + 1, len(pieces))
                  if styles[i] == styles[j] and passages[i] != passages[j]]
    by_style = lf.pair_medians(d, styles, passages)
    quadrants = [lf.quadrant(*COORDINATES[m]) for m in moods]
    mood_confusion = lf.leave_one_out(z, moods, MOODS)
    quadrant_confusion = lf.leave_one_out(z, quadrants, sorted(set(quadrants)))

    contrasts = {}
    for a, b in CONTRASTS:
        cross = [float(d[i, j]) for i in range(len(pieces)) for j in range(len(pieces))
                 if moods[i] == a and moods[j] == b]
        contrasts[f"{a}-{b}"] = round(statistics.median(cross), 3) if cross else None

    all_median = round(statistics.median(all_pairs), 3)
    periods = [p.period_s for p in pieces if p.period_s is not None]
    no_repeat_gains = [p.period_gain_s is None or p.period_gain_s >= NO_REPEAT_S for p in pieces]
    layers = [p.layers for p in pieces if p.layers is not None]
    levels = [a.level_db for a in audio]
    median_level = statistics.median(levels)
    rtf: dict[str, list[float]] = {}
    for p in pieces + e2e:
        if p.render_s > 0:
            rtf.setdefault(p.style, []).append(seconds / p.render_s)
    no_repeat = [p.period_s is None or p.period_s >= NO_REPEAT_S for p in pieces]
    return {
        "pieces": len(pieces),
        "styles": dict(sorted({s: styles.count(s) for s in set(styles)}.items())),
        "same_style_code_similarity": {**_spread(same_style), "target_max": 0.6,
                                       "per_style": _per_group(pieces, styles, passages)},
        "feature_distance": {
            "all_pairs_median": all_median,
            "same_style_median": by_style["same_median"], "between_styles_median": by_style["between_median"],
            "same_over_between": _ratio(by_style["same_median"], by_style["between_median"]),
            "same_style_median_per_style": _same_per_style(d, styles, passages),
            "target_same_over_between_min": 0.5,
            "same_mood_median": lf.pair_medians(d, moods, passages)["same_median"],
            "between_moods_median": lf.pair_medians(d, moods, passages)["between_median"],
            "features": lf.FEATURE_NAMES,
        },
        "mood_from_audio": {
            "moods_accuracy": mood_confusion.accuracy(), "moods_chance": round(1 / len(set(moods)), 3),
            "quadrants_accuracy": quadrant_confusion.accuracy(), "target_min": 0.7,
            "moods_confusion": mood_confusion.rows(), "quadrants_confusion": quadrant_confusion.rows(),
            "separation": lf.separation(z, moods, lf.FEATURE_NAMES),
        },
        "contrasting_moods_distance": {**contrasts, "all_pairs_median": all_median},
        "consecutive_code_similarity": consecutive,
        "level_db": {
            "median": round(median_level, 2), "min": round(min(levels), 2), "max": round(max(levels), 2),
            "within_3db_of_median": round(sum(abs(v - median_level) <= LEVEL_TOLERANCE_DB for v in levels)
                                          / len(levels), 3),
            "spread_over_time_median": round(statistics.median(a.level_spread_db for a in audio), 2),
        },
        "centroid_hz": {"median": round(statistics.median(a.centroid_hz for a in audio)),
                        "share_under_520hz": round(sum(a.centroid_hz < DARK_CENTROID_HZ for a in audio)
                                                   / len(audio), 3)},
        "onsets_per_s_median": round(statistics.median(a.onsets_per_s for a in audio), 2),
        "repetition": {
            "share_no_exact_repeat_within_60s": round(sum(no_repeat) / len(no_repeat), 3),
            "share_no_exact_repeat_with_gains_within_60s": round(sum(no_repeat_gains) / len(pieces), 3),
            "period_s_median": _median_or_none(periods),
            "period_s_min": min(periods, default=None),
        },
        "layers": {"mean_median": round(statistics.median(x.mean for x in layers), 2),
                   "distinct_sets_median": statistics.median(x.distinct_sets for x in layers)},
        "render_realtime_factor": {
            "per_style_min": {s: round(min(v), 2) for s, v in sorted(rtf.items())},
            "per_style_median": {s: round(statistics.median(v), 2) for s, v in sorted(rtf.items())},
            "target_min": 3.0,
        },
        "end_to_end": end_to_end(pieces, e2e, z),
    }


def _same_per_style(d, styles: list[str], passages: list[str]) -> dict[str, float | None]:
    """Each style's median distance between its own pieces: which styles vary least."""
    out = {}
    for style in sorted(set(styles)):
        pairs = [float(d[i, j]) for i in range(len(styles)) for j in range(i + 1, len(styles))
                 if styles[i] == styles[j] == style and passages[i] != passages[j]]
        out[style] = round(statistics.median(pairs), 3) if pairs else None
    return out


def end_to_end(pieces: list[Listened], e2e: list[Listened], z) -> dict:
    """The mood read from the text, and whether the music made from it sounds like the labelled
    mood: each e2e piece against the mood block's centroids (its own passage's piece left out)."""
    audio = [p.audio for p in pieces if p.audio is not None]
    rows = [lf.feature_vector(a) for a in audio]
    import numpy as np

    mean, std = np.mean(rows, axis=0), np.std(rows, axis=0)
    std = np.where(std > 0, std, 1.0)
    confusion, played = lf.Confusion(MOODS), lf.Confusion(MOODS)
    for piece in e2e:
        assert piece.audio is not None
        query = (np.array(lf.feature_vector(piece.audio)) - mean) / std
        keep = [i for i, p in enumerate(pieces) if p.passage != piece.passage]
        heard = lf.nearest_centroid(z[keep], [pieces[i].mood for i in keep], query)
        confusion.add(piece.mood, heard)
        played.add(piece.played_mood, heard)
    read = [p.played_mood == p.mood for p in e2e]
    compatible = [p.played_mood == p.mood or p.played_mood in NEIGHBOURS.get(p.mood, ()) for p in e2e]
    return {
        "pieces": len(e2e),
        "mood_read_exact": round(sum(read) / len(e2e), 3),
        "mood_read_compatible": round(sum(compatible) / len(e2e), 3),
        "audio_tells_labelled_mood": confusion.accuracy(),
        "audio_tells_mood_it_was_given": played.accuracy(),
        "rows": [p.row() for p in e2e],
    }


def _spread(values: list[float]) -> dict:
    if not values:
        return {"pairs": 0}
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3), "pairs": len(values)}


def _per_group(pieces: list[Listened], groups: list[str], passages: list[str]) -> dict[str, float]:
    out = {}
    for g in sorted(set(groups)):
        idx = [i for i, x in enumerate(groups) if x == g]
        sims = [lf.code_similarity(pieces[i].code, pieces[j].code)
                for n, i in enumerate(idx) for j in idx[n + 1:] if passages[i] != passages[j]]
        if sims:
            out[g] = round(statistics.median(sims), 3)
    return out


def _ratio(a: float | int | None, b: float | int | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _median_or_none(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def listen(per_mood: int, seconds: float, offset: float = 0.0) -> dict:
    started = time.perf_counter()
    chosen = select_passages(per_mood)
    pieces, e2e, consecutive = compose_all(chosen)
    browser = render_all(pieces + e2e, seconds, offset)
    result = {
        "composer": "app.compose.instant",
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
        "selection": {"split": "dev", "per_mood": per_mood,
                      "passages_per_mood": {m: len(ps) for m, ps in chosen.items()},
                      "render_seconds": seconds, "render_from_s": offset, "sample_rate": SAMPLE_RATE,
                      "event_span": f"max({EVENT_CYCLES} cycles, {EVENT_SECONDS:g} s)"},
        **scores(pieces, e2e, consecutive, seconds),
        "browser": browser,
        "rows": [p.row() for p in pieces],
        "bench_wall_s": round(time.perf_counter() - started, 1),
    }
    if any(math.isinf(p.audio.level_db) for p in pieces if p.audio):
        result["silent_pieces"] = [p.passage for p in pieces if p.audio and math.isinf(p.audio.level_db)]
    return result


# ---------------------------------------------------------------------------------------------
# Speed (the bench's original measurements)


def timed(fn, *args, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn(*args)
    return (time.perf_counter() - start) * 1000 / repeat


def page_check_ms(codes: list[str]) -> dict:
    from _browser import serve_site
    from playwright.sync_api import sync_playwright

    with serve_site() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        page = browser.new_page()
        page.goto(base + "sound/facts.json")
        times = page.evaluate(
            """async (codes) => {
                const m = await import('./index.js');
                await m.check(codes[0]);  // loads Strudel once
                const out = [];
                for (const c of codes) { const v = await m.check(c); out.push(v.ms); }
                return out;
            }""",
            codes,
        )
        browser.close()
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}


def play_to_sound_s(runs: int = 3) -> dict:
    """The real app, Python ready: seconds from pressing Play to audible output (instant composer)."""
    from _browser import serve_site
    from playwright.sync_api import sync_playwright

    times = []
    with serve_site() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        for _ in range(runs):
            page = browser.new_context().new_page()
            page.goto(base)
            page.wait_for_function("document.documentElement.dataset.pyReady === '1'", timeout=90_000)
            start = time.perf_counter()
            page.click("#play")
            page.wait_for_function("window.bookmusic.sound.level() > 0.005", timeout=60_000, polling=20)
            times.append(time.perf_counter() - start)
            page.context.close()
        browser.close()
    return {"median": round(statistics.median(times), 2), "max": round(max(times), 2), "runs": runs}


def speed(browser: bool = True) -> dict:
    """How fast the music pipeline answers: the instant composer per section of the built-in book
    (CPython), the validator, and in Chromium the page's second check (evaluate without playing +
    query 4 cycles) and the real app's Play-to-sound time."""
    book = sample_book()
    first = timed(compose, "cold-" + book.sections[0].id, book.sections[0].text)
    per_section = [timed(compose, f"b{i}-{s.id}", s.text) for i, s in enumerate(book.sections)]
    examples = [s.example for s in load_styles().values()]
    validate_ms = [timed(validate, code, repeat=20) for code in examples]
    result = {
        "instant_compose_first_ms": round(first, 2),
        "instant_compose_ms": {"median": round(statistics.median(per_section), 3),
                               "max": round(max(per_section), 3)},
        "validate_ms": {"median": round(statistics.median(validate_ms), 3),
                        "max": round(max(validate_ms), 3)},
        "styles": len(examples),
    }
    if browser:
        result["page_check"] = page_check_ms(examples)
        result["play_to_sound_s"] = play_to_sound_s()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timing", action="store_true", help="the speed measurements instead")
    parser.add_argument("--no-browser", action="store_true", help="with --timing: CPython parts only")
    parser.add_argument("--quick", action="store_true", help="2 passages per mood, 20 s renders")
    parser.add_argument("--per-mood", type=int, default=None, help=f"passages per mood (default {PER_MOOD})")
    parser.add_argument("--seconds", type=float, default=None,
                        help=f"audio rendered per piece (default {RENDER_SECONDS:g}; a piece whose form is "
                             "longer is heard from its start only)")
    parser.add_argument("--offset", type=float, default=0.0,
                        help="start each render this many seconds into the piece (whole cycles)")
    args = parser.parse_args()
    if args.timing:
        print(json.dumps(speed(browser=not args.no_browser)))
        return
    per_mood = args.per_mood or (2 if args.quick else PER_MOOD)
    seconds = args.seconds or (20.0 if args.quick else RENDER_SECONDS)
    print(json.dumps(listen(per_mood, seconds, args.offset)))


if __name__ == "__main__":
    main()
