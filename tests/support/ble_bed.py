"""A test bench of virtual BLE sensors on one in-process Bumble radio.

Wraps the package's own Bumble backend and virtual peripherals (the same
ones ``cadence demo`` uses) with what tests need: streaming loops with known
values, and helpers that wait on the hub's queue with generous timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cadence.model.link import DeviceIdentity, LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import CadenceUnit, SensorConfig
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.bumble.backend import BumbleAdapter
from cadence.sensors.bumble.peripherals import (
    VirtualAir,
    VirtualSensor,
    patch_controller_connect_cancel,
)

CENTRAL = "C0:00:00:00:00:01"
Payload = Callable[[int], bytes]


@dataclass
class Bench:
    air: VirtualAir = field(default_factory=VirtualAir)
    sensors: list[VirtualSensor] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    hubs: list[SensorHub] = field(default_factory=list)

    def __post_init__(self) -> None:
        patch_controller_connect_cancel()
        self.adapter = BumbleAdapter(lambda: self.air.new_host(CENTRAL))

    async def sensor(
        self,
        address: str,
        name: str,
        roles: Iterable[SensorRole],
        *,
        start: bool = True,
        identity: DeviceIdentity | None = None,
        device_info: bool = True,
    ) -> VirtualSensor:
        s = VirtualSensor(
            self.air, address, name, roles, identity=identity, device_info=device_info
        )
        return await self.add(s, start=start)

    async def add(self, s: VirtualSensor, *, start: bool = True) -> VirtualSensor:
        """Keep ``s`` (built by the test, e.g. a subclass) for ``close``; start it."""
        self.sensors.append(s)
        if start:
            await s.start()
        return s

    def stream(
        self, sensor: VirtualSensor, role: SensorRole, payload: Payload, period_s: float = 0.05
    ) -> None:
        """Notify ``payload(seq)`` every ``period_s`` while connected."""

        async def loop() -> None:
            seq = 0
            while True:
                if sensor.connected:
                    seq += 1
                    with contextlib.suppress(Exception):
                        await sensor.notify(role, payload(seq))
                await asyncio.sleep(period_s)

        self.tasks.append(asyncio.create_task(loop()))

    def hub(self, configs: Iterable[SensorConfig], *, watchdog_s: float = 1.0) -> SensorHub:
        hub = SensorHub(
            tuple(configs),
            clock=asyncio.get_running_loop().time,
            scanner_backend=self.adapter.scanner_backend,
            client_backend=self.adapter.client_backend,
            watchdog_s=watchdog_s,
            scan_timeout_s=2.0,
            connect_timeout_s=3.0,
            backoff_initial_s=0.1,
            backoff_max_s=0.5,
        )
        self.hubs.append(hub)
        return hub

    async def close(self) -> None:
        for hub in self.hubs:
            await hub.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.adapter.close()
        for s in self.sensors:
            await s.stop()


def config(
    role: SensorRole,
    address: str | None = None,
    name: str | None = None,
    unit: CadenceUnit = CadenceUnit.AUTO,
) -> SensorConfig:
    return SensorConfig(role, address=address, name=name, cadence_unit=unit)


async def next_matching(
    hub: SensorHub,
    predicate: Callable[[Sample | SensorStatus], bool],
    timeout_s: float,
    seen: list[Sample | SensorStatus] | None = None,
) -> Sample | SensorStatus:
    """Read the hub's queue until ``predicate`` holds; TimeoutError after ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while True:
            item = await hub.queue.get()
            if seen is not None:
                seen.append(item)
            if predicate(item):
                return item


def is_sample(role: SensorRole) -> Callable[[Sample | SensorStatus], bool]:
    return lambda item: isinstance(item, Sample) and item.role is role


def is_state(
    state: LinkState, role: SensorRole | None = None
) -> Callable[[Sample | SensorStatus], bool]:
    return lambda item: (
        isinstance(item, SensorStatus)
        and item.state is state
        and (role is None or item.role is role)
    )
