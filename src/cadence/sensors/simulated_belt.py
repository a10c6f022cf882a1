"""A treadmill belt for ``cadence simulate``: commands set a ramping belt, no radio.

Why: a headless session with treadmill control must show what the belt does
with the session's commands (walk speed in walks, run speed in runs, slower
at once on a safety stop), repeatably and in well under a second. The belt
is ``cadence.sim.belt.Belt`` (0.5 km/h per s, as the virtual Bumble treadmill
of ``cadence demo``); the verdicts are the production ones (``BeltWatch``:
arrived, not following, moved from the console), and the events are the
same ``TreadmillEvent`` kinds the BLE controller reports. It is always a
well-behaved machine: the refusals of real ones are tested against the
virtual treadmill over Bumble (tests/sensors/test_treadmill_control.py).

The runner's console is modelled too (``press_speed``, ``press_stop``,
``pull_safety_key``), so scripts can take the belt over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from cadence.model.sample import Sample, SensorRole
from cadence.model.treadmill import BeltTarget, ControlState, TreadmillEvent, TreadmillEventKind
from cadence.sensors.ble.belt_watch import BeltWatch, Verdict
from cadence.sim.belt import Belt

K = TreadmillEventKind
EVENTS_MAXSIZE = 256


class SimulatedBeltController:
    """A ``BeltController`` over a simulated belt, on the session clock.

    Args:
        clock: session seconds (the belt ramps in them).
        accel_kmh_per_s: the belt's ramp rate.
    """

    def __init__(self, clock: Callable[[], float], accel_kmh_per_s: float = 0.5) -> None:
        self._clock = clock
        self.belt = Belt(accel_kmh_per_s=accel_kmh_per_s)
        self.watch = BeltWatch()
        self._events: asyncio.Queue[TreadmillEvent] = asyncio.Queue(EVENTS_MAXSIZE)
        self._state = ControlState.TAKING_CONTROL
        self.wanted: BeltTarget | None = None
        self.commands: list[tuple[float, BeltTarget]] = []  # what reached the belt, when

    @property
    def state(self) -> ControlState:
        return self._state

    @property
    def events(self) -> asyncio.Queue[TreadmillEvent]:
        return self._events

    def connect(self) -> None:
        """The session's start: control is granted at once (a well-behaved machine)."""
        self._state = ControlState.IN_CONTROL
        self._emit(K.CONTROL_TAKEN, "cadence is setting the belt speed.")

    @property
    def driven(self) -> bool:
        """The belt has been started (or is still coming to a stop): it reports itself."""
        return self.belt.running or self.belt.speed_kmh > 0.0

    def advance(self, t_s: float) -> Belt:
        self.belt.advance_to(t_s)
        return self.belt

    # ----- BeltController ------------------------------------------------------------------------
    async def apply(self, target: BeltTarget, *, safety: bool = False) -> bool:
        self.wanted = target
        if self._state is ControlState.RUNNER_IN_CHARGE and safety and self._eases(target):
            self._send(target)
            self.watch.forget()
            return True
        if self._state is not ControlState.IN_CONTROL:
            return False
        self._send(target)
        return True

    async def resume_control(self) -> bool:
        if self._state is ControlState.IN_CONTROL:
            return True
        self._state = ControlState.IN_CONTROL
        self._emit(K.CONTROL_TAKEN, "cadence is setting the belt speed again.")
        if self.wanted is not None:
            self._send(self.wanted)
        return True

    def observe(self, sample: Sample) -> None:
        if sample.role is not SensorRole.TREADMILL or sample.speed_mps is None:
            return
        belt_kmh = sample.speed_mps * 3.6
        if self._state is not ControlState.IN_CONTROL:
            self.watch.belt_kmh = belt_kmh
            return
        verdict = self.watch.reading(self._clock(), belt_kmh, command_in_flight=False)
        target = self.watch.target_kmh
        if verdict is Verdict.ARRIVED:
            after = self.watch.arrived_after_s or 0.0
            self._emit(K.BELT_AT_TARGET, f"Belt at {belt_kmh:.1f} km/h after {after:.1f} s.",
                       target_kmh=target, belt_kmh=belt_kmh)
        elif verdict is Verdict.NOT_FOLLOWING:
            self._emit(K.BELT_NOT_FOLLOWING,
                       f"The belt is at {belt_kmh:.1f} km/h, not the {target or 0.0:.1f} km/h "
                       "cadence asked for: set it on the console if you want it.",
                       target_kmh=target, belt_kmh=belt_kmh)
        elif verdict is Verdict.MOVED_BY_OTHERS:
            self._took_over(belt_kmh)

    async def close(self) -> None:
        return None

    # ----- the console ---------------------------------------------------------------------------
    def press_speed(self, delta_kmh: float) -> None:
        """The runner's speed buttons: the belt's target moves by ``delta_kmh``."""
        self.advance(self._clock())
        self.belt.target_speed_kmh = max(0.0, self.belt.target_speed_kmh + delta_kmh)
        if self._state is ControlState.IN_CONTROL:
            self._took_over(self.belt.target_speed_kmh)

    def press_stop(self, *, safety_key: bool = False) -> None:
        self.advance(self._clock())
        self.belt.running = False
        self.watch.forget()
        what = "The safety key was pulled" if safety_key else "Stopped on the console"
        self._emit(K.STOPPED_BY_USER, f"{what}: the session pauses.", safety_key=safety_key)

    # ----- helpers -------------------------------------------------------------------------------
    def _send(self, target: BeltTarget) -> None:
        now_s = self._clock()
        self.advance(now_s)
        self.commands.append((now_s, target))
        if not target.moving:
            self.belt.running = False
            self.watch.commanded(now_s, 0.0)
            return
        self.belt.running = True
        self.belt.target_speed_kmh = target.speed_kmh
        if target.incline_pct is not None:
            self.belt.target_incline_pct = target.incline_pct
        self.watch.commanded(now_s, target.speed_kmh)
        self._emit(K.COMMAND_SENT, f"Belt to {target.speed_kmh:.1f} km/h.",
                   target_kmh=target.speed_kmh)

    def _eases(self, target: BeltTarget) -> bool:
        return not target.moving or target.speed_kmh < self.belt.speed_kmh

    def _took_over(self, belt_kmh: float) -> None:
        self.watch.forget()
        self._state = ControlState.RUNNER_IN_CHARGE
        self._emit(K.RUNNER_TOOK_OVER,
                   f"The belt went to {belt_kmh:.1f} km/h without cadence asking: the speed is "
                   "yours until you hand it back.", belt_kmh=belt_kmh)

    def _emit(self, kind: TreadmillEventKind, message: str, *, target_kmh: float | None = None,
              belt_kmh: float | None = None, safety_key: bool = False) -> None:
        event = TreadmillEvent(self._clock(), kind, message, target_kmh, belt_kmh, safety_key)
        if self._events.full():
            self._events.get_nowait()
        self._events.put_nowait(event)
