"""Say the exercises of a warm-up or cool-down block, one at a time.

Why: a list on screen is no help to someone doing leg swings away from the
keyboard. A block's exercises are spread over its length and each is said
when its turn comes: in a warm-up the first straight away, in the cool-down
after an easy walk (the stretches come once the breathing has settled).
"""

from __future__ import annotations

from cadence.coach.actions import Phase
from cadence.coach.plan import Segment


class ExerciseGuide:
    """Which exercise of the current block is due; remembers what was said."""

    def __init__(self) -> None:
        self._said = 0

    def new_block(self) -> None:
        self._said = 0

    def due(self, seg: Segment, seg_elapsed_s: float) -> str | None:
        """The next exercise to say now, if its turn has come."""
        n = len(seg.exercises)
        if self._said >= n or seg.duration_s is None or seg.duration_s <= 0:
            return None
        slots = n if seg.phase is Phase.WARMUP else n + 1  # the cool-down walks first
        start = 0 if seg.phase is Phase.WARMUP else 1
        if seg_elapsed_s + 1e-9 < (self._said + start) * seg.duration_s / slots:
            return None
        self._said += 1
        return seg.exercises[self._said - 1]
