"""FTMS control: the Control Point (0x2AD9), its ranges and the machine's status.

Layouts per the Bluetooth SIG Fitness Machine Service 1.0 spec (sections 4.16
Fitness Machine Control Point, 4.13/4.14 Supported Speed/Inclination Range,
4.17 Fitness Machine Status):

    0x2AD9 request   op uint8, then its parameter
        0x00 Request Control          -
        0x02 Set Target Speed         uint16 0.01 km/h
        0x03 Set Target Inclination   sint16 0.1 %
        0x07 Start or Resume          -
        0x08 Stop or Pause            uint8: 0x01 stop, 0x02 pause
    0x2AD9 indication 0x80, the request's op, a result
        0x01 success, 0x02 op not supported, 0x03 invalid parameter,
        0x04 operation failed, 0x05 control not permitted
    0x2AD4 min, max uint16 0.01 km/h; minimum increment uint16 0.01 km/h
    0x2AD5 min, max sint16 0.1 %;     minimum increment uint16 0.1 %
    0x2ADA op uint8, then its parameter
        0x02 stopped or paused by the user  uint8: 0x01 stop, 0x02 pause
        0x03 stopped by the safety key
        0x04 started or resumed by the user
        0x05 target speed changed           uint16 0.01 km/h
        0x06 target incline changed         sint16 0.1 %
        0xFF control permission lost

Why here, pure: the controller (``cadence.sensors.ble.treadmill_control``)
and the virtual treadmill (``cadence.sensors.bumble.peripherals``) both speak
these bytes, one from each side, so one module encodes and parses both ways
and is fuzzed like the data parsers. Every parser raises only
``GattParseError``.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from enum import IntEnum

from cadence.sensors.gatt.common import GattParseError, require_length

_U16 = struct.Struct("<H")
_S16 = struct.Struct("<h")
_SPEED_RANGE = struct.Struct("<HHH")
_INCLINE_RANGE = struct.Struct("<hhH")

RESPONSE_CODE = 0x80


class ControlOp(IntEnum):
    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02
    SET_TARGET_INCLINATION = 0x03
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08


class ResultCode(IntEnum):
    SUCCESS = 0x01
    OP_CODE_NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    OPERATION_FAILED = 0x04
    CONTROL_NOT_PERMITTED = 0x05


class StopKind(IntEnum):
    STOP = 0x01
    PAUSE = 0x02


class StatusOp(IntEnum):
    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_OR_RESUMED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05
    TARGET_INCLINE_CHANGED = 0x06
    CONTROL_PERMISSION_LOST = 0xFF


def _speed_raw(speed_kmh: float) -> int:
    raw = round(speed_kmh * 100) if math.isfinite(speed_kmh) else -1
    if not 0 <= raw <= 0xFFFF:
        raise ValueError(f"speed {speed_kmh} km/h does not fit FTMS uint16 0.01 km/h")
    return raw


def _incline_raw(incline_pct: float) -> int:
    raw = round(incline_pct * 10) if math.isfinite(incline_pct) else 0x10000
    if not -0x8000 <= raw <= 0x7FFF:
        raise ValueError(f"incline {incline_pct} % does not fit FTMS sint16 0.1 %")
    return raw


@dataclass(frozen=True, slots=True)
class ControlRequest:
    """One Control Point write. Only the field its op needs is set."""

    op: ControlOp
    speed_kmh: float | None = None
    incline_pct: float | None = None
    stop: StopKind | None = None

    @classmethod
    def request_control(cls) -> ControlRequest:
        return cls(ControlOp.REQUEST_CONTROL)

    @classmethod
    def start_or_resume(cls) -> ControlRequest:
        return cls(ControlOp.START_OR_RESUME)

    @classmethod
    def set_target_speed(cls, speed_kmh: float) -> ControlRequest:
        _speed_raw(speed_kmh)
        return cls(ControlOp.SET_TARGET_SPEED, speed_kmh=speed_kmh)

    @classmethod
    def set_target_inclination(cls, incline_pct: float) -> ControlRequest:
        _incline_raw(incline_pct)
        return cls(ControlOp.SET_TARGET_INCLINATION, incline_pct=incline_pct)

    @classmethod
    def stop_or_pause(cls, kind: StopKind) -> ControlRequest:
        return cls(ControlOp.STOP_OR_PAUSE, stop=kind)

    def to_bytes(self) -> bytes:
        op = bytes([self.op])
        if self.op is ControlOp.SET_TARGET_SPEED:
            return op + _U16.pack(_speed_raw(self.speed_kmh or 0.0))
        if self.op is ControlOp.SET_TARGET_INCLINATION:
            return op + _S16.pack(_incline_raw(self.incline_pct or 0.0))
        if self.op is ControlOp.STOP_OR_PAUSE:
            return op + bytes([self.stop or StopKind.STOP])
        return op

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> ControlRequest:
        return parse_control_request(data)


def parse_control_request(data: bytes | bytearray) -> ControlRequest:
    """Parse a Control Point write (what a treadmill receives).

    Raises:
        GattParseError: empty, an op this module does not speak, or too short.
    """
    require_length(data, 1, "Control Point request")
    try:
        op = ControlOp(data[0])
    except ValueError:
        raise GattParseError(f"Control Point request: unknown op 0x{data[0]:02x}") from None
    if op is ControlOp.SET_TARGET_SPEED:
        require_length(data, 3, "Set Target Speed")
        return ControlRequest(op, speed_kmh=_U16.unpack_from(data, 1)[0] / 100.0)
    if op is ControlOp.SET_TARGET_INCLINATION:
        require_length(data, 3, "Set Target Inclination")
        return ControlRequest(op, incline_pct=_S16.unpack_from(data, 1)[0] / 10.0)
    if op is ControlOp.STOP_OR_PAUSE:
        require_length(data, 2, "Stop or Pause")
        try:
            return ControlRequest(op, stop=StopKind(data[1]))
        except ValueError:
            raise GattParseError(f"Stop or Pause: unknown kind 0x{data[1]:02x}") from None
    return ControlRequest(op)


@dataclass(frozen=True, slots=True)
class ControlResponse:
    """The indication answering one Control Point write.

    ``result`` stays a plain int so a code newer than this module still
    reads as "not success" instead of a parse error.
    """

    request_op: int
    result: int

    @property
    def ok(self) -> bool:
        return self.result == ResultCode.SUCCESS

    @property
    def result_name(self) -> str:
        try:
            return ResultCode(self.result).name.lower().replace("_", " ")
        except ValueError:
            return f"result 0x{self.result:02x}"

    def to_bytes(self) -> bytes:
        return bytes([RESPONSE_CODE, self.request_op & 0xFF, self.result & 0xFF])

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> ControlResponse:
        return parse_control_response(data)


def parse_control_response(data: bytes | bytearray) -> ControlResponse:
    """Parse a Control Point indication.

    Raises:
        GattParseError: shorter than three bytes, or not a response (0x80).
    """
    require_length(data, 3, "Control Point response")
    if data[0] != RESPONSE_CODE:
        raise GattParseError(f"Control Point response: starts 0x{data[0]:02x}, not 0x80")
    return ControlResponse(data[1], data[2])


@dataclass(frozen=True, slots=True)
class SpeedRange:
    """Supported Speed Range (0x2AD4): what the belt accepts, in km/h."""

    min_kmh: float
    max_kmh: float
    increment_kmh: float

    def clamp(self, speed_kmh: float) -> float:
        """The nearest speed the belt accepts: inside the range, on its step."""
        return _clamp(speed_kmh, self.min_kmh, self.max_kmh, self.increment_kmh)

    def to_bytes(self) -> bytes:
        return _SPEED_RANGE.pack(
            _speed_raw(self.min_kmh), _speed_raw(self.max_kmh), _speed_raw(self.increment_kmh)
        )

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> SpeedRange:
        return parse_speed_range(data)


def parse_speed_range(data: bytes | bytearray) -> SpeedRange:
    """Parse Supported Speed Range (0x2AD4).

    Raises:
        GattParseError: fewer than six bytes, or minimum above maximum.
    """
    lo, hi, step = _range_fields(data, _SPEED_RANGE, "Supported Speed Range")
    return SpeedRange(lo / 100.0, hi / 100.0, step / 100.0)


@dataclass(frozen=True, slots=True)
class InclineRange:
    """Supported Inclination Range (0x2AD5), in percent."""

    min_pct: float
    max_pct: float
    increment_pct: float

    def clamp(self, incline_pct: float) -> float:
        return _clamp(incline_pct, self.min_pct, self.max_pct, self.increment_pct)

    def to_bytes(self) -> bytes:
        step = round(self.increment_pct * 10)
        return _INCLINE_RANGE.pack(
            _incline_raw(self.min_pct), _incline_raw(self.max_pct), max(0, min(0xFFFF, step))
        )

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> InclineRange:
        return parse_incline_range(data)


def parse_incline_range(data: bytes | bytearray) -> InclineRange:
    """Parse Supported Inclination Range (0x2AD5).

    Raises:
        GattParseError: fewer than six bytes, or minimum above maximum.
    """
    lo, hi, step = _range_fields(data, _INCLINE_RANGE, "Supported Inclination Range")
    return InclineRange(lo / 10.0, hi / 10.0, step / 10.0)


def _range_fields(
    data: bytes | bytearray, layout: struct.Struct, name: str
) -> tuple[int, int, int]:
    """(minimum, maximum, increment) raw, from a six-byte range characteristic."""
    require_length(data, 6, name)
    lo, hi, step = layout.unpack_from(data, 0)
    if lo > hi:
        raise GattParseError(f"{name}: minimum {lo} above maximum {hi}")
    return int(lo), int(hi), int(step)


def _clamp(value: float, lo: float, hi: float, step: float) -> float:
    clamped = min(hi, max(lo, value))
    if step > 0:
        clamped = lo + round((clamped - lo) / step) * step
        clamped = min(hi, max(lo, clamped))
    return round(clamped, 2)


@dataclass(frozen=True, slots=True)
class MachineStatus:
    """One Fitness Machine Status (0x2ADA) notification.

    ``op`` is a ``StatusOp`` when this module knows it, else the raw byte
    (the spec defines about twenty, most for bikes); ``params`` keeps the
    parameter bytes either way.
    """

    op: int
    params: bytes = b""
    stop: StopKind | None = None
    speed_kmh: float | None = None
    incline_pct: float | None = None

    @property
    def stopped_by_user(self) -> bool:
        """The runner stopped or paused the belt on the console, or pulled the safety key."""
        return self.op in (StatusOp.STOPPED_OR_PAUSED_BY_USER, StatusOp.STOPPED_BY_SAFETY_KEY)

    @property
    def safety_key(self) -> bool:
        return self.op == StatusOp.STOPPED_BY_SAFETY_KEY

    def to_bytes(self) -> bytes:
        return bytes([self.op & 0xFF]) + self.params

    @classmethod
    def from_bytes(cls, data: bytes | bytearray) -> MachineStatus:
        return parse_machine_status(data)

    @classmethod
    def stopped_or_paused(cls, kind: StopKind) -> MachineStatus:
        return cls(StatusOp.STOPPED_OR_PAUSED_BY_USER, bytes([kind]), stop=kind)

    @classmethod
    def target_speed_changed(cls, speed_kmh: float) -> MachineStatus:
        return cls(
            StatusOp.TARGET_SPEED_CHANGED, _U16.pack(_speed_raw(speed_kmh)), speed_kmh=speed_kmh
        )

    @classmethod
    def target_incline_changed(cls, incline_pct: float) -> MachineStatus:
        raw = _S16.pack(_incline_raw(incline_pct))
        return cls(StatusOp.TARGET_INCLINE_CHANGED, raw, incline_pct=incline_pct)


def parse_machine_status(data: bytes | bytearray) -> MachineStatus:
    """Parse Fitness Machine Status (0x2ADA).

    Raises:
        GattParseError: empty, or too short for an op whose parameter is read.
    """
    require_length(data, 1, "Fitness Machine Status")
    op_raw = data[0]
    params = bytes(data[1:])
    try:
        op: int = StatusOp(op_raw)
    except ValueError:
        return MachineStatus(op_raw, params)
    if op is StatusOp.STOPPED_OR_PAUSED_BY_USER:
        require_length(data, 2, "Fitness Machine Status (stopped or paused)")
        kind = StopKind.PAUSE if data[1] == StopKind.PAUSE else StopKind.STOP
        return MachineStatus(op, params, stop=kind)
    if op is StatusOp.TARGET_SPEED_CHANGED:
        require_length(data, 3, "Fitness Machine Status (target speed)")
        return MachineStatus(op, params, speed_kmh=_U16.unpack_from(data, 1)[0] / 100.0)
    if op is StatusOp.TARGET_INCLINE_CHANGED:
        require_length(data, 3, "Fitness Machine Status (target incline)")
        return MachineStatus(op, params, incline_pct=_S16.unpack_from(data, 1)[0] / 10.0)
    return MachineStatus(op, params)
