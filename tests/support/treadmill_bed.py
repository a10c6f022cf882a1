"""A controllable virtual treadmill, the production hub and controller, wired as the app will.

The hub connects to the treadmill and hands each connected client to the
``TreadmillController`` (``SensorHub.watch_client``); a forwarder feeds the
hub's treadmill samples to ``controller.observe``, as the live session will.
The treadmill streams its belt state every 0.1 s.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import ControlState, TreadmillEvent, TreadmillEventKind
from cadence.sensors.ble.belt_watch import BeltWatchRules
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.ble.treadmill_control import TreadmillController
from cadence.sensors.bumble.treadmill import VirtualTreadmill
from cadence.sensors.gatt.ftms_control import ControlOp
from support.ble_bed import Bench, config

BELT = "F0:0D:00:00:00:03"


@dataclass
class TreadmillBed:
    bench: Bench
    treadmill: VirtualTreadmill
    hub: SensorHub
    controller: TreadmillController
    seen: list[TreadmillEvent] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)

    async def event(self, kind: TreadmillEventKind, timeout_s: float = 10.0) -> TreadmillEvent:
        """The next event of ``kind`` (earlier ones of other kinds are kept in ``seen``)."""
        for e in self.seen:
            if e.kind is kind:
                self.seen.remove(e)
                return e
        async with asyncio.timeout(timeout_s):
            while True:
                e = await self.controller.events.get()
                if e.kind is kind:
                    return e
                self.seen.append(e)

    def drain(self) -> list[TreadmillEvent]:
        while not self.controller.events.empty():
            self.seen.append(self.controller.events.get_nowait())
        return list(self.seen)

    def kinds(self) -> list[TreadmillEventKind]:
        return [e.kind for e in self.drain()]

    async def in_control(self, timeout_s: float = 10.0) -> None:
        await self.event(TreadmillEventKind.CONTROL_TAKEN, timeout_s)
        assert self.controller.state is ControlState.IN_CONTROL

    def ops(self) -> list[ControlOp]:
        return [r.op for _t, r in self.treadmill.log.requests]

    async def until(self, predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
        async with asyncio.timeout(timeout_s):
            while not predicate():
                await asyncio.sleep(0.05)


async def make_bed(
    bench: Bench,
    *,
    accel_kmh_per_s: float = 4.0,
    rules: BeltWatchRules | None = None,
    start: bool = True,
) -> TreadmillBed:
    treadmill = VirtualTreadmill(bench.air, BELT, accel_kmh_per_s=accel_kmh_per_s)
    bench.sensors.append(treadmill)
    await treadmill.start()
    bench.stream(treadmill, SensorRole.TREADMILL, lambda _seq: treadmill.data_payload(), 0.1)
    hub = bench.hub([config(SensorRole.TREADMILL, BELT)], watchdog_s=2.0)
    controller = TreadmillController(rules=rules, retry_control_after_s=0.2)
    hub.watch_client(SensorRole.TREADMILL, controller.attach)
    bed = TreadmillBed(bench, treadmill, hub, controller)

    async def forward() -> None:
        while True:
            item = await hub.queue.get()
            if isinstance(item, Sample):
                bed.samples.append(item)
                controller.observe(item)

    bench.tasks.append(asyncio.create_task(forward()))
    if start:
        await hub.start()
    return bed


async def close_bed(bed: TreadmillBed) -> None:
    with contextlib.suppress(Exception):
        await bed.controller.close()
