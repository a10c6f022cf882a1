"""A treadmill belt that ramps toward its target speed and incline, as motors do.

Why a model: a real belt never jumps to the commanded speed. Belts ramp at
roughly 0.3-1 km/h per second (design.md, "Treadmill control"), so whatever
judges "the belt followed" (``cadence.sensors.ble.treadmill_control``) must be
tested against a belt that takes its time. Pure: time is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Belt:
    """Belt speed and deck incline moving toward their targets at fixed rates.

    ``running`` False means stopped or paused: the belt ramps down to 0
    (keeping its target speed for a resume, as consoles do).
    """

    accel_kmh_per_s: float = 0.5
    incline_rate_pct_per_s: float = 0.5
    speed_kmh: float = 0.0
    incline_pct: float = 0.0
    target_speed_kmh: float = 0.0
    target_incline_pct: float = 0.0
    running: bool = False
    t_s: float | None = None

    def advance_to(self, t_s: float) -> None:
        """Move speed and incline toward their targets for the time since the last call."""
        if self.t_s is None or t_s <= self.t_s:
            self.t_s = t_s if self.t_s is None else max(self.t_s, t_s)
            return
        dt = t_s - self.t_s
        self.t_s = t_s
        goal = self.target_speed_kmh if self.running else 0.0
        self.speed_kmh = _toward(self.speed_kmh, goal, self.accel_kmh_per_s * dt)
        self.incline_pct = _toward(
            self.incline_pct, self.target_incline_pct, self.incline_rate_pct_per_s * dt
        )


def _toward(value: float, goal: float, step: float) -> float:
    if value < goal:
        return min(goal, value + step)
    return max(goal, value - step)
