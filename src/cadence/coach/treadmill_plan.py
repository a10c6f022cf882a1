"""What the belt should do, decided from the coach's actions and the profile.

Pure: the shell passes each step's coach actions to ``TreadmillPlan.step``
and hands the ``BeltCommand`` s it returns to the treadmill controller
(``cadence.sensors.ble.treadmill_control``), and says or shows the
``SwitchAhead`` announcements (the coach's own ``Countdown`` 3-2-1 follows).

Rules, in the order they win:

1. After an emergency the belt is stopped and stays stopped.
2. A pain stop or a warning sign (the leg-symptom red flag) brings the belt
   to walking speed at once (never faster than it already was), and it never
   goes back to running speed this session. Ending the session (the
   post-run question) also slows it to walking speed.
3. Pausing the session pauses the belt; resuming restores the phase's speed.
4. Each phase has its speed: ``run_speed_kmh`` in runs, ``walk_speed_kmh``
   in walks, warm-up and cool-down; ``incline_pct`` is kept all session.
   "Hold this speed" keeps the current speed through the next switch only.
5. The finished session stops the belt.

Cadence never changes the belt speed: nothing here reads a cadence or a
tempo, so a runner's step rate can't push the belt faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cadence.coach.actions import (
    Action,
    AskPain,
    Countdown,
    Mark,
    Phase,
    PhaseChange,
    SessionEnded,
    StopReason,
    StopRun,
)
from cadence.coach.cue_library import BELT_SWITCH_CUES
from cadence.coach.plan import Segment
from cadence.model.treadmill import BeltTarget
from cadence.profile.model import TreadmillControl


class BeltReason(StrEnum):
    PHASE = "phase"
    HOLD = "hold"  # the runner kept the speed through this switch
    SAFETY_WALK = "safety_walk"
    EMERGENCY_STOP = "emergency_stop"
    ENDING = "ending"
    PAUSE = "pause"
    RESUME = "resume"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class BeltCommand:
    """Set the belt to ``target`` now."""

    target: BeltTarget
    reason: BeltReason
    phase: Phase

    @property
    def safety(self) -> bool:
        """Sent even when the runner holds the belt (it only ever slows or stops it)."""
        return self.reason in (BeltReason.SAFETY_WALK, BeltReason.EMERGENCY_STOP)


@dataclass(frozen=True, slots=True)
class SwitchAhead:
    """Said and shown 3 s before a switch that changes the belt speed ("walk in 3")."""

    next_phase: Phase
    seconds_left: int
    speed_kmh: float
    text: str
    sound_id: str = ""  # the spoken "walk in 3" (``cue_library.BELT_SWITCH_CUES``)


BeltAction = BeltCommand | SwitchAhead

_NAMES = {
    Phase.RUN: "Run",
    Phase.WALK: "Walk",
    Phase.WARMUP: "Warm-up",
    Phase.COOLDOWN: "Cool-down",
}


class TreadmillPlan:
    """The belt's side of one session.

    Args:
        settings: the profile's ``treadmill:`` belt settings.
        plan: the session's segments (``Coach.plan``), to know what comes next.
    """

    def __init__(self, settings: TreadmillControl, plan: Sequence[Segment]) -> None:
        self.settings = settings
        self.plan = tuple(plan)
        self._index = -1
        self._phase = Phase.WARMUP
        self._speed_kmh: float | None = None  # what the plan last asked for
        self._hold = False
        self._running_stopped = False
        self._stopped = False  # emergency: the belt stays still
        self._paused = False
        self._ended = False

    @property
    def holding(self) -> bool:
        """The runner asked to keep the current speed through the next switch."""
        return self._hold

    @property
    def target(self) -> BeltTarget | None:
        """What the belt should be doing now (None before the session starts)."""
        if self._stopped or self._ended:
            return BeltTarget(0.0, self.settings.incline_pct, stop=True)
        if self._speed_kmh is None:
            return None
        return BeltTarget(self._speed_kmh, self.settings.incline_pct, pause=self._paused)

    @property
    def next_speed_kmh(self) -> float | None:
        """The belt speed for the next segment ("next: WALK 3:00 at 5.0 km/h"); None if none.

        Held: today's speed, since the hold keeps it through that switch.
        """
        nxt = self._next_segment()
        if nxt is None or self._stopped or self._ended or self._speed_kmh is None:
            return None
        return self._speed_kmh if self._hold else self._speed_for(nxt.phase)

    def hold_next_switch(self) -> bool:
        """Keep today's speed through the next switch; False if there is nothing to hold."""
        if self._stopped or self._ended or self._speed_kmh is None:
            return False
        self._hold = True
        return True

    def phase_speed_kmh(self, phase: Phase) -> float:
        if phase is Phase.RUN and not self._running_stopped:
            return self.settings.run_speed_kmh
        return self.settings.walk_speed_kmh

    def step(self, actions: Sequence[Action]) -> list[BeltAction]:
        """The belt actions for one coach step's ``actions``, in order."""
        out: list[BeltAction] = []
        for action in actions:
            out.extend(self._one(action))
        return out

    def _one(self, action: Action) -> list[BeltAction]:
        if self._stopped or self._ended:
            return []
        match action:
            case StopRun(reason=StopReason.EMERGENCY):
                self._stopped = True
                return [self._command(BeltReason.EMERGENCY_STOP)]
            case StopRun(reason=StopReason.PAIN | StopReason.RED_FLAG):
                self._running_stopped = True
                return self._slow_to_walk(BeltReason.SAFETY_WALK)
            case AskPain(reason="post_run"):
                return self._slow_to_walk(BeltReason.ENDING)
            case SessionEnded():
                self._ended = True
                return [self._command(BeltReason.DONE)]
            case Mark(kind="pause") if self._speed_kmh is not None:
                self._paused = True
                return [self._command(BeltReason.PAUSE)]
            case Mark(kind="resume") if self._paused:
                self._paused = False
                return [self._command(BeltReason.RESUME)]
            case PhaseChange() if action.phase is not Phase.DONE:
                return self._phase_change(action)
            case Countdown(seconds_left=3):
                return self._announce()
        return []

    def _slow_to_walk(self, reason: BeltReason) -> list[BeltAction]:
        self._hold = False
        walk = self.settings.walk_speed_kmh
        if self._speed_kmh is not None and self._speed_kmh <= walk:
            return []
        self._speed_kmh = walk
        return [self._command(reason)]

    def _phase_change(self, change: PhaseChange) -> list[BeltAction]:
        self._phase = change.phase
        self._track(change)
        speed = self._speed_for(change.phase)
        if self._hold:
            self._hold = False  # one switch only; after a stop the held speed is a walk
            return [self._command(BeltReason.HOLD)]
        if speed == self._speed_kmh:
            return []
        self._speed_kmh = speed
        return [self._command(BeltReason.PHASE)]

    def _speed_for(self, phase: Phase) -> float:
        """The phase's speed; after a stop, never faster than the belt already is."""
        speed = self.phase_speed_kmh(phase)
        if self._running_stopped and self._speed_kmh is not None:
            speed = min(speed, self._speed_kmh)
        return speed

    def _track(self, change: PhaseChange) -> None:
        """Find the segment this change starts, so the next one is known."""
        for i in range(self._index + 1, len(self.plan)):
            seg = self.plan[i]
            if seg.phase is change.phase and seg.round_index == change.round_index:
                self._index = i
                return
        self._index = len(self.plan)  # a stop cool-down: no more planned switches

    def _announce(self) -> list[BeltAction]:
        nxt = self._next_segment()
        if nxt is None or self._hold or self._paused:
            return []
        speed = self._speed_for(nxt.phase)
        if speed == self._speed_kmh:
            return []
        name = _NAMES.get(nxt.phase, nxt.phase.value)
        text = f"{name} in 3: belt to {speed:.1f} km/h"
        sound_id = BELT_SWITCH_CUES.get(nxt.phase.value, ("", ""))[0]
        return [SwitchAhead(nxt.phase, 3, speed, text, sound_id)]

    def _next_segment(self) -> Segment | None:
        i = self._index + 1
        return self.plan[i] if 0 <= i < len(self.plan) else None

    def _command(self, reason: BeltReason) -> BeltCommand:
        target = self.target
        assert target is not None
        return BeltCommand(target, reason, self._phase)
