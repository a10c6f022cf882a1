"""Cadence units: strides vs steps, and the ``auto`` rule that decides once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.model.sample import SensorRole
from cadence.profile.model import CadenceUnit, SensorConfig
from cadence.sensors.gatt import HeartRateMeasurement, HrFlags, RscFlags, RscMeasurement
from cadence.sensors.gatt.cadence_units import CadenceUnitResolver, to_steps_per_min, vote
from cadence.sensors.gatt.decode import PacketDecoder
from cadence.sensors.gatt.ftms import encode_treadmill_data


def test_fixed_units() -> None:
    assert to_steps_per_min(85, CadenceUnit.STRIDES) == 170
    assert to_steps_per_min(170, CadenceUnit.STEPS) == 170
    with pytest.raises(ValueError):
        to_steps_per_min(85, CadenceUnit.AUTO)


@pytest.mark.parametrize(
    ("raw", "speed", "expected"),
    [
        (85, 3.0, CadenceUnit.STRIDES),  # running strides
        (170, 3.0, CadenceUnit.STEPS),  # running steps
        (119, 2.5, CadenceUnit.STRIDES),
        (120, 2.5, CadenceUnit.STEPS),
        (55, 1.3, CadenceUnit.STRIDES),  # walking strides
        (110, 1.3, CadenceUnit.STEPS),  # walking steps
        (80, 1.3, None),  # ambiguous when slow
        (80, None, None),
        (0, 3.0, None),  # standing still says nothing
    ],
)
def test_votes(raw: int, speed: float | None, expected: CadenceUnit | None) -> None:
    assert vote(raw, speed) is expected


def test_auto_locks_after_votes_and_never_flips() -> None:
    r = CadenceUnitResolver(CadenceUnit.AUTO, votes_to_decide=5)
    outputs = [r.steps_per_min(85, 3.0) for _ in range(5)]
    assert outputs == [170.0] * 5
    assert r.decided is CadenceUnit.STRIDES
    # a run of step-like readings later (e.g. a glitch) cannot flip the decision
    assert [r.steps_per_min(150, 3.0) for _ in range(50)] == [300.0] * 50
    assert r.decided is CadenceUnit.STRIDES


def test_auto_detects_a_steps_device() -> None:
    r = CadenceUnitResolver(CadenceUnit.AUTO)
    assert [r.steps_per_min(172, 3.1) for _ in range(6)] == [172.0] * 6
    assert r.decided is CadenceUnit.STEPS


def test_auto_ignores_standing_and_ambiguous_samples() -> None:
    r = CadenceUnitResolver(CadenceUnit.AUTO)
    for _ in range(20):
        r.steps_per_min(0, 0.0)
        r.steps_per_min(80, None)
    assert r.decided is None


@settings(max_examples=300, deadline=None)
@given(
    readings=st.lists(st.tuples(st.integers(40, 100), st.floats(2.0, 6.0)), min_size=20),
)
def test_auto_running_strides_always_double(readings: list[tuple[int, float]]) -> None:
    """Any running cadence a human has, sent as strides, comes out as steps."""
    r = CadenceUnitResolver(CadenceUnit.AUTO)
    out = [r.steps_per_min(raw, speed) for raw, speed in readings]
    assert out == [2.0 * raw for raw, _ in readings]
    assert r.decided is CadenceUnit.STRIDES


def test_decoder_footpod_gives_steps_per_minute() -> None:
    d = PacketDecoder(SensorConfig(SensorRole.FOOTPOD, address="X"), "X")
    packet = RscMeasurement(RscFlags.RUNNING, 3.0, 86, 1.2, 100.0).to_bytes()
    s = d.decode(1.5, packet)
    assert s is not None
    assert (s.t_s, s.cadence_spm, s.speed_mps, s.distance_m) == (1.5, 172.0, 3.0, 100.0)
    assert s.stride_length_m == pytest.approx(1.2) and s.sensor_id == "X"


def test_decoder_steps_unit_is_respected() -> None:
    d = PacketDecoder(
        SensorConfig(SensorRole.FOOTPOD, name="pod", cadence_unit=CadenceUnit.STEPS), "pod"
    )
    s = d.decode(0.0, RscMeasurement(RscFlags.RUNNING, 3.0, 86).to_bytes())
    assert s is not None and s.cadence_spm == 86.0


def test_decoder_hr_without_skin_contact_gives_no_sample() -> None:
    d = PacketDecoder(SensorConfig(SensorRole.HEART_RATE, address="H"), "H")
    lost = HeartRateMeasurement(HrFlags.SENSOR_CONTACT_SUPPORTED, 90).to_bytes()
    ok = HeartRateMeasurement(
        HrFlags.SENSOR_CONTACT_SUPPORTED | HrFlags.SENSOR_CONTACT_DETECTED, 90
    ).to_bytes()
    assert d.decode(0.0, lost) is None
    sample = d.decode(0.0, ok)
    assert sample is not None and sample.hr_bpm == 90


def test_decoder_treadmill() -> None:
    d = PacketDecoder(SensorConfig(SensorRole.TREADMILL, address="T"), "T")
    s = d.decode(2.0, encode_treadmill_data(speed_kmh=9.0, total_distance_m=500, incline_pct=2.5))
    assert s is not None
    assert s.speed_mps == pytest.approx(2.5) and s.distance_m == 500.0
    assert s.incline_pct == pytest.approx(2.5) and s.cadence_spm is None
