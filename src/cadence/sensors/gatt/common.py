"""What every GATT parser shares: the one error type and the length check.

Why a single error type: the connection layer must count and drop a malformed
notification and keep streaming. If parsers could leak ``IndexError`` or
``struct.error`` the consumer would need a catch-all, which would also swallow
real bugs. So every parser validates lengths *before* reading and raises only
``GattParseError`` (a ``ValueError``); the fuzz tests hold them to that.
"""

from __future__ import annotations


class GattParseError(ValueError):
    """A notification or read value does not match its characteristic's layout."""


def require_length(data: bytes | bytearray, needed: int, what: str) -> None:
    """Raise ``GattParseError`` unless ``data`` holds at least ``needed`` bytes.

    Args:
        data: the raw value.
        needed: bytes the flags say must be there.
        what: the characteristic's name, for the message.
    """
    if len(data) < needed:
        raise GattParseError(f"{what}: {len(data)} bytes, but its flags call for at least {needed}")
