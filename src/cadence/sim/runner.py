"""A model runner that follows a metronome, with lag, noise and fatigue.

Read out in one place, ``cadence.sim.readout`` (what the runner hears and what
its sensors measure), for ``cadence simulate`` and the scenario tests (whole
sessions faster than real time), the Pilot tests' simulated source and the
virtual Bumble sensors behind ``cadence demo``. It is pure: time and the
metronome's tempo are passed in, a seeded ``random.Random`` makes it repeatable.

Model, in steps per minute (spm):
- The runner's *habit* cadence starts at ``start_cadence_spm``. While running
  with the metronome on, the habit closes ``entrainment_per_s`` of the gap to the
  tempo each second, but only while the tempo is within ``follow_range_spm`` of
  the habit (a metronome far too fast is not followed). Learned cadence stays
  when the metronome goes quiet (faded feedback).
- After ``fatigue_onset_s`` of running, fatigue pulls the habit down by
  ``fatigue_drift_spm_per_min``.
- Each reading adds Gaussian noise of ``noise_spm``.
- Walking uses ``walk_cadence_spm``; speed follows the phase; heart rate
  approaches a speed-dependent level with a 30 s time constant.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum


class Gait(StrEnum):
    RUN = "run"
    WALK = "walk"
    STAND = "stand"


@dataclass(frozen=True, slots=True)
class RunnerParams:
    start_cadence_spm: float = 158.0
    entrainment_per_s: float = 0.02
    follow_range_spm: float = 15.0
    noise_spm: float = 1.5
    fatigue_onset_s: float = 1200.0
    fatigue_drift_spm_per_min: float = 0.3
    walk_cadence_spm: float = 112.0
    run_speed_mps: float = 2.8
    walk_speed_mps: float = 1.4
    resting_hr_bpm: float = 65.0
    hr_per_mps: float = 28.0


@dataclass(frozen=True, slots=True)
class RunnerReading:
    t_s: float
    gait: Gait
    cadence_spm: float
    speed_mps: float
    hr_bpm: int
    distance_m: float
    step_length_m: float


class SimulatedRunner:
    """Advance with ``step(now_s, tempo_spm, gait)``; each call returns a reading."""

    def __init__(self, params: RunnerParams | None = None, seed: int = 0) -> None:
        self.params = params or RunnerParams()
        self._rng = random.Random(seed)
        self.habit_spm = self.params.start_cadence_spm
        self._hr_bpm = self.params.resting_hr_bpm + 20.0
        self._distance_m = 0.0
        self._run_time_s = 0.0
        self._last_t_s: float | None = None

    def step(self, now_s: float, tempo_spm: float | None, gait: Gait) -> RunnerReading:
        p = self.params
        dt_s = 0.0 if self._last_t_s is None else max(0.0, now_s - self._last_t_s)
        self._last_t_s = now_s
        if gait is Gait.RUN:
            self._run_time_s += dt_s
            if tempo_spm is not None and abs(tempo_spm - self.habit_spm) <= p.follow_range_spm:
                keep = (1.0 - p.entrainment_per_s) ** dt_s
                self.habit_spm = tempo_spm + (self.habit_spm - tempo_spm) * keep
            if self._run_time_s > p.fatigue_onset_s:
                self.habit_spm -= p.fatigue_drift_spm_per_min * dt_s / 60.0
            base_spm, speed_mps = self.habit_spm, p.run_speed_mps
        elif gait is Gait.WALK:
            base_spm, speed_mps = p.walk_cadence_spm, p.walk_speed_mps
        else:
            base_spm, speed_mps = 0.0, 0.0
        cadence_spm = max(0.0, base_spm + self._rng.gauss(0.0, p.noise_spm)) if base_spm else 0.0
        hr_target = p.resting_hr_bpm + p.hr_per_mps * speed_mps
        self._hr_bpm = hr_target + (self._hr_bpm - hr_target) * math.exp(-dt_s / 30.0)
        self._distance_m += speed_mps * dt_s
        step_length_m = speed_mps * 60.0 / cadence_spm if cadence_spm > 0 else 0.0
        return RunnerReading(
            t_s=now_s,
            gait=gait,
            cadence_spm=cadence_spm,
            speed_mps=speed_mps,
            hr_bpm=round(self._hr_bpm + self._rng.gauss(0.0, 1.0)),
            distance_m=self._distance_m,
            step_length_m=step_length_m,
        )
