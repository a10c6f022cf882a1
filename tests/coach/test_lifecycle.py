"""The session lifecycle table: legal moves only, and a refused move changes nothing."""

from __future__ import annotations

import itertools

import pytest

from cadence.coach.actions import StopReason
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs
from cadence.coach.lifecycle import (
    _TRANSITIONS,
    IllegalLifecycle,
    Lifecycle,
    LifecycleEvent,
    Stage,
)
from cadence.profile.model import Profile
from support.coaching import PROTOCOL_A_WEEK_1


def in_stage(stage: Stage) -> Lifecycle:
    life = Lifecycle()
    life.stage = stage
    return life


def test_a_session_walks_through_the_table() -> None:
    life = Lifecycle()
    assert not life.started
    assert life.process(LifecycleEvent.START) is Stage.ACTIVE and life.active
    assert life.process(LifecycleEvent.PAUSE) is Stage.PAUSED and life.paused
    assert life.process(LifecycleEvent.RESUME) is Stage.ACTIVE
    life.close(StopReason.USER)
    assert life.stage is Stage.CLOSING and life.closing and life.close_reason is StopReason.USER
    assert life.process(LifecycleEvent.FINISH) is Stage.ENDED and life.ended and life.closing


@pytest.mark.parametrize(("stage", "event"), list(itertools.product(Stage, LifecycleEvent)))
def test_every_pair_is_in_the_table_or_raises_without_change(
    stage: Stage, event: LifecycleEvent
) -> None:
    life = in_stage(stage)
    expected = _TRANSITIONS[stage].get(event)
    if expected is None:
        with pytest.raises(IllegalLifecycle, match=f"cannot {event.value}"):
            life.process(event)
        assert life.stage is stage
    else:
        assert life.process(event) is expected


def test_a_refused_close_keeps_no_reason() -> None:
    life = in_stage(Stage.ENDED)
    with pytest.raises(IllegalLifecycle):
        life.close(StopReason.USER)
    assert life.close_reason is None and life.stage is Stage.ENDED


def test_pause_while_closing_is_ignored_by_the_coach() -> None:
    """The coach only sends events the table allows: a pause after "end" does nothing."""
    coach = Coach(Profile(baseline_cadence_spm=160.0), PROTOCOL_A_WEEK_1)
    coach.step(0.0, Inputs())
    coach.step(1.0, Inputs(end_requested=True))
    assert coach.lifecycle.stage is Stage.CLOSING
    actions = coach.step(2.0, Inputs(toggle_pause=True))
    assert coach.lifecycle.stage is Stage.CLOSING
    assert not coach.status(2.0).paused
    assert all(getattr(a, "kind", "") not in ("pause", "resume") for a in actions)
