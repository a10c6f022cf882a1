"""Fuzzing the parsers: whatever bytes arrive, only ``GattParseError`` escapes.

In the suite: ~20 000 hypothesis examples in total (a few seconds). The
million-input run is ``scripts/fuzz_gatt.py`` (random bytes, biased toward
plausible lengths and flag bytes), run by hand or in CI nightly.
"""

from __future__ import annotations

import contextlib
import os

import pytest
from bumble.profiles.heart_rate_service import HeartRateService
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadence.sensors.gatt import (
    PARSERS,
    GattParseError,
    HeartRateMeasurement,
    HrFlags,
    RscFlags,
    RscMeasurement,
    encode_treadmill_data,
    parse_heart_rate,
    parse_rsc_measurement,
    parse_treadmill_data,
)

# CADENCE_FUZZ_EXAMPLES=100000 makes this an opt-in long run (every parser x N examples)
FUZZ = settings(
    max_examples=int(os.environ.get("CADENCE_FUZZ_EXAMPLES", "3000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
STRUCTURED = settings(max_examples=1000, deadline=None)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.binary(max_size=40))
def test_only_gatt_parse_error_escapes(name: str, data: bytes) -> None:
    with contextlib.suppress(GattParseError):
        PARSERS[name](data)


@STRUCTURED
@given(
    flags=st.integers(0, 0xFF),
    speed_raw=st.integers(0, 0xFFFF),
    cadence=st.integers(0, 0xFF),
    stride_cm=st.none() | st.integers(0, 0xFFFF),
    total_dm=st.none() | st.integers(0, 0xFFFFFFFF),
    cut=st.integers(1, 6),
)
def test_rsc_round_trip_and_truncation(
    flags: int, speed_raw: int, cadence: int, stride_cm: int | None, total_dm: int | None, cut: int
) -> None:
    m = RscMeasurement(
        RscFlags(flags),
        speed_raw / 256,
        cadence,
        None if stride_cm is None else stride_cm / 100,
        None if total_dm is None else total_dm / 10,
    )
    packet = m.to_bytes()
    back = parse_rsc_measurement(packet)
    assert back.to_bytes() == packet
    assert back.cadence_raw_per_min == cadence and back.running == bool(flags & 4)
    with pytest.raises(GattParseError):
        parse_rsc_measurement(packet[: max(0, len(packet) - cut)] if len(packet) > 4 else b"")


@STRUCTURED
@given(
    bpm=st.integers(0, 0xFFFF),
    contact=st.none() | st.booleans(),
    energy=st.none() | st.integers(0, 0xFFFF),
    rr=st.lists(st.integers(0, 0xFFFF), max_size=8),
)
def test_hr_agrees_with_bumble(
    bpm: int, contact: bool | None, energy: int | None, rr: list[int]
) -> None:
    rr_s = [v / 1024 for v in rr] or None
    packet = bytes(HeartRateService.HeartRateMeasurement(bpm, contact, energy, rr_s))
    ours = parse_heart_rate(packet)
    theirs = HeartRateService.HeartRateMeasurement.from_bytes(packet)
    assert ours.bpm == theirs.heart_rate
    assert ours.sensor_contact == theirs.sensor_contact_detected
    assert ours.energy_kj == theirs.energy_expended
    assert list(ours.rr_s) == list(theirs.rr_intervals or [])
    flags = HrFlags.SENSOR_CONTACT_SUPPORTED if contact is not None else HrFlags(0)
    if contact:
        flags |= HrFlags.SENSOR_CONTACT_DETECTED
    again = HeartRateMeasurement(flags, bpm, contact, energy, tuple(v / 1024 for v in rr))
    assert parse_heart_rate(again.to_bytes()) == ours


@STRUCTURED
@given(
    speed=st.none() | st.integers(0, 0xFFFF),
    distance=st.none() | st.integers(0, 0xFFFFFF),
    incline=st.none() | st.integers(-0x7FFF, 0x7FFE),
    hr=st.none() | st.integers(0, 0xFF),
    elapsed=st.none() | st.integers(0, 0xFFFF),
    cut=st.integers(1, 3),
)
def test_treadmill_round_trip_and_truncation(
    speed: int | None,
    distance: int | None,
    incline: int | None,
    hr: int | None,
    elapsed: int | None,
    cut: int,
) -> None:
    packet = encode_treadmill_data(
        speed_kmh=None if speed is None else speed / 100,
        total_distance_m=distance,
        incline_pct=None if incline is None else incline / 10,
        elapsed_s=elapsed,
        hr_bpm=hr,
    )
    t = parse_treadmill_data(packet)
    assert t.speed_kmh == (None if speed is None else pytest.approx(speed / 100))
    assert t.total_distance_m == distance and t.elapsed_s == elapsed and t.hr_bpm == hr
    assert t.incline_pct == (None if incline is None else pytest.approx(incline / 10))
    if len(packet) > 2:
        # a short packet keeps every field that still fits whole (the Matrix case)
        short = packet[: max(0, len(packet) - cut)]
        try:
            s = parse_treadmill_data(short)
        except GattParseError:
            assert len(short) < 4 or speed is None
        else:
            assert s.truncated
            for name in ("speed_kmh", "total_distance_m", "incline_pct", "hr_bpm", "elapsed_s"):
                got = getattr(s, name)
                assert got is None or got == getattr(t, name)
