"""Running Speed and Cadence (RSC, service 0x1814): measurement and feature values.

Layouts follow the Bluetooth SIG characteristic definitions
``org.bluetooth.characteristic.rsc_measurement`` (0x2A53) and
``org.bluetooth.characteristic.rsc_feature`` (0x2A54), as published in the SIG's
GATT XML (mirrored at github.com/oesmith/gatt-xml) and the RSC Service 1.0 spec:

    0x2A53  flags uint8
            bit0 Instantaneous Stride Length present, bit1 Total Distance
            present, bit2 Walking (0) or Running (1), bits 3-7 reserved
            Instantaneous Speed    uint16, 1/256 m/s      (mandatory)
            Instantaneous Cadence  uint8,  1/min          (mandatory; per foot)
            Stride Length          uint16, 1/100 m        (bit0)
            Total Distance         uint32, 1/10 m         (bit1)

Trailing bytes after the fields the flags announce are ignored: fields are
appended in bit order, so the leading fields stay valid whatever a future
revision adds (the "safe reading" of a packet with reserved bits set).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntFlag

from cadence.sensors.gatt.common import GattParseError, require_length

_HEAD = struct.Struct("<BHB")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")


class RscFlags(IntFlag):
    STRIDE_LENGTH_PRESENT = 0x01
    TOTAL_DISTANCE_PRESENT = 0x02
    RUNNING = 0x04


RSC_RESERVED_FLAGS = 0xF8
_RSC_FLAGS = tuple(RscFlags(i) for i in range(256))  # IntFlag() costs ~1 us per packet


class RscFeatureFlags(IntFlag):
    STRIDE_LENGTH_SUPPORTED = 0x0001
    TOTAL_DISTANCE_SUPPORTED = 0x0002
    WALKING_RUNNING_STATUS_SUPPORTED = 0x0004
    CALIBRATION_SUPPORTED = 0x0008
    MULTIPLE_SENSOR_LOCATIONS_SUPPORTED = 0x0010


@dataclass(frozen=True, slots=True)
class RscMeasurement:
    """One RSC Measurement notification, in SI units.

    ``cadence_raw_per_min`` is what the device sent: per foot (strides) by the
    spec, per step on some devices. ``cadence_units`` turns it into steps.
    """

    flags: RscFlags
    speed_mps: float
    cadence_raw_per_min: int
    stride_length_m: float | None = None
    total_distance_m: float | None = None

    @property
    def running(self) -> bool:
        """True when the sensor reports running, False for walking."""
        return bool(self.flags & RscFlags.RUNNING)

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> RscMeasurement:
        return parse_rsc_measurement(data)

    def to_bytes(self) -> bytes:
        """Encode per the spec (used by the virtual footpod and round-trip tests)."""
        flags = int(self.flags) & ~(
            RscFlags.STRIDE_LENGTH_PRESENT | RscFlags.TOTAL_DISTANCE_PRESENT
        )
        if self.stride_length_m is not None:
            flags |= RscFlags.STRIDE_LENGTH_PRESENT
        if self.total_distance_m is not None:
            flags |= RscFlags.TOTAL_DISTANCE_PRESENT
        out = _HEAD.pack(flags, round(self.speed_mps * 256), self.cadence_raw_per_min)
        if self.stride_length_m is not None:
            out += _U16.pack(round(self.stride_length_m * 100))
        if self.total_distance_m is not None:
            out += _U32.pack(round(self.total_distance_m * 10))
        return out


def parse_rsc_measurement(data: bytes | bytearray) -> RscMeasurement:
    """Parse an RSC Measurement (0x2A53) value.

    Raises:
        GattParseError: empty, or shorter than its flags require.
    """
    require_length(data, 4, "RSC Measurement")
    flags, speed_raw, cadence = _HEAD.unpack_from(data, 0)
    needed = 4 + (2 if flags & 0x01 else 0) + (4 if flags & 0x02 else 0)
    require_length(data, needed, "RSC Measurement")
    offset = 4
    stride_m: float | None = None
    total_m: float | None = None
    if flags & 0x01:
        stride_m = _U16.unpack_from(data, offset)[0] / 100.0
        offset += 2
    if flags & 0x02:
        total_m = _U32.unpack_from(data, offset)[0] / 10.0
    return RscMeasurement(_RSC_FLAGS[flags], speed_raw / 256.0, cadence, stride_m, total_m)


@dataclass(frozen=True, slots=True)
class RscFeature:
    """RSC Feature (0x2A54): which optional measurements the sensor supports."""

    flags: RscFeatureFlags

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> RscFeature:
        return parse_rsc_feature(data)

    def to_bytes(self) -> bytes:
        return _U16.pack(int(self.flags) & 0xFFFF)


def parse_rsc_feature(data: bytes | bytearray) -> RscFeature:
    """Parse an RSC Feature (0x2A54) value: a uint16 bit field.

    Raises:
        GattParseError: fewer than two bytes.
    """
    if len(data) < 2:
        raise GattParseError(f"RSC Feature: {len(data)} bytes, needs 2")
    return RscFeature(RscFeatureFlags(_U16.unpack_from(data, 0)[0]))
