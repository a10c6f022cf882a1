"""Live sensors over BLE: find, connect, subscribe, reconnect, and watch for silence.

Why it is built this way:

* bleak's public API only (``BleakScanner``, ``BleakClient``). The backend
  classes are the one seam: None picks the platform backend (BlueZ on Linux);
  the demo and the tests pass the Bumble backend.
* Notification callbacks only timestamp and enqueue (``put_nowait``); a single
  consumer task parses and hands each ``Sample`` and ``SensorStatus`` to the
  one sink given to ``start`` (the live session's ``feed``): one queue, one
  consumer, so a slow or broken packet never stalls the stack's callbacks, and
  malformed packets are counted and dropped in one place. Tools with no
  session (``cadence devices``, the benchmarks, tests) start the hub without a
  sink and read ``hub.queue`` instead.
* A sensor that goes away must never stop the session: each device has its
  own task that reconnects with capped exponential backoff for as long as the
  hub runs. Radios do not always report a lost link (Bumble's virtual link
  never does; real ones take the supervision timeout), so a watchdog treats
  "no data for ``watchdog_s``" as lost, disconnects and starts over.
* Trust: the hub connects only to the configured devices (by address, or by
  advertised name when no address is given) and only listens to its own
  connections, so other sensors in the room cannot feed it data.
* Identity: right after connecting, the Device Information service (if the
  device has one) is read once, within ``device_info_timeout_s``, and the
  CONNECTED status carries it (``sensors.ble.device_info``); it never fails a link.

Several configs may point to one device (e.g. a footpod and an HR strap in one
unit, or a treadmill that also relays heart rate): they share one connection
and each role subscribes to its own characteristic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakError

from cadence.model.link import DeviceIdentity, LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import SensorConfig
from cadence.sensors import gatt
from cadence.sensors.ble.device_info import read_device_identity
from cadence.sensors.ble.scan import FoundDevice, scan_devices
from cadence.sensors.gatt.common import GattParseError
from cadence.sensors.gatt.decode import PacketDecoder
from cadence.sensors.source import SensorSource, Sink

if TYPE_CHECKING:
    from cadence.sensors.ble.treadmill_control import TreadmillController

__all__ = ["FoundDevice", "SensorHub", "scan_devices"]

log = logging.getLogger(__name__)

#: the characteristic each role subscribes to
ROLE_CHARACTERISTIC: dict[SensorRole, str] = {
    SensorRole.FOOTPOD: gatt.uuid16_to_str(gatt.RSC_MEASUREMENT_UUID16),
    SensorRole.HEART_RATE: gatt.uuid16_to_str(gatt.HEART_RATE_MEASUREMENT_UUID16),
    SensorRole.TREADMILL: gatt.uuid16_to_str(gatt.TREADMILL_DATA_UUID16),
}
QUEUE_MAXSIZE = 2000  # ~15 min of all sensors; past that the oldest readings go


class _LinkLost(Exception):
    """The connection ended (dropped, or silent past the watchdog)."""


@dataclass(frozen=True, slots=True)
class _Subscription:
    role: SensorRole
    sensor_id: str
    decoder: PacketDecoder


_RawItem = tuple[float, _Subscription, bytearray] | SensorStatus
ClientListener = Callable[[BleakClient | None], None]


class _DeviceLink:
    """Keeps one configured device connected and subscribed while the hub runs."""

    def __init__(
        self, hub: SensorHub, address: str | None, name: str | None, subs: list[_Subscription]
    ) -> None:
        self.hub = hub
        self.address = address
        self.name = name
        self.subs = subs
        self.label = address or name or "?"
        self.last_data_s = 0.0
        self._states: dict[SensorRole, LinkState] = {}
        self._details: dict[SensorRole, str] = {}

    # -- status
    def set_state(
        self,
        state: LinkState,
        detail: str = "",
        *,
        if_new_detail: bool = False,
        device: DeviceIdentity | None = None,
    ) -> None:
        """Emit a status per role when its state changes (or, if asked, its detail)."""
        for sub in self.subs:
            changed = self._states.get(sub.role) is not state
            if changed or (if_new_detail and self._details.get(sub.role) != detail):
                self._states[sub.role] = state
                self._details[sub.role] = detail
                self.hub._emit(
                    SensorStatus(self.hub._clock(), sub.role, sub.sensor_id, state, detail, device)
                )

    # -- matching (the trust rule)
    def matches(self, device: BLEDevice, adv: AdvertisementData) -> bool:
        if self.address is not None:
            return device.address.upper() == self.address
        return (adv.local_name or device.name) == self.name

    async def find(self) -> BLEDevice | None:
        loop = asyncio.get_running_loop()
        found: asyncio.Future[BLEDevice] = loop.create_future()

        def on_advertisement(device: BLEDevice, adv: AdvertisementData) -> None:
            if not found.done() and self.matches(device, adv):
                found.set_result(device)

        try:
            async with asyncio.timeout(self.hub.scan_timeout_s + 10.0):  # start/stop may hang
                async with BleakScanner(on_advertisement, backend=self.hub._scanner_backend):
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.hub.scan_timeout_s):
                            return await found
                    return None
        except TimeoutError:
            raise _LinkLost("the Bluetooth adapter did not start or stop scanning") from None

    # -- one connection, start to end
    async def session(self) -> None:
        """Find, connect, subscribe, then watch until the link is lost (raises)."""
        hub = self.hub
        device = await self.find()
        if device is None:
            raise _LinkLost(f"not found within {hub.scan_timeout_s:g} s")
        dropped = asyncio.Event()
        client = BleakClient(
            device,
            lambda _c: dropped.set(),
            timeout=hub.connect_timeout_s,
            backend=hub._client_backend,
        )
        try:
            async with asyncio.timeout(hub.connect_timeout_s):
                await client.connect()
            # its own short limit, outside the connect budget: a slow answer costs no link
            identity = await read_device_identity(client, hub.device_info_timeout_s)
            async with asyncio.timeout(hub.connect_timeout_s):
                for sub in self.subs:
                    uuid = ROLE_CHARACTERISTIC[sub.role]
                    if client.services.get_characteristic(uuid) is None:
                        raise _LinkLost(f"{self.label} offers no {sub.role.value} data")
                    await client.start_notify(uuid, self._callback(sub))
            loop = asyncio.get_running_loop()
            self.last_data_s = loop.time()
            self.set_state(LinkState.CONNECTED, device=identity)
            self.hub._client_changed(self, client)
            while True:
                remaining = self.last_data_s + hub.watchdog_s - loop.time()
                if remaining <= 0:
                    raise _LinkLost(f"no data for {hub.watchdog_s:g} s")
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await dropped.wait()
                if dropped.is_set():
                    raise _LinkLost("link dropped")
        finally:
            self.hub._client_changed(self, None)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await client.disconnect()

    def _callback(self, sub: _Subscription) -> Callable[[BleakGATTCharacteristic, bytearray], None]:
        put = self.hub._raw.put_nowait
        clock = self.hub._clock
        loop_time = asyncio.get_running_loop().time

        def on_notify(_char: BleakGATTCharacteristic, data: bytearray) -> None:
            put((clock(), sub, data))
            self.last_data_s = loop_time()

        return on_notify

    async def run(self) -> None:
        """Reconnect forever: backoff 0.5 s doubling to 5 s between attempts."""
        hub = self.hub
        backoff_s = hub.backoff_initial_s
        ever_connected = False
        self.set_state(LinkState.SEARCHING)
        while True:
            try:
                await self.session()
            except (_LinkLost, BleakError, TimeoutError) as exc:
                detail = str(exc) or type(exc).__name__
            except OSError as exc:  # no D-Bus system bus: BlueZ cannot be reached at all
                detail = f"no Bluetooth service reachable ({exc.strerror or exc})"
            except Exception as exc:  # a stack bug must not end the session's sensors
                log.exception("%s: unexpected error", self.label)
                detail = f"unexpected error: {exc!r}"
            if self._states.get(self.subs[0].role) is LinkState.CONNECTED:
                ever_connected = True
                backoff_s = hub.backoff_initial_s
                self.set_state(LinkState.LOST, detail)
            else:  # still searching: say why once, e.g. "offers no hr data"
                state = LinkState.RECONNECTING if ever_connected else LinkState.SEARCHING
                self.set_state(state, detail, if_new_detail=True)
            log.info("%s: %s; retrying in %.1f s", self.label, detail, backoff_s)
            await asyncio.sleep(backoff_s)
            backoff_s = min(backoff_s * 2.0, hub.backoff_max_s)
            if ever_connected:
                self.set_state(LinkState.RECONNECTING, detail)


class SensorHub(SensorSource):
    """All configured BLE sensors, as one stream of ``Sample`` and ``SensorStatus``.

    Args:
        configs: the profile's sensors; ``TAP`` entries are ignored here.
        clock: the session's monotonic clock (seconds) used to stamp samples.
        scanner_backend: bleak scanner backend class; None for the platform's.
        client_backend: bleak client backend class; None for the platform's.
        watchdog_s: no data for this long counts as a lost link.
        scan_timeout_s: how long one search for a device lasts.
        connect_timeout_s: limit for connect + service discovery + subscribe.
        device_info_timeout_s: limit for reading the Device Information service.
        backoff_initial_s: wait after the first failure; doubles each time.
        backoff_max_s: cap of the wait between attempts.
    """

    def __init__(
        self,
        configs: Sequence[SensorConfig],
        *,
        clock: Callable[[], float],
        scanner_backend: type[BaseBleakScanner] | None = None,
        client_backend: type[BaseBleakClient] | None = None,
        watchdog_s: float = 5.0,
        scan_timeout_s: float = 10.0,
        connect_timeout_s: float = 10.0,
        device_info_timeout_s: float = 2.0,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 5.0,
    ) -> None:
        self._clock = clock
        self._scanner_backend = scanner_backend
        self._client_backend = client_backend
        self.watchdog_s = watchdog_s
        self.scan_timeout_s = scan_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.device_info_timeout_s = device_info_timeout_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.queue: asyncio.Queue[Sample | SensorStatus] = asyncio.Queue(QUEUE_MAXSIZE)
        self.malformed_counts: dict[str, int] = {}
        self._raw: asyncio.Queue[_RawItem] = asyncio.Queue()
        self._sink: Sink = self._enqueue
        self._tasks: list[asyncio.Task[None]] = []
        self._client_listeners: dict[SensorRole, list[ClientListener]] = {}
        self.links = self._group(configs)

    def _group(self, configs: Sequence[SensorConfig]) -> list[_DeviceLink]:
        groups: dict[str, _DeviceLink] = {}
        for config in configs:
            if config.role is SensorRole.TAP:
                continue
            if not config.address and not config.name:
                raise ValueError(f"{config.role.value} sensor needs an address or a name")
            address = config.address.upper() if config.address else None
            key = address or f"name:{config.name}"
            sensor_id = address or str(config.name)
            link = groups.get(key)
            if link is None:
                link = groups[key] = _DeviceLink(self, address, config.name, [])
            if all(s.role is not config.role for s in link.subs):
                link.subs.append(
                    _Subscription(config.role, sensor_id, PacketDecoder(config, sensor_id))
                )
                self.malformed_counts.setdefault(sensor_id, 0)
        return list(groups.values())

    def watch_client(self, role: SensorRole, listener: ClientListener) -> None:
        """Call ``listener`` with ``role``'s client at each connect, and None when it ends.

        Why: treadmill control (``cadence.sensors.ble.treadmill_control``) must
        share the treadmill's one connection, and take up control again after
        every reconnect. The listener runs in the link's task: it must not block.
        """
        self._client_listeners.setdefault(role, []).append(listener)

    def belt_controller(self, clock: Callable[[], float]) -> TreadmillController | None:
        """FTMS control of the configured treadmill, on its one connection (None: no treadmill)."""
        if all(sub.role is not SensorRole.TREADMILL for link in self.links for sub in link.subs):
            return None
        from cadence.sensors.ble.treadmill_control import TreadmillController

        controller = TreadmillController(clock=clock)
        self.watch_client(SensorRole.TREADMILL, controller.attach)
        return controller

    def _client_changed(self, link: _DeviceLink, client: BleakClient | None) -> None:
        for sub in link.subs:
            for listener in self._client_listeners.get(sub.role, ()):
                try:
                    listener(client)
                except Exception:
                    log.exception("%s: client listener failed", link.label)

    @property
    def out_of_range_counts(self) -> dict[str, int]:
        """Readings dropped per sensor for being outside physical ranges."""
        counts: dict[str, int] = dict.fromkeys(self.malformed_counts, 0)
        for link in self.links:
            for sub in link.subs:
                counts[sub.sensor_id] += sub.decoder.out_of_range
        return counts

    def _emit(self, status: SensorStatus) -> None:
        self._raw.put_nowait(status)

    def _enqueue(self, item: Sample | SensorStatus) -> None:
        """The sink when ``start`` is given none: ``queue``, bounded."""
        if self.queue.full():  # nobody is reading: keep the newest
            self.queue.get_nowait()
        self.queue.put_nowait(item)

    async def _consume(self) -> None:
        """Parse raw notifications in order; count and drop malformed ones."""
        while True:
            item = await self._raw.get()
            if isinstance(item, SensorStatus):
                self._hand_on(item)
                continue
            t_s, sub, data = item
            try:
                sample = sub.decoder.decode(t_s, data)
            except GattParseError as exc:
                self.malformed_counts[sub.sensor_id] += 1
                log.debug("%s: dropped malformed packet %s: %s", sub.sensor_id, data.hex(), exc)
                continue
            if sample is not None:
                self._hand_on(sample)

    def _hand_on(self, item: Sample | SensorStatus) -> None:
        try:
            self._sink(item)
        except Exception:  # a failing sink must not stop every sensor of the session
            log.exception("the sensor sink failed on %r", item)

    async def start(self, sink: Sink | None = None) -> None:
        """Start the consumer and one task per device; returns at once.

        Every item goes to ``sink`` (on the event loop's thread), or to
        ``queue`` when there is none.
        """
        if self._tasks:
            return
        self._sink = sink if sink is not None else self._enqueue
        self._tasks.append(asyncio.create_task(self._consume(), name="ble-consumer"))
        for link in self.links:
            self._tasks.append(asyncio.create_task(link.run(), name=f"ble-{link.label}"))

    async def stop(self) -> None:
        """Cancel every task; connections are closed on the way out."""
        tasks, self._tasks = self._tasks, []
        for task in reversed(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @property
    def malformed_count(self) -> int:
        return sum(self.malformed_counts.values())

    async def __aenter__(self) -> SensorHub:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()
