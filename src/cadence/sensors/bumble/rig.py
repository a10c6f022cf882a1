"""Virtual sensors for ``cadence demo``: a simulated runner behind real BLE peripherals.

Why: the demo must show the whole app, including the BLE layer, on a machine
with no Bluetooth and no runner. ``VirtualSensorRig`` builds an in-process
Bumble radio with a footpod (RSC), a heart-rate strap (HRS) and a treadmill
(FTMS, with incline), and drives them from a ``cadence.sim.readout.Readout``:
the simulated runner follows what the coach lets it hear and do, so the
cadence the coach sees responds to the coach's own metronome.

``VirtualRigSource`` is the demo's ``SensorSource``: the rig plus the
production ``SensorHub`` connected through the rig's bleak backends, exactly
as it would connect to hardware:

    rig = VirtualSensorRig(Readout(SimulatedRunner(seed=1), tempo, gait), clock)
    await rig.start()
    hub = SensorHub(rig.sensor_configs, clock=clock,
                    scanner_backend=rig.scanner_backend, client_backend=rig.client_backend)

The footpod sends cadence per foot (strides per minute), as the RSC spec says,
with its unit left on ``auto`` in ``sensor_configs``, so the unit detection is
exercised in every demo.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bleak.backends.client import BaseBleakClient
from bleak.backends.scanner import BaseBleakScanner

from cadence.model.sample import SensorRole
from cadence.profile.model import CadenceUnit, SensorConfig
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.bumble.backend import BumbleAdapter
from cadence.sensors.bumble.peripherals import (
    VirtualAir,
    VirtualSensor,
    patch_controller_connect_cancel,
)
from cadence.sensors.bumble.treadmill import VirtualTreadmill
from cadence.sensors.gatt.ftms import encode_treadmill_data
from cadence.sensors.gatt.hr import HeartRateMeasurement, HrFlags
from cadence.sensors.gatt.rsc import RscFlags, RscMeasurement
from cadence.sensors.source import BeltController, SensorSource, Sink
from cadence.sim.readout import Readout
from cadence.sim.runner import Gait, RunnerReading

CENTRAL_ADDRESS = "C0:DE:00:00:00:01"
FOOTPOD_ADDRESS = "F0:0D:00:00:00:01"
HR_STRAP_ADDRESS = "F0:0D:00:00:00:02"
TREADMILL_ADDRESS = "F0:0D:00:00:00:03"


class VirtualSensorRig:
    """A footpod, an HR strap and a treadmill, all virtual, following a simulated runner.

    Args:
        readout: the simulated runner and what it hears and does (its seed makes
            the demo repeatable).
        clock: the session clock in seconds: the time of each reading.
        incline_source: the treadmill's incline in percent (default 1 %).
        period_s: footpod and treadmill notification period (2 Hz); HR runs at half.
    """

    def __init__(
        self,
        readout: Readout,
        clock: Callable[[], float],
        *,
        incline_source: Callable[[], float] = lambda: 1.0,
        period_s: float = 0.5,
    ) -> None:
        self.readout = readout
        self._clock = clock
        self._incline_source = incline_source
        self.period_s = period_s
        self.air = VirtualAir()
        self.adapter = BumbleAdapter(lambda: self.air.new_host(CENTRAL_ADDRESS))
        self._sensors: tuple[VirtualSensor, VirtualSensor, VirtualTreadmill] | None = None
        self.last_reading: RunnerReading | None = None
        self._task: asyncio.Task[None] | None = None
        self._started_s: float | None = None

    @property
    def scanner_backend(self) -> type[BaseBleakScanner]:
        return self.adapter.scanner_backend

    @property
    def client_backend(self) -> type[BaseBleakClient]:
        return self.adapter.client_backend

    @property
    def sensors(self) -> tuple[VirtualSensor, VirtualSensor, VirtualTreadmill]:
        """Footpod, HR strap and treadmill (they exist once ``start`` has run)."""
        if self._sensors is None:
            raise RuntimeError("VirtualSensorRig.start() has not run yet")
        return self._sensors

    @property
    def footpod(self) -> VirtualSensor:
        return self.sensors[0]

    @property
    def hr_strap(self) -> VirtualSensor:
        return self.sensors[1]

    @property
    def treadmill(self) -> VirtualTreadmill:
        """The FTMS treadmill; it can be controlled (``TreadmillController``)."""
        return self.sensors[2]

    @property
    def sensor_configs(self) -> tuple[SensorConfig, ...]:
        """Profile entries that point the hub at the three virtual sensors."""
        return (
            SensorConfig(
                SensorRole.FOOTPOD, address=FOOTPOD_ADDRESS, cadence_unit=CadenceUnit.AUTO
            ),
            SensorConfig(SensorRole.HEART_RATE, address=HR_STRAP_ADDRESS),
            SensorConfig(SensorRole.TREADMILL, address=TREADMILL_ADDRESS),
        )

    async def start(self) -> None:
        """Power on and advertise all three sensors and start the runner."""
        patch_controller_connect_cancel()
        # The virtual controller warns about benign teardown races (a notification
        # crossing a disconnect); unasked, that would print over the demo's screen.
        controller_log = logging.getLogger("bumble.controller")
        if controller_log.level == logging.NOTSET:
            controller_log.setLevel(logging.ERROR)
        if self._sensors is None:  # Bumble controllers need the running loop
            self._sensors = (
                VirtualSensor(self.air, FOOTPOD_ADDRESS, "Virtual Footpod", [SensorRole.FOOTPOD]),
                VirtualSensor(
                    self.air, HR_STRAP_ADDRESS, "Virtual HR Strap", [SensorRole.HEART_RATE]
                ),
                VirtualTreadmill(
                    self.air, TREADMILL_ADDRESS, "Virtual Treadmill", clock=self._clock
                ),
            )
        for sensor in self.sensors:
            await sensor.start()
        await self.adapter.central()
        self._task = asyncio.create_task(self._drive(), name="virtual-runner")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.adapter.close()
        for sensor in self._sensors or ():
            await sensor.stop()

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        next_s = loop.time()
        tick = 0
        while True:
            await self.tick(send_hr=tick % 2 == 0)
            tick += 1
            next_s += self.period_s
            await asyncio.sleep(max(0.0, next_s - loop.time()))

    async def tick(self, *, send_hr: bool = True) -> RunnerReading:
        """Advance the runner once and notify every connected sensor."""
        now_s = self._clock()
        if self._started_s is None:
            self._started_s = now_s
        readout = self.readout
        reading = readout.read(now_s)
        self.last_reading = reading
        rsc = RscMeasurement(
            RscFlags.RUNNING if reading.gait is Gait.RUN else RscFlags(0),
            speed_mps=reading.speed_mps,
            cadence_raw_per_min=readout.strides_per_min(reading),
            stride_length_m=readout.stride_length_m(reading),
            total_distance_m=reading.distance_m,
        )
        await self.footpod.notify(SensorRole.FOOTPOD, rsc.to_bytes())
        belt = self.treadmill.advance()
        driven = self.treadmill.belt_driven  # under FTMS control: report the belt itself
        await self.treadmill.notify(
            SensorRole.TREADMILL,
            encode_treadmill_data(
                speed_kmh=belt.speed_kmh if driven else reading.speed_mps * 3.6,
                total_distance_m=int(reading.distance_m),
                incline_pct=belt.incline_pct if driven else self._incline_source(),
                elapsed_s=min(0xFFFF, int(now_s - self._started_s)),
            ),
        )
        if send_hr:
            bpm = readout.strap_bpm(reading)
            hr = HeartRateMeasurement(
                HrFlags.SENSOR_CONTACT_SUPPORTED | HrFlags.SENSOR_CONTACT_DETECTED,
                bpm=bpm,
                rr_s=(60.0 / bpm,),
            )
            await self.hr_strap.notify(SensorRole.HEART_RATE, hr.to_bytes())
        return reading


class VirtualRigSource(SensorSource):
    """``cadence demo``'s sensors: the rig on the air, the production hub listening.

    Args:
        readout: the simulated runner the virtual sensors measure.
        clock: the session clock (stamps readings and samples).
        period_s: real seconds between footpod notifications.
    """

    def __init__(self, readout: Readout, clock: Callable[[], float], *, period_s: float = 0.5):
        self.rig = VirtualSensorRig(readout, clock, period_s=period_s)
        self.clock = clock
        # Made now, so treadmill control can watch its connection before ``start``.
        self.hub = SensorHub(
            self.rig.sensor_configs,
            clock=clock,
            scanner_backend=self.rig.scanner_backend,
            client_backend=self.rig.client_backend,
        )

    async def start(self, sink: Sink) -> None:
        await self.rig.start()
        await self.hub.start(sink)

    async def stop(self) -> None:
        await self.hub.stop()
        await self.rig.stop()

    def belt_controller(self, clock: Callable[[], float]) -> BeltController | None:
        """The production FTMS controller, driving the virtual treadmill through bleak."""
        return self.hub.belt_controller(clock)

    @property
    def malformed_count(self) -> int:
        return self.hub.malformed_count
