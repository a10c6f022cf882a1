"""A bleak backend that runs on Google's Bumble userspace Bluetooth stack.

Why it lives in the package and not only in the tests: ``cadence demo`` runs the
*production* bleak code (``cadence.sensors.ble.hub``) against virtual peripherals on
an in-process Bumble ``LocalLink``, with no Bluetooth hardware at all. Tests use
the same backend. bleak's ``backend=`` argument is the one seam: production
code never imports this module.

``BumbleAdapter`` plays the host's Bluetooth adapter: one Bumble central
``Device`` whose HCI comes from ``host_factory`` (in-process) or a Bumble
transport moniker such as ``tcp-client:127.0.0.1:9001``. Its
``scanner_backend`` and ``client_backend`` are bleak backend classes bound to
that adapter, so two rigs in one process never share a radio.

Bumble raises its own exceptions; they are translated into what bleak's
platform backends raise (``asyncio.TimeoutError``, ``BleakError``) so the
connection layer handles one set of errors whatever the backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid as uuidlib
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar, cast

from bleak.args import SizedBuffer
from bleak.assigned_numbers import gatt_char_props_to_strs
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError
from bumble import att, hci
from bumble import core as bcore
from bumble.core import UUID
from bumble.core import AdvertisingData as AD
from bumble.device import Advertisement, Connection, Device, Peer
from bumble.hci import Address
from bumble.host import Host
from bumble.transport import open_transport

log = logging.getLogger(__name__)

_SERVICE_LIST_TYPES = (
    AD.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    AD.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    AD.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    AD.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
)


def bleak_uuid(u: UUID) -> str:
    """Bumble UUID -> bleak's lowercase 128-bit string."""
    return str(uuidlib.UUID(bytes=bytes(u.to_bytes(force_128=True))[::-1]))


@contextlib.asynccontextmanager
async def _bleak_errors(what: str) -> AsyncIterator[None]:
    """Translate Bumble exceptions into bleak's/asyncio's."""
    try:
        yield
    except bcore.TimeoutError as exc:  # not a subclass of asyncio.TimeoutError
        raise TimeoutError(f"{what}: timed out") from exc
    except att.ATT_Error as exc:  # the peer answered with ATT_ERROR_RSP
        raise BleakGATTProtocolError(exc.error_code) from exc
    except bcore.BaseBumbleError as exc:
        raise BleakError(f"{what}: {exc}") from exc


async def _connect_cancellably(central: Device, address: Address, timeout_s: float) -> Connection:
    """``central.connect`` that leaves the controller clean when cancelled.

    If the caller is cancelled (its own timeout, or the app stopping) while
    Bumble waits for LE Connection Complete, the controller would keep the
    attempt pending and complete it later behind Bumble's back. So on
    cancellation send LE Create Connection Cancel and let Bumble finish its
    bookkeeping before re-raising.
    """
    attempt = asyncio.ensure_future(central.connect(address, timeout=timeout_s))
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:
        if not attempt.done():
            with contextlib.suppress(Exception):
                await central.send_sync_command(hci.HCI_LE_Create_Connection_Cancel_Command())
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(attempt, 2.0)
        if attempt.done() and not attempt.cancelled() and attempt.exception() is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(attempt.result().disconnect(), 1.0)
        raise


class BumbleAdapter:
    """One Bumble central device standing in for the computer's Bluetooth adapter."""

    def __init__(
        self,
        host_factory: Callable[[], Host] | None = None,
        *,
        transport: str | None = None,
        address: str = "C0:00:00:00:00:01",
    ) -> None:
        if (host_factory is None) == (transport is None):
            raise ValueError("give exactly one of host_factory or transport")
        self._host_factory = host_factory
        self._transport_name = transport
        self._address = address
        self._transport: Any = None
        self._device: Device | None = None
        self._power_lock = asyncio.Lock()
        self.connect_lock = asyncio.Lock()  # Bumble allows one pending LE connect
        self._scan_listeners: list[Callable[[Advertisement], None]] = []
        self._scan_lock = asyncio.Lock()
        adapter = self

        class Scanner(BumbleScanner):
            _adapter: ClassVar[BumbleAdapter] = adapter

        class Client(BumbleClient):
            _adapter: ClassVar[BumbleAdapter] = adapter

        self.scanner_backend: type[BaseBleakScanner] = Scanner
        self.client_backend: type[BaseBleakClient] = Client

    async def central(self) -> Device:
        """The powered-on central device (created on first use)."""
        async with self._power_lock:
            if self._device is None:
                if self._host_factory is not None:
                    host = self._host_factory()
                else:
                    assert self._transport_name is not None
                    self._transport = await open_transport(self._transport_name)
                    host = Host(self._transport.source, self._transport.sink)
                device = Device(name="cadence", address=Address(self._address), host=host)
                try:
                    async with asyncio.timeout(10.0), _bleak_errors("power on"):
                        await device.power_on()
                except BaseException:
                    await self.close()
                    raise
                self._device = device
            return self._device

    async def add_scan_listener(self, listener: Callable[[Advertisement], None]) -> None:
        """Start scanning if nobody else is (several bleak scanners may run at once)."""
        device = await self.central()
        async with self._scan_lock:
            device.on(Device.EVENT_ADVERTISEMENT, listener)
            self._scan_listeners.append(listener)
            if not device.scanning:
                async with _bleak_errors("start scanning"):
                    await device.start_scanning(active=True, filter_duplicates=False)

    async def remove_scan_listener(self, listener: Callable[[Advertisement], None]) -> None:
        """Stop scanning when the last listener leaves."""
        device = self._device
        if device is None:
            return
        async with self._scan_lock:
            if listener in self._scan_listeners:
                self._scan_listeners.remove(listener)
                device.remove_listener(Device.EVENT_ADVERTISEMENT, listener)
            if not self._scan_listeners and device.scanning:
                async with _bleak_errors("stop scanning"):
                    await device.stop_scanning()

    async def close(self) -> None:
        """Disconnect everything and drop the central device."""
        device, self._device = self._device, None
        if device is not None:
            for conn in list(device.connections.values()):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.disconnect(), 1.0)
            with contextlib.suppress(Exception):
                await device.power_off()
        if self._transport is not None:
            with contextlib.suppress(Exception):
                await self._transport.close()
            self._transport = None


class BumbleScanner(BaseBleakScanner):
    """bleak scanner backend: Bumble advertisements -> bleak ``AdvertisementData``."""

    _adapter: ClassVar[BumbleAdapter]

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._listening = False

    def _on_advertisement(self, adv: Advertisement) -> None:
        data = adv.data
        uuids = [
            bleak_uuid(u)
            for t in _SERVICE_LIST_TYPES
            for u in cast("list[UUID]", data.get(t) or [])
        ]
        if not self.is_allowed_uuid(uuids):
            return
        name = data.get(AD.COMPLETE_LOCAL_NAME) or data.get(AD.SHORTENED_LOCAL_NAME)
        manufacturer = dict(data.get_all(AD.MANUFACTURER_SPECIFIC_DATA))
        service_data = {
            bleak_uuid(u): bytes(v)
            for u, v in data.get_all(AD.SERVICE_DATA_16_BIT_UUID)
            + data.get_all(AD.SERVICE_DATA_128_BIT_UUID)
        }
        tx_power = data.get(AD.TX_POWER_LEVEL)
        ad = AdvertisementData(name, manufacturer, service_data, uuids, tx_power, adv.rssi, (adv,))
        address = adv.address.to_string(False)
        device = self.create_or_update_device(address, address, name, adv.address, ad)
        self.call_detection_callbacks(device, ad)

    async def start(self) -> None:
        self.seen_devices = {}
        await self._adapter.add_scan_listener(self._on_advertisement)
        self._listening = True

    async def stop(self) -> None:
        if self._listening:
            self._listening = False
            await self._adapter.remove_scan_listener(self._on_advertisement)


class BumbleClient(BaseBleakClient):
    """bleak client backend: connect, discover, read, write and notify over Bumble."""

    _adapter: ClassVar[BumbleAdapter]

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        services: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(address_or_ble_device, **kwargs)
        is_device = isinstance(address_or_ble_device, BLEDevice)
        self._peer_address: Address | None = (
            address_or_ble_device.details if is_device else None  # type: ignore[union-attr]
        )
        self._name: str = getattr(address_or_ble_device, "name", None) or self.address
        self._service_filter = services
        self._conn: Connection | None = None
        self._peer: Peer | None = None
        self._subscribers: dict[int, Callable[[bytes], None]] = {}

    @property
    def name(self) -> str:
        return self._name

    @property
    def mtu_size(self) -> int:
        return int(self._conn.att_mtu) if self._conn is not None else 23

    @property
    def is_connected(self) -> bool:
        return self._conn is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        timeout_s = float(kwargs.get("timeout", self._timeout))
        if self._peer_address is None:  # an address string: find it first, like BlueZ
            from bleak import BleakScanner

            found = await BleakScanner.find_device_by_address(
                self.address, timeout_s, backend=self._adapter.scanner_backend
            )
            if found is None:
                raise BleakDeviceNotFoundError(self.address)
            self._peer_address = found.details
        async with asyncio.timeout(timeout_s):
            await self._connect()

    async def _connect(self) -> None:
        central = await self._adapter.central()
        if self._peer_address is None:
            raise BleakDeviceNotFoundError(self.address)
        async with self._adapter.connect_lock, _bleak_errors(f"connect to {self.address}"):
            conn = await _connect_cancellably(central, self._peer_address, self._timeout)
        self._conn, self._peer = conn, Peer(conn)
        conn.on(Connection.EVENT_DISCONNECTION, self._on_disconnection)
        try:
            async with _bleak_errors(f"discover services of {self.address}"):
                await self._peer.request_mtu(247)
                only = [UUID(s) for s in self._service_filter] if self._service_filter else []
                await self._peer.discover_services(only)
                for service in self._peer.services:
                    await self._peer.discover_characteristics(service=service)
                    for characteristic in service.characteristics:
                        await self._peer.discover_descriptors(characteristic)
            self.services = self._collection(self._peer)
        except BaseException:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.disconnect(), 1.0)
            raise

    def _collection(self, peer: Peer) -> BleakGATTServiceCollection:
        collection = BleakGATTServiceCollection()
        for s in peer.services:
            service = BleakGATTService(s, s.handle, bleak_uuid(s.uuid))
            collection.add_service(service)
            for c in s.characteristics:
                char = BleakGATTCharacteristic(
                    c,
                    c.handle,
                    bleak_uuid(c.uuid),
                    list(gatt_char_props_to_strs(int(c.properties))),
                    lambda: self.mtu_size - 3,
                    service,
                )
                collection.add_characteristic(char)
                for d in c.descriptors:
                    collection.add_descriptor(
                        BleakGATTDescriptor(d, d.handle, bleak_uuid(d.type), char)
                    )
        return collection

    def _on_disconnection(self, reason: int) -> None:
        log.debug("%s disconnected, reason %s", self.address, reason)
        self._conn = self._peer = None
        self.services = None
        self._subscribers.clear()
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        conn = self._conn
        if conn is not None:
            async with _bleak_errors(f"disconnect from {self.address}"):
                await conn.disconnect()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        raise BleakError("pairing is not needed by fitness sensors and not supported here")

    async def unpair(self) -> None:
        raise BleakError("pairing is not needed by fitness sensors and not supported here")

    def _require_peer(self) -> Peer:
        if self._peer is None:
            raise BleakError("Not connected")
        return self._peer

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        async with _bleak_errors(f"read {characteristic.uuid}"):
            return bytearray(await self._require_peer().read_value(characteristic.obj))

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        async with _bleak_errors(f"read descriptor {descriptor.uuid}"):
            return bytearray(await self._require_peer().read_value(descriptor.obj))

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        async with _bleak_errors(f"write {characteristic.uuid}"):
            await self._require_peer().write_value(
                characteristic.obj, bytes(data), with_response=response
            )

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        async with _bleak_errors(f"write descriptor {descriptor.uuid}"):
            await self._require_peer().write_value(descriptor.obj, bytes(data), with_response=True)

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        def deliver(value: bytes) -> None:
            callback(bytearray(value))

        peer = self._require_peer()
        self._subscribers[characteristic.handle] = deliver
        async with _bleak_errors(f"subscribe to {characteristic.uuid}"):
            await peer.subscribe(characteristic.obj, deliver, prefer_notify=True)

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        deliver = self._subscribers.pop(characteristic.handle, None)
        async with _bleak_errors(f"unsubscribe from {characteristic.uuid}"):
            await self._require_peer().unsubscribe(characteristic.obj, deliver)
