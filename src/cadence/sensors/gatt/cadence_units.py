"""Turn a footpod's raw cadence into steps per minute, whatever unit it sends.

The RSC spec defines Instantaneous Cadence per foot (strides per minute), but
several footpods send steps per minute. Each sensor is configured
``strides``, ``steps`` or ``auto``. After this module, cadence is steps per
minute everywhere (``Sample.cadence_spm``).

The ``auto`` rule (why it works): human step cadence is roughly 100-130 spm
walking and 140-200+ spm running; per-foot (stride) cadence is half that,
45-65 walking and 70-100 running. The two ranges barely overlap, and speed
removes the ambiguity that remains:

* a raw value of 0 says nothing (standing) and casts no vote;
* at running speed (>= 2.0 m/s), raw < 120 votes *strides*, raw >= 120 *steps*
  (nobody runs at 120+ strides, i.e. 240+ steps, per minute, and nobody runs
  below 120 steps per minute);
* slower or with unknown speed, raw <= 75 votes *strides*, raw >= 85 votes
  *steps*, and the band in between casts no vote.

Stability: the unit is decided once, when one side leads by
``votes_to_decide`` votes (5 by default: 2.5 s at 2 Hz), and then never changes
for the life of the resolver, so the number shown never jumps by a factor of
two mid-run. Until then the current leader is used (ties: the spec's strides).
"""

from __future__ import annotations

from cadence.profile.model import CadenceUnit

RUNNING_SPEED_MPS = 2.0
RUNNING_STRIDE_CEILING_PER_MIN = 120.0
SLOW_STRIDE_CEILING_PER_MIN = 75.0
SLOW_STEP_FLOOR_PER_MIN = 85.0


def to_steps_per_min(raw_per_min: float, unit: CadenceUnit) -> float:
    """Convert with a known unit (``STRIDES`` doubles, ``STEPS`` passes through)."""
    if unit is CadenceUnit.AUTO:
        raise ValueError("AUTO needs a CadenceUnitResolver")
    return raw_per_min * 2.0 if unit is CadenceUnit.STRIDES else float(raw_per_min)


def vote(raw_per_min: float, speed_mps: float | None) -> CadenceUnit | None:
    """The unit one reading suggests, or None when it cannot tell."""
    if raw_per_min <= 0:
        return None
    if speed_mps is not None and speed_mps >= RUNNING_SPEED_MPS:
        if raw_per_min < RUNNING_STRIDE_CEILING_PER_MIN:
            return CadenceUnit.STRIDES
        return CadenceUnit.STEPS
    if raw_per_min <= SLOW_STRIDE_CEILING_PER_MIN:
        return CadenceUnit.STRIDES
    if raw_per_min >= SLOW_STEP_FLOOR_PER_MIN:
        return CadenceUnit.STEPS
    return None


class CadenceUnitResolver:
    """Per-sensor converter; for ``AUTO`` it learns the unit from votes, then locks."""

    def __init__(self, unit: CadenceUnit, votes_to_decide: int = 5) -> None:
        self.configured = unit
        self._decided: CadenceUnit | None = None if unit is CadenceUnit.AUTO else unit
        self._votes_to_decide = votes_to_decide
        self._strides = 0
        self._steps = 0

    @property
    def decided(self) -> CadenceUnit | None:
        """The locked unit, or None while ``AUTO`` is still gathering votes."""
        return self._decided

    def steps_per_min(self, raw_per_min: float, speed_mps: float | None) -> float:
        """Convert one reading to steps per minute."""
        if self._decided is not None:
            return to_steps_per_min(raw_per_min, self._decided)
        suggestion = vote(raw_per_min, speed_mps)
        if suggestion is CadenceUnit.STRIDES:
            self._strides += 1
        elif suggestion is CadenceUnit.STEPS:
            self._steps += 1
        if self._strides - self._steps >= self._votes_to_decide:
            self._decided = CadenceUnit.STRIDES
        elif self._steps - self._strides >= self._votes_to_decide:
            self._decided = CadenceUnit.STEPS
        leader = CadenceUnit.STEPS if self._steps > self._strides else CadenceUnit.STRIDES
        return to_steps_per_min(raw_per_min, self._decided or leader)
