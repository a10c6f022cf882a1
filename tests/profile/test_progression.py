"""Between-session progression: advance on pain <= 2, repeat after 3+, 10 % rule, flare cut."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.profile.loader import load_program
from cadence.profile.model import Program
from cadence.profile.progression import (
    FLARE_VOLUME_FACTOR,
    ProgressionDecision,
    SessionResult,
    next_session,
    scale_week,
    session_run_s,
    weekly_run_s,
)

MONDAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def protocol_a() -> Program:
    return load_program("protocol-a")


def runs(
    program: Program, week: int, pains: list[int], start: date = MONDAY
) -> list[SessionResult]:
    """Completed sessions of ``week`` two days apart, each with its peak pain."""
    plan = program.week(week)
    return [
        SessionResult(week, start + timedelta(days=2 * i), pain, 0, session_run_s(plan), True)
        for i, pain in enumerate(pains)
    ]


def test_first_session_stays_on_the_current_week(protocol_a: Program) -> None:
    d = next_session(protocol_a, 1, [], MONDAY)
    assert (d.week, d.advanced, d.volume_factor) == (1, False, 1.0)
    assert d.plan == protocol_a.week(1)
    assert "0 of 3 sessions" in d.reason


def test_advance_after_the_week_s_sessions_at_pain_2_or_less(protocol_a: Program) -> None:
    d = next_session(protocol_a, 1, runs(protocol_a, 1, [0, 2, 1]), MONDAY + timedelta(days=6))
    assert (d.week, d.advanced) == (2, True)
    assert d.plan == protocol_a.week(2)
    assert "on to week 2" in d.reason


def test_not_enough_sessions_yet(protocol_a: Program) -> None:
    d = next_session(protocol_a, 1, runs(protocol_a, 1, [0, 1]), MONDAY + timedelta(days=4))
    assert (d.week, d.advanced) == (1, False)
    assert "2 of 3 sessions" in d.reason


def test_sessions_stopped_early_do_not_count(protocol_a: Program) -> None:
    history = runs(protocol_a, 1, [0, 0, 0])
    history[2] = SessionResult(1, history[2].started, 0, 0, 120, completed=False)
    assert next_session(protocol_a, 1, history, MONDAY + timedelta(days=6)).week == 1


def test_pain_3_repeats_the_week_and_cuts_volume_for_7_days(protocol_a: Program) -> None:
    history = runs(protocol_a, 2, [0, 1, 3])
    flare_day = history[-1].started
    d = next_session(protocol_a, 2, history, flare_day + timedelta(days=1))
    assert (d.week, d.advanced) == (2, False)
    assert d.volume_factor == FLARE_VOLUME_FACTOR
    assert 0.5 <= session_run_s(d.plan) / session_run_s(protocol_a.week(2)) <= 0.7  # 30-50 % cut
    assert d.plan.run_s == protocol_a.week(2).run_s  # same intervals, fewer rounds
    assert d.cut_until == flare_day + timedelta(days=6)
    assert "3/10" in d.reason and "40 %" in d.reason and "hills" in d.reason
    assert not d.see_professional


def test_after_the_flare_window_the_week_starts_over(protocol_a: Program) -> None:
    history = runs(protocol_a, 2, [0, 1, 1, 3])  # three good runs, then a flare
    d = next_session(protocol_a, 2, history, history[-1].started + timedelta(days=8))
    assert (d.week, d.volume_factor) == (2, 1.0)
    assert "0 of 3 sessions done since the pain flare" in d.reason
    later = history + runs(protocol_a, 2, [1, 0, 2], start=MONDAY + timedelta(days=20))
    assert next_session(protocol_a, 2, later, MONDAY + timedelta(days=26)).week == 3


def test_post_run_pain_counts_too(protocol_a: Program) -> None:
    history = runs(protocol_a, 1, [0, 0])
    history.append(SessionResult(1, MONDAY + timedelta(days=4), 1, 3, 360, True))
    d = next_session(protocol_a, 1, history, MONDAY + timedelta(days=5))
    assert (d.week, d.volume_factor) == (1, FLARE_VOLUME_FACTOR)


def test_pain_4_or_more_advises_a_professional(protocol_a: Program) -> None:
    history = runs(protocol_a, 3, [0, 5])
    d = next_session(protocol_a, 3, history, history[-1].started + timedelta(days=2))
    assert d.see_professional
    assert "physiotherapist or doctor" in d.reason
    assert d.week == 3 and d.volume_factor < 1


def test_ten_percent_rule_holds_the_week_when_the_runner_ran_less(protocol_a: Program) -> None:
    short = [
        SessionResult(4, MONDAY + timedelta(days=i), 0, 0, 20 * 60, True) for i in range(4)
    ]  # 80 min instead of the planned 104
    d = next_session(protocol_a, 4, short, MONDAY + timedelta(days=6))
    assert (d.week, d.advanced) == (4, False)
    assert "80 min" in d.reason and "112 min" in d.reason and "10 %" in d.reason
    full = runs(protocol_a, 4, [0, 0, 0, 0])
    assert next_session(protocol_a, 4, full, MONDAY + timedelta(days=8)).week == 5


def test_protocol_steps_before_the_cap_week_follow_the_protocol(protocol_a: Program) -> None:
    """Week 1 -> 2 more than doubles running time: the prescribed run-walk step."""
    assert weekly_run_s(protocol_a.week(2)) > 2 * weekly_run_s(protocol_a.week(1))
    d = next_session(protocol_a, 1, runs(protocol_a, 1, [0, 0, 0]), MONDAY + timedelta(days=6))
    assert d.week == 2


def test_the_last_week_repeats(protocol_a: Program) -> None:
    last = protocol_a.weeks[-1].week
    d = next_session(protocol_a, last, runs(protocol_a, last, [0, 0, 0, 0]), MONDAY + timedelta(9))
    assert (d.week, d.advanced) == (last, False)
    assert "last week" in d.reason
    assert next_session(protocol_a, last + 5, [], MONDAY).week == last


def test_datetimes_work_as_start_times(protocol_a: Program) -> None:
    history = [
        SessionResult(1, datetime(2026, 3, 2 + 2 * i, 7, 30), 0, None, 360, True) for i in range(3)
    ]
    assert next_session(protocol_a, 1, history, date(2026, 3, 9)).week == 2


def test_scale_week_cuts_continuous_runs_in_whole_minutes() -> None:
    continuous = load_program("continuous").week(1)
    cut = scale_week(continuous, 0.6)
    assert (cut.run_s, cut.rounds) == (18 * 60, 1)
    assert scale_week(continuous, 1.0) is continuous


@st.composite
def histories(draw: st.DrawFn) -> tuple[int, list[SessionResult], date]:
    week = draw(st.integers(1, 6))
    n = draw(st.integers(0, 10))
    sessions = [
        SessionResult(
            week=draw(st.integers(max(1, week - 1), week)),
            started=MONDAY + timedelta(days=draw(st.integers(0, 30))),
            max_pain_during=draw(st.integers(0, 10)),
            post_run_pain=draw(st.none() | st.integers(0, 10)),
            run_s=draw(st.floats(0, 3600)),
            completed=draw(st.booleans()),
        )
        for _ in range(n)
    ]
    return week, sessions, MONDAY + timedelta(days=draw(st.integers(0, 40)))


@settings(max_examples=300, deadline=None)
@given(histories())
def test_progression_never_pushes(case: tuple[int, list[SessionResult], date]) -> None:
    """Whatever the history: at most one week forward, never more volume than planned,
    never past a recent flare, and from the cap week on within 10 % of what was run."""
    program = load_program("protocol-a")
    week, history, today = case
    d: ProgressionDecision = next_session(program, week, history, today)
    assert d.week in (week, week + 1)
    assert d.volume_factor <= 1.0
    assert weekly_run_s(d.plan) <= weekly_run_s(program.week(d.week))
    recent_flare = any(
        s.peak_pain >= 3 and timedelta(0) <= today - s.day < timedelta(days=7) for s in history
    )
    if recent_flare and all(s.day <= today for s in history):
        assert not d.advanced and d.volume_factor < 1
    if d.advanced:
        ordered = sorted(history, key=lambda s: s.day)
        flares = [i for i, s in enumerate(ordered) if s.peak_pain >= 3]
        since = ordered[flares[-1] + 1 :] if flares else ordered
        counted = [s for s in since if s.week == week and s.completed]
        planned = program.week(week).sessions
        assert len(counted) >= planned
        assert all(s.peak_pain <= 2 for s in counted)
        if d.week >= program.volume_cap_from_week:
            ran_s = sum(s.run_s for s in counted[-planned:])
            assert weekly_run_s(d.plan) <= ran_s * 1.1 + 1e-6


def test_every_decision_carries_the_strength_work_reminder() -> None:
    """Issue 11: a reminder of strength work 2-3 times a week, for the plan and the history."""
    from cadence.profile.progression import STRENGTH_REMINDER, next_session

    program = load_program("protocol-a")
    decision = next_session(program, 1, [], date(2026, 3, 2))
    assert decision.reminder == STRENGTH_REMINDER
    assert "strength" in STRENGTH_REMINDER and "two or three times a week" in STRENGTH_REMINDER
