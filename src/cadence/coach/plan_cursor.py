"""Where the session is in its plan: the current segment and the time spent in it.

Why its own object: the plan (``plan.build_plan``) is a fixed tuple, but a
safety stop replaces the rest of it with one walking cool-down, and the 3-2-1
countdown before each change needs to remember what it already said. Keeping
that here lets the engine ask "which segment, how long left, is there a next
one" without knowing about the stop or the countdown's memory.
"""

from __future__ import annotations

from dataclasses import replace

from cadence.coach.actions import Phase
from cadence.coach.plan import Segment, build_plan, planned_running_s
from cadence.profile.model import ProgramWeek

STOP_COOLDOWN_LABEL = "Walking cool-down"
WALKED_RUN_LABEL = "Walk (instead of a run)"
COUNTDOWN_MIN_SEGMENT_S = 3.0  # no 3-2-1 for segments this short


class PlanCursor:
    """The current segment of one session's plan, on the active (unpaused) clock."""

    def __init__(self, week: ProgramWeek) -> None:
        self.plan = build_plan(week)
        self.planned_run_s = planned_running_s(self.plan)
        self.active_s = 0.0  # session time, pauses excluded
        self.seg_elapsed_s = 0.0
        self._index = 0
        self._stop_segment: Segment | None = None
        self._countdown_from = 4

    @property
    def first_phase(self) -> Phase:
        return self.plan[0].phase if self.plan else Phase.COOLDOWN

    @property
    def rounds_total(self) -> int:
        return self.plan[0].rounds_total if self.plan else 0

    @property
    def segment(self) -> Segment:
        if self._stop_segment is not None:
            return self._stop_segment
        if not self.plan:
            return Segment(Phase.COOLDOWN, 0.0)
        return self.plan[min(self._index, len(self.plan) - 1)]

    def left_s(self) -> float | None:
        """Seconds left in the current segment; None when it is open-ended."""
        seg = self.segment
        return None if seg.duration_s is None else max(0.0, seg.duration_s - self.seg_elapsed_s)

    def take(self, dt_s: float) -> float:
        """Spend up to ``dt_s`` in the current segment; returns how much was spent."""
        left = self.left_s()
        spent = dt_s if left is None else min(dt_s, left)
        self.active_s += spent
        self.seg_elapsed_s += spent
        return spent

    @property
    def segment_over(self) -> bool:
        seg = self.segment
        return seg.duration_s is not None and self.seg_elapsed_s >= seg.duration_s - 1e-9

    def has_next(self) -> bool:
        return self._stop_segment is None and self._index + 1 < len(self.plan)

    def advance(self) -> Segment | None:
        """Move to the next segment; None when the plan (or the stop cool-down) is over."""
        self.seg_elapsed_s = 0.0
        self._countdown_from = 4
        if self._stop_segment is not None:
            return None
        self._index += 1
        return self.plan[self._index] if self._index < len(self.plan) else None

    def enter_stop_cooldown(self, duration_s: float | None) -> Segment:
        """Replace the rest of the plan with a walking cool-down (None: open-ended)."""
        self._stop_segment = Segment(
            Phase.COOLDOWN, duration_s, 0, self.rounds_total, STOP_COOLDOWN_LABEL
        )
        self.seg_elapsed_s = 0.0
        self._countdown_from = 4
        return self._stop_segment

    def walk_next_run(self) -> Segment | None:
        """Turn the next planned run interval into a walk; returns it (None: no run left)."""
        plan = list(self.plan)
        for i in range(self._index + 1, len(plan)):
            seg = plan[i]
            if seg.phase is Phase.RUN:
                plan[i] = replace(seg, phase=Phase.WALK, label=WALKED_RUN_LABEL)
                self.plan = tuple(plan)
                return plan[i]
        return None

    def countdown_due(self) -> int | None:
        """3, 2 or 1 when that many seconds are left before a planned change and not yet said."""
        seg = self.segment
        if seg.duration_s is None or seg.duration_s <= COUNTDOWN_MIN_SEGMENT_S:
            return None
        if not self.has_next():
            return None
        left = seg.duration_s - self.seg_elapsed_s
        due = [k for k in (1, 2, 3) if left <= k]
        if due and min(due) < self._countdown_from:
            self._countdown_from = min(due)
            return self._countdown_from
        return None
