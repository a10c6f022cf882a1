"""Known packets -> known values, for every flag of RSC, HRS and FTMS.

Sources of the vectors (cited per test):
* Bluetooth SIG characteristic definitions, GATT XML as mirrored at
  github.com/oesmith/gatt-xml (rsc_measurement, rsc_feature,
  heart_rate_measurement, treadmill_data) and FTMS 1.0.
* Real-device layout: the CITYSPORTS-Linker treadmill in
  github.com/hughesjs/FitnessMachine protocol/README.md (flags 0x2484, reserved
  bit 13 set, vendor bytes after Elapsed Time, energy per hour/minute 0xFFFF/0xFF).
* Bumble's HeartRateMeasurement encoder (bumble/profiles/heart_rate_service.py)
  as an independent implementation of the HR layout.
"""

from __future__ import annotations

import pytest
from bumble.profiles.heart_rate_service import HeartRateService

from cadence.sensors.gatt import (
    FitnessMachineFeatures,
    GattParseError,
    HrFlags,
    RscFeatureFlags,
    RscFlags,
    TargetSettingFeatures,
    TreadmillFlags,
    parse_fitness_machine_feature,
    parse_heart_rate,
    parse_rsc_feature,
    parse_rsc_measurement,
    parse_treadmill_data,
)
from cadence.sensors.gatt.ftms import promised_length

# ---------------------------------------------------------------- RSC 0x2A53


def test_rsc_all_fields() -> None:
    # flags 0x07; speed 0x034C/256 m/s; cadence 85/min; stride 116 cm; total 10000 dm
    m = parse_rsc_measurement(bytes.fromhex("074c0355740010270000"))
    assert m.flags == RscFlags.STRIDE_LENGTH_PRESENT | RscFlags.TOTAL_DISTANCE_PRESENT | 4
    assert m.speed_mps == pytest.approx(3.296875)
    assert m.cadence_raw_per_min == 85
    assert m.stride_length_m == pytest.approx(1.16)
    assert m.total_distance_m == pytest.approx(1000.0)
    assert m.running


def test_rsc_mandatory_only_walking() -> None:
    m = parse_rsc_measurement(bytes.fromhex("00000132"))
    assert (m.speed_mps, m.cadence_raw_per_min) == (1.0, 50)
    assert m.stride_length_m is None and m.total_distance_m is None
    assert not m.running


def test_rsc_total_distance_without_stride() -> None:
    # bit1 only: the distance follows cadence directly (no stride gap)
    m = parse_rsc_measurement(bytes.fromhex("0600035affffffff"))
    assert m.stride_length_m is None
    assert m.total_distance_m == pytest.approx(0xFFFFFFFF / 10)


def test_rsc_reserved_bits_and_trailing_bytes_keep_leading_fields() -> None:
    m = parse_rsc_measurement(bytes.fromhex("fd00035a7400ab"))  # bits 3-7 set, bit0 set
    assert m.speed_mps == 3.0 and m.cadence_raw_per_min == 90
    assert m.stride_length_m == pytest.approx(1.16)
    assert m.flags & 0xF8 == 0xF8


@pytest.mark.parametrize(
    "hex_",
    ["", "07", "00000a", "01000a5a74", "02000a5a112233", "03000a5a7400112233"],
)
def test_rsc_truncated_raises(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_rsc_measurement(bytes.fromhex(hex_))


def test_rsc_feature() -> None:
    f = parse_rsc_feature(bytes.fromhex("1f00"))
    assert f.flags & RscFeatureFlags.CALIBRATION_SUPPORTED
    assert f.flags & RscFeatureFlags.MULTIPLE_SENSOR_LOCATIONS_SUPPORTED
    assert parse_rsc_feature(f.to_bytes()) == f
    with pytest.raises(GattParseError):
        parse_rsc_feature(b"\x07")


# ---------------------------------------------------------------- HRS 0x2A37


def test_hr_uint8_contact_and_rr() -> None:
    # 0x16: contact supported + detected, RR present; 60 bpm; RR 0x032E/1024 s
    m = parse_heart_rate(bytes.fromhex("163c2e03"))
    assert m.bpm == 60 and m.sensor_contact is True
    assert m.rr_s == pytest.approx((0x032E / 1024,))
    assert m.energy_kj is None


def test_hr_uint16_energy_two_rr() -> None:
    m = parse_heart_rate(bytes.fromhex("192c01e80300020004"))
    assert m.flags & HrFlags.HR_UINT16
    assert m.bpm == 300 and m.energy_kj == 1000
    assert m.rr_s == (0.5, 1.0)
    assert m.sensor_contact is None  # contact feature not supported


def test_hr_contact_supported_but_lost() -> None:
    assert parse_heart_rate(bytes.fromhex("0448")).sensor_contact is False


def test_hr_rr_flag_with_no_intervals_is_empty() -> None:
    assert parse_heart_rate(bytes.fromhex("1048")).rr_s == ()


@pytest.mark.parametrize(
    "hex_",
    ["", "00", "01", "0148", "08480a", "1048aabbcc", "18480a0bcc"],
)
def test_hr_malformed_raises(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_heart_rate(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    ("bpm", "contact", "energy", "rr"),
    [(72, None, None, None), (180, True, 12, [0.33, 0.34]), (300, False, 65535, [1.5])],
)
def test_hr_matches_bumbles_encoder(
    bpm: int, contact: bool | None, energy: int | None, rr: list[float] | None
) -> None:
    packet = bytes(HeartRateService.HeartRateMeasurement(bpm, contact, energy, rr))
    m = parse_heart_rate(packet)
    assert (m.bpm, m.sensor_contact, m.energy_kj) == (bpm, contact, energy)
    assert m.rr_s == pytest.approx(tuple(rr or ()), abs=1 / 1024)


# ---------------------------------------------------------------- FTMS 0x2ACD


def test_treadmill_speed_and_distance() -> None:
    # flags 0x0004: More Data clear -> speed present; 10.50 km/h; 1234 m (uint24)
    t = parse_treadmill_data(bytes.fromhex("04001a04d20400"))
    assert t.speed_kmh == pytest.approx(10.5)
    assert t.speed_mps == pytest.approx(10.5 / 3.6)
    assert t.total_distance_m == 1234
    assert t.incline_pct is None


def test_treadmill_more_data_bit_means_no_speed() -> None:
    t = parse_treadmill_data(bytes.fromhex("0100"))
    assert t.flags & TreadmillFlags.MORE_DATA and t.speed_kmh is None


def test_treadmill_every_field() -> None:
    packet = bytes.fromhex(
        "fe1f"  # all 13 defined bits, More Data clear
        "e803"  # speed 10.00 km/h
        "dc05"  # average 15.00 km/h
        "a08601"  # distance 100000 m
        "0f00"
        "f6ff"  # incline +1.5 %, ramp -1.0 deg
        "6400"
        "3200"  # elevation +10.0 m / -5.0 m
        "06"
        "05"  # pace 0.6 / 0.5 km/min
        "2c01"
        "5802"
        "0a"  # energy 300 kcal, 600 kcal/h, 10 kcal/min
        "96"  # HR 150
        "52"  # MET 8.2
        "1027"
        "2c01"  # elapsed 10000 s, remaining 300 s
        "9cff"
        "fa00"  # force -100 N, power 250 W
    )
    t = parse_treadmill_data(packet)
    assert t.speed_kmh == pytest.approx(10.0) and t.average_speed_kmh == pytest.approx(15.0)
    assert t.total_distance_m == 100000
    assert t.incline_pct == pytest.approx(1.5) and t.ramp_angle_deg == pytest.approx(-1.0)
    assert t.positive_elevation_gain_m == pytest.approx(10.0)
    assert t.negative_elevation_gain_m == pytest.approx(5.0)
    assert t.pace_km_per_min == pytest.approx(0.6)
    assert t.average_pace_km_per_min == pytest.approx(0.5)
    assert (t.total_energy_kcal, t.energy_per_hour_kcal, t.energy_per_minute_kcal) == (300, 600, 10)
    assert t.hr_bpm == 150 and t.metabolic_equivalent == pytest.approx(8.2)
    assert (t.elapsed_s, t.remaining_s) == (10000, 300)
    assert (t.force_on_belt_n, t.power_output_w) == (-100, 250)


def test_treadmill_not_available_markers_become_none() -> None:
    t = parse_treadmill_data(bytes.fromhex("88000000ff7fff7fffffffffff"))
    assert t.incline_pct is None and t.ramp_angle_deg is None
    assert t.total_energy_kcal is None
    assert t.energy_per_hour_kcal is None and t.energy_per_minute_kcal is None


def test_treadmill_real_device_layout_with_reserved_bit_and_vendor_bytes() -> None:
    # CITYSPORTS-Linker (hughesjs/FitnessMachine): flags 0x2484 = distance, energy,
    # elapsed time, reserved bit 13; energy/h and energy/min "not available";
    # then 3 vendor bytes (a step count and a 0x00) that the spec does not define.
    packet = bytes.fromhex("84245802e803001500ffffff5a00341200")
    t = parse_treadmill_data(packet)
    assert t.speed_kmh == pytest.approx(6.0)
    assert t.total_distance_m == 1000
    assert t.total_energy_kcal == 21
    assert t.energy_per_hour_kcal is None and t.energy_per_minute_kcal is None
    assert t.elapsed_s == 90
    assert t.flags & 0x2000


@pytest.mark.parametrize("hex_", ["", "04", "0000", "00001a", "0110010203", "8100ffff"])
def test_treadmill_truncated_before_any_field_raises(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_treadmill_data(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    ("hex_", "speed_kmh", "distance_m", "hr_bpm"),
    [
        ("04001a04d204", 10.5, None, None),  # distance cut after two of its three bytes
        ("0003e803", 10.0, None, None),  # heart rate and MET promised, not sent
        ("0405e803d20400960a", 10.0, 1234, 150),  # half of Elapsed Time: dropped, rest kept
    ],
)
def test_treadmill_short_packet_keeps_the_fields_that_fit(
    hex_: str, speed_kmh: float, distance_m: int | None, hr_bpm: int | None
) -> None:
    t = parse_treadmill_data(bytes.fromhex(hex_))
    assert t.truncated
    assert t.speed_kmh == pytest.approx(speed_kmh)
    assert t.total_distance_m == distance_m and t.hr_bpm == hr_bpm


def test_treadmill_matrix_promises_32_bytes_in_20() -> None:
    # Flags 0x1DBE promise speed, average speed, distance, incline + ramp,
    # elevation gain, pace, energy, HR, elapsed, remaining, force + power:
    # 32 bytes. The notification carries 20 (the default ATT payload).
    flags = 0x1DBE
    assert promised_length(flags) == 32
    packet = (
        flags.to_bytes(2, "little")
        + bytes.fromhex("8403")  # speed 9.00 km/h
        + bytes.fromhex("5203")  # average 8.50 km/h
        + bytes.fromhex("e80300")  # distance 1000 m
        + bytes.fromhex("0f000900")  # incline 1.5 %, ramp 0.9 deg
        + bytes.fromhex("64000000")  # elevation +10.0 m / 0 m
        + bytes.fromhex("07")  # pace 0.7 km/min
        + bytes.fromhex("2c01")  # first two of the five energy bytes
    )
    assert len(packet) == 20
    t = parse_treadmill_data(packet)
    assert t.truncated
    assert t.speed_kmh == pytest.approx(9.0) and t.average_speed_kmh == pytest.approx(8.5)
    assert t.total_distance_m == 1000 and t.incline_pct == pytest.approx(1.5)
    assert t.positive_elevation_gain_m == pytest.approx(10.0)
    assert t.pace_km_per_min == pytest.approx(0.7)
    assert t.total_energy_kcal is None and t.hr_bpm is None and t.elapsed_s is None
    assert t.power_output_w is None


def test_treadmill_whole_packet_is_not_truncated() -> None:
    assert not parse_treadmill_data(bytes.fromhex("04001a04d20400")).truncated


def test_fitness_machine_feature() -> None:
    f = parse_fitness_machine_feature(bytes.fromhex("0c14010003000000"))
    assert f.machine & FitnessMachineFeatures.TOTAL_DISTANCE
    assert f.machine & FitnessMachineFeatures.INCLINATION
    assert f.machine & FitnessMachineFeatures.HEART_RATE_MEASUREMENT
    assert f.machine & FitnessMachineFeatures.ELAPSED_TIME
    assert f.machine & FitnessMachineFeatures.USER_DATA_RETENTION
    assert f.target_setting == TargetSettingFeatures.SPEED | TargetSettingFeatures.INCLINATION
    assert parse_fitness_machine_feature(f.to_bytes()) == f
    with pytest.raises(GattParseError):
        parse_fitness_machine_feature(bytes(7))
