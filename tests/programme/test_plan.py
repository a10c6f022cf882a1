"""Today's plan from the history: the rules of issue 10, on plain records (pure).

The commands and real SQLite files are exercised in test_programme_commands.py;
here every rule is pinned on its own with hand-made histories.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cadence.coach.warning_signs import RedFlag
from cadence.profile.loader import load_program
from cadence.profile.model import FeedbackStep, Profile, ProgressionSettings
from cadence.profile.progression import session_run_s
from cadence.programme.plan import TodayPlan, plan_today, profile_for_today
from cadence.programme.records import (
    FollowUp,
    FollowUpWhen,
    PastSession,
    ProgrammeHistory,
    ReadinessRecord,
    RunnerCadence,
)
from cadence.programme.render import plan_to_json, render_plan

START = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # a Monday
PROTOCOL_A = load_program("protocol-a")
PROFILE = Profile(program="protocol-a")


def session(i: int, day: int, week: int = 1, *, pain: int = 0, post: int | None = 0,
            pre: int | None = 0, follow: tuple[int, int] | None = (0, 0), stage: int = 1,
            held: bool = False, completed: bool = True, target: float | None = 157.5
            ) -> PastSession:
    started = START + timedelta(days=day)
    ended = started + timedelta(minutes=40)
    ups: tuple[FollowUp, ...] = ()
    if follow is not None:
        ups = (FollowUp(FollowUpWhen.HOUR, follow[0], ended + timedelta(hours=1)),
               FollowUp(FollowUpWhen.MORNING, follow[1], ended + timedelta(hours=20)))
    readiness = None if pre is None else ReadinessRecord(started - timedelta(minutes=2), pre,
                                                         session_id=i)
    return PastSession(
        session_id=i, started_at=started, ended_at=ended, program="protocol-a", week=week,
        run_s=session_run_s(PROTOCOL_A.week(week)), completed=completed,
        max_pain_during=pain, post_run_pain=post, readiness=readiness, followups=ups,
        stage=stage, target_spm=target, baseline_spm=150.0, baseline_source="sensor",
        held_target=held, avg_cadence_spm=152.0,
    )


def history(*sessions: PastSession, seen: tuple[datetime, ...] = (),
            extra_checks: tuple[ReadinessRecord, ...] = ()) -> ProgrammeHistory:
    checks = tuple(sorted([s.readiness for s in sessions if s.readiness is not None]
                          + list(extra_checks), key=lambda r: r.at))
    return ProgrammeHistory(sessions, checks, seen, RunnerCadence(150.0, "measured", 1))


def at(day: float) -> datetime:
    return START + timedelta(days=day)


def plan(h: ProgrammeHistory, day: float, profile: Profile = PROFILE) -> TodayPlan:
    return plan_today(profile, PROTOCOL_A, h, at(day))


def test_no_history_starts_at_the_profiles_week() -> None:
    p = plan(ProgrammeHistory(), 0, replace(PROFILE, program_week=2))
    assert (p.week, p.plan.rounds, p.running_allowed, p.stage) == (2, 8, True, 1)
    assert p.target_spm is None and p.feedback is FeedbackStep.CONTINUOUS
    assert not p.cap_applies  # protocol A week 2 is a set step


def test_a_clean_week_advances() -> None:
    h = history(session(1, 0), session(2, 2), session(3, 4))
    p = plan(h, 6)
    assert p.week == 2 and p.volume_factor == 1.0 and p.running_allowed
    assert "on to week 2" in p.week_reason


def test_two_of_three_sessions_keep_the_week() -> None:
    assert plan(history(session(1, 0), session(2, 2)), 4).week == 1


def test_a_3_during_repeats_the_week_cut_for_the_default_7_days_then_restores() -> None:
    h = history(session(1, 0), session(2, 2), session(3, 4, pain=3))
    cut = plan(h, 6)
    assert cut.week == 1 and cut.volume_factor == pytest.approx(0.6)
    assert cut.plan.rounds == 4 < cut.full_plan.rounds == 6  # 6 x 0.6 = 3.6 -> 4 rounds
    assert cut.cut_until == at(10).date().isoformat()
    assert any(a.kind == "flare" for a in cut.advice) and cut.running_allowed
    restored = plan(h, 11)
    assert restored.week == 1 and restored.volume_factor == 1.0 and restored.plan.rounds == 6
    assert "0 of 3 sessions done since the pain flare" in restored.week_reason


def test_the_cut_and_its_days_come_from_the_profile() -> None:
    profile = replace(PROFILE, progression=ProgressionSettings(flare_cut_pct=50,
                                                               flare_cut_days=5))
    h = history(session(1, 0, post=3))
    p = plan(h, 1, profile)
    assert p.volume_factor == pytest.approx(0.5) and p.plan.rounds == 3
    assert p.cut_until == at(4).date().isoformat()
    assert plan(h, 5, profile).volume_factor == 1.0


def test_a_follow_up_above_the_pre_run_rating_is_a_flare() -> None:
    h = history(session(1, 0, pre=1, follow=(2, 1)), session(2, 2), session(3, 4))
    p = plan(h, 5)
    assert p.week == 1  # the flare on day 0 started the week again: 2 of 3 since
    h2 = history(session(1, 0), session(2, 2), session(3, 4, pre=0, follow=(0, 1)))
    p2 = plan(h2, 5)
    assert p2.week == 1 and p2.volume_factor < 1.0
    assert "not settled" in p2.week_reason


def test_a_follow_up_at_the_pre_run_level_is_fine() -> None:
    h = history(session(1, 0, pre=2, follow=(2, 2)), session(2, 2), session(3, 4))
    assert plan(h, 6).week == 2


def test_a_4_blocks_running_until_a_professional_is_confirmed() -> None:
    h = history(session(1, 0, pain=4))
    p = plan(h, 1)
    assert not p.running_allowed
    assert [a.kind for a in p.blocking] == ["see_professional"]
    assert not plan(h, 30).running_allowed  # time alone does not lift it
    seen = history(session(1, 0, pain=4), seen=(at(3),))
    assert plan(seen, 4).running_allowed
    assert plan(seen, 4).week == 1


def test_a_warning_sign_at_readiness_blocks_until_confirmed() -> None:
    check = ReadinessRecord(at(1), 0, (RedFlag.NIGHT_PAIN,))
    h = history(session(1, 0), extra_checks=(check,))
    p = plan(h, 2)
    assert not p.running_allowed and "wakes you at night" in p.blocking[0].reason
    assert plan(history(session(1, 0), extra_checks=(check,), seen=(at(1.5),)), 2
                ).running_allowed


def test_an_emergency_sign_says_emergency() -> None:
    check = ReadinessRecord(at(1), 0, (RedFlag.BLADDER_BOWEL,))
    p = plan(history(session(1, 0), extra_checks=(check,)), 2)
    assert [a.kind for a in p.blocking] == ["emergency"]


def test_a_3_at_readiness_with_no_run_is_a_flare() -> None:
    check = ReadinessRecord(at(3), 3)
    h = history(session(1, 0), session(2, 2), extra_checks=(check,))
    p = plan(h, 4)
    assert p.week == 1 and p.volume_factor < 1.0


def test_severe_pain_not_easing_over_5_days_needs_professional_advice() -> None:
    checks = tuple(ReadinessRecord(at(d), 6) for d in range(0, 6))
    seen_early = (at(0.5),)  # a visit after the first day does not cover the days after it
    p = plan(history(extra_checks=checks, seen=seen_early), 6)
    assert {a.kind for a in p.blocking} == {"see_professional", "severe_not_easing"}
    easing = (*checks[:3], ReadinessRecord(at(3), 5), *checks[4:])
    kinds = {a.kind for a in plan(history(extra_checks=easing), 6).advice}
    assert "severe_not_easing" not in kinds


def test_no_improvement_by_week_3_suggests_a_physiotherapist() -> None:
    sessions = [session(i + 1, 2 * i, pain=2, pre=2, follow=(2, 2)) for i in range(8)]
    p = plan(history(*sessions), 15)
    advice = {a.kind: a for a in p.advice}
    assert "no_improvement" in advice and not advice["no_improvement"].blocks_running
    better = [session(i + 1, 2 * i, pain=2 if i < 3 else 0, pre=2 if i < 3 else 0,
                      follow=(2, 2) if i < 3 else (0, 0)) for i in range(8)]
    assert "no_improvement" not in {a.kind for a in plan(history(*better), 15).advice}


def test_missed_follow_ups_are_asked_at_the_next_start() -> None:
    h = history(session(1, 0, follow=None))
    early = plan(h, 0.05)  # 72 min after the start: the session ended 32 min ago
    assert early.followups_due == ()
    p = plan(h, 1.5)
    assert p.followups_due == ((1, FollowUpWhen.HOUR), (1, FollowUpWhen.MORNING))
    assert any(a.kind == "followup_due" for a in p.advice)


def test_the_stage_rises_only_after_a_held_clean_session() -> None:
    assert plan(history(session(1, 0, held=False)), 1).stage == 1
    assert plan(history(session(1, 0, held=True)), 1).stage == 2
    assert plan(history(session(1, 0, held=True, pain=2)), 1).stage == 2
    assert plan(history(session(1, 0, held=True, post=3)), 1).stage == 1
    assert plan(history(session(1, 0, held=True, follow=(1, 0))), 1).stage == 1


def test_a_150_runner_never_gets_a_target_above_165() -> None:
    sessions: list[PastSession] = []
    targets = []
    for i in range(20):
        p = plan(history(*sessions), 2 * i)
        assert p.target_spm is not None
        targets.append(p.target_spm)
        sessions.append(session(i + 1, 2 * i, week=p.week, stage=p.stage, held=True,
                                target=p.target_spm))
    assert max(targets) == 165.0 and targets[0] == 157.5
    assert all(t <= 165.0 for t in targets)


def test_the_original_cadence_is_the_coachs_baseline_today() -> None:
    p = plan(history(session(1, 0, held=True)), 1)
    today = profile_for_today(PROFILE, p)
    assert today.baseline_cadence_spm == 150.0 and today.program_week == p.week


def test_feedback_fades_over_sessions_on_target() -> None:
    schedule = [plan(history(*[session(i + 1, 2 * i, held=True) for i in range(n)]), 2 * n
                     ).feedback for n in range(6)]
    assert schedule == [FeedbackStep.CONTINUOUS, FeedbackStep.CONTINUOUS,
                        FeedbackStep.INTERMITTENT, FeedbackStep.INTERMITTENT,
                        FeedbackStep.BANDWIDTH, FeedbackStep.BANDWIDTH]


def test_the_10_pct_rule_shows_only_from_the_programs_cap_week() -> None:
    week3 = [session(i + 1, i, week=3) for i in range(4)]
    p = plan(history(*week3), 5)
    assert p.week == 4 and p.cap_applies
    assert p.cap_limit_run_s == pytest.approx(4 * 24 * 60 * 1.1)
    text = render_plan(p)
    assert "10 % rule: at most" in text
    data = plan_to_json(p)
    assert data["ten_pct_rule_applies"] is True and data["week"] == 4
    assert "fixed step" in render_plan(plan(ProgrammeHistory(), 0))


def test_an_easy_walk_never_counts_towards_the_week_or_the_stage() -> None:
    from cadence.programme.plan import WALK_PROGRAM, walk_instead

    walks = [replace(session(i + 1, 2 * i, held=True, stage=3), program=WALK_PROGRAM, run_s=0.0)
             for i in range(3)]
    p = plan(history(*walks), 6)
    assert p.week == 1 and p.stage == 1 and p.feedback is FeedbackStep.CONTINUOUS
    profile, week = walk_instead(PROFILE, p)
    assert profile.program == WALK_PROGRAM
    assert (week.run_s, week.walk_s, week.rounds, week.warmup) == (0.0, 1200.0, 1, ())
