"""Fitness Machine Service (FTMS, 0x1826): Treadmill Data and Fitness Machine Feature.

Layouts per the Bluetooth SIG Fitness Machine Service 1.0 spec and its
``org.bluetooth.characteristic.treadmill_data`` definition (GATT XML mirrored at
github.com/oesmith/gatt-xml, file org.bluetooth.characteristic.treadmill_data.xml):

    0x2ACD  flags uint16, then the fields below in this order
    bit0  More Data: INVERTED - 0 means Instantaneous Speed IS present
          Instantaneous Speed     uint16 0.01 km/h
    bit1  Average Speed           uint16 0.01 km/h
    bit2  Total Distance          uint24 1 m
    bit3  Inclination             sint16 0.1 %   + Ramp Angle Setting sint16 0.1 deg
    bit4  Positive Elevation Gain uint16 0.1 m   + Negative Elevation Gain uint16 0.1 m
    bit5  Instantaneous Pace      uint8  0.1 km/min
    bit6  Average Pace            uint8  0.1 km/min
    bit7  Total Energy uint16 kcal + Energy Per Hour uint16 kcal + Energy Per Minute uint8 kcal
          (0xFFFF / 0xFFFF / 0xFF: "data not available")
    bit8  Heart Rate              uint8  bpm
    bit9  Metabolic Equivalent    uint8  0.1
    bit10 Elapsed Time            uint16 s
    bit11 Remaining Time          uint16 s
    bit12 Force on Belt sint16 N  + Power Output sint16 W
    bits 13-15 reserved

Inclination and Ramp Angle of 0x7FFF (sint16 max, i.e. 3276.7 %) are read as
"not available", the marker FTMS uses for its signed fields. Real treadmills
set reserved bits and append vendor data: the CITYSPORTS-Linker belt documented
in github.com/hughesjs/FitnessMachine (protocol/README.md) sends flags 0x2484
(bit 13 set) with three vendor bytes after Elapsed Time. Trailing bytes are
ignored, since the defined fields always come first. The opposite also exists
(flags promising more than was sent): the fields that arrived whole are kept.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntFlag

from cadence.sensors.gatt.common import GattParseError, require_length

_U16 = struct.Struct("<H")
_TWO_S16 = struct.Struct("<hh")
_TWO_U16 = struct.Struct("<HH")
_ENERGY = struct.Struct("<HHB")
_FEATURE = struct.Struct("<II")


class TreadmillFlags(IntFlag):
    MORE_DATA = 0x0001  # inverted: set means Instantaneous Speed is ABSENT
    AVERAGE_SPEED_PRESENT = 0x0002
    TOTAL_DISTANCE_PRESENT = 0x0004
    INCLINATION_PRESENT = 0x0008
    ELEVATION_GAIN_PRESENT = 0x0010
    INSTANTANEOUS_PACE_PRESENT = 0x0020
    AVERAGE_PACE_PRESENT = 0x0040
    EXPENDED_ENERGY_PRESENT = 0x0080
    HEART_RATE_PRESENT = 0x0100
    METABOLIC_EQUIVALENT_PRESENT = 0x0200
    ELAPSED_TIME_PRESENT = 0x0400
    REMAINING_TIME_PRESENT = 0x0800
    FORCE_AND_POWER_PRESENT = 0x1000


TREADMILL_RESERVED_FLAGS = 0xE000
_FLAG_CACHE: dict[int, TreadmillFlags] = {}  # at most 2**13 spec-valid keys

# bytes each flag bit adds (bit0 inverted: handled in promised_length)
_FIELD_BYTES = (
    (1, 2),
    (2, 3),
    (3, 4),
    (4, 4),
    (5, 1),
    (6, 1),
    (7, 5),
    (8, 1),
    (9, 1),
    (10, 2),
    (11, 2),
    (12, 4),
)
_NOT_AVAILABLE_S16 = 0x7FFF


class FitnessMachineFeatures(IntFlag):
    AVERAGE_SPEED = 1 << 0
    CADENCE = 1 << 1
    TOTAL_DISTANCE = 1 << 2
    INCLINATION = 1 << 3
    ELEVATION_GAIN = 1 << 4
    PACE = 1 << 5
    STEP_COUNT = 1 << 6
    RESISTANCE_LEVEL = 1 << 7
    STRIDE_COUNT = 1 << 8
    EXPENDED_ENERGY = 1 << 9
    HEART_RATE_MEASUREMENT = 1 << 10
    METABOLIC_EQUIVALENT = 1 << 11
    ELAPSED_TIME = 1 << 12
    REMAINING_TIME = 1 << 13
    POWER_MEASUREMENT = 1 << 14
    FORCE_ON_BELT_AND_POWER_OUTPUT = 1 << 15
    USER_DATA_RETENTION = 1 << 16


class TargetSettingFeatures(IntFlag):
    SPEED = 1 << 0
    INCLINATION = 1 << 1
    RESISTANCE = 1 << 2
    POWER = 1 << 3
    HEART_RATE = 1 << 4
    EXPENDED_ENERGY = 1 << 5
    STEP_NUMBER = 1 << 6
    STRIDE_NUMBER = 1 << 7
    DISTANCE = 1 << 8
    TRAINING_TIME = 1 << 9
    TIME_IN_TWO_HR_ZONES = 1 << 10
    TIME_IN_THREE_HR_ZONES = 1 << 11
    TIME_IN_FIVE_HR_ZONES = 1 << 12
    INDOOR_BIKE_SIMULATION = 1 << 13
    WHEEL_CIRCUMFERENCE = 1 << 14
    SPIN_DOWN_CONTROL = 1 << 15
    CADENCE = 1 << 16


@dataclass(frozen=True, slots=True)
class TreadmillData:
    """One Treadmill Data notification. Absent or "not available" fields are None."""

    flags: TreadmillFlags
    speed_kmh: float | None = None
    average_speed_kmh: float | None = None
    total_distance_m: int | None = None
    incline_pct: float | None = None
    ramp_angle_deg: float | None = None
    positive_elevation_gain_m: float | None = None
    negative_elevation_gain_m: float | None = None
    pace_km_per_min: float | None = None
    average_pace_km_per_min: float | None = None
    total_energy_kcal: int | None = None
    energy_per_hour_kcal: int | None = None
    energy_per_minute_kcal: int | None = None
    hr_bpm: int | None = None
    metabolic_equivalent: float | None = None
    elapsed_s: int | None = None
    remaining_s: int | None = None
    force_on_belt_n: int | None = None
    power_output_w: int | None = None
    #: the flags promised fields the notification did not carry (they are None)
    truncated: bool = False

    @property
    def speed_mps(self) -> float | None:
        return None if self.speed_kmh is None else self.speed_kmh / 3.6

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> TreadmillData:
        return parse_treadmill_data(data)


def _s16_or_none(raw: int, scale: float) -> float | None:
    return None if raw == _NOT_AVAILABLE_S16 else raw * scale


def parse_treadmill_data(data: bytes | bytearray) -> TreadmillData:
    """Parse a Treadmill Data (0x2ACD) value, keeping the fields that fit.

    Why not reject a short packet: real machines send flags that promise more
    than the notification carries (a Matrix treadmill promises 32 bytes in a
    20-byte notification, the default ATT payload). The defined fields come
    in a fixed order, so every field that arrived whole is still right; the
    ones that did not arrive stay None and ``truncated`` says so.

    Raises:
        GattParseError: no room for the flags, or the flags promise fields
            and not even the first of them arrived whole.
    """
    require_length(data, 2, "Treadmill Data")
    flags = _U16.unpack_from(data, 0)[0]
    f: dict[str, float | int | None] = {}
    n = len(data)
    o = 2
    kept = 0
    truncated = False

    def fits(size: int) -> bool:
        nonlocal truncated
        if truncated or o + size > n:
            truncated = True
            return False
        return True

    if not flags & 0x0001 and fits(2):
        f["speed_kmh"] = _U16.unpack_from(data, o)[0] / 100.0
        o += 2
        kept += 1
    if flags & 0x0002 and fits(2):
        f["average_speed_kmh"] = _U16.unpack_from(data, o)[0] / 100.0
        o += 2
        kept += 1
    if flags & 0x0004 and fits(3):
        f["total_distance_m"] = int.from_bytes(data[o : o + 3], "little")
        o += 3
        kept += 1
    if flags & 0x0008 and fits(4):
        incline, ramp = _TWO_S16.unpack_from(data, o)
        f["incline_pct"] = _s16_or_none(incline, 0.1)
        f["ramp_angle_deg"] = _s16_or_none(ramp, 0.1)
        o += 4
        kept += 1
    if flags & 0x0010 and fits(4):
        up, down = _TWO_U16.unpack_from(data, o)
        f["positive_elevation_gain_m"] = up / 10.0
        f["negative_elevation_gain_m"] = down / 10.0
        o += 4
        kept += 1
    if flags & 0x0020 and fits(1):
        f["pace_km_per_min"] = data[o] / 10.0
        o += 1
        kept += 1
    if flags & 0x0040 and fits(1):
        f["average_pace_km_per_min"] = data[o] / 10.0
        o += 1
        kept += 1
    if flags & 0x0080 and fits(5):
        total, per_hour, per_min = _ENERGY.unpack_from(data, o)
        f["total_energy_kcal"] = None if total == 0xFFFF else total
        f["energy_per_hour_kcal"] = None if per_hour == 0xFFFF else per_hour
        f["energy_per_minute_kcal"] = None if per_min == 0xFF else per_min
        o += 5
        kept += 1
    if flags & 0x0100 and fits(1):
        f["hr_bpm"] = data[o]
        o += 1
        kept += 1
    if flags & 0x0200 and fits(1):
        f["metabolic_equivalent"] = data[o] / 10.0
        o += 1
        kept += 1
    if flags & 0x0400 and fits(2):
        f["elapsed_s"] = _U16.unpack_from(data, o)[0]
        o += 2
        kept += 1
    if flags & 0x0800 and fits(2):
        f["remaining_s"] = _U16.unpack_from(data, o)[0]
        o += 2
        kept += 1
    if flags & 0x1000 and fits(4):
        f["force_on_belt_n"], f["power_output_w"] = _TWO_S16.unpack_from(data, o)
        kept += 1
    if truncated and not kept:
        raise GattParseError(
            f"Treadmill Data: {n} bytes, not one of the fields its flags promise fits"
        )
    flag_set = _FLAG_CACHE.get(flags)
    if flag_set is None:
        flag_set = TreadmillFlags(flags)
        if not flags & TREADMILL_RESERVED_FLAGS:
            _FLAG_CACHE[flags] = flag_set
    return TreadmillData(flag_set, truncated=truncated, **f)  # type: ignore[arg-type]


def promised_length(flags: int) -> int:
    """Bytes a Treadmill Data value with these flags should hold (flags included)."""
    n = 2 if flags & 0x0001 else 4
    for bit, size in _FIELD_BYTES:
        if flags >> bit & 1:
            n += size
    return n


def encode_treadmill_data(
    *,
    speed_kmh: float | None,
    total_distance_m: int | None = None,
    incline_pct: float | None = None,
    ramp_angle_deg: float | None = None,
    elapsed_s: int | None = None,
    hr_bpm: int | None = None,
) -> bytes:
    """Encode the subset of Treadmill Data the virtual treadmill sends."""
    flags = 0 if speed_kmh is not None else TreadmillFlags.MORE_DATA
    out = b""
    if speed_kmh is not None:
        out += _U16.pack(round(speed_kmh * 100))
    if total_distance_m is not None:
        flags |= TreadmillFlags.TOTAL_DISTANCE_PRESENT
        out += (total_distance_m & 0xFFFFFF).to_bytes(3, "little")
    if incline_pct is not None or ramp_angle_deg is not None:
        flags |= TreadmillFlags.INCLINATION_PRESENT
        incl = _NOT_AVAILABLE_S16 if incline_pct is None else round(incline_pct * 10)
        ramp = _NOT_AVAILABLE_S16 if ramp_angle_deg is None else round(ramp_angle_deg * 10)
        out += _TWO_S16.pack(incl, ramp)
    if hr_bpm is not None:
        flags |= TreadmillFlags.HEART_RATE_PRESENT
        out += bytes([hr_bpm])
    if elapsed_s is not None:
        flags |= TreadmillFlags.ELAPSED_TIME_PRESENT
        out += _U16.pack(elapsed_s)
    return _U16.pack(int(flags)) + out


@dataclass(frozen=True, slots=True)
class FitnessMachineFeature:
    """Fitness Machine Feature (0x2ACC): what the machine measures and accepts."""

    machine: FitnessMachineFeatures
    target_setting: TargetSettingFeatures

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> FitnessMachineFeature:
        return parse_fitness_machine_feature(data)

    def to_bytes(self) -> bytes:
        return _FEATURE.pack(int(self.machine), int(self.target_setting))


def parse_fitness_machine_feature(data: bytes | bytearray) -> FitnessMachineFeature:
    """Parse Fitness Machine Feature (0x2ACC): two uint32 bit fields.

    Raises:
        GattParseError: fewer than eight bytes.
    """
    if len(data) < 8:
        raise GattParseError(f"Fitness Machine Feature: {len(data)} bytes, needs 8")
    machine, target = _FEATURE.unpack_from(data, 0)
    return FitnessMachineFeature(FitnessMachineFeatures(machine), TargetSettingFeatures(target))
