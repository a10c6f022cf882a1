"""A robust cadence estimate from noisy footpod readings and from tap-tempo.

Why not just the latest reading: footpods send 1-4 readings a second, each with
a couple of spm of jitter and the occasional wild value (a stumble, a radio
glitch). The coach's tempo ramp and its "cadence slipping" cue need a number
that is steady to within 1 spm, yet follows a real change (walk to run, a
burst of quick steps) within 3 s.

How (after OpenTracks' aggregators, with stale data expiring):

1. Readings outside ``0..MAX_SPM`` (or NaN) are dropped and counted.
2. The estimate is a trimmed mean over a long window (``window_s``, 10 s):
   readings further than ``max(outlier_floor_spm, 4 * MAD)`` from the window's
   median are left out, the rest averaged. A long window gives the steady-state
   accuracy.
3. A step change is detected when every reading of the last ``recent_s``
   (at least two of them) lies more than ``change_spm`` from the current
   estimate on the same side. The window then restarts at the first of those
   readings, so the estimate jumps to the new level instead of blending over
   10 s. One wild reading can never trigger this; two agreeing ones do.
4. No reading for ``stale_after_s`` means "no cadence" (``None``), not the
   last value forever.

Tap-tempo: the runner taps a key on each footfall for about ten seconds;
``tap_tempo_spm`` turns the tap times into steps per minute with the median
interval and outlier rejection (a missed or doubled tap is one bad interval).
Jittery taps are refused rather than averaged into a number nobody ran: more
than a third of the intervals rejected, or the rest spread by more than
``TAP_MAX_SPREAD`` (coefficient of variation), gives no result.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass
from statistics import median

MAX_SPM = 260.0
TAP_MAX_SPREAD = 0.12  # coefficient of variation of the kept tap intervals
TAP_MIN_KEPT = 2 / 3  # share of intervals that must agree with the median


@dataclass(frozen=True, slots=True)
class EstimatorSettings:
    window_s: float = 10.0
    recent_s: float = 1.0
    change_spm: float = 4.0
    outlier_floor_spm: float = 6.0
    stale_after_s: float = 5.0


class CadenceEstimator:
    """Feed readings with ``add``; read ``estimate(now_s)``."""

    def __init__(self, settings: EstimatorSettings | None = None) -> None:
        self.settings = settings or EstimatorSettings()
        self._readings: deque[tuple[float, float]] = deque()
        self._estimate: float | None = None
        self.dropped = 0
        self.changes_detected = 0

    def add(self, t_s: float, cadence_spm: float) -> None:
        """Take one reading (session clock, steps per minute)."""
        if math.isnan(cadence_spm) or not 0.0 <= cadence_spm <= MAX_SPM:
            self.dropped += 1
            return
        if self._readings and t_s < self._readings[-1][0]:
            self.dropped += 1  # out of order: the window assumes time order
            return
        self._readings.append((t_s, cadence_spm))
        self._trim(t_s)
        self._detect_change(t_s)
        self._estimate = self._trimmed_mean()

    def estimate(self, now_s: float) -> float | None:
        """The current estimate, or None when there is no recent reading."""
        if not self._readings or now_s - self._readings[-1][0] > self.settings.stale_after_s:
            return None
        return self._estimate

    def reset(self) -> None:
        """Forget everything (e.g. the runner switched from walking to running)."""
        self._readings.clear()
        self._estimate = None

    def _trim(self, now_s: float) -> None:
        cutoff = now_s - self.settings.window_s
        while self._readings and self._readings[0][0] < cutoff:
            self._readings.popleft()

    def _detect_change(self, now_s: float) -> None:
        if self._estimate is None:
            return
        s = self.settings
        recent = [(t, v) for t, v in self._readings if t >= now_s - s.recent_s]
        if len(recent) < 2 or len(recent) == len(self._readings):
            return
        above = all(v > self._estimate + s.change_spm for _, v in recent)
        below = all(v < self._estimate - s.change_spm for _, v in recent)
        if above or below:
            first_t = recent[0][0]
            while self._readings and self._readings[0][0] < first_t:
                self._readings.popleft()
            self.changes_detected += 1

    def _trimmed_mean(self) -> float:
        values = [v for _, v in self._readings]
        mid = median(values)
        mad = median(abs(v - mid) for v in values)
        limit = max(self.settings.outlier_floor_spm, 4.0 * mad)
        kept = [v for v in values if abs(v - mid) <= limit]
        return sum(kept) / len(kept)


def tap_tempo_spm(taps_s: tuple[float, ...] | list[float], min_taps: int = 8) -> float | None:
    """Steps per minute from footfall tap times, or None if too few or too uneven.

    Intervals further than 35 % from the median interval (a missed tap doubles
    one, a double tap halves one) are left out before averaging.
    """
    return judge_taps(taps_s, min_taps)[0]


def judge_taps(
    taps_s: tuple[float, ...] | list[float], min_taps: int = 8
) -> tuple[float | None, str]:
    """``(spm, "")`` for a usable burst, else ``(None, why)`` in plain words."""
    taps = sorted(taps_s)
    intervals = [b - a for a, b in itertools.pairwise(taps) if b > a]
    if len(taps) < min_taps or len(intervals) < min_taps - 1:
        return None, "too few taps"
    mid = median(intervals)
    kept = [i for i in intervals if abs(i - mid) <= 0.35 * mid]
    if len(kept) < max((min_taps - 1) // 2 + 1, TAP_MIN_KEPT * len(intervals)):
        return None, "taps too uneven"
    mean = sum(kept) / len(kept)
    spread = math.sqrt(sum((i - mean) ** 2 for i in kept) / len(kept)) / mean
    if spread > TAP_MAX_SPREAD:
        return None, "taps too uneven"
    spm = 60.0 / mean
    return (spm, "") if 0.0 < spm <= MAX_SPM else (None, "taps out of range")


class TapCollector:
    """Gathers taps across ticks; a burst ends after ``gap_s`` without a tap."""

    def __init__(self, gap_s: float = 2.0, max_span_s: float = 15.0) -> None:
        self.gap_s = gap_s
        self.max_span_s = max_span_s
        self._taps: list[float] = []
        self.refused = ""  # why the last finished burst gave no result ("" if it did)

    def add(self, taps_s: tuple[float, ...]) -> None:
        self._taps.extend(taps_s)

    def finished(self, now_s: float) -> float | None:
        """Tap-tempo spm once a burst has ended (then forgets it), else None."""
        self.refused = ""
        if not self._taps or now_s - max(self._taps) < self.gap_s:
            return None
        last = max(self._taps)
        burst = [t for t in self._taps if t >= last - self.max_span_s]
        self._taps = []
        spm, self.refused = judge_taps(burst)
        return spm

    @property
    def pending(self) -> int:
        return len(self._taps)
