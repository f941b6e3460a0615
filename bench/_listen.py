"""The listening test's measuring stick: features of a rendered piece (audio) and of its note
events (pattern), and the scores that compare pieces. Shared by bench/music.py (the instant
composer) and, later, bench/llm.py (the language model's pieces).

Pure numpy, no browser here: the renders and the event queries come from bench/_render.py.
Every function is tested on synthetic signals in tests/unit/test_listen_features.py.
"""

from __future__ import annotations

import difflib
import io
import math
import statistics
import wave
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

# ---------------------------------------------------------------------------------------------
# Audio

SILENCE_DB = -60.0  # a 1-s window quieter than this is silence (a tail, a rest), not the level
LEVEL_WINDOW_S = 1.0
LOW_HZ, HIGH_HZ = 250.0, 2000.0  # band edges: bass / body / presence and air
BRIGHT_HZ = 1500.0  # the usual cut for "brightness" (energy share above it)
ROLLOFF_SHARE = 0.85
FLUX_FLOOR = 0.5  # the least spectral-flux rise heard as a note (see onset_times)

# Krumhansl & Kessler's probe-tone key profiles (C major, C minor), the classic key finder's input.
MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """16-bit PCM WAV bytes -> (mono float samples in [-1, 1], sample rate)."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit PCM, got {8 * w.getsampwidth()}-bit")
        channels, rate = w.getnchannels(), w.getframerate()
        raw = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    return raw.reshape(-1, channels).mean(axis=1), rate


def window_levels_db(x: np.ndarray, rate: int, window_s: float = LEVEL_WINDOW_S) -> np.ndarray:
    """RMS of consecutive non-overlapping windows, in dBFS (a full-scale sine is -3 dBFS)."""
    n = max(1, int(rate * window_s))
    count = len(x) // n
    if count == 0:
        return np.array([_db(float(np.mean(x**2))) if len(x) else -math.inf])
    power = np.mean(x[: count * n].reshape(count, n) ** 2, axis=1)
    return np.array([_db(float(p)) for p in power])


def level_db(x: np.ndarray, rate: int) -> tuple[float, float]:
    """(level, spread) in dB. Level: the RMS in dBFS of the non-silent 1-s windows together
    (power mean, so a loud bar counts as loud); windows under SILENCE_DB are left out so a tail or
    a rest does not lower it. Spread: the 90th minus the 10th percentile of those windows' levels
    (how much the piece swells and drops over time; 0 for a steady drone). -inf, 0 when silent."""
    levels = window_levels_db(x, rate)
    loud = levels[levels > SILENCE_DB]
    if not len(loud):
        return -math.inf, 0.0
    mean_power = float(np.mean(10 ** (loud / 10)))
    return _db(mean_power), float(np.percentile(loud, 90) - np.percentile(loud, 10))


def _db(power: float) -> float:
    return 10 * math.log10(power) if power > 0 else -math.inf


def power_spectrogram(x: np.ndarray, n_fft: int = 2048, hop: int = 512) -> np.ndarray:
    """|STFT|^2 with a Hann window: shape (frames, n_fft // 2 + 1)."""
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(x[idx] * np.hanning(n_fft)[None, :], axis=1)
    return np.abs(spec) ** 2


def mean_spectrum(x: np.ndarray, rate: int, n_fft: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """(bin frequencies in Hz, the power spectrum averaged over the whole piece)."""
    return np.fft.rfftfreq(n_fft, 1 / rate), power_spectrogram(x, n_fft).mean(axis=0)


def spectral_centroid(freqs: np.ndarray, power: np.ndarray) -> float:
    """Energy-weighted mean frequency (Hz) of a power spectrum: where the sound's weight sits.
    A sine's centroid is its frequency; a bass-heavy mix sits low (the issue: under 520 Hz)."""
    total = float(power.sum())
    return float((freqs * power).sum() / total) if total > 0 else 0.0


def spectral_rolloff(freqs: np.ndarray, power: np.ndarray, share: float = ROLLOFF_SHARE) -> float:
    """The frequency (Hz) below which `share` of the energy lies: how far up the sound reaches."""
    cumulative = np.cumsum(power)
    if cumulative[-1] <= 0:
        return 0.0
    return float(freqs[int(np.searchsorted(cumulative, share * cumulative[-1]))])


def band_shares(freqs: np.ndarray, power: np.ndarray) -> tuple[float, float, float]:
    """Energy shares of the low (< 250 Hz), mid (250-2000 Hz) and high (>= 2000 Hz) bands; sum 1."""
    total = float(power.sum())
    if total <= 0:
        return 0.0, 0.0, 0.0
    low = float(power[freqs < LOW_HZ].sum()) / total
    high = float(power[freqs >= HIGH_HZ].sum()) / total
    return low, 1.0 - low - high, high


def brightness(freqs: np.ndarray, power: np.ndarray) -> float:
    """Energy share above 1500 Hz (0..1): a dull pad is near 0, cymbals and noise push it up."""
    total = float(power.sum())
    return float(power[freqs >= BRIGHT_HZ].sum()) / total if total > 0 else 0.0


def onset_times(x: np.ndarray, rate: int) -> np.ndarray:
    """Note onsets (seconds) from spectral flux. The power spectrum (1024-point frames, 11.6 ms
    hop) is summed into sixth-octave bands from 60 Hz (bands average out the random flicker of
    noise beds, which single bins would hear as a stream of attacks), log-compressed, and the
    flux is the sum over bands of each band's rise since the previous frame (falls do not count,
    so a fading note adds nothing). A frame is an onset when its flux is the largest within
    +-50 ms and exceeds the flux's median over +-0.5 s by 3 median absolute deviations (at
    least FLUX_FLOOR): the threshold follows the local texture, so a soft pulse between loud
    kicks is still heard while a steady noise bed is not."""
    flux, frame_s = onset_flux(x, rate)
    hop, n_fft = ONSET_HOP, ONSET_FFT
    near, wide = max(1, round(0.05 / frame_s)), max(1, round(0.5 / frame_s))
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(flux, wide, mode="edge"), 2 * wide + 1)
    median = np.median(windows, axis=1)
    spread = np.median(np.abs(windows - median[:, None]), axis=1)
    threshold = median + np.maximum(3 * spread, FLUX_FLOOR)
    onsets: list[int] = []
    for i in range(len(flux)):
        lo, hi = max(0, i - near), min(len(flux), i + near + 1)
        if flux[i] > threshold[i] and flux[i] == flux[lo:hi].max() and (not onsets or i - onsets[-1] > near):
            onsets.append(i)
    # A frame hears an attack at its centre; frame i starts at hop * i.
    return (np.array(onsets, dtype=float) * hop + n_fft / 2) / rate


ONSET_HOP, ONSET_FFT = 256, 1024


def onset_flux(x: np.ndarray, rate: int) -> tuple[np.ndarray, float]:
    """The onset-strength envelope onset_times() peaks are picked from, and its frame length (s)."""
    hop, n_fft = ONSET_HOP, ONSET_FFT
    # Scaled so a full-scale sine's band is 1: the compression treats every piece alike.
    power = power_spectrogram(x, n_fft, hop) / (np.hanning(n_fft).sum() / 2) ** 2
    freqs = np.fft.rfftfreq(n_fft, 1 / rate)
    band = np.floor(6 * np.log2(np.maximum(freqs, 1.0) / 60.0)).astype(int).clip(min=-1) + 1
    bands = np.stack([power[:, band == b].sum(axis=1) for b in np.unique(band)], axis=1)
    compressed = np.log1p(100.0 * np.sqrt(bands))
    flux = np.maximum(np.diff(compressed, axis=0), 0.0).sum(axis=1)
    flux = np.concatenate([[compressed[0].sum()], flux])  # the first frame rises from silence
    frame_s = hop / rate
    # Summed over 70 ms: an attack is a burst of rise, while a slow swell rises in small ripples
    # (Strudel's envelopes step every few frames) that, summed, become a smooth ramp.
    return np.convolve(flux, np.ones(round(0.07 / frame_s)), mode="same"), frame_s


TEMPO_RANGE_BPM = (30.0, 240.0)
PULSE_SHARE = 0.8  # a periodicity this close to the strongest one counts as the pulse


def tempo_bpm(x: np.ndarray, rate: int) -> float:
    """The pulse a listener hears, in beats per minute: the fastest strong periodicity of the
    onset-strength envelope. Its autocorrelation is taken over 30-240 BPM; among the lags where it
    peaks at 80 % or more of its strongest value, the shortest wins (a pulse also repeats at
    twice and three times its period, and accents on every other beat must not halve it).
    0 for silence or a texture with no pulse at all."""
    flux, frame_s = onset_flux(x, rate)
    flux = flux - flux.mean()
    energy = float((flux * flux).sum())
    if energy <= 0:
        return 0.0
    spectrum = np.fft.rfft(flux, 2 * len(flux))
    ac = np.fft.irfft(spectrum * np.conj(spectrum))[: len(flux)] / energy
    first = max(1, int(60.0 / TEMPO_RANGE_BPM[1] / frame_s))
    last = min(len(ac) - 2, int(60.0 / TEMPO_RANGE_BPM[0] / frame_s))
    peaks = [k for k in range(first, last + 1) if ac[k] > 0 and ac[k] >= ac[k - 1] and ac[k] >= ac[k + 1]]
    if not peaks:
        return 0.0
    strongest = max(ac[k] for k in peaks)
    pulse = next(k for k in peaks if ac[k] >= PULSE_SHARE * strongest)
    return 60.0 / (pulse * frame_s)


def chroma(x: np.ndarray, rate: int) -> np.ndarray:
    """The piece's pitch-class profile (12 values, C first, summing to 1): spectral magnitude
    from 80 Hz to 5 kHz folded onto the nearest equal-tempered pitch class (A4 = 440 Hz).
    Magnitude, not power, so one loud note does not drown the harmony."""
    n_fft = 8192  # 2.7 Hz bins at 22050 Hz: semitones apart down to ~80 Hz
    freqs = np.fft.rfftfreq(n_fft, 1 / rate)
    magnitude = np.sqrt(power_spectrogram(x, n_fft, n_fft // 2)).mean(axis=0)
    keep = (freqs >= 80) & (freqs <= 5000)
    classes = np.round(12 * np.log2(freqs[keep] / 440.0) + 69).astype(int) % 12
    profile = np.bincount(classes, weights=magnitude[keep], minlength=12)
    total = profile.sum()
    return profile / total if total > 0 else profile


@dataclass(frozen=True)
class KeyEstimate:
    tonic: int  # pitch class, 0 = C
    major: bool
    clarity: float  # correlation of the chroma with the best key profile (-1..1): how tonal
    mode: float  # best major correlation minus best minor correlation: > 0 sounds major


def key_estimate(profile: np.ndarray) -> KeyEstimate:
    """Krumhansl-Schmuckler key finding: correlate the chroma with the 24 rotated key profiles.
    `clarity` says how clearly the music sits in one key (noise, clusters and drums score low),
    `mode` how much more major than minor it is (a major triad > 0, a minor triad < 0)."""
    if not np.any(profile):
        return KeyEstimate(0, True, 0.0, 0.0)
    major = [_corr(profile, np.roll(MAJOR_PROFILE, k)) for k in range(12)]
    minor = [_corr(profile, np.roll(MINOR_PROFILE, k)) for k in range(12)]
    best_major, best_minor = int(np.argmax(major)), int(np.argmax(minor))
    is_major = major[best_major] >= minor[best_minor]
    return KeyEstimate(
        tonic=best_major if is_major else best_minor,
        major=is_major,
        clarity=max(major[best_major], minor[best_minor]),
        mode=major[best_major] - minor[best_minor],
    )


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator > 0 else 0.0


@dataclass(frozen=True)
class AudioFeatures:
    """What a listener hears, in numbers (see each function for the definition)."""

    level_db: float
    level_spread_db: float
    centroid_hz: float
    rolloff_hz: float
    brightness: float
    onsets_per_s: float
    tempo_bpm: float
    low: float
    mid: float
    high: float
    key_clarity: float
    mode: float


def audio_features(x: np.ndarray, rate: int) -> AudioFeatures:
    level, spread = level_db(x, rate)
    freqs, power = mean_spectrum(x, rate)
    low, mid, high = band_shares(freqs, power)
    key = key_estimate(chroma(x, rate))
    return AudioFeatures(
        level_db=level,
        level_spread_db=spread,
        centroid_hz=spectral_centroid(freqs, power),
        rolloff_hz=spectral_rolloff(freqs, power),
        brightness=brightness(freqs, power),
        onsets_per_s=len(onset_times(x, rate)) / (len(x) / rate),
        tempo_bpm=tempo_bpm(x, rate),
        low=low,
        mid=mid,
        high=high,
        key_clarity=key.clarity,
        mode=key.mode,
    )


def feature_vector(f: AudioFeatures) -> list[float]:
    """The numbers distances and mood-telling use. Frequencies and onset rate on a log scale
    (a listener hears ratios); the level is left out: the player evens it out, and a piece should
    be told by what it plays, not by how loud the composer happened to make it."""
    return [
        f.level_spread_db,
        math.log(max(f.centroid_hz, 1.0)),
        math.log(max(f.rolloff_hz, 1.0)),
        f.brightness,
        math.log1p(f.onsets_per_s),
        math.log(max(f.tempo_bpm, TEMPO_RANGE_BPM[0])),
        f.low,
        f.mid,
        f.high,
        f.key_clarity,
        f.mode,
    ]


FEATURE_NAMES = ["level_spread_db", "log_centroid", "log_rolloff", "brightness", "log1p_onsets", "log_tempo",
                 "low", "mid", "high", "key_clarity", "mode"]


# ---------------------------------------------------------------------------------------------
# Events (from sound/pattern_events.js: {cps, begin, end, layers, events: [...]})


@dataclass(frozen=True)
class Event:
    layer: int
    start: float  # cycles
    end: float
    note: int | None
    gain: float
    sound: str


def events_from_json(data: dict) -> list[Event]:
    return [Event(int(e["layer"]), float(e["start"]), float(e["end"]), e.get("note"),
                  float(e.get("gain", 1)) * float(e.get("velocity", 1)), str(e["sound"]))
            for e in data["events"]]


def _cycle_fingerprints(events: Sequence[Event], cycles: int, with_gain: bool) -> list[tuple]:
    """Per cycle, the sorted notes that start in it, timed relative to the cycle's start."""
    per: list[list[tuple]] = [[] for _ in range(cycles)]
    for e in events:
        c = math.floor(e.start + 1e-9)
        if 0 <= c < cycles:
            key: tuple = (round(e.start - c, 6), round(e.end - e.start, 6), e.layer, e.note, e.sound)
            per[c].append((*key, round(e.gain, 4)) if with_gain else key)
    return [tuple(sorted(p)) for p in per]


@dataclass(frozen=True)
class Repetition:
    period_cycles: int | None  # None: no exact repeat seen in the queried span
    intro_cycles: int  # the repeat holds from this cycle on


def repetition_period(events: Sequence[Event], cycles: int, with_gain: bool = False,
                      max_intro: int | None = None) -> Repetition:
    """The smallest P (whole cycles) such that, from some cycle k on, every cycle's notes equal
    those P cycles later, over the whole queried span [0, cycles). k (an intro that does not come
    back) may be up to a quarter of the span; the repeat must be seen in full at least twice
    (k + 2P <= cycles), so a long period is reported as absent rather than guessed.
    Notes are compared by onset and length within the cycle, layer, pitch, sound (and, with
    `with_gain`, gain x velocity): what the ear takes for "the same bar again"."""
    prints = _cycle_fingerprints(events, cycles, with_gain)
    max_intro = cycles // 4 if max_intro is None else max_intro
    for period in range(1, cycles // 2 + 1):
        # The latest cycle from which the repeat holds to the end: walk back while it holds.
        k = cycles - period
        while k > 0 and prints[k - 1] == prints[k - 1 + period]:
            k -= 1
        if k <= max_intro and k + 2 * period <= cycles:
            return Repetition(period, k)
    return Repetition(None, 0)


@dataclass(frozen=True)
class LayerActivity:
    mean: float
    min: int
    max: int
    distinct_sets: int  # how many different combinations of layers the piece moves through


def layer_activity(events: Sequence[Event], cycles: int) -> LayerActivity:
    """Layers sounding in each cycle: a layer counts in every cycle one of its notes overlaps,
    so a pad held for four cycles is active in all four."""
    sets: list[set[int]] = [set() for _ in range(cycles)]
    for e in events:
        first = max(0, math.floor(e.start + 1e-9))
        last = min(cycles - 1, math.ceil(e.end - 1e-9) - 1)
        for c in range(first, last + 1):
            sets[c].add(e.layer)
    counts = [len(s) for s in sets] or [0]
    return LayerActivity(round(statistics.mean(counts), 3), min(counts), max(counts),
                         len({frozenset(s) for s in sets}))


# ---------------------------------------------------------------------------------------------
# Scores over many pieces


def code_similarity(a: str, b: str) -> float:
    """difflib's ratio on the code text: 1.0 identical, ~0 unrelated."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def standardise(rows: Sequence[Sequence[float]]) -> np.ndarray:
    """z-scores per column over all rows (a constant column becomes 0)."""
    m = np.asarray(rows, dtype=float)
    std = m.std(axis=0)
    return (m - m.mean(axis=0)) / np.where(std > 0, std, 1.0)


def distance_matrix(z: np.ndarray) -> np.ndarray:
    return np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(axis=2))


def pair_medians(d: np.ndarray, groups: Sequence[str], exclude_same: Sequence[str] | None = None
                 ) -> dict[str, float | int | None]:
    """Median distance between pieces of the same group and between different groups.
    `exclude_same`: pieces with equal values here are not paired (e.g. the same passage)."""
    same: list[float] = []
    between: list[float] = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            if exclude_same is not None and exclude_same[i] == exclude_same[j]:
                continue
            (same if groups[i] == groups[j] else between).append(float(d[i, j]))
    return {
        "same_median": _median(same),
        "between_median": _median(between),
        "same_pairs": len(same),
        "between_pairs": len(between),
    }


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


@dataclass
class Confusion:
    labels: list[str]
    table: dict[str, dict[str, int]] = field(default_factory=dict)  # truth -> predicted -> count

    def add(self, truth: str, predicted: str) -> None:
        row = self.table.setdefault(truth, {})
        row[predicted] = row.get(predicted, 0) + 1

    def accuracy(self) -> float | None:
        total = sum(sum(r.values()) for r in self.table.values())
        right = sum(r.get(t, 0) for t, r in self.table.items())
        return round(right / total, 3) if total else None

    def rows(self) -> dict[str, str]:
        """Compact print: truth -> 'predicted:count ...', right answers first."""
        out = {}
        for truth in self.labels:
            row = self.table.get(truth, {})
            if row:
                order = sorted(row, key=lambda p: (p != truth, -row[p], p))
                out[truth] = " ".join(f"{p}:{row[p]}" for p in order)
        return out


def nearest_centroid(z: np.ndarray, labels: Sequence[str], query: np.ndarray,
                     skip: int | None = None) -> str:
    """The label whose centroid (mean of its rows, leaving row `skip` out) is nearest `query`.
    A label with no rows left has no centroid. Ties go to the label first in sorted order."""
    best, best_d = "", math.inf
    for label in sorted(set(labels)):
        rows = [i for i, lab in enumerate(labels) if lab == label and i != skip]
        if not rows:
            continue
        d = float(np.linalg.norm(z[rows].mean(axis=0) - query))
        if d < best_d:
            best, best_d = label, d
    return best


def leave_one_out(z: np.ndarray, labels: Sequence[str], order: Iterable[str]) -> Confusion:
    """Tell each piece's label from the others' centroids (leave-one-out nearest centroid)."""
    confusion = Confusion(list(order))
    for i, truth in enumerate(labels):
        confusion.add(truth, nearest_centroid(z, labels, z[i], skip=i))
    return confusion


def quadrant(valence: float, arousal: float) -> str:
    """calm/intense by arousal (> 0 intense), dark/bright by valence (< 0 dark)."""
    return ("intense" if arousal > 0 else "calm") + "-" + ("dark" if valence < 0 else "bright")


def as_dict(record: object) -> dict:
    return asdict(record)  # type: ignore[call-overload]


def separation(z: np.ndarray, labels: Sequence[str], names: Sequence[str]) -> dict[str, dict]:
    """Per label: its spread (median distance of its rows to their centroid), the nearest other
    label's centroid, the three features that part the two most (centroid difference in z units),
    and the three in which the label's own pieces vary most: where two moods must move apart, and
    what carries a style's own variety."""
    groups = {lab: [i for i, x in enumerate(labels) if x == lab] for lab in sorted(set(labels))}
    centre = {lab: z[rows].mean(axis=0) for lab, rows in groups.items()}
    out: dict[str, dict] = {}
    for lab, rows in groups.items():
        spread = float(np.median([np.linalg.norm(z[i] - centre[lab]) for i in rows]))
        others = [(float(np.linalg.norm(centre[lab] - centre[o])), o) for o in groups if o != lab]
        gap, nearest = min(others)
        diff = centre[lab] - centre[nearest]
        order = np.argsort(-np.abs(diff))
        own_sd = z[rows].std(axis=0)
        out[lab] = {
            "spread": round(spread, 2), "nearest": nearest, "gap": round(gap, 2),
            "parted_by": {names[k]: round(float(diff[k]), 2) for k in order[:3]},
            "varies_in": {names[k]: round(float(own_sd[k]), 2) for k in np.argsort(-own_sd)[:3]},
        }
    return out
