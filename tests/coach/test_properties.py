"""Property tests: safety and etiquette hold whatever the runner does, at any tick."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.coach.actions import (
    Action,
    AskPain,
    Cue,
    CueKind,
    MetronomeOn,
    PainPromptClosed,
    Phase,
    PhaseChange,
    SessionEnded,
    StopRun,
)
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs, PainAnswer, RedFlag
from cadence.profile.model import Profile
from support.coaching import CONTINUOUS_30, PROTOCOL_A_WEEK_1, footpod

PROFILE = Profile(baseline_cadence_spm=162.0, pain_prompt_interval_s=240.0)

events = st.one_of(
    st.none(),
    st.none(),
    st.none(),
    st.builds(lambda r: {"pain": PainAnswer(r)}, st.integers(0, 10)),
    st.sampled_from([
        {"red_flag": RedFlag.LEG_SYMPTOMS}, {"red_flag": RedFlag.EMERGENCY},
        {"toggle_pause": True}, {"toggle_mute": True}, {"tempo_nudge_spm": 2.0},
        {"tempo_nudge_spm": -2.0}, {"end_requested": True},
    ]),
)


Script = list[tuple[float, dict[str, Any] | None]]


def run(script: Script, week_long: bool) -> list[tuple[float, Action]]:
    week = PROTOCOL_A_WEEK_1 if week_long else CONTINUOUS_30
    coach = Coach(PROFILE, week)
    t = 0.0
    log: list[tuple[float, Action]] = []
    for dt, extra in script:
        t += dt
        inputs = Inputs(samples=(footpod(t, 163.0),), **(extra or {}))
        log += [(t, a) for a in coach.step(t, inputs)]
    return log


scripts = st.lists(st.tuples(st.floats(0.05, 20.0), events), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(scripts, st.booleans())
def test_after_a_stop_running_never_restarts(script: Script, week_long: bool) -> None:
    log = run(script, week_long)
    stops = [i for i, (_, a) in enumerate(log) if isinstance(a, StopRun)]
    if stops:
        after = [a for _, a in log[stops[0]:]]
        assert not any(isinstance(a, MetronomeOn) for a in after)
        assert not any(isinstance(a, PhaseChange) and a.phase is Phase.RUN for a in after)


@settings(max_examples=60, deadline=None)
@given(scripts, st.booleans())
def test_session_ends_once_and_then_stays_quiet(script: Script, week_long: bool) -> None:
    log = run(script, week_long)
    ends = [i for i, (_, a) in enumerate(log) if isinstance(a, SessionEnded)]
    assert len(ends) <= 1
    if ends:
        assert ends[0] == len(log) - 1


@settings(max_examples=60, deadline=None)
@given(scripts, st.booleans())
def test_optional_cues_are_spaced_and_never_over_a_prompt(script: Script, week_long: bool) -> None:
    log = run(script, week_long)
    last_cue: float | None = None
    prompt_open = False
    for t, a in log:
        if isinstance(a, AskPain):
            prompt_open = True
        elif isinstance(a, PainPromptClosed):
            prompt_open = False
        elif isinstance(a, Cue) and a.sound_id is not None:
            if a.kind in (CueKind.FORM, CueKind.TEMPO):
                assert not prompt_open
                assert last_cue is None or t - last_cue >= PROFILE.cue_min_gap_s - 1e-9
            last_cue = t


@settings(max_examples=25, deadline=None)
@given(scripts)
def test_deterministic(script: Script) -> None:
    assert run(script, True) == run(script, True)


def test_a_stricter_profile_is_respected() -> None:
    coach = Coach(replace(PROFILE, pain_stop_rating=2), CONTINUOUS_30)
    coach.step(10.0, Inputs(samples=(footpod(10.0, 163.0),)))
    out = coach.step(11.0, Inputs(pain=PainAnswer(2)))
    assert any(isinstance(a, StopRun) for a in out)
