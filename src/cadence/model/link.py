"""Connection state of one sensor, as shown to the runner and recorded."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cadence.model.sample import SensorRole


class LinkState(StrEnum):
    SEARCHING = "searching"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """What a sensor says about itself over the Device Information service (0x180A).

    Why a record of its own: the exports name each sensor used (FIT
    ``device_info``), and only the device knows its maker, model and serial.
    Every field is optional on the device's side, so "" means "not reported",
    never a guess. The strings are already cleaned (``sensors.gatt.device_info``).
    """

    manufacturer: str = ""
    model: str = ""
    serial: str = ""
    firmware: str = ""

    @property
    def reported(self) -> bool:
        """True when the device reported at least one field."""
        return any((self.manufacturer, self.model, self.serial, self.firmware))

    def as_payload(self) -> dict[str, str]:
        """The reported fields only, under the keys the stored SENSOR events use."""
        fields = {"manufacturer": self.manufacturer, "model": self.model,
                  "serial": self.serial, "firmware": self.firmware}
        return {key: value for key, value in fields.items() if value}


@dataclass(frozen=True, slots=True)
class SensorStatus:
    """Reported by the BLE layer whenever a sensor's link state changes.

    ``device`` is set on a CONNECTED status when the sensor offered a Device
    Information service (read once per connection); None otherwise.
    """

    t_s: float
    role: SensorRole
    sensor_id: str
    state: LinkState
    detail: str = ""
    device: DeviceIdentity | None = None
