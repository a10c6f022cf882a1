"""Judging the belt against what it was asked: following, arrived, or moved by someone else.

Why apart from the controller: these are the rules a runner feels (a belt
that never gets to the walk speed, a console button press that cadence must
respect), so they are plain code with no radio, tested on their own, and
the controller only feeds them readings and acts on the verdict.

Rules:

* After a command the belt has ``gap / min_ramp_kmh_per_s + grace_s`` to
  arrive within ``tolerance_kmh``, and must have closed at least
  ``tolerance_kmh`` of the gap by ``start_check_s``. Belts ramp at 0.3-1 km/h
  per second, so the slowest real ramp still passes. A belt that fails
  either is reported once; nothing is re-sent (never a retry loop).
* Once the belt has arrived, ``override_readings`` readings in a row away
  from the target, with no command in flight, mean someone else changed the
  speed: the console's buttons (or a machine that reverts by itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    NONE = "none"
    ARRIVED = "arrived"
    NOT_FOLLOWING = "not_following"
    MOVED_BY_OTHERS = "moved_by_others"


@dataclass(frozen=True, slots=True)
class BeltWatchRules:
    tolerance_kmh: float = 0.3
    min_ramp_kmh_per_s: float = 0.3
    grace_s: float = 3.0
    start_check_s: float = 3.0
    override_readings: int = 2


@dataclass(slots=True)
class _Follow:
    target_kmh: float
    since_s: float
    start_kmh: float | None
    deadline_s: float


class BeltWatch:
    """Watches one belt's reported speed against the last commanded target."""

    def __init__(self, rules: BeltWatchRules | None = None) -> None:
        self.rules = rules or BeltWatchRules()
        self.target_kmh: float | None = None
        self.belt_kmh: float | None = None
        self.settled = False
        self._follow: _Follow | None = None
        self._off = 0
        self.arrived_after_s: float | None = None

    @property
    def following(self) -> bool:
        """A command is still on its way to the belt (judged on each reading)."""
        return self._follow is not None

    def commanded(self, now_s: float, target_kmh: float) -> None:
        """A target was accepted by the treadmill: watch the belt get there."""
        gap = abs(target_kmh - self.belt_kmh) if self.belt_kmh is not None else target_kmh
        deadline = now_s + gap / self.rules.min_ramp_kmh_per_s + self.rules.grace_s
        self._follow = _Follow(target_kmh, now_s, self.belt_kmh, deadline)
        self.target_kmh = target_kmh
        self.settled = False
        self._off = 0
        self.arrived_after_s = None

    def forget(self) -> None:
        """Stop judging (console stop, lost link, hands off): nothing is expected now."""
        self._follow = None
        self.settled = False
        self._off = 0

    def reading(self, now_s: float, belt_kmh: float, *, command_in_flight: bool) -> Verdict:
        """One reported belt speed; returns what it means (each verdict once)."""
        self.belt_kmh = belt_kmh
        rules = self.rules
        follow = self._follow
        if follow is not None:
            off_by = abs(belt_kmh - follow.target_kmh)
            if off_by <= rules.tolerance_kmh:
                self._follow = None
                self.settled = True
                self.arrived_after_s = now_s - follow.since_s
                return Verdict.ARRIVED
            stuck = False
            if follow.start_kmh is not None and now_s - follow.since_s >= rules.start_check_s:
                closed = abs(follow.start_kmh - follow.target_kmh) - off_by
                stuck = closed < rules.tolerance_kmh
            if stuck or now_s >= follow.deadline_s:
                self._follow = None
                return Verdict.NOT_FOLLOWING
            return Verdict.NONE
        if not self.settled or command_in_flight or self.target_kmh is None:
            return Verdict.NONE
        if abs(belt_kmh - self.target_kmh) > rules.tolerance_kmh:
            self._off += 1
        else:
            self._off = 0
        if self._off >= rules.override_readings:
            self.forget()
            return Verdict.MOVED_BY_OTHERS
        return Verdict.NONE
