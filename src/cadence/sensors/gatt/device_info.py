"""Device Information service (DIS, 0x180A): the sensor's maker, model, serial, firmware.

The four characteristics cadence reads are plain UTF-8 strings
(``org.bluetooth.characteristic.manufacturer_name_string`` 0x2A29,
``model_number_string`` 0x2A24, ``serial_number_string`` 0x2A25,
``firmware_revision_string`` 0x2A26), with no length field and no terminator.

Why the cleaning: these strings end up on the runner's screen and in files
other programs parse, and real devices are sloppy (fixed-size fields padded
with NULs or 0xFF, Latin-1 bytes in a "UTF-8" string, stray control
characters). So the value is cut at the first NUL, decoded with replacement
characters for invalid bytes, stripped of control characters and padding,
its whitespace collapsed, and limited to ``MAX_CHARS``. A value with no text
left is malformed: :class:`GattParseError`, the one error every parser raises.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from cadence.model.link import DeviceIdentity
from cadence.sensors.gatt.common import GattParseError

DEVICE_INFORMATION_SERVICE_UUID16 = 0x180A
MANUFACTURER_NAME_UUID16 = 0x2A29
MODEL_NUMBER_UUID16 = 0x2A24
SERIAL_NUMBER_UUID16 = 0x2A25
FIRMWARE_REVISION_UUID16 = 0x2A26

#: the DIS strings cadence reads, in the order it reads them, by ``DeviceIdentity`` field
DIS_STRINGS: Mapping[str, int] = {
    "manufacturer": MANUFACTURER_NAME_UUID16,
    "model": MODEL_NUMBER_UUID16,
    "serial": SERIAL_NUMBER_UUID16,
    "firmware": FIRMWARE_REVISION_UUID16,
}

#: longer values are cut: enough for any real name, short enough for a status line
MAX_CHARS = 48

_PADDING = " \ufffd"  # spaces, and what 0xFF padding decodes to


def parse_dis_string(data: bytes | bytearray) -> str:
    """One DIS string value, cleaned (see the module docstring).

    Raises:
        GattParseError: nothing printable is left.
    """
    raw = bytes(data).split(b"\x00", 1)[0]
    text = raw.decode("utf-8", errors="replace")
    kept = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    cleaned = " ".join(kept.split()).strip(_PADDING)
    if not cleaned:
        raise GattParseError(f"device information string holds no text ({len(data)} bytes)")
    return cleaned[:MAX_CHARS].rstrip(_PADDING)


def device_identity(values: Mapping[int, bytes | bytearray]) -> DeviceIdentity:
    """The identity from the values read, keyed by characteristic UUID16.

    A characteristic that is missing or holds no text leaves its field empty:
    a device's identity is nice to have, never a reason to refuse it.
    """
    fields: dict[str, str] = {}
    for name, uuid16 in DIS_STRINGS.items():
        value = values.get(uuid16)
        if value is None:
            continue
        try:
            fields[name] = parse_dis_string(value)
        except GattParseError:
            continue
    return DeviceIdentity(**fields)
