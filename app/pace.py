"""The reader's real pace, measured from how fast the current section advances.

Pure Python with an explicit clock so the scheduler (and tests) can use it anywhere:

    pace = PaceTracker(wpm=230)
    pace.observe(section_index, words, t)   # the reader arrived at a section at time t (seconds)
    pace.wpm                                # smoothed words per minute

Only moving to the next section counts as reading the previous one; jumps, skims (much faster
than plausible) and long stays (the reader left) are ignored, so one odd moment does not swing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_WPM = 60.0
MAX_WPM = 900.0
# The speeds a reader may set (sections are sized for them); measured samples may range wider.
SETTABLE_WPM: tuple[int, int] = (80, 900)


@dataclass
class PaceTracker:
    wpm: float = 230.0
    smoothing: float = 0.35  # weight of a new sample: quick to adapt, but not jumpy
    samples: int = 0
    _at: tuple[int, int, float] | None = field(default=None, repr=False)  # (index, words, since)

    def observe(self, section_index: int, words: int, t: float) -> float | None:
        """The reader is at `section_index` (which has `words` words) from time `t` on.

        Returns the pace sample taken from the section just finished, or None.
        """
        previous, self._at = self._at, (section_index, words, t)
        if previous is None or section_index != previous[0] + 1:
            return None
        _, done_words, since = previous
        seconds = t - since
        if done_words < 5 or seconds <= 0:
            return None
        sample = done_words * 60.0 / seconds
        # Faster than 4x or slower than a quarter of the current estimate: skimming or away.
        if not (self.wpm / 4 <= sample <= self.wpm * 4) or not MIN_WPM <= sample <= MAX_WPM:
            return None
        self.wpm = self.wpm + self.smoothing * (sample - self.wpm)
        self.samples += 1
        return sample

    def pause(self) -> None:
        """Reading stopped (tab hidden, player paused long): the running section does not count."""
        self._at = None
