"""The session's lifecycle: not started, active, paused, closing, ended.

Why a table (after h11's ``_state.py``, like ``phases.py``): the coach used to
keep four booleans (started, paused, ending, ended) whose combinations were
easy to get wrong, such as a pause toggled while the post-run question was
open. The lifecycle only moves through ``_TRANSITIONS``; anything else raises
``IllegalLifecycle`` and leaves the state as it was.

The lifecycle is separate from the run-walk phase (``PhaseMachine``): a paused
session is still in its walk, a closing session still shows its cool-down
until the post-run question is answered or times out.

- ``CLOSING``: the session is over for the clock (plan done, or the runner
  asked to end); the post-run question may still be open. ``close_reason``
  says why it closes.
- ``ENDED``: ``SessionEnded`` went out; every later step returns nothing.
  ``STOP_AT_ONCE`` gets there from any started stage: an emergency is its own
  end, with no cool-down and no post-run question.
"""

from __future__ import annotations

from enum import StrEnum

from cadence.coach.actions import StopReason


class Stage(StrEnum):
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSING = "closing"
    ENDED = "ended"


class LifecycleEvent(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    CLOSE = "close"  # the plan ran out or the runner asked to end
    FINISH = "finish"  # SessionEnded is sent
    STOP_AT_ONCE = "stop_at_once"  # an emergency (or chest pain, faintness): ended now


class IllegalLifecycle(Exception):
    """An event that the current lifecycle stage does not allow."""

    def __init__(self, stage: Stage, event: LifecycleEvent) -> None:
        self.stage = stage
        self.event = event
        super().__init__(f"cannot {event.value} a session that is {stage.value}")


_TRANSITIONS: dict[Stage, dict[LifecycleEvent, Stage]] = {
    Stage.NOT_STARTED: {LifecycleEvent.START: Stage.ACTIVE},
    Stage.ACTIVE: {
        LifecycleEvent.PAUSE: Stage.PAUSED,
        LifecycleEvent.CLOSE: Stage.CLOSING,
        LifecycleEvent.STOP_AT_ONCE: Stage.ENDED,
    },
    Stage.PAUSED: {
        LifecycleEvent.RESUME: Stage.ACTIVE,
        LifecycleEvent.CLOSE: Stage.CLOSING,
        LifecycleEvent.STOP_AT_ONCE: Stage.ENDED,
    },
    Stage.CLOSING: {LifecycleEvent.FINISH: Stage.ENDED, LifecycleEvent.STOP_AT_ONCE: Stage.ENDED},
    Stage.ENDED: {},
}


class Lifecycle:
    """The current stage, and why the session is closing once it is."""

    def __init__(self) -> None:
        self.stage = Stage.NOT_STARTED
        self.close_reason: StopReason | None = None

    def process(self, event: LifecycleEvent) -> Stage:
        """Apply ``event``; returns the new stage.

        Raises:
            IllegalLifecycle: the event is not allowed now; nothing changed.
        """
        try:
            self.stage = _TRANSITIONS[self.stage][event]
        except KeyError:
            raise IllegalLifecycle(self.stage, event) from None
        return self.stage

    def stop_at_once(self, reason: StopReason) -> None:
        """End now (an emergency): no closing stage, no post-run question."""
        self.process(LifecycleEvent.STOP_AT_ONCE)
        self.close_reason = reason

    def close(self, reason: StopReason) -> None:
        """Stop the clock: the plan is over or the runner ended it."""
        self.process(LifecycleEvent.CLOSE)
        self.close_reason = reason

    @property
    def started(self) -> bool:
        return self.stage is not Stage.NOT_STARTED

    @property
    def active(self) -> bool:
        """The clock and the plan move (started, not paused, not closing)."""
        return self.stage is Stage.ACTIVE

    @property
    def paused(self) -> bool:
        return self.stage is Stage.PAUSED

    @property
    def closing(self) -> bool:
        """Closing or ended: no more plan, no more pausing."""
        return self.stage in (Stage.CLOSING, Stage.ENDED)

    @property
    def ended(self) -> bool:
        return self.stage is Stage.ENDED
