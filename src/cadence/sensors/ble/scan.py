"""Find fitness sensors nearby by the services they advertise (``cadence devices``).

Uses bleak's public ``BleakScanner`` only; ``scanner_backend`` is the seam for
the Bumble backend (None: the platform backend, BlueZ on Linux).
"""

from __future__ import annotations

from dataclasses import dataclass

from bleak import BleakScanner
from bleak.backends.scanner import BaseBleakScanner

from cadence.model.sample import SensorRole
from cadence.sensors import gatt

#: advertised service (bleak's 128-bit string) -> the role it serves
SERVICE_ROLES: dict[str, SensorRole] = {
    gatt.uuid16_to_str(gatt.RSC_SERVICE_UUID16): SensorRole.FOOTPOD,
    gatt.uuid16_to_str(gatt.HEART_RATE_SERVICE_UUID16): SensorRole.HEART_RATE,
    gatt.uuid16_to_str(gatt.FTMS_SERVICE_UUID16): SensorRole.TREADMILL,
}


@dataclass(frozen=True, slots=True)
class FoundDevice:
    """A sensor seen while scanning."""

    name: str
    address: str
    rssi: int | None
    roles: tuple[SensorRole, ...]


def roles_for_services(service_uuids: list[str]) -> tuple[SensorRole, ...]:
    """The roles a device can fill, from its advertised service UUIDs, in a fixed order."""
    found = {SERVICE_ROLES[u.lower()] for u in service_uuids if u.lower() in SERVICE_ROLES}
    return tuple(r for r in SensorRole if r in found)


async def scan_devices(
    timeout_s: float = 5.0, scanner_backend: type[BaseBleakScanner] | None = None
) -> list[FoundDevice]:
    """Scan for ``timeout_s`` and return footpods, HR straps and treadmills, strongest first.

    Raises:
        bleak.exc.BleakError: no usable Bluetooth adapter (message from bleak).
    """
    if scanner_backend is None:
        seen = await BleakScanner.discover(timeout=timeout_s, return_adv=True)
    else:
        seen = await BleakScanner.discover(
            timeout=timeout_s, return_adv=True, backend=scanner_backend
        )
    devices = []
    for device, adv in seen.values():
        roles = roles_for_services(adv.service_uuids)
        if roles:
            name = adv.local_name or device.name or "(no name)"
            devices.append(FoundDevice(name, device.address, adv.rssi, roles))
    devices.sort(key=lambda d: (-(d.rssi if d.rssi is not None else -999), d.name))
    return devices
