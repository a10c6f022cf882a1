"""FTMS control bytes: Control Point requests and indications, ranges, machine status.

Vectors are written out by hand from the FTMS 1.0 layouts (op code, then the
little-endian parameter), so an encoder and its parser cannot agree on a
shared mistake; Hypothesis then checks round trips and that only
``GattParseError`` escapes any parser.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.sensors.gatt.common import GattParseError
from cadence.sensors.gatt.ftms_control import (
    ControlOp,
    ControlRequest,
    InclineRange,
    MachineStatus,
    ResultCode,
    SpeedRange,
    StatusOp,
    StopKind,
    parse_control_request,
    parse_control_response,
    parse_incline_range,
    parse_machine_status,
    parse_speed_range,
)

ROUND = settings(max_examples=1000, deadline=None)


@pytest.mark.parametrize(
    ("request_", "hex_"),
    [
        (ControlRequest.request_control(), "00"),
        (ControlRequest.start_or_resume(), "07"),
        (ControlRequest.set_target_speed(9.0), "028403"),  # 900 x 0.01 km/h
        (ControlRequest.set_target_speed(5.25), "020d02"),  # 525
        (ControlRequest.set_target_speed(0.0), "020000"),
        (ControlRequest.set_target_inclination(1.0), "030a00"),  # 10 x 0.1 %
        (ControlRequest.set_target_inclination(-3.5), "03ddff"),  # -35, two's complement
        (ControlRequest.stop_or_pause(StopKind.STOP), "0801"),
        (ControlRequest.stop_or_pause(StopKind.PAUSE), "0802"),
    ],
)
def test_control_request_bytes(request_: ControlRequest, hex_: str) -> None:
    assert request_.to_bytes().hex() == hex_
    assert ControlRequest.from_bytes(bytes.fromhex(hex_)) == request_


@pytest.mark.parametrize("speed_kmh", [-0.01, 655.36, float("nan")])
def test_speed_that_does_not_fit_uint16_is_refused(speed_kmh: float) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        ControlRequest.set_target_speed(speed_kmh)


def test_incline_that_does_not_fit_sint16_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        ControlRequest.set_target_inclination(3276.8)


@pytest.mark.parametrize("hex_", ["", "02", "0284", "03", "030a", "08", "0803", "09", "80"])
def test_malformed_control_request(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_control_request(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    ("hex_", "op", "result", "ok", "name"),
    [
        ("800001", ControlOp.REQUEST_CONTROL, ResultCode.SUCCESS, True, "success"),
        ("800201", ControlOp.SET_TARGET_SPEED, ResultCode.SUCCESS, True, "success"),
        (
            "800303",
            ControlOp.SET_TARGET_INCLINATION,
            ResultCode.INVALID_PARAMETER,
            False,
            "invalid parameter",
        ),
        (
            "800704",
            ControlOp.START_OR_RESUME,
            ResultCode.OPERATION_FAILED,
            False,
            "operation failed",
        ),
        (
            "800205",
            ControlOp.SET_TARGET_SPEED,
            ResultCode.CONTROL_NOT_PERMITTED,
            False,
            "control not permitted",
        ),
        ("800809", ControlOp.STOP_OR_PAUSE, 0x09, False, "result 0x09"),
    ],
)
def test_control_response(hex_: str, op: int, result: int, ok: bool, name: str) -> None:
    r = parse_control_response(bytes.fromhex(hex_))
    assert (r.request_op, r.result, r.ok, r.result_name) == (op, result, ok, name)
    assert r.to_bytes().hex() == hex_


@pytest.mark.parametrize("hex_", ["", "80", "8002", "010201", "000000"])
def test_malformed_control_response(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_control_response(bytes.fromhex(hex_))


def test_speed_range_and_clamp() -> None:
    # 1.00 to 20.00 km/h in steps of 0.10 km/h
    r = parse_speed_range(bytes.fromhex("6400d0070a00"))
    assert r == SpeedRange(1.0, 20.0, 0.1)
    assert r.to_bytes().hex() == "6400d0070a00"
    assert r.clamp(25.0) == 20.0 and r.clamp(0.0) == 1.0
    assert r.clamp(9.04) == pytest.approx(9.0) and r.clamp(9.06) == pytest.approx(9.1)


def test_incline_range_and_clamp() -> None:
    # -3.0 to 15.0 % in steps of 0.5 %
    r = parse_incline_range(bytes.fromhex("e2ff96000500"))
    assert r == InclineRange(-3.0, 15.0, 0.5)
    assert r.to_bytes().hex() == "e2ff96000500"
    assert r.clamp(20.0) == 15.0 and r.clamp(-9.0) == -3.0
    assert r.clamp(1.2) == pytest.approx(1.0) and r.clamp(1.3) == pytest.approx(1.5)


def test_clamp_with_zero_increment_only_bounds() -> None:
    assert SpeedRange(1.0, 12.0, 0.0).clamp(7.777) == pytest.approx(7.78)


@pytest.mark.parametrize("hex_", ["", "6400d0070a", "d0076400 0a00".replace(" ", "")])
def test_malformed_speed_range(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_speed_range(bytes.fromhex(hex_))


@pytest.mark.parametrize("hex_", ["", "e2ff9600", "9600e2ff0500"])
def test_malformed_incline_range(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_incline_range(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    ("hex_", "op", "stopped", "safety", "stop", "speed", "incline"),
    [
        ("0201", StatusOp.STOPPED_OR_PAUSED_BY_USER, True, False, StopKind.STOP, None, None),
        ("0202", StatusOp.STOPPED_OR_PAUSED_BY_USER, True, False, StopKind.PAUSE, None, None),
        ("03", StatusOp.STOPPED_BY_SAFETY_KEY, True, True, None, None, None),
        ("04", StatusOp.STARTED_OR_RESUMED_BY_USER, False, False, None, None, None),
        ("05f401", StatusOp.TARGET_SPEED_CHANGED, False, False, None, 5.0, None),  # 500
        ("061400", StatusOp.TARGET_INCLINE_CHANGED, False, False, None, None, 2.0),  # 20
        ("06f6ff", StatusOp.TARGET_INCLINE_CHANGED, False, False, None, None, -1.0),
        ("ff", StatusOp.CONTROL_PERMISSION_LOST, False, False, None, None, None),
        ("01", StatusOp.RESET, False, False, None, None, None),
        ("0764", 0x07, False, False, None, None, None),  # resistance changed: kept raw
    ],
)
def test_machine_status(
    hex_: str,
    op: int,
    stopped: bool,
    safety: bool,
    stop: StopKind | None,
    speed: float | None,
    incline: float | None,
) -> None:
    s = parse_machine_status(bytes.fromhex(hex_))
    assert s.op == op and s.stopped_by_user is stopped and s.safety_key is safety
    assert s.stop is stop and s.speed_kmh == speed and s.incline_pct == incline
    assert s.to_bytes().hex() == hex_


@pytest.mark.parametrize("hex_", ["", "02", "05", "05f4", "06", "0614"])
def test_malformed_machine_status(hex_: str) -> None:
    with pytest.raises(GattParseError):
        parse_machine_status(bytes.fromhex(hex_))


def test_status_builders_match_their_bytes() -> None:
    assert MachineStatus.stopped_or_paused(StopKind.PAUSE).to_bytes().hex() == "0202"
    assert MachineStatus.target_speed_changed(7.5).to_bytes().hex() == "05ee02"
    assert MachineStatus.target_incline_changed(1.5).to_bytes().hex() == "060f00"


@ROUND
@given(st.integers(0, 0xFFFF))
def test_speed_request_round_trip(raw: int) -> None:
    r = ControlRequest.set_target_speed(raw / 100)
    back = ControlRequest.from_bytes(r.to_bytes())
    assert back.to_bytes() == r.to_bytes() and round((back.speed_kmh or 0) * 100) == raw


@ROUND
@given(st.integers(-0x8000, 0x7FFF))
def test_incline_request_round_trip(raw: int) -> None:
    r = ControlRequest.set_target_inclination(raw / 10)
    back = ControlRequest.from_bytes(r.to_bytes())
    assert back.to_bytes() == r.to_bytes() and round((back.incline_pct or 0) * 10) == raw


@ROUND
@given(
    lo=st.integers(0, 0xFFFF),
    span=st.integers(0, 0xFFFF),
    step=st.integers(0, 0xFFFF),
    value=st.floats(-1000, 1000, allow_nan=False),
)
def test_speed_range_round_trip_and_clamp_inside(
    lo: int, span: int, step: int, value: float
) -> None:
    hi = min(0xFFFF, lo + span)
    packet = SpeedRange(lo / 100, hi / 100, step / 100).to_bytes()
    r = parse_speed_range(packet)
    assert r.to_bytes() == packet
    assert r.min_kmh - 1e-9 <= r.clamp(value) <= r.max_kmh + 1e-9


@ROUND
@given(op=st.integers(0, 0xFF), params=st.binary(max_size=8))
def test_status_only_parse_error_escapes_and_bytes_survive(op: int, params: bytes) -> None:
    packet = bytes([op]) + params
    with contextlib.suppress(GattParseError):
        assert parse_machine_status(packet).to_bytes() == packet


@ROUND
@given(st.binary(max_size=6))
def test_requests_only_parse_error_escapes(data: bytes) -> None:
    with contextlib.suppress(GattParseError):
        r = parse_control_request(data)
        assert r.to_bytes() == data[: len(r.to_bytes())]
