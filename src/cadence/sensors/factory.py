"""Which sensor source a session reads from, imported only when it is chosen.

Why a module of its own: the implementations import ``source.py`` for the
interface, so the choice between them lives one step above, and choosing the
simulated source never loads bleak or Bumble (the imports are inside the
functions, as bleak itself picks its platform backend).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadence.profile.model import SensorConfig
    from cadence.sensors.source import SensorSource
    from cadence.sim.readout import Readout


def ble_source(
    configs: Sequence[SensorConfig], clock: Callable[[], float], **hub_options: Any
) -> SensorSource:
    """The configured BLE sensors (``SensorHub`` keyword options pass through)."""
    from cadence.sensors.ble.hub import SensorHub

    return SensorHub(configs, clock=clock, **hub_options)


def rig_source(readout: Readout, clock: Callable[[], float], period_s: float) -> SensorSource:
    """Virtual Bumble sensors on ``readout``'s runner, read through the production hub."""
    from cadence.sensors.bumble.rig import VirtualRigSource

    return VirtualRigSource(readout, clock, period_s=period_s)


def simulated_source(readout: Readout, **options: Any) -> SensorSource:
    """``readout``'s runner as samples, one reading per period of session time, no BLE."""
    from cadence.sensors.simulated import SimulatedSensorSource

    return SimulatedSensorSource(readout, **options)
