"""Where a live session's sensor readings come from.

``SensorSource`` is the seam between the session and the sensors (the same
idea as bleak's backend classes): the session hands a source a *sink* and the
source calls it with every ``Sample`` and ``SensorStatus``.

- ``BleSensorSource``: the production path, ``cadence.sensors.ble.hub.SensorHub``
  over bleak, with a consumer task that moves items from the hub's queue to the
  sink the moment they arrive (so the screen sees a notification at once).
- ``VirtualRigSource``: ``cadence demo``. The same production BLE code, talking
  to in-process Bumble peripherals driven by a simulated runner.
- ``SimulatedSensorSource``: no BLE at all. The simulated runner is stepped by
  the session clock in ``pump``; fast and repeatable, for Pilot tests.

Heavy imports (bleak, bumble) happen inside ``start`` so the TUI tests and
``cadence --help`` never pay for them.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sim.runner import Gait, SimulatedRunner

if TYPE_CHECKING:
    from bleak.backends.client import BaseBleakClient
    from bleak.backends.scanner import BaseBleakScanner

    from cadence.live.clock import Clock
    from cadence.profile.model import SensorConfig
    from cadence.sensors.ble.hub import SensorHub
    from cadence.sensors.bumble.rig import VirtualSensorRig

SensorItem = Sample | SensorStatus
Sink = Callable[[SensorItem], None]
TempoSource = Callable[[], float | None]
GaitSource = Callable[[], Gait]


class SensorSource(ABC):
    """A running supply of samples and link states for one session."""

    @abstractmethod
    async def start(self, sink: Sink) -> None:
        """Connect and begin calling ``sink`` (on the event loop's thread)."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect; no calls to the sink after this returns."""

    def pump(self, now_s: float) -> None:  # noqa: B027 - optional hook
        """Advance a clock-driven source to ``now_s`` (the session tick calls this)."""

    @property
    def malformed_count(self) -> int:
        """Packets that failed to parse and were dropped."""
        return 0


class SimulatedSensorSource(SensorSource):
    """A footpod, heart-rate strap and treadmill made from ``SimulatedRunner``.

    One reading per ``period_s`` of session time, produced when the session
    pumps the source, so results depend only on the clock and the seed.
    """

    def __init__(
        self,
        runner: SimulatedRunner,
        tempo_source: TempoSource,
        gait_source: GaitSource,
        *,
        period_s: float = 1.0,
        treadmill: bool = True,
        heart_rate: bool = True,
        incline_pct: float = 1.0,
    ) -> None:
        self.runner = runner
        self._tempo_source = tempo_source
        self._gait_source = gait_source
        self.period_s = period_s
        self.treadmill = treadmill
        self.heart_rate = heart_rate
        self.incline_pct = incline_pct
        self._sink: Sink | None = None
        self._next_t_s = 0.0

    async def start(self, sink: Sink) -> None:
        self._sink = sink
        roles = [SensorRole.FOOTPOD]
        if self.heart_rate:
            roles.append(SensorRole.HEART_RATE)
        if self.treadmill:
            roles.append(SensorRole.TREADMILL)
        for role in roles:
            sink(SensorStatus(0.0, role, f"sim-{role.value}", LinkState.CONNECTED, "simulated"))

    async def stop(self) -> None:
        self._sink = None

    def pump(self, now_s: float) -> None:
        sink = self._sink
        if sink is None:
            return
        while self._next_t_s <= now_s:
            t_s = self._next_t_s
            self._next_t_s += self.period_s
            reading = self.runner.step(t_s, self._tempo_source(), self._gait_source())
            stride = reading.step_length_m * 2 if reading.step_length_m else None
            sink(
                Sample(
                    t_s,
                    SensorRole.FOOTPOD,
                    cadence_spm=round(reading.cadence_spm, 1),
                    speed_mps=reading.speed_mps,
                    distance_m=reading.distance_m,
                    stride_length_m=stride,
                    sensor_id="sim-footpod",
                )
            )
            if self.heart_rate:
                sink(Sample(t_s, SensorRole.HEART_RATE, hr_bpm=reading.hr_bpm, sensor_id="sim-hr"))
            if self.treadmill:
                sink(
                    Sample(
                        t_s,
                        SensorRole.TREADMILL,
                        speed_mps=reading.speed_mps,
                        distance_m=reading.distance_m,
                        incline_pct=self.incline_pct,
                        sensor_id="sim-treadmill",
                    )
                )


class BleSensorSource(SensorSource):
    """The profile's real sensors through ``cadence.sensors.ble.hub.SensorHub``."""

    def __init__(
        self,
        configs: Sequence[SensorConfig],
        clock: Clock,
        *,
        scanner_backend: type[BaseBleakScanner] | None = None,
        client_backend: type[BaseBleakClient] | None = None,
        watchdog_s: float = 5.0,
    ) -> None:
        self.configs = tuple(configs)
        self.clock = clock
        self._scanner_backend = scanner_backend
        self._client_backend = client_backend
        self._watchdog_s = watchdog_s
        self._hub: SensorHub | None = None
        self._consumer: asyncio.Task[None] | None = None

    async def start(self, sink: Sink) -> None:
        from cadence.sensors.ble.hub import SensorHub

        self._hub = SensorHub(
            list(self.configs),
            clock=self.clock,
            scanner_backend=self._scanner_backend,
            client_backend=self._client_backend,
            watchdog_s=self._watchdog_s,
        )
        await self._hub.start()
        self._consumer = asyncio.create_task(
            self._consume(self._hub.queue, sink), name="sensor-consumer"
        )

    @staticmethod
    async def _consume(queue: asyncio.Queue[SensorItem], sink: Sink) -> None:
        while True:
            sink(await queue.get())

    async def stop(self) -> None:
        if self._consumer is not None:
            self._consumer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._consumer
            self._consumer = None
        if self._hub is not None:
            await self._hub.stop()

    @property
    def malformed_count(self) -> int:
        return sum(self._hub.malformed_counts.values()) if self._hub is not None else 0


class VirtualRigSource(SensorSource):
    """``cadence demo``: Bumble peripherals driven by a simulated runner, read via bleak."""

    def __init__(
        self,
        runner: SimulatedRunner,
        tempo_source: TempoSource,
        gait_source: GaitSource,
        clock: Clock,
        period_s: float = 0.5,
    ) -> None:
        self.runner = runner
        self._tempo_source = tempo_source
        self._gait_source = gait_source
        self.clock = clock
        self.period_s = period_s  # real seconds between footpod notifications
        self._rig: VirtualSensorRig | None = None
        self._ble: BleSensorSource | None = None

    async def start(self, sink: Sink) -> None:
        from cadence.sensors.bumble.rig import VirtualSensorRig

        self._rig = VirtualSensorRig(
            self.runner, self._tempo_source, self._gait_source, self.clock, period_s=self.period_s
        )
        await self._rig.start()
        self._ble = BleSensorSource(
            self._rig.sensor_configs,
            self.clock,
            scanner_backend=self._rig.scanner_backend,
            client_backend=self._rig.client_backend,
        )
        await self._ble.start(sink)

    async def stop(self) -> None:
        if self._ble is not None:
            await self._ble.stop()
        if self._rig is not None:
            await self._rig.stop()

    @property
    def malformed_count(self) -> int:
        return self._ble.malformed_count if self._ble is not None else 0
