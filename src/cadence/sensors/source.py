"""Where a live session's sensor readings come from: one interface, three kinds.

``SensorSource`` is the seam between the session and the sensors (the same
idea as bleak's backend classes): the session hands a source one *sink* and
the source calls it, on the event loop's thread, with every ``Sample`` and
``SensorStatus``. There is no queue between the source and the session.

The implementations, each built by a factory below so the heavy imports
(bleak, bumble) happen only when that kind is asked for (``cadence --help``
and the TUI tests never pay for them):

- ``ble_source``: the profile's real sensors, ``cadence.sensors.ble.hub.SensorHub``.
- ``rig_source``: ``cadence demo``. The same hub, talking to in-process Bumble
  peripherals driven by a simulated runner (``cadence.sensors.bumble.rig``).
- ``simulated_source``: no BLE at all. The simulated runner is read out at
  each session tick (``pump``); fast and repeatable, for ``cadence simulate``
  and the Pilot tests (``cadence.sensors.simulated``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from cadence.model.link import SensorStatus
from cadence.model.sample import Sample

if TYPE_CHECKING:
    from cadence.profile.model import SensorConfig
    from cadence.sim.readout import Readout

SensorItem = Sample | SensorStatus
Sink = Callable[[SensorItem], None]


class SensorSource(ABC):
    """A running supply of samples and link states for one session."""

    @abstractmethod
    async def start(self, sink: Sink) -> None:
        """Connect and begin calling ``sink`` (on the event loop's thread); returns at once."""

    @abstractmethod
    async def stop(self) -> None:
        """Disconnect; no calls to the sink after this returns."""

    def pump(self, now_s: float) -> None:  # noqa: B027 - optional hook
        """Advance a clock-driven source to ``now_s`` (the session tick calls this)."""

    @property
    def malformed_count(self) -> int:
        """Packets that failed to parse and were dropped."""
        return 0


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
