"""Which sections the model should compose next, and how far ahead of the reader it stays.

The section being read is covered by what already plays (the instant composer, or an earlier
model piece): a model piece only takes over at the next section boundary. So the model works on
the next `depth` sections, nearest first, and a generation for a section the reader has already
reached or skipped past is cancelled.

`simulate` replays that policy against a reading pace and measured generation times: the
streamability numbers bench/llm.py reports.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field


def window(current: int, n_sections: int, depth: int) -> list[int]:
    """Sections worth composing now: the next `depth` after the one being read."""
    return list(range(current + 1, min(n_sections, current + 1 + max(0, depth))))


def next_job(current: int, n_sections: int, depth: int, settled: Collection[int]) -> int | None:
    """The nearest section in the window with no piece yet and no failed attempt."""
    return next((i for i in window(current, n_sections, depth) if i not in settled), None)


def should_cancel(in_flight: int | None, current: int, n_sections: int, depth: int) -> bool:
    """A generation is wasted once its section is no longer ahead of the reader (reached, skipped
    past, or the reader jumped back far)."""
    return in_flight is not None and in_flight not in window(current, n_sections, depth)


@dataclass(frozen=True)
class Simulation:
    wpm: int
    depth: int
    ready: list[bool]  # per section: the model's piece was ready when the reader got there
    starts: list[float]  # when the reader reaches each section (s)
    finished: dict[int, float] = field(default_factory=dict)  # section -> when its piece was ready
    cancelled: list[int] = field(default_factory=list)

    @property
    def share_after_first(self) -> float:
        """Ready share over the sections after the first (the first is always the instant
        composer's: the reader is in it before any piece can exist)."""
        rest = self.ready[1:]
        return sum(rest) / len(rest) if rest else 1.0

    @property
    def share_all(self) -> float:
        return sum(self.ready) / len(self.ready) if self.ready else 1.0


def reading_starts(words: Sequence[int], wpm: int) -> list[float]:
    starts, t = [], 0.0
    for w in words:
        starts.append(t)
        t += w / wpm * 60.0
    return starts


def simulate(
    words: Sequence[int],
    wpm: int,
    depth: int,
    gen_seconds: Sequence[float] | float,
    *,
    load_seconds: float = 0.0,
) -> Simulation:
    """Replay the schedule: the reader starts section 0 at t=0 and reads on at `wpm`; the engine
    (one generation at a time) is free from `load_seconds`, composes `next_job` each time, and
    drops a generation when the reader reaches its section first (a miss: the instant composer
    covers it). `gen_seconds[i]` is how long section i takes to write."""
    n = len(words)
    gen = [float(gen_seconds)] * n if isinstance(gen_seconds, int | float) else list(gen_seconds)
    starts = reading_starts(words, wpm)
    end = starts[-1] + words[-1] / wpm * 60.0 if n else 0.0
    finished: dict[int, float] = {}
    settled: set[int] = set()
    cancelled: list[int] = []
    t = load_seconds

    def reader_at(time: float) -> int:
        return max((i for i, s in enumerate(starts) if s <= time), default=0)

    while n and t < end:
        cur = reader_at(t)
        job = next_job(cur, n, depth, settled)
        if job is None:
            if cur + 1 >= n:
                break
            t = starts[cur + 1]  # idle until the window moves
            continue
        done = t + gen[job]
        if done <= starts[job]:
            finished[job] = done
            settled.add(job)
            t = done
        else:
            cancelled.append(job)  # the reader got there first
            settled.add(job)
            t = starts[job]
    ready = [i in finished for i in range(n)]
    return Simulation(wpm, depth, ready, starts, finished, cancelled)
