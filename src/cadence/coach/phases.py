"""The run-walk phase state machine.

Theory of operation (after h11's ``_state.py``): the session's phase only moves
through the transitions in ``_TRANSITIONS``, a plain table. Anything else is a
bug in the caller and raises ``IllegalTransition`` *without changing state*, so a
bad event can never leave the coach half-way between two phases.

Safety rule, enforced here rather than in the engine: once running has been
stopped (pain, red flag, emergency), ``START_RUN`` is illegal for the rest of
the session. The coach can make a session easier or end it, never restart the
running after a stop.
"""

from __future__ import annotations

from enum import StrEnum

from cadence.coach.actions import Phase


class PhaseEvent(StrEnum):
    NEXT_WARMUP_BLOCK = "next_warmup_block"
    START_RUN = "start_run"
    START_WALK = "start_walk"
    START_COOLDOWN = "start_cooldown"  # the plan's cool-down
    STOP_RUNNING = "stop_running"  # safety stop: walking cool-down, no more running
    FINISH = "finish"  # the session is over


class IllegalTransition(Exception):
    """An event that the current phase does not allow."""

    def __init__(self, phase: Phase, event: PhaseEvent, why: str = "") -> None:
        self.phase = phase
        self.event = event
        super().__init__(f"cannot {event.value} during {phase.value}{': ' + why if why else ''}")


_TRANSITIONS: dict[Phase, dict[PhaseEvent, Phase]] = {
    Phase.WARMUP: {
        PhaseEvent.NEXT_WARMUP_BLOCK: Phase.WARMUP,
        PhaseEvent.START_RUN: Phase.RUN,
        PhaseEvent.START_WALK: Phase.WALK,  # a walking-only week
        PhaseEvent.START_COOLDOWN: Phase.COOLDOWN,
        PhaseEvent.STOP_RUNNING: Phase.COOLDOWN,
        PhaseEvent.FINISH: Phase.DONE,
    },
    Phase.RUN: {
        PhaseEvent.START_WALK: Phase.WALK,
        PhaseEvent.START_COOLDOWN: Phase.COOLDOWN,
        PhaseEvent.STOP_RUNNING: Phase.COOLDOWN,
        PhaseEvent.FINISH: Phase.DONE,
    },
    Phase.WALK: {
        PhaseEvent.START_RUN: Phase.RUN,
        PhaseEvent.START_WALK: Phase.WALK,  # a run interval the runner chose to walk
        PhaseEvent.START_COOLDOWN: Phase.COOLDOWN,
        PhaseEvent.STOP_RUNNING: Phase.COOLDOWN,
        PhaseEvent.FINISH: Phase.DONE,
    },
    Phase.COOLDOWN: {
        PhaseEvent.STOP_RUNNING: Phase.COOLDOWN,  # a later red flag during cool-down
        PhaseEvent.FINISH: Phase.DONE,
    },
    Phase.DONE: {},
}

_STARTS = (Phase.WARMUP, Phase.RUN, Phase.WALK, Phase.COOLDOWN)


class PhaseMachine:
    """Current phase plus the one-way "running stopped" latch."""

    def __init__(self, start: Phase = Phase.WARMUP) -> None:
        if start not in _STARTS:
            raise ValueError(f"a session cannot start in {start.value}")
        self.phase = start
        self.running_stopped = False

    def can(self, event: PhaseEvent) -> bool:
        if event is PhaseEvent.START_RUN and self.running_stopped:
            return False
        return event in _TRANSITIONS[self.phase]

    def process(self, event: PhaseEvent) -> Phase:
        """Apply ``event``; returns the new phase.

        Raises:
            IllegalTransition: the event is not allowed now; nothing changed.
        """
        if event is PhaseEvent.START_RUN and self.running_stopped:
            raise IllegalTransition(self.phase, event, "running was stopped this session")
        try:
            new_phase = _TRANSITIONS[self.phase][event]
        except KeyError:
            raise IllegalTransition(self.phase, event) from None
        if event is PhaseEvent.STOP_RUNNING:
            self.running_stopped = True
        self.phase = new_phase
        return new_phase
