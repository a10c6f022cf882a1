"""The phase state machine: every legal transition, and illegal ones leave state alone."""

from __future__ import annotations

import itertools

import pytest

from cadence.coach.actions import Phase
from cadence.coach.phases import _TRANSITIONS, IllegalTransition, PhaseEvent, PhaseMachine


def machine_in(phase: Phase) -> PhaseMachine:
    m = PhaseMachine(Phase.WARMUP)
    m.phase = phase
    return m


def test_a_run_walk_session_walks_through_the_table() -> None:
    m = PhaseMachine(Phase.WARMUP)
    assert m.process(PhaseEvent.NEXT_WARMUP_BLOCK) is Phase.WARMUP
    assert m.process(PhaseEvent.START_RUN) is Phase.RUN
    assert m.process(PhaseEvent.START_WALK) is Phase.WALK
    assert m.process(PhaseEvent.START_RUN) is Phase.RUN
    assert m.process(PhaseEvent.START_COOLDOWN) is Phase.COOLDOWN
    assert m.process(PhaseEvent.FINISH) is Phase.DONE
    assert not m.running_stopped


@pytest.mark.parametrize(
    ("phase", "event"), list(itertools.product(list(Phase), list(PhaseEvent)))
)
def test_every_pair_is_either_in_the_table_or_raises_without_change(
    phase: Phase, event: PhaseEvent
) -> None:
    m = machine_in(phase)
    expected = _TRANSITIONS[phase].get(event)
    if expected is None:
        with pytest.raises(IllegalTransition):
            m.process(event)
        assert m.phase is phase
        assert not m.running_stopped
        assert not m.can(event)
    else:
        assert m.can(event)
        assert m.process(event) is expected


@pytest.mark.parametrize("phase", [Phase.WARMUP, Phase.RUN, Phase.WALK])
def test_after_a_stop_running_can_never_start_again(phase: Phase) -> None:
    m = machine_in(phase)
    assert m.process(PhaseEvent.STOP_RUNNING) is Phase.COOLDOWN
    assert m.running_stopped
    with pytest.raises(IllegalTransition, match="running was stopped"):
        m.process(PhaseEvent.START_RUN)
    assert m.phase is Phase.COOLDOWN
    assert not m.can(PhaseEvent.START_RUN)
    # Even if someone forced the phase back to a walk, running stays locked.
    m.phase = Phase.WALK
    with pytest.raises(IllegalTransition):
        m.process(PhaseEvent.START_RUN)
    assert m.phase is Phase.WALK


def test_done_is_final() -> None:
    m = machine_in(Phase.DONE)
    for event in PhaseEvent:
        with pytest.raises(IllegalTransition):
            m.process(event)
    assert m.phase is Phase.DONE


def test_a_session_cannot_start_done() -> None:
    with pytest.raises(ValueError):
        PhaseMachine(Phase.DONE)


def test_error_names_phase_and_event() -> None:
    m = machine_in(Phase.COOLDOWN)
    with pytest.raises(IllegalTransition) as info:
        m.process(PhaseEvent.START_WALK)
    assert info.value.phase is Phase.COOLDOWN
    assert info.value.event is PhaseEvent.START_WALK
    assert "start_walk" in str(info.value) and "cooldown" in str(info.value)
