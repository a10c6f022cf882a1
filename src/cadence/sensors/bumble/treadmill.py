"""A virtual FTMS treadmill that can be controlled, and can refuse as real ones do.

Why: cadence's treadmill control (``cadence.sensors.ble.treadmill_control``)
must be shown to cope with what users of other apps report from real belts
(design.md, "Treadmill control (FTMS), what real machines do"). This is a
real GATT server on Bumble with the Fitness Machine Control Point (0x2AD9,
write + indicate), Supported Speed/Inclination Range (0x2AD4/0x2AD5, read)
and Fitness Machine Status (0x2ADA, notify), over a belt that ramps
(``cadence.sim.belt``, 0.5 km/h per s by default).

The refusals are switches a test or the demo flips (``TreadmillFaults``):
control never granted, speed writes ignored (firmware lock) or failed, no
indication at all, the speed put back after 3 s, control lost after a pause.
The console is modelled too: ``press_speed`` (the runner's buttons),
``press_stop``, ``pull_safety_key``. As the spec asks, control ends when the
link does; the belt itself keeps running, as real belts do.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bumble.core import UUID
from bumble.device import Connection
from bumble.gatt import Characteristic, CharacteristicValue
from bumble.host import Host

from cadence.model.sample import SensorRole
from cadence.sensors import gatt
from cadence.sensors.bumble.peripherals import VirtualAir, VirtualSensor
from cadence.sensors.gatt.common import GattParseError
from cadence.sensors.gatt.ftms import encode_treadmill_data
from cadence.sensors.gatt.ftms_control import (
    ControlOp,
    ControlRequest,
    ControlResponse,
    InclineRange,
    MachineStatus,
    ResultCode,
    SpeedRange,
    StatusOp,
    StopKind,
)
from cadence.sim.belt import Belt

log = logging.getLogger(__name__)

DEFAULT_SPEED_RANGE = SpeedRange(1.0, 20.0, 0.1)
DEFAULT_INCLINE_RANGE = InclineRange(-3.0, 15.0, 0.5)
_PROPS = Characteristic.Properties
_PERMS = Characteristic.Permissions


@dataclass(slots=True)
class TreadmillFaults:
    """What this treadmill does wrong (all off: a well-behaved machine).

    Attributes:
        deny_control: Request Control is answered Control Not Permitted, always.
        speed_writes_ignored: Set Target Speed is answered success, belt unchanged.
        speed_writes_fail: Set Target Speed is answered Operation Failed.
        no_indication: writes are acknowledged at the ATT level, never indicated.
        revert_after_s: a commanded speed is put back this long after it was set.
        lose_control_on_pause: Stop or Pause also ends the client's control.
        announce_console: console changes are sent as Fitness Machine Status.
    """

    deny_control: bool = False
    speed_writes_ignored: bool = False
    speed_writes_fail: bool = False
    no_indication: bool = False
    revert_after_s: float | None = None
    lose_control_on_pause: bool = False
    announce_console: bool = True


@dataclass(slots=True)
class ControlLog:
    """What the treadmill received, in order, for tests and benchmarks."""

    requests: list[tuple[float, ControlRequest]] = field(default_factory=list)
    responses: list[ControlResponse] = field(default_factory=list)


class VirtualTreadmill(VirtualSensor):
    """A controllable FTMS treadmill on the virtual radio.

    Args:
        air: the in-process radio, or a Bumble ``Host``.
        address: its public address.
        name: the advertised name.
        clock: loop time by default; the belt ramps in this clock's seconds.
        speed_range: what ``0x2AD4`` reports and writes are checked against.
        incline_range: what ``0x2AD5`` reports.
        accel_kmh_per_s: belt ramp rate.
    """

    def __init__(
        self,
        air: VirtualAir | Host,
        address: str,
        name: str = "Virtual Treadmill",
        *,
        clock: Callable[[], float] | None = None,
        speed_range: SpeedRange = DEFAULT_SPEED_RANGE,
        incline_range: InclineRange = DEFAULT_INCLINE_RANGE,
        accel_kmh_per_s: float = 0.5,
    ) -> None:
        self.speed_range = speed_range
        self.incline_range = incline_range
        self.faults = TreadmillFaults()
        self.log = ControlLog()
        self.belt = Belt(accel_kmh_per_s=accel_kmh_per_s)
        self._clock = clock
        self._controller: Connection | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._revert: asyncio.TimerHandle | None = None
        super().__init__(air, address, name, [SensorRole.TREADMILL])
        self.device.on(self.device.EVENT_CONNECTION, self._on_connection)

    # -- GATT layout
    def _extra_characteristics(self, role: SensorRole) -> list[Characteristic[Any]]:
        chars = super()._extra_characteristics(role)
        if role is not SensorRole.TREADMILL:
            return chars
        self._control_point: Characteristic[Any] = Characteristic(
            UUID.from_16_bits(gatt.FITNESS_MACHINE_CONTROL_POINT_UUID16),
            _PROPS.WRITE | _PROPS.INDICATE,
            _PERMS.WRITEABLE,
            CharacteristicValue(write=self._on_write),
        )
        self._status: Characteristic[Any] = Characteristic(
            UUID.from_16_bits(gatt.FITNESS_MACHINE_STATUS_UUID16), _PROPS.NOTIFY, _PERMS(0), b""
        )
        return [
            *chars,
            self._readable(gatt.SUPPORTED_SPEED_RANGE_UUID16, self.speed_range.to_bytes()),
            self._readable(gatt.SUPPORTED_INCLINATION_RANGE_UUID16, self.incline_range.to_bytes()),
            self._control_point,
            self._status,
        ]

    # -- time and state
    def now_s(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def advance(self) -> Belt:
        """The belt as it is now (ramped up to the current time)."""
        self.belt.advance_to(self.now_s())
        return self.belt

    @property
    def belt_driven(self) -> bool:
        """The belt has been started over FTMS (or is still coming to a stop)."""
        return self.belt.running or self.belt.speed_kmh > 0.0

    @property
    def in_control(self) -> bool:
        """Whether a client holds control (granted by Request Control)."""
        return self._controller is not None

    def revoke_control(self) -> None:
        """The machine forgets who controls it (the next command is not permitted)."""
        self._controller = None

    def data_payload(self) -> bytes:
        """A Treadmill Data value from the belt as it is now."""
        belt = self.advance()
        return encode_treadmill_data(speed_kmh=belt.speed_kmh, incline_pct=belt.incline_pct)

    async def notify_data(self) -> None:
        await self.notify(SensorRole.TREADMILL, self.data_payload())

    # -- the console
    async def press_speed(self, speed_kmh: float) -> None:
        """The runner presses the console's speed buttons."""
        self.advance()
        self.belt.target_speed_kmh = self.speed_range.clamp(speed_kmh)
        if self.faults.announce_console:
            await self._send_status(MachineStatus.target_speed_changed(self.belt.target_speed_kmh))

    async def press_stop(self, kind: StopKind = StopKind.PAUSE) -> None:
        """The runner presses stop or pause on the console."""
        self.advance()
        self.belt.running = False
        await self._send_status(MachineStatus.stopped_or_paused(kind))

    async def pull_safety_key(self) -> None:
        self.advance()
        self.belt.running = False
        await self._send_status(MachineStatus(StatusOp.STOPPED_BY_SAFETY_KEY))

    async def _send_status(self, status: MachineStatus) -> None:
        if self.device.connections:
            with contextlib.suppress(Exception):
                await self.device.notify_subscribers(self._status, status.to_bytes())

    # -- the control point
    def _on_connection(self, connection: Connection) -> None:
        def on_disconnection(_reason: int) -> None:
            if self._controller is connection:
                self._controller = None

        connection.on(connection.EVENT_DISCONNECTION, on_disconnection)

    def _on_write(self, connection: Connection, value: bytes) -> None:
        """ATT write handler: decide now, indicate after the write response is sent."""
        try:
            request = ControlRequest.from_bytes(value)
        except GattParseError:
            op = value[0] if value else 0
            result = ResultCode.OP_CODE_NOT_SUPPORTED if value else ResultCode.INVALID_PARAMETER
            self._respond(connection, ControlResponse(op, result), None)
            return
        self.log.requests.append((self.now_s(), request))
        result, status = self._execute(connection, request)
        self._respond(connection, ControlResponse(request.op, result), status)

    def _execute(
        self, connection: Connection, request: ControlRequest
    ) -> tuple[ResultCode, MachineStatus | None]:
        faults = self.faults
        belt = self.advance()
        if request.op is ControlOp.REQUEST_CONTROL:
            if faults.deny_control:
                return ResultCode.CONTROL_NOT_PERMITTED, None
            self._controller = connection
            return ResultCode.SUCCESS, None
        if self._controller is not connection:
            return ResultCode.CONTROL_NOT_PERMITTED, None
        if request.op is ControlOp.START_OR_RESUME:
            belt.running = True
            return ResultCode.SUCCESS, None
        if request.op is ControlOp.STOP_OR_PAUSE:
            belt.running = False
            if faults.lose_control_on_pause:
                self._controller = None
            return ResultCode.SUCCESS, None
        if request.op is ControlOp.SET_TARGET_SPEED:
            speed = request.speed_kmh or 0.0
            if not self.speed_range.min_kmh <= speed <= self.speed_range.max_kmh:
                return ResultCode.INVALID_PARAMETER, None
            if faults.speed_writes_fail:
                return ResultCode.OPERATION_FAILED, None
            if faults.speed_writes_ignored:
                return ResultCode.SUCCESS, None
            before = belt.target_speed_kmh
            belt.target_speed_kmh = speed
            self._schedule_revert(before)
            return ResultCode.SUCCESS, MachineStatus.target_speed_changed(speed)
        if request.op is ControlOp.SET_TARGET_INCLINATION:
            incline = request.incline_pct or 0.0
            if not self.incline_range.min_pct <= incline <= self.incline_range.max_pct:
                return ResultCode.INVALID_PARAMETER, None
            belt.target_incline_pct = incline
            return ResultCode.SUCCESS, MachineStatus.target_incline_changed(incline)
        return ResultCode.OP_CODE_NOT_SUPPORTED, None

    def _schedule_revert(self, before_kmh: float) -> None:
        if self.faults.revert_after_s is None:
            return
        if self._revert is not None:
            self._revert.cancel()

        def revert() -> None:
            self.advance()
            self.belt.target_speed_kmh = before_kmh

        self._revert = asyncio.get_running_loop().call_later(self.faults.revert_after_s, revert)

    def _respond(
        self, connection: Connection, response: ControlResponse, status: MachineStatus | None
    ) -> None:
        if self.faults.no_indication:
            return

        async def indicate() -> None:
            await asyncio.sleep(0)  # let the ATT write response go first
            with contextlib.suppress(Exception):
                await self.device.indicate_subscriber(
                    connection, self._control_point, response.to_bytes()
                )
                self.log.responses.append(response)
            if status is not None:
                await self._send_status(status)

        task = asyncio.get_running_loop().create_task(indicate())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        if self._revert is not None:
            self._revert.cancel()
        for task in list(self._tasks):
            task.cancel()
        await super().stop()
