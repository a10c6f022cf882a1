"""Heart Rate Measurement (service 0x180D, characteristic 0x2A37).

Layout per the Bluetooth SIG ``org.bluetooth.characteristic.heart_rate_measurement``
(GATT XML mirrored at github.com/oesmith/gatt-xml; GATT Specification
Supplement §3.113) and Bumble's own ``bumble/profiles/heart_rate_service.py``:

    flags uint8: bit0 value format (0 uint8, 1 uint16), bit1 sensor contact
    detected, bit2 sensor contact feature supported, bit3 Energy Expended
    present, bit4 RR-Interval present, bits 5-7 reserved
    Heart Rate        uint8 or uint16, beats per minute
    Energy Expended   uint16, kilojoules                  (bit3)
    RR-Interval       uint16 each, 1/1024 s, to the end   (bit4)

RR intervals run to the end of the packet, so an odd number of bytes there
means the packet is damaged: that raises instead of guessing.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntFlag

from cadence.sensors.gatt.common import GattParseError, require_length

_U16 = struct.Struct("<H")


class HrFlags(IntFlag):
    HR_UINT16 = 0x01
    SENSOR_CONTACT_DETECTED = 0x02
    SENSOR_CONTACT_SUPPORTED = 0x04
    ENERGY_EXPENDED_PRESENT = 0x08
    RR_INTERVAL_PRESENT = 0x10


HR_RESERVED_FLAGS = 0xE0
_HR_FLAGS = tuple(HrFlags(i) for i in range(256))  # IntFlag() costs ~1 us per packet


@dataclass(frozen=True, slots=True)
class HeartRateMeasurement:
    """One Heart Rate Measurement notification.

    ``sensor_contact`` is None when the strap does not report contact, else
    whether it has skin contact (a strap without contact sends junk beats).
    """

    flags: HrFlags
    bpm: int
    sensor_contact: bool | None = None
    energy_kj: int | None = None
    rr_s: tuple[float, ...] = field(default=())

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> HeartRateMeasurement:
        return parse_heart_rate(data)

    def to_bytes(self) -> bytes:
        """Encode per the spec (virtual strap, round-trip tests)."""
        flags = int(self.flags) & ~(HrFlags.ENERGY_EXPENDED_PRESENT | HrFlags.RR_INTERVAL_PRESENT)
        if self.bpm > 0xFF:
            flags |= HrFlags.HR_UINT16
        if self.energy_kj is not None:
            flags |= HrFlags.ENERGY_EXPENDED_PRESENT
        if self.rr_s:
            flags |= HrFlags.RR_INTERVAL_PRESENT
        out = bytes([flags])
        out += _U16.pack(self.bpm) if flags & HrFlags.HR_UINT16 else bytes([self.bpm])
        if self.energy_kj is not None:
            out += _U16.pack(self.energy_kj)
        for rr in self.rr_s:
            out += _U16.pack(round(rr * 1024))
        return out


def parse_heart_rate(data: bytes | bytearray) -> HeartRateMeasurement:
    """Parse a Heart Rate Measurement (0x2A37) value.

    Raises:
        GattParseError: empty, truncated against its flags, or an odd number
            of RR-interval bytes.
    """
    require_length(data, 2, "Heart Rate Measurement")
    flags = data[0]
    wide = flags & 0x01
    offset = 3 if wide else 2
    energy_present = flags & 0x08
    require_length(data, offset + (2 if energy_present else 0), "Heart Rate Measurement")
    bpm = _U16.unpack_from(data, 1)[0] if wide else data[1]
    energy: int | None = None
    if energy_present:
        energy = _U16.unpack_from(data, offset)[0]
        offset += 2
    rr: tuple[float, ...] = ()
    if flags & 0x10:
        rest = len(data) - offset
        if rest % 2:
            raise GattParseError(f"Heart Rate Measurement: {rest} RR-interval bytes, must be even")
        rr = tuple(v / 1024.0 for (v,) in _U16.iter_unpack(data[offset:]))
    contact: bool | None = bool(flags & 0x02) if flags & 0x04 else None
    return HeartRateMeasurement(_HR_FLAGS[flags], bpm, contact, energy, rr)
