"""Each sensor's own identity, from its Device Information service to FIT ``device_info``.

The statuses are what the hub emits on connect (``SensorStatus.device``); they go
through the store's recorder into a real SQLite file, are read back and written
as FIT, then decoded by fitdecode and by Garmin's SDK (issue 13).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadence.export.fit import encode_fit
from cadence.export.fit_messages import firmware_version
from cadence.model.link import DeviceIdentity, LinkState, SensorStatus
from cadence.model.sample import SensorRole
from cadence.model.session import SessionData
from cadence.sensors.bumble.peripherals import virtual_identity
from cadence.store.store import Store

from .conftest import make_session
from .decode import decode_fit
from .fitdecode_reader import read_fit

POD = DeviceIdentity("Acme Sports", "Pod 2", "A1-B2C3", "4.21")
STRAP = virtual_identity(SensorRole.HEART_RATE, "F0:0D:00:00:00:02")  # a numeric serial


def _recorded(db: Path) -> SessionData:
    data = make_session(session_id=3)
    info = data.info
    with Store.open(db) as store:
        recorder = store.begin_session(
            profile_name=info.profile_name, runner_name=info.runner_name, program=info.program,
            program_week=info.program_week, started_at=info.started_at,
            treadmill=info.treadmill, shoe_name=info.shoe_name)
        statuses = [
            SensorStatus(0.2, SensorRole.FOOTPOD, "pod-1", LinkState.CONNECTED, "", POD),
            SensorStatus(0.3, SensorRole.HEART_RATE, "strap", LinkState.CONNECTED, "", STRAP),
            # the treadmill has no Device Information service
            SensorStatus(0.4, SensorRole.TREADMILL, "belt", LinkState.CONNECTED),
            # a later drop says nothing of identity and must not erase it
            SensorStatus(600.0, SensorRole.FOOTPOD, "pod-1", LinkState.LOST, "link dropped"),
        ]
        for status in statuses:
            recorder.add_sensor_status(status)
        for sample in data.samples:
            recorder.add_sample(sample)
        for event in data.events:
            recorder.add_event(event)
        assert recorder.finish(info.end_reason or "user", info.duration_s)
        return store.load_session(recorder.session_id)


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return encode_fit(_recorded(tmp_path_factory.mktemp("store") / "sessions.sqlite3"))


def _by_descriptor(devices: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["descriptor"]: d for d in devices if d.get("descriptor")}


def test_fitdecode_reads_each_sensors_identity(payload: bytes) -> None:
    devices = read_fit(payload).of("device_info")
    sensors = _by_descriptor([{**d.values, **d.developer} for d in devices[1:]])
    assert set(sensors) == {"pod-1", "strap", "belt"}
    pod, strap, belt = sensors["pod-1"], sensors["strap"], sensors["belt"]
    assert pod["product_name"] == "Acme Sports Pod 2"
    assert pod["sensor_serial"] == "A1-B2C3" and pod.get("serial_number") is None
    assert pod["software_version"] == pytest.approx(4.21)
    assert strap["product_name"] == "cadence virtual HR Strap V1"
    assert strap["serial_number"] == int(STRAP.serial)
    assert strap["sensor_serial"] == STRAP.serial
    assert strap["software_version"] == pytest.approx(1.0)
    assert belt["product_name"] == "treadmill"  # nothing reported: its role, not a guess
    assert belt.get("serial_number") is None and "sensor_serial" not in belt
    # the creator's version says what file_creator says (that one is unscaled hundredths)
    creator = read_fit(payload).of("file_creator")[0].values["software_version"]
    assert devices[0].values["software_version"] * 100 == pytest.approx(creator)


def test_garmins_sdk_reads_the_same(payload: bytes) -> None:
    decoded = decode_fit(payload)
    assert decoded.is_fit and decoded.integrity_ok and decoded.errors == []
    sensors = _by_descriptor(decoded.mesgs("device_info"))
    assert sensors["pod-1"]["product_name"] == "Acme Sports Pod 2"
    assert "A1-B2C3" in sensors["pod-1"]["developer_fields"].values()
    assert sensors["strap"]["serial_number"] == int(STRAP.serial)
    assert sensors["strap"]["product_name"] == "cadence virtual HR Strap V1"


@pytest.mark.parametrize(("firmware", "version"), [
    ("1.0.0", 1.0), ("4.21", 4.21), ("v2.3", 2.3), ("FW 10.05", 10.05), ("7", 7.0),
    ("2024-03 build 7", None), ("", None), ("beta", None), ("999.1", None),
])
def test_firmware_as_fit_software_version(firmware: str, version: float | None) -> None:
    assert firmware_version(firmware) == (None if version is None else pytest.approx(version))
