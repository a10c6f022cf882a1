"""Device Information strings (0x2A29, 0x2A24, 0x2A25, 0x2A26): bytes in, clean text out.

Vectors are what real sensors send: plain UTF-8, fixed-size fields padded with
NULs or 0xFF, Latin-1 bytes, control characters. Properties: whatever the bytes,
the result is short, printable, trimmed, or the one error type.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.model.link import DeviceIdentity
from cadence.sensors.gatt import GattParseError, device_identity, parse_dis_string
from cadence.sensors.gatt.device_info import (
    FIRMWARE_REVISION_UUID16,
    MANUFACTURER_NAME_UUID16,
    MAX_CHARS,
    MODEL_NUMBER_UUID16,
    SERIAL_NUMBER_UUID16,
)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Polar Electro Oy", "Polar Electro Oy"),
        (b"H10\x00\x00\x00\x00\x00", "H10"),  # NUL-padded fixed field
        (b"C4A1B2\x00junk after the terminator", "C4A1B2"),
        (b"Stryd\xff\xff\xff\xff", "Stryd"),  # erased-flash padding
        (b"  4.2.1 \r\n", "4.2.1"),
        (b"Garmin\tInternational", "Garmin International"),
        (b"Caf\xc3\xa9 Sports", "Caf\u00e9 Sports"),  # real UTF-8 is kept
        (b"Caf\xe9 Sports", "Caf\ufffd Sports"),  # Latin-1 byte: replaced, not fatal
        (b"\x1b[31mRed\x1b[0m", "[31mRed [0m"),  # no escape reaches a terminal
    ],
)
def test_vectors(data: bytes, text: str) -> None:
    assert parse_dis_string(data) == text


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00Acme", b"   ", b"\xff\xff", b"\x01\x02"])
def test_no_text_is_the_one_error(data: bytes) -> None:
    with pytest.raises(GattParseError):
        parse_dis_string(data)


def test_long_values_are_cut() -> None:
    assert parse_dis_string(b"x" * 500) == "x" * MAX_CHARS


def test_identity_from_what_was_read() -> None:
    identity = device_identity({
        MANUFACTURER_NAME_UUID16: b"Acme\x00\x00",
        MODEL_NUMBER_UUID16: b"\x00",  # present but empty: left out
        SERIAL_NUMBER_UUID16: bytearray(b"123456"),
        FIRMWARE_REVISION_UUID16: b"2.0",
    })
    assert identity == DeviceIdentity("Acme", "", "123456", "2.0")
    assert identity.as_payload() == {"manufacturer": "Acme", "serial": "123456", "firmware": "2.0"}
    assert not device_identity({}).reported


@given(st.binary(max_size=600))
def test_any_bytes_give_clean_text_or_the_one_error(data: bytes) -> None:
    try:
        text = parse_dis_string(data)
    except GattParseError:
        return
    assert 0 < len(text) <= MAX_CHARS
    assert text == text.strip() and "  " not in text
    assert text.isprintable()


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "S"]), min_size=1,
               max_size=MAX_CHARS))
def test_printable_text_survives_the_round_trip(text: str) -> None:
    if text.strip("\ufffd") != text:  # leading/trailing U+FFFD reads as padding
        return
    assert parse_dis_string(text.encode()) == text


@given(st.dictionaries(st.sampled_from([MANUFACTURER_NAME_UUID16, MODEL_NUMBER_UUID16,
                                        SERIAL_NUMBER_UUID16, FIRMWARE_REVISION_UUID16, 0x2A23]),
                       st.binary(max_size=40)))
def test_an_identity_is_always_built(values: dict[int, bytes]) -> None:
    identity = device_identity(values)
    assert all(len(v) <= MAX_CHARS for v in identity.as_payload().values())
