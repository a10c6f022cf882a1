"""Virtual BLE sensors on Google's Bumble stack: footpod, heart-rate strap, treadmill.

Why: the machines this app is built and demoed on have no Bluetooth. These are
real GATT servers on a real (userspace) Bluetooth stack, so the production
bleak code goes through advertising, connection, service discovery, CCCD
writes and notifications exactly as with hardware. They only send what they
are told; what to send comes from ``cadence.sensors.bumble.rig`` (the demo rig) or
from a test.

``VirtualAir`` is the radio: a Bumble ``LocalLink`` joining one virtual
controller per device in this process. The controllable treadmill (FTMS
Control Point, ranges, status, refusal modes) extends ``VirtualSensor`` in
``cadence.sensors.bumble.treadmill``.

Each sensor also offers a Device Information service (0x180A) with its maker,
model, serial and firmware, as real sensors do, so the hub's identity read and
the exports' ``device_info`` are exercised by every demo; ``identity=`` sets
other values and ``device_info=False`` leaves the service out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from bumble import data_types, hci
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Device, DeviceConfiguration
from bumble.gatt import Characteristic, Service
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from cadence.model.link import DeviceIdentity
from cadence.model.sample import SensorRole
from cadence.sensors import gatt
from cadence.sensors.gatt.ftms import FitnessMachineFeature, FitnessMachineFeatures
from cadence.sensors.gatt.ftms import TargetSettingFeatures as Targets
from cadence.sensors.gatt.rsc import RscFeature, RscFeatureFlags

_NOTIFY = Characteristic.Properties.NOTIFY
_READ = Characteristic.Properties.READ


class VirtualAir:
    """An in-memory radio: a ``LocalLink`` plus a helper to attach controllers."""

    def __init__(self) -> None:
        self.link = LocalLink()  # type: ignore[no-untyped-call]
        self._count = 0

    def new_host(self, address: str) -> Host:
        """A Bumble host on a fresh virtual controller with this public address."""
        self._count += 1
        controller = Controller(f"ctl{self._count}", link=self.link, public_address=address)
        return Host(controller, AsyncPipeSink(controller))


def patch_controller_connect_cancel() -> None:
    """Make Bumble's virtual controller honour LE Create Connection Cancel.

    Bumble 0.0.236 acknowledges the cancel but leaves the connection attempt
    pending and never sends LE Connection Complete, so a connect to an absent
    device never times out and later connects are refused. Per Core spec
    Vol 4 Part E 7.8.13 the controller must end the attempt with LE Connection
    Complete, status Unknown Connection Identifier (0x02). Idempotent.
    """
    if getattr(Controller, "_cadence_cancel_patched", False):
        return

    def on_cancel(self: Any, _command: Any) -> Any:
        pending, self.pending_le_connection = self.pending_le_connection, None
        if pending is not None:
            event = hci.HCI_LE_Connection_Complete_Event(
                status=hci.HCI_ErrorCode.UNKNOWN_CONNECTION_IDENTIFIER_ERROR,
                connection_handle=0,
                role=hci.Role.CENTRAL,
                peer_address_type=pending.peer_address_type,
                peer_address=pending.peer_address,
                connection_interval=0,
                peripheral_latency=0,
                supervision_timeout=0,
                central_clock_accuracy=0,
            )
            asyncio.get_running_loop().call_soon(self.send_hci_packet, event)
        return hci.HCI_StatusReturnParameters(hci.HCI_ErrorCode.SUCCESS)

    Controller.on_hci_le_create_connection_cancel_command = on_cancel  # type: ignore[method-assign]
    Controller._cadence_cancel_patched = True  # type: ignore[attr-defined]


_SERVICE_UUID = {
    SensorRole.FOOTPOD: UUID.from_16_bits(gatt.RSC_SERVICE_UUID16),
    SensorRole.HEART_RATE: UUID.from_16_bits(gatt.HEART_RATE_SERVICE_UUID16),
    SensorRole.TREADMILL: UUID.from_16_bits(gatt.FTMS_SERVICE_UUID16),
}
_DATA_UUID = {
    SensorRole.FOOTPOD: UUID.from_16_bits(gatt.RSC_MEASUREMENT_UUID16),
    SensorRole.HEART_RATE: UUID.from_16_bits(gatt.HEART_RATE_MEASUREMENT_UUID16),
    SensorRole.TREADMILL: UUID.from_16_bits(gatt.TREADMILL_DATA_UUID16),
}
_RSC_FEATURE = RscFeature(
    RscFeatureFlags.STRIDE_LENGTH_SUPPORTED
    | RscFeatureFlags.TOTAL_DISTANCE_SUPPORTED
    | RscFeatureFlags.WALKING_RUNNING_STATUS_SUPPORTED
)
_FTMS_FEATURE = FitnessMachineFeature(
    FitnessMachineFeatures.TOTAL_DISTANCE
    | FitnessMachineFeatures.INCLINATION
    | FitnessMachineFeatures.ELAPSED_TIME,
    Targets.SPEED | Targets.INCLINATION,
)


_MODEL = {SensorRole.FOOTPOD: ("Footpod V1", "FP"), SensorRole.HEART_RATE: ("HR Strap V1", ""),
          SensorRole.TREADMILL: ("Treadmill V1", "TM")}


def virtual_identity(role: SensorRole, address: str) -> DeviceIdentity:
    """Plausible Device Information for a virtual sensor, its serial from its address.

    The strap's serial is all digits and the others' are not, as with real
    sensors: the FIT export writes the two kinds differently.
    """
    model, prefix = _MODEL.get(role, (role.value, "XX"))
    tail = address.replace(":", "")[-6:].upper()
    serial = f"{prefix}-{tail}" if prefix else str(10_000_000 + int(tail, 16))
    return DeviceIdentity("cadence virtual", model, serial, "1.0.0")


class VirtualSensor:
    """One advertising GATT server offering the services of ``roles``.

    ``air`` is the in-process radio, or a Bumble ``Host`` on any HCI transport
    (e.g. ``tcp-client:`` to ``python -m bumble.apps.controllers``).

    Fault injection for tests and demos: ``silent`` (keeps the link but sends
    nothing), ``send_raw`` (any bytes, e.g. garbage), ``drop_connections``.
    ``on_sent`` is called with (role, payload) right before each notification.

    ``identity`` is what its Device Information service says (by default
    ``virtual_identity``); ``device_info=False`` offers no such service.
    """

    def __init__(
        self,
        air: VirtualAir | Host,
        address: str,
        name: str,
        roles: Iterable[SensorRole],
        *,
        identity: DeviceIdentity | None = None,
        device_info: bool = True,
    ) -> None:
        self.address = address
        self.name = name
        self.roles = tuple(roles)
        self.identity: DeviceIdentity | None = None
        if device_info:
            self.identity = identity or virtual_identity(self.roles[0], address)
        self.silent = False
        self.on_sent: Callable[[SensorRole, bytes], None] | None = None
        config = DeviceConfiguration(
            name=name,
            address=Address(address),
            advertising_interval_min=50,
            advertising_interval_max=50,
        )
        host = air.new_host(address) if isinstance(air, VirtualAir) else air
        self.device = Device(config=config, host=host)
        self._data_chars: dict[SensorRole, Characteristic[Any]] = {}
        services = []
        for role in self.roles:
            data_char: Characteristic[Any] = Characteristic(
                _DATA_UUID[role], _NOTIFY, Characteristic.Permissions(0), b""
            )
            self._data_chars[role] = data_char
            chars = [data_char, *self._extra_characteristics(role)]
            services.append(Service(_SERVICE_UUID[role], chars))
        dis = self._device_info_service()
        if dis is not None:
            services.append(dis)
        self.device.add_services(services)
        # Legacy advertising data holds 31 bytes; Bumble's virtual controller
        # echoes it as the scan response, so everything goes in the ADV PDU.
        self.device.advertising_data = bytes(
            AdvertisingData(
                [
                    data_types.Flags(
                        AdvertisingData.Flags.LE_GENERAL_DISCOVERABLE_MODE
                        | AdvertisingData.Flags.BR_EDR_NOT_SUPPORTED
                    ),
                    data_types.CompleteLocalName(name),
                    data_types.CompleteListOf16BitServiceUUIDs(
                        [_SERVICE_UUID[r] for r in self.roles]
                    ),
                ]
            )
        )
        if len(self.device.advertising_data) > 31:
            raise ValueError(f"advertising data for {name!r} exceeds 31 bytes")

    def _extra_characteristics(self, role: SensorRole) -> list[Characteristic[Any]]:
        """Characteristics beside the data one (a subclass adds e.g. FTMS control)."""
        if role is SensorRole.FOOTPOD:
            return [self._readable(gatt.RSC_FEATURE_UUID16, _RSC_FEATURE.to_bytes())]
        if role is SensorRole.TREADMILL:
            return [self._readable(gatt.FITNESS_MACHINE_FEATURE_UUID16, _FTMS_FEATURE.to_bytes())]
        return []

    def _device_info_service(self) -> Service | None:
        """The Device Information service: one readable UTF-8 string per reported field."""
        if self.identity is None:
            return None
        values = asdict(self.identity)
        chars = [self._readable(uuid16, values[field].encode())
                 for field, uuid16 in gatt.DIS_STRINGS.items() if values[field]]
        return Service(UUID.from_16_bits(gatt.DEVICE_INFORMATION_SERVICE_UUID16), chars)

    @staticmethod
    def _readable(uuid16: int, value: bytes) -> Characteristic[Any]:
        return Characteristic(
            UUID.from_16_bits(uuid16), _READ, Characteristic.Permissions.READABLE, value
        )

    async def start(self) -> None:
        """Power on and advertise (again after every disconnection)."""
        await self.device.power_on()
        await self.device.start_advertising(auto_restart=True)

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self.device.stop_advertising()
        await self.drop_connections()
        with contextlib.suppress(Exception):
            await self.device.power_off()

    @property
    def connected(self) -> bool:
        return bool(self.device.connections)

    async def notify(self, role: SensorRole, payload: bytes) -> None:
        """Notify subscribers of ``role``'s data characteristic (unless silent)."""
        if self.silent or not self.device.connections:
            return
        await self.send_raw(role, payload)

    async def send_raw(self, role: SensorRole, payload: bytes) -> None:
        """Notify any bytes at all, ignoring ``silent`` (garbage injection)."""
        if self.on_sent is not None:
            self.on_sent(role, payload)
        await self.device.notify_subscribers(self._data_chars[role], payload)

    async def drop_connections(self) -> None:
        """Peripheral-initiated disconnect, as when a strap goes out of range."""
        for conn in list(self.device.connections.values()):
            with contextlib.suppress(Exception):
                await conn.disconnect()
