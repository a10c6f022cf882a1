"""The one readout of a simulated runner: what it hears, how it moves, what its sensors read.

Why one place: ``cadence simulate``, the simulated source behind the Pilot
tests and the virtual Bumble sensors behind ``cadence demo`` all put the same
``SimulatedRunner`` in front of the coach. They differ only in how a reading
travels (straight to the session as a ``Sample``, or as GATT bytes over a
virtual radio); what the runner hears, what it does and what each sensor
measures is decided here, so the three cannot drift apart.

The runner follows the coach's status (``cues_from_status``):

- ``Follow.SESSION`` (the live app): the runner hears the beat whenever the
  metronome is on and not muted, stands while paused or when done, walks once
  running has been stopped.
- ``Follow.PHASE`` (``cadence simulate``, whose output is pinned): the gait
  follows the phase alone and the beat is heard only when its volume is above 0.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from cadence.coach.actions import Phase
from cadence.coach.status import CoachStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sim.runner import Gait, RunnerReading, SimulatedRunner

TempoSource = Callable[[], float | None]
GaitSource = Callable[[], Gait]
StatusSource = Callable[[], CoachStatus]

_PHASE_GAIT = {
    Phase.WARMUP: Gait.WALK,
    Phase.RUN: Gait.RUN,
    Phase.WALK: Gait.WALK,
    Phase.COOLDOWN: Gait.WALK,
    Phase.DONE: Gait.STAND,
}


class Follow(StrEnum):
    SESSION = "session"
    PHASE = "phase"


def heard_tempo(status: CoachStatus, follow: Follow = Follow.SESSION) -> float | None:
    """The tempo the runner can hear in ``status`` (None when the beat is off or silent)."""
    if not status.metronome_on or status.muted:
        return None
    if follow is Follow.PHASE and status.volume <= 0:
        return None
    return status.tempo_spm


def gait_for(status: CoachStatus, follow: Follow = Follow.SESSION) -> Gait:
    """What the runner is doing in ``status``."""
    if follow is Follow.PHASE:
        return _PHASE_GAIT[status.phase]
    if status.paused or status.phase is Phase.DONE:
        return Gait.STAND
    if status.phase is Phase.RUN and not status.running_stopped:
        return Gait.RUN
    return Gait.WALK


class Readout:
    """A ``SimulatedRunner`` read out as sensor values; ``read`` steps the runner once.

    Args:
        runner: the simulated runner (its seed makes a session repeatable).
        tempo_source: the tempo the runner hears now, None when it hears no beat.
        gait_source: what the runner does now.
    """

    def __init__(
        self, runner: SimulatedRunner, tempo_source: TempoSource, gait_source: GaitSource
    ) -> None:
        self.runner = runner
        self._tempo_source = tempo_source
        self._gait_source = gait_source
        self.last: RunnerReading | None = None

    @classmethod
    def following(
        cls, runner: SimulatedRunner, status: StatusSource, follow: Follow = Follow.SESSION
    ) -> Readout:
        """A readout whose runner follows the coach's ``status()`` by ``follow``'s rule."""
        return cls(
            runner, lambda: heard_tempo(status(), follow), lambda: gait_for(status(), follow)
        )

    def read(self, t_s: float) -> RunnerReading:
        """Step the runner to session time ``t_s`` with what it hears and does now."""
        self.last = self.runner.step(t_s, self._tempo_source(), self._gait_source())
        return self.last

    # ----- a reading as each sensor reports it ------------------------------------------------
    @staticmethod
    def footpod(reading: RunnerReading) -> Sample:
        stride_m = reading.step_length_m * 2 if reading.step_length_m else None
        return Sample(
            reading.t_s,
            SensorRole.FOOTPOD,
            cadence_spm=round(reading.cadence_spm, 1),
            speed_mps=reading.speed_mps,
            distance_m=round(reading.distance_m, 2),
            stride_length_m=stride_m,
            sensor_id="sim-footpod",
        )

    @staticmethod
    def heart_rate(t_s: float, reading: RunnerReading) -> Sample:
        return Sample(t_s, SensorRole.HEART_RATE, hr_bpm=reading.hr_bpm, sensor_id="sim-hr")

    @staticmethod
    def treadmill(reading: RunnerReading, incline_pct: float) -> Sample:
        return Sample(
            reading.t_s,
            SensorRole.TREADMILL,
            speed_mps=reading.speed_mps,
            distance_m=round(reading.distance_m, 2),
            incline_pct=incline_pct,
            sensor_id="sim-treadmill",
        )

    # ----- a reading as the virtual BLE sensors encode it --------------------------------------
    @staticmethod
    def strides_per_min(reading: RunnerReading) -> int:
        """RSC cadence is per foot (strides per minute), capped to its one byte."""
        return min(255, round(reading.cadence_spm / 2.0))

    @staticmethod
    def stride_length_m(reading: RunnerReading) -> float:
        return 2.0 * reading.step_length_m if reading.gait is not Gait.STAND else 0.0

    @staticmethod
    def strap_bpm(reading: RunnerReading) -> int:
        """Heart rate within what a strap reports (30-250 bpm)."""
        return max(30, min(250, reading.hr_bpm))
