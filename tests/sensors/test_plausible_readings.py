"""Readings outside physical ranges are dropped and counted before anyone sees them."""

from __future__ import annotations

import pytest

from cadence.model.sample import SensorRole
from cadence.profile.model import CadenceUnit, SensorConfig
from cadence.sensors.gatt.decode import PacketDecoder
from cadence.sensors.gatt.ftms import encode_treadmill_data
from cadence.sensors.gatt.hr import HeartRateMeasurement, HrFlags
from cadence.sensors.gatt.rsc import RscFlags, RscMeasurement

CONTACT = HrFlags.SENSOR_CONTACT_SUPPORTED | HrFlags.SENSOR_CONTACT_DETECTED


def decoder(role: SensorRole, unit: CadenceUnit = CadenceUnit.STEPS) -> PacketDecoder:
    return PacketDecoder(SensorConfig(role, address="X", cadence_unit=unit), "X")


def test_belt_speed_above_40_kmh_is_dropped_but_distance_and_incline_kept() -> None:
    d = decoder(SensorRole.TREADMILL)
    s = d.decode(1.0, encode_treadmill_data(speed_kmh=65.0, total_distance_m=900, incline_pct=1.0))
    assert s is not None and s.speed_mps is None
    assert s.distance_m == 900.0 and s.incline_pct == pytest.approx(1.0)
    assert d.out_of_range == 1


def test_belt_at_40_kmh_is_kept() -> None:
    d = decoder(SensorRole.TREADMILL)
    s = d.decode(1.0, encode_treadmill_data(speed_kmh=40.0))
    assert s is not None and s.speed_mps == pytest.approx(40 / 3.6) and d.out_of_range == 0


def test_treadmill_relayed_hr_out_of_range_is_dropped() -> None:
    d = decoder(SensorRole.TREADMILL)
    s = d.decode(1.0, encode_treadmill_data(speed_kmh=9.0, hr_bpm=255))
    assert s is not None and s.hr_bpm is None and s.speed_mps == pytest.approx(2.5)
    assert d.out_of_range == 1


@pytest.mark.parametrize(("bpm", "kept"), [(24, False), (25, True), (250, True), (251, False)])
def test_hr_range_edges(bpm: int, kept: bool) -> None:
    d = decoder(SensorRole.HEART_RATE)
    s = d.decode(1.0, HeartRateMeasurement(CONTACT, bpm).to_bytes())
    assert (s is not None) is kept
    assert d.out_of_range == (0 if kept else 1)


def test_footpod_cadence_above_300_spm_dropped_speed_kept() -> None:
    d = decoder(SensorRole.FOOTPOD, CadenceUnit.STRIDES)
    s = d.decode(1.0, RscMeasurement(RscFlags(0), 3.0, 120).to_bytes())  # 240 steps: fine
    assert s is not None and s.cadence_spm == 240
    s = d.decode(2.0, RscMeasurement(RscFlags(0), 3.0, 155).to_bytes())  # 310 steps
    assert s is not None and s.cadence_spm is None and s.speed_mps == pytest.approx(3.0)
    assert d.out_of_range == 1


def test_sample_with_nothing_left_is_not_sent() -> None:
    d = decoder(SensorRole.TREADMILL)
    assert d.decode(1.0, encode_treadmill_data(speed_kmh=99.0)) is None
    assert d.out_of_range == 1
