"""Where a live session's sensor readings come from: one interface, three kinds.

``SensorSource`` is the seam between the session and the sensors (the same
idea as bleak's backend classes): the session hands a source one *sink* and
the source calls it, on the event loop's thread, with every ``Sample`` and
``SensorStatus``. There is no queue between the source and the session.

The implementations, each built by a factory in ``factory.py`` so the heavy imports
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

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Protocol

from cadence.model.link import SensorStatus
from cadence.model.sample import Sample
from cadence.model.treadmill import BeltTarget, ControlState, TreadmillEvent

SensorItem = Sample | SensorStatus
Sink = Callable[[SensorItem], None]


class BeltController(Protocol):
    """What a session needs to set a treadmill's belt (FTMS control, or a simulated belt).

    ``cadence.sensors.ble.treadmill_control.TreadmillController`` over BLE;
    ``cadence.sensors.simulated_belt.SimulatedBeltController`` for ``cadence simulate``.
    """

    @property
    def state(self) -> ControlState: ...

    @property
    def events(self) -> asyncio.Queue[TreadmillEvent]: ...

    async def apply(self, target: BeltTarget, *, safety: bool = False) -> bool: ...

    def observe(self, sample: Sample) -> None: ...

    async def resume_control(self) -> bool: ...

    async def close(self) -> None: ...


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

    def belt_controller(self, clock: Callable[[], float]) -> BeltController | None:
        """A controller for this source's treadmill, set up before ``start`` (None: none).

        Why on the source: only the source knows its treadmill's link (the
        hub's one BLE connection, or the simulated belt), and control must
        share it and follow it through reconnects.
        """
        return None

    @property
    def malformed_count(self) -> int:
        """Packets that failed to parse and were dropped."""
        return 0
