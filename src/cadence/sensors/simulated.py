"""A footpod, heart-rate strap and treadmill read straight off a simulated runner, no BLE.

Why: ``cadence simulate`` and the Pilot tests need whole sessions that depend
only on the clock and the seed. Readings are produced when the session pumps
the source at its tick (``SensorSource.pump``), one per ``period_s`` of session
time; what they contain comes from ``cadence.sim.readout.Readout``, the same
readout the virtual Bumble sensors of ``cadence demo`` send over the air.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sensors.simulated_belt import SimulatedBeltController
from cadence.sensors.source import BeltController, SensorSource, Sink
from cadence.sim.readout import Readout
from cadence.sim.runner import RunnerReading

#: a reading due within this of the tick's time is read at that tick (float sums of periods)
_DUE_EPS_S = 1e-9


class SimulatedSensorSource(SensorSource):
    """Samples from ``readout`` on a session-time schedule.

    Args:
        readout: the simulated runner and what it follows.
        period_s: footpod (and treadmill) reading period in session time.
        footpod: False for a runner with no footpod (tap tempo): the runner
            still moves at each pump, nothing measures the cadence.
        heart_rate: whether a strap is worn.
        hr_period_s: None: a heart-rate reading with every footpod reading;
            else its own period, stamped at the pump's time.
        treadmill: whether a treadmill reports speed, distance and incline.
        incline_pct: the treadmill's incline.
        belt: a controllable belt (``belt_controller``): once started, the
            treadmill reports the belt's own speed and incline.
    """

    def __init__(
        self,
        readout: Readout,
        *,
        period_s: float = 1.0,
        footpod: bool = True,
        heart_rate: bool = True,
        hr_period_s: float | None = None,
        treadmill: bool = True,
        incline_pct: float = 1.0,
        belt: SimulatedBeltController | None = None,
    ) -> None:
        self.readout = readout
        self.period_s = period_s
        self.footpod = footpod
        self.heart_rate = heart_rate
        self.hr_period_s = hr_period_s
        self.treadmill = treadmill
        self.incline_pct = incline_pct
        self.belt = belt
        self._sink: Sink | None = None
        self._next_t_s = 0.0
        self._next_hr_s = 0.0
        self._pumped_s: float | None = None

    @property
    def roles(self) -> tuple[SensorRole, ...]:
        roles = [SensorRole.FOOTPOD] if self.footpod else []
        if self.heart_rate:
            roles.append(SensorRole.HEART_RATE)
        if self.treadmill:
            roles.append(SensorRole.TREADMILL)
        return tuple(roles)

    async def start(self, sink: Sink) -> None:
        self._sink = sink
        for role in self.roles:
            sink(SensorStatus(0.0, role, f"sim-{role.value}", LinkState.CONNECTED, "simulated"))
        if self.belt is not None and self.treadmill:
            self.belt.connect()

    def belt_controller(self, clock: Callable[[], float]) -> BeltController | None:
        return self.belt if self.treadmill else None

    async def stop(self) -> None:
        self._sink = None

    def pump(self, now_s: float) -> None:
        sink = self._sink
        if sink is None or (self._pumped_s is not None and now_s <= self._pumped_s):
            return  # a second pump at the same time reads nothing more
        self._pumped_s = now_s
        readout = self.readout
        per_reading_hr = self.heart_rate and self.hr_period_s is None
        if not self.footpod:
            readout.read(now_s)
        while self.footpod and self._next_t_s <= now_s + _DUE_EPS_S:
            reading = readout.read(self._next_t_s)
            self._next_t_s = round(self._next_t_s + self.period_s, 6)
            sink(readout.footpod(reading))
            if per_reading_hr:
                sink(readout.heart_rate(reading.t_s, reading))
            if self.treadmill:
                sink(self._treadmill(reading))
        last, hr_period_s = readout.last, self.hr_period_s
        if not self.heart_rate or hr_period_s is None or last is None:
            return
        if self._next_hr_s <= now_s + _DUE_EPS_S:  # its own schedule, stamped at the pump
            sink(readout.heart_rate(now_s, last))
            self._next_hr_s = round(self._next_hr_s + hr_period_s, 6)

    def _treadmill(self, reading: RunnerReading) -> Sample:
        """The treadmill's reading: under control, the belt itself (0 until it is started)."""
        sample = self.readout.treadmill(reading, self.incline_pct)
        if self.belt is None:
            return sample
        state = self.belt.advance(reading.t_s)
        return replace(sample, speed_mps=round(state.speed_kmh / 3.6, 4),
                       incline_pct=round(state.incline_pct, 2))
