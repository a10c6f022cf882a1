"""The FTMS Control Point on one connection: write a request, wait for its indication.

Why apart from the controller: this is the wire protocol and nothing else
(bleak's public API only): subscribe to the Control Point's indications and
the Fitness Machine Status, read the supported ranges, and turn "write, then
an indication carrying the same op code" into one awaitable with a timeout.
What to do about an answer is the controller's business
(``cadence.sensors.ble.treadmill_control``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic

from cadence.sensors import gatt
from cadence.sensors.gatt.common import GattParseError
from cadence.sensors.gatt.ftms_control import (
    ControlRequest,
    ControlResponse,
    InclineRange,
    MachineStatus,
    SpeedRange,
    parse_incline_range,
    parse_speed_range,
)

log = logging.getLogger(__name__)

CONTROL_POINT = gatt.uuid16_to_str(gatt.FITNESS_MACHINE_CONTROL_POINT_UUID16)
STATUS = gatt.uuid16_to_str(gatt.FITNESS_MACHINE_STATUS_UUID16)
SPEED_RANGE = gatt.uuid16_to_str(gatt.SUPPORTED_SPEED_RANGE_UUID16)
INCLINE_RANGE = gatt.uuid16_to_str(gatt.SUPPORTED_INCLINATION_RANGE_UUID16)
_R = TypeVar("_R")


class LinkGone(Exception):
    """The connection ended while a request was on its way (or before it was sent)."""


class NoAnswer(Exception):
    """The treadmill did not indicate an answer in time."""


def has_control_point(client: BleakClient) -> bool:
    return client.services.get_characteristic(CONTROL_POINT) is not None


class ControlPointLink:
    """One connection's Control Point, ranges and status.

    Args:
        client: a connected client whose services include the Control Point.
        timeout_s: write plus indication must complete within this.
        on_status: called with each Fitness Machine Status notification.
    """

    def __init__(
        self,
        client: BleakClient,
        timeout_s: float,
        on_status: Callable[[MachineStatus], None],
    ) -> None:
        self.client = client
        self.timeout_s = timeout_s
        self._on_status = on_status
        self._pending: tuple[int, asyncio.Future[ControlResponse]] | None = None
        self._closed = False
        self.speed_range: SpeedRange | None = None
        self.incline_range: InclineRange | None = None

    async def open(self) -> None:
        """Read the supported ranges and subscribe to indications and status."""
        self.speed_range = await self._read(SPEED_RANGE, parse_speed_range)
        self.incline_range = await self._read(INCLINE_RANGE, parse_incline_range)
        await self.client.start_notify(CONTROL_POINT, self._indication)
        if self.client.services.get_characteristic(STATUS) is not None:
            await self.client.start_notify(STATUS, self._status)

    async def _read(self, uuid: str, parse: Callable[[bytes], _R]) -> _R | None:
        if self.client.services.get_characteristic(uuid) is None:
            return None
        try:
            return parse(bytes(await self.client.read_gatt_char(uuid)))
        except GattParseError as exc:
            log.info("treadmill range %s unreadable: %s", uuid, exc)
            return None

    async def exchange(self, request: ControlRequest) -> ControlResponse:
        """Write ``request`` and return the indication that answers it.

        Raises:
            NoAnswer: nothing within ``timeout_s``.
            LinkGone: the link ended first (``close`` was called).
            BleakError: the write itself failed.
        """
        if self._closed:
            raise LinkGone("not connected")
        future: asyncio.Future[ControlResponse] = asyncio.get_running_loop().create_future()
        self._pending = (int(request.op), future)
        try:
            async with asyncio.timeout(self.timeout_s):
                await self.client.write_gatt_char(CONTROL_POINT, request.to_bytes(), response=True)
                return await future
        except TimeoutError:
            if self._closed:
                raise LinkGone("link dropped") from None
            raise NoAnswer(f"no indication within {self.timeout_s:g} s") from None
        finally:
            self._pending = None

    def close(self) -> None:
        """The link ended: a request waiting for its answer fails at once."""
        self._closed = True
        if self._pending is not None and not self._pending[1].done():
            self._pending[1].set_exception(LinkGone("link dropped"))

    def _indication(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            response = ControlResponse.from_bytes(data)
        except GattParseError:
            log.debug("treadmill: unreadable indication %s", data.hex())
            return
        pending = self._pending
        if pending is not None and pending[0] == response.request_op and not pending[1].done():
            pending[1].set_result(response)

    def _status(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            status = MachineStatus.from_bytes(data)
        except GattParseError:
            log.debug("treadmill: unreadable status %s", data.hex())
            return
        self._on_status(status)
