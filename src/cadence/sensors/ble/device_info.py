"""Read a connected sensor's Device Information service (0x180A), once, briefly.

Why it never fails: the identity only names the sensor in the exports. A
device without the service, a characteristic that is missing or refuses to be
read, or a device that answers slowly must not cost the runner the link, so
every read is guarded and all of them together get ``timeout_s``; whatever
arrived by then is kept. bleak's public API only (``read_gatt_char``).
"""

from __future__ import annotations

import asyncio
import logging

from bleak import BleakClient
from bleak.exc import BleakError

from cadence.model.link import DeviceIdentity
from cadence.sensors import gatt

log = logging.getLogger(__name__)

SERVICE = gatt.uuid16_to_str(gatt.DEVICE_INFORMATION_SERVICE_UUID16)


async def read_device_identity(client: BleakClient, timeout_s: float) -> DeviceIdentity | None:
    """The identity a connected ``client`` reports; None without the service or any text."""
    service = client.services.get_service(SERVICE)
    if service is None:
        return None
    values: dict[int, bytes] = {}
    try:
        async with asyncio.timeout(timeout_s):
            for uuid16 in gatt.DIS_STRINGS.values():
                char = service.get_characteristic(gatt.uuid16_to_str(uuid16))
                if char is None or "read" not in char.properties:
                    continue
                try:
                    values[uuid16] = bytes(await client.read_gatt_char(char))
                except (BleakError, OSError) as exc:
                    log.debug("%s: reading %04X failed: %s", client.address, uuid16, exc)
    except TimeoutError:
        log.info("%s: device information not read within %g s", client.address, timeout_s)
    identity = gatt.device_identity(values)
    return identity if identity.reported else None
