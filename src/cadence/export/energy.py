"""Strides, step length and an energy estimate for the exports' lap and session totals.

Platforms show these totals beside cadence, and compute them poorly from a file
that lacks them (Strava guesses calories from a default weight).

- Strides: the cadence integrated over the moving seconds, in strides (one
  foot's cycle: half the steps), the unit FIT's ``total_strides`` uses.
- Step length: distance over steps (both feet), in metres.
- Calories: the ACSM metabolic equations (ACSM's Guidelines for Exercise
  Testing and Prescription, "metabolic calculations"), per second of movement:

      walking  VO2 = 0.1 * S + 1.8 * S * G + 3.5   (ml O2 / kg / min)
      running  VO2 = 0.2 * S + 0.9 * S * G + 3.5

  with S the speed in metres per minute and G the treadmill grade as a
  fraction (0.01 for 1 %). Walking or running is taken from the coach's phase
  for that second (walk breaks, warm-up and cool-down walk; the rest runs), and
  the energy is 5 kcal per litre of oxygen times the runner's body mass. Gross
  energy (the 3.5 resting term included), as the ACSM tables give it. Only
  written when the profile gives a body mass: no mass, no guess.
"""

from __future__ import annotations

from collections.abc import Sequence

#: kilocalories per litre of oxygen consumed (the ACSM's rounded figure)
KCAL_PER_L_O2 = 5.0
#: phases in which the runner walks (everything else counts as running)
WALKING_PHASES = frozenset({"walk", "warmup", "cooldown"})


def vo2_ml_per_kg_min(speed_mps: float, grade_pct: float, walking: bool) -> float:
    """The ACSM equation for walking or running on a grade (see the module docstring)."""
    s = max(0.0, speed_mps) * 60.0
    g = max(0.0, grade_pct) / 100.0  # a downhill grade gives no credit in these equations
    if walking:
        return 0.1 * s + 1.8 * s * g + 3.5
    return 0.2 * s + 0.9 * s * g + 3.5


def kcal_per_s(speed_mps: float, grade_pct: float, walking: bool, body_mass_kg: float) -> float:
    return vo2_ml_per_kg_min(speed_mps, grade_pct, walking) * body_mass_kg / 1000.0 \
        * KCAL_PER_L_O2 / 60.0


def strides(cadence_spm: Sequence[float | None], seconds: Sequence[float]) -> float:
    """Strides over seconds with a cadence each (steps per minute, both feet)."""
    return sum((c or 0.0) / 120.0 * s for c, s in zip(cadence_spm, seconds, strict=True))


def step_length_m(distance_m: float, total_strides: float) -> float | None:
    """Metres per step (one foot to the other), or None with no steps."""
    steps = 2.0 * total_strides
    return distance_m / steps if steps > 0 else None
