"""This session's tempo: the runner's baseline, the target, the ramp and the fade.

Why its own object: the rules (``tempo_policy``) are pure functions and small
classes; a session also has to remember whether the baseline is known yet,
the readings it is measuring it from, and why the tempo last changed (the
``SetTempo`` reason). Before the baseline is known there is no ramp and no beat.

Baseline: the profile's own ``baseline_cadence_spm`` if set, else the median
cadence of the first minute of running (the first ``BASELINE_SKIP_S`` left
out, while the runner is still speeding up), else a tap-tempo result.
"""

from __future__ import annotations

from statistics import median

from cadence.coach.tempo_policy import (
    FadedFeedback,
    TempoRamp,
    session_target_spm,
    tempo_cap_spm,
)
from cadence.profile.model import Profile

BASELINE_SKIP_S = 10.0  # ignore the first seconds of running (still speeding up)
BASELINE_RUN_S = 60.0  # "the first minute of running"
BASELINE_MIN_READINGS = 3


class TempoCourse:
    """Baseline, target, ramp and faded feedback for one session."""

    def __init__(self, profile: Profile, stage: int) -> None:
        self.profile = profile
        self.stage = stage
        self.baseline_spm = profile.baseline_cadence_spm
        self.target_spm: float | None = None
        self.ramp: TempoRamp | None = None
        self.fade = FadedFeedback(profile.tempo, profile.band)
        self.reason = ""  # why the tempo changes on this step ("baseline", "ramp", "nudge")
        self._readings: list[float] = []
        self.frozen = False  # rising pain: no more tempo increases this session
        if self.baseline_spm is not None:
            self.set_baseline(self.baseline_spm)

    @property
    def tempo_spm(self) -> float | None:
        """The running tempo, once the baseline is known."""
        return self.ramp.tempo_spm if self.ramp is not None else None

    def set_baseline(self, spm: float) -> None:
        self.baseline_spm = round(spm, 1)
        self.target_spm = session_target_spm(
            self.baseline_spm, self.stage, self.profile.tempo, self.profile.band
        )
        cap = tempo_cap_spm(self.baseline_spm, self.profile.band)
        self.ramp = TempoRamp(self.baseline_spm, self.target_spm, self.profile.tempo, cap)
        if self.frozen:
            self.ramp.hold()
        self.reason = "baseline"

    def freeze(self) -> bool:
        """Stop the climb for the rest of the session; True the first time."""
        first = not self.frozen
        self.frozen = True
        if self.ramp is not None:
            self.ramp.hold()
        return first

    def measure(self, run_s: float, cadence_spm: float | None) -> bool | None:
        """Collect a baseline reading at ``run_s`` of running.

        Returns True when the baseline has just been set, False when the minute
        is over without enough readings, None while still measuring.
        """
        if cadence_spm is not None and run_s >= BASELINE_SKIP_S:
            self._readings.append(cadence_spm)
        if run_s < BASELINE_RUN_S:
            return None
        if len(self._readings) >= BASELINE_MIN_READINGS:
            self.set_baseline(median(self._readings))
            return True
        return False

    def take_reason(self) -> str:
        """The reason for this step's tempo change, then forget it."""
        reason, self.reason = self.reason, ""
        return reason
