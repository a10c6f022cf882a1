"""The Bumble bleak backend, driven through bleak's public API against real GATT servers."""

from __future__ import annotations

import asyncio

import pytest
from bleak import BleakClient, BleakScanner
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError
from bumble import att
from bumble import core as bcore

from cadence.model.sample import SensorRole
from cadence.sensors import gatt
from cadence.sensors.ble.hub import scan_devices
from cadence.sensors.bumble.backend import _bleak_errors
from cadence.sensors.gatt import RscFlags, RscMeasurement, parse_rsc_feature, uuid16_to_str
from support.ble_bed import Bench

pytestmark = pytest.mark.ble

POD = "F0:00:00:00:00:01"
RSC_MEASUREMENT = uuid16_to_str(gatt.RSC_MEASUREMENT_UUID16)
RSC_FEATURE = uuid16_to_str(gatt.RSC_FEATURE_UUID16)
CCCD = "00002902-0000-1000-8000-00805f9b34fb"


async def test_scan_classifies_devices_by_advertised_services(bench: Bench) -> None:
    await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    await bench.sensor("F0:00:00:00:00:02", "Strap", [SensorRole.HEART_RATE])
    await bench.sensor("F0:00:00:00:00:03", "Belt", [SensorRole.TREADMILL, SensorRole.HEART_RATE])
    found = await scan_devices(0.5, bench.adapter.scanner_backend)
    by_name = {d.name: d for d in found}
    assert set(by_name) == {"Pod", "Strap", "Belt"}
    assert by_name["Pod"].roles == (SensorRole.FOOTPOD,)
    assert by_name["Pod"].address == POD
    assert by_name["Strap"].roles == (SensorRole.HEART_RATE,)
    assert by_name["Belt"].roles == (SensorRole.HEART_RATE, SensorRole.TREADMILL)
    assert all(isinstance(d.rssi, int) for d in found)


async def test_every_client_operation(bench: Bench) -> None:
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    device = await BleakScanner.find_device_by_address(
        POD, 3.0, backend=bench.adapter.scanner_backend
    )
    assert device is not None
    dropped = asyncio.Event()
    client = BleakClient(device, lambda _c: dropped.set(), backend=bench.adapter.client_backend)
    await client.connect()
    try:
        assert (client.is_connected, client.name) == (True, "Pod")
        assert client.mtu_size >= 23
        feature = parse_rsc_feature(await client.read_gatt_char(RSC_FEATURE))
        assert feature.flags & 0x07 == 0x07
        got: list[bytes] = []
        await client.start_notify(RSC_MEASUREMENT, lambda _ch, data: got.append(bytes(data)))
        measurement = client.services.get_characteristic(RSC_MEASUREMENT)
        assert measurement is not None
        cccd = measurement.get_descriptor(CCCD)
        assert cccd is not None
        assert await client.read_gatt_descriptor(cccd.handle) == b"\x01\x00"
        packet = RscMeasurement(RscFlags.RUNNING, 3.0, 85).to_bytes()
        await pod.notify(SensorRole.FOOTPOD, packet)
        async with asyncio.timeout(2):
            while not got:
                await asyncio.sleep(0.01)
        assert got == [packet]
        await client.stop_notify(RSC_MEASUREMENT)
        assert await client.read_gatt_descriptor(cccd.handle) == b"\x00\x00"
        # bleak's public API refuses CCCD writes, so exercise the backend member directly
        await client._backend.write_gatt_descriptor(cccd, b"\x01\x00")
        assert await client.read_gatt_descriptor(cccd.handle) == b"\x01\x00"
        await client.write_gatt_char(RSC_FEATURE, b"\x07\x00", response=True)
        with pytest.raises(BleakError):
            await client.pair()
        with pytest.raises(BleakError):
            await client.unpair()
        await pod.drop_connections()
        await asyncio.wait_for(dropped.wait(), 2)
        assert not client.is_connected
        with pytest.raises(BleakError):
            await client.read_gatt_char(RSC_FEATURE)
    finally:
        await client.disconnect()


async def test_connect_by_address_string_and_unknown_address(bench: Bench) -> None:
    await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    async with BleakClient(POD, backend=bench.adapter.client_backend, timeout=3) as client:
        assert client.is_connected
    ghost = BleakClient("F0:00:00:00:00:99", backend=bench.adapter.client_backend, timeout=0.5)
    with pytest.raises(BleakDeviceNotFoundError):
        await ghost.connect()


async def test_connect_timeout_fires_and_the_controller_recovers(bench: Bench) -> None:
    """Needs the connect-cancel patch: without it Bumble hangs and refuses later connects."""
    pod = await bench.sensor(POD, "Pod", [SensorRole.FOOTPOD])
    device = await BleakScanner.find_device_by_address(
        POD, 3.0, backend=bench.adapter.scanner_backend
    )
    assert device is not None
    await pod.device.stop_advertising()
    client = BleakClient(device, backend=bench.adapter.client_backend, timeout=0.5)
    with pytest.raises(TimeoutError):
        await client.connect()
    await pod.device.start_advertising(auto_restart=True)
    async with BleakClient(device, backend=bench.adapter.client_backend, timeout=3) as again:
        assert again.is_connected


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (bcore.TimeoutError(), TimeoutError),
        (att.ATT_Error(0x03), BleakGATTProtocolError),
        (bcore.InvalidStateError("x"), BleakError),
    ],
)
async def test_bumble_errors_become_bleak_errors(
    raised: Exception, expected: type[Exception]
) -> None:
    with pytest.raises(expected):
        async with _bleak_errors("op"):
            raise raised
