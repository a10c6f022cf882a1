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
class SensorStatus:
    """Reported by the BLE layer whenever a sensor's link state changes."""

    t_s: float
    role: SensorRole
    sensor_id: str
    state: LinkState
    detail: str = ""
