"""The hub reads each sensor's Device Information service (0x180A) on connect.

Production bleak code against Bumble GATT servers: the identity arrives on the
CONNECTED status and in the stored SENSOR event; a device without the service,
one that refuses a read and one that answers too slowly all still connect and
stream.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from bumble.core import UUID
from bumble.gatt import Characteristic, CharacteristicValue, Service

from cadence.model.link import DeviceIdentity, LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.sensors import gatt
from cadence.sensors.ble.hub import SensorHub
from cadence.sensors.bumble.peripherals import VirtualSensor, virtual_identity
from cadence.sensors.bumble.rig import VirtualSensorRig
from cadence.sensors.gatt import RscFlags, RscMeasurement
from cadence.sim.readout import Readout
from cadence.sim.runner import Gait, SimulatedRunner
from cadence.store.events import event_from_status
from support.ble_bed import Bench, config, is_sample, is_state, next_matching

pytestmark = pytest.mark.ble

POD, STRAP = "F0:00:00:00:00:01", "F0:00:00:00:00:02"
ACME = DeviceIdentity("Acme Sports", "Pod 2", "A1B2C3", "4.2.1")


def rsc(seq: int) -> bytes:
    return RscMeasurement(RscFlags.RUNNING, 3.3, 85, 1.16, seq / 10).to_bytes()


async def connected(bench: Bench, role: SensorRole, address: str) -> SensorStatus:
    hub = bench.hub([config(role, address)])
    await hub.start()
    status = await next_matching(hub, is_state(LinkState.CONNECTED, role), 10)
    assert isinstance(status, SensorStatus)
    return status


async def test_the_connected_status_carries_what_the_device_reports(bench: Bench) -> None:
    await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD], identity=ACME)
    status = await connected(bench, SensorRole.FOOTPOD, POD)
    assert status.device == ACME
    payload = event_from_status(status).payload
    assert (payload["manufacturer"], payload["model"], payload["serial"], payload["firmware"]) == (
        "Acme Sports", "Pod 2", "A1B2C3", "4.2.1")


async def test_a_virtual_sensor_reports_its_own_identity_by_default(bench: Bench) -> None:
    await bench.sensor(STRAP, "Strap", [SensorRole.HEART_RATE])
    status = await connected(bench, SensorRole.HEART_RATE, STRAP)
    assert status.device == virtual_identity(SensorRole.HEART_RATE, STRAP)
    assert status.device.manufacturer == "cadence virtual" and status.device.serial.isdigit()


async def test_only_the_fields_the_device_offers(bench: Bench) -> None:
    await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD], identity=DeviceIdentity("Acme Sports"))
    status = await connected(bench, SensorRole.FOOTPOD, POD)
    assert status.device == DeviceIdentity("Acme Sports")
    assert "model" not in event_from_status(status).payload


async def test_a_device_without_device_information_still_connects(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD], device_info=False)
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    status = await connected(bench, SensorRole.FOOTPOD, POD)
    assert status.device is None
    assert "manufacturer" not in event_from_status(status).payload
    sample = await next_matching(bench.hubs[0], is_sample(SensorRole.FOOTPOD), 5)
    assert isinstance(sample, Sample) and sample.cadence_spm == 170.0


class _AwkwardDis(VirtualSensor):
    """A Device Information service that refuses one read and stalls another."""

    def __init__(self, *args: Any, stall_s: float, **kwargs: Any) -> None:
        self.stall_s = stall_s
        self.stalled = 0
        super().__init__(*args, **kwargs)

    def _device_info_service(self) -> Service | None:
        async def slow_model(_connection: object) -> bytes:
            self.stalled += 1
            await asyncio.sleep(self.stall_s)
            return b"Pod 2"

        def char(uuid16: int, value: Any, perms: Characteristic.Permissions) -> Any:
            return Characteristic(UUID.from_16_bits(uuid16), Characteristic.Properties.READ,
                                  perms, value)

        readable = Characteristic.Permissions.READABLE
        return Service(UUID.from_16_bits(gatt.DEVICE_INFORMATION_SERVICE_UUID16), [
            char(gatt.DIS_STRINGS["manufacturer"], b"Acme Sports\x00\x00\x00", readable),
            # readable only once authorized (bonded): the device answers with an ATT error
            char(gatt.DIS_STRINGS["serial"], b"A1B2C3",
                 Characteristic.Permissions.READ_REQUIRES_AUTHORIZATION),
            char(gatt.DIS_STRINGS["model"], CharacteristicValue(read=slow_model), readable),
        ])


async def test_a_refused_read_is_skipped(bench: Bench) -> None:
    pod = await bench.add(_AwkwardDis(bench.air, POD, "Pod", [SensorRole.FOOTPOD], stall_s=0.0))
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    status = await connected(bench, SensorRole.FOOTPOD, POD)
    assert status.device == DeviceIdentity("Acme Sports", "Pod 2")
    await next_matching(bench.hubs[0], is_sample(SensorRole.FOOTPOD), 5)


async def test_a_device_too_slow_to_answer_connects_with_what_it_said_in_time(
    bench: Bench,
) -> None:
    pod = await bench.add(_AwkwardDis(bench.air, POD, "Pod", [SensorRole.FOOTPOD], stall_s=1.5))
    bench.stream(pod, SensorRole.FOOTPOD, rsc)
    hub = bench.hub([config(SensorRole.FOOTPOD, POD)], watchdog_s=3.0)
    hub.device_info_timeout_s = 0.3
    await hub.start()
    seen: list[Sample | SensorStatus] = []
    status = await next_matching(hub, is_state(LinkState.CONNECTED), 10, seen)
    assert isinstance(status, SensorStatus)
    assert status.device == DeviceIdentity("Acme Sports")
    assert pod.stalled == 1
    await next_matching(hub, is_sample(SensorRole.FOOTPOD), 5, seen)
    assert not any(is_state(LinkState.LOST)(item) for item in seen)


async def test_the_demo_rigs_three_sensors_say_who_they_are() -> None:
    loop = asyncio.get_running_loop()
    rig = VirtualSensorRig(Readout(SimulatedRunner(seed=1), lambda: None, lambda: Gait.RUN),
                           loop.time, period_s=0.1)
    await rig.start()
    hub = SensorHub(rig.sensor_configs, clock=loop.time, scanner_backend=rig.scanner_backend,
                    client_backend=rig.client_backend, watchdog_s=2.0)
    await hub.start()
    try:
        devices: dict[SensorRole, DeviceIdentity | None] = {}
        while len(devices) < 3:
            status = await next_matching(hub, is_state(LinkState.CONNECTED), 10)
            assert isinstance(status, SensorStatus)
            devices[status.role] = status.device
    finally:
        await hub.stop()
        await rig.stop()
    assert devices == {sensor.roles[0]: sensor.identity for sensor in rig.sensors}
    assert {d.model for d in devices.values() if d} == {"Footpod V1", "HR Strap V1",
                                                        "Treadmill V1"}
