"""Session clocks: the one place a live session reads time.

The coach, the sensors and the recorder all see the same "seconds since the
session started" clock, passed in. Production uses ``MonotonicClock``; tests
use ``VirtualClock`` and move time by hand, so a 30-minute session can be
checked on screen in a second and every snapshot is repeatable.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Seconds since the session started. Calling the clock is the same as ``now_s()``."""

    def now_s(self) -> float: ...

    def __call__(self) -> float: ...

    def restart(self) -> None:
        """Make "now" the session's zero (called when the session really starts)."""
        ...

    def to_monotonic(self, t_s: float) -> float:
        """The ``time.monotonic()`` value matching session time ``t_s``."""
        ...

    def from_monotonic(self, mono_s: float) -> float:
        """The session time matching a ``time.monotonic()`` value."""
        ...


class MonotonicClock:
    """Real time from ``time.monotonic``, optionally sped up (``cadence demo --speed``).

    With ``speed`` > 1 the session clock runs faster than the wall: phases and
    countdowns pass quicker, while the metronome keeps its real tempo.
    """

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._t0 = time.monotonic()

    def now_s(self) -> float:
        return (time.monotonic() - self._t0) * self.speed

    def __call__(self) -> float:
        return self.now_s()

    def restart(self) -> None:
        self._t0 = time.monotonic()

    def to_monotonic(self, t_s: float) -> float:
        return self._t0 + t_s / self.speed

    def from_monotonic(self, mono_s: float) -> float:
        return (mono_s - self._t0) * self.speed


class VirtualClock:
    """Time that moves only when told to (tests, snapshots, benchmarks)."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._t_s = start_s

    def now_s(self) -> float:
        return self._t_s

    def __call__(self) -> float:
        return self._t_s

    def restart(self) -> None:
        self._t_s = 0.0

    def advance(self, dt_s: float) -> float:
        """Move time forward by ``dt_s`` seconds and return the new time."""
        if dt_s < 0:
            raise ValueError("a clock never goes backwards")
        self._t_s += dt_s
        return self._t_s

    def advance_to(self, t_s: float) -> float:
        """Move time forward to exactly ``t_s`` (no float sums creeping in)."""
        if t_s < self._t_s:
            raise ValueError("a clock never goes backwards")
        self._t_s = t_s
        return self._t_s

    def to_monotonic(self, t_s: float) -> float:
        return t_s

    def from_monotonic(self, mono_s: float) -> float:
        return mono_s
