"""Today's session, planned from the runner's history.

``plan_today`` puts the pieces together and says why for each:

- week and volume: ``profile.progression.next_session`` over the sessions of
  this program (a flare repeats the week with the profile's cut for its days;
  a follow-up above the pre-run rating is a flare too; a readiness rating of 3
  or more counts as a flare even though nobody ran);
- stage, target and feedback step: ``stage``;
- whether running is allowed and the advice: ``advice`` (a professional first
  after 4/10 or a warning sign, until confirmed; severe pain not easing; no
  improvement by week 3), plus follow-ups still to answer.

The 10 % rule is shown against what the runner actually ran in the seven days
before today, and applies only from the program's ``volume_cap_from_week``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cadence.profile.model import FeedbackStep, Profile, Program, ProgramWeek
from cadence.profile.progression import (
    ProgressionDecision,
    SessionResult,
    next_session,
    session_run_s,
)
from cadence.programme import stage as stages
from cadence.programme.advice import Advice, history_advice
from cadence.programme.followups import later_pain, missing, not_settled
from cadence.programme.records import (
    FollowUpWhen,
    PastSession,
    ProgrammeHistory,
    RunnerCadence,
)

WEEK = timedelta(days=7)
#: the program name an easy walk-only session is recorded under: it is not a session
#: of the runner's program, so it never counts towards a week, a stage or the feedback
WALK_PROGRAM = "walk-only"
WALK_S = 20 * 60.0


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """Today's session and the reasons behind it (``render`` shows it)."""

    at: datetime
    program: str
    program_title: str
    week: int
    plan: ProgramWeek  # what to run today (already cut after a flare)
    full_plan: ProgramWeek  # the week as written
    volume_factor: float
    cut_until: str | None  # ISO date, last day of the cut
    week_reason: str
    session_run_s: float
    week_planned_run_s: float  # the week's sessions at today's volume
    last_7_days_run_s: float
    cap_applies: bool  # the 10 % rule applies to this week
    cap_limit_run_s: float | None  # last 7 days + 10 %, when it applies and there is a base
    stage: int
    stage_reason: str
    original: RunnerCadence | None
    current_cadence_spm: float | None
    target_spm: float | None  # None until the original cadence is known (measured today)
    feedback: FeedbackStep
    running_allowed: bool
    advice: tuple[Advice, ...]
    followups_due: tuple[tuple[int, FollowUpWhen], ...]  # (session id, which)

    @property
    def blocking(self) -> tuple[Advice, ...]:
        return tuple(a for a in self.advice if a.blocks_running)


def _results(program: Program, history: ProgrammeHistory, start_week: int
             ) -> tuple[list[SessionResult], int]:
    """The sessions of ``program`` as progression results, and the week last run."""
    mine = [s for s in history.sessions if s.program == program.name]
    ids = {s.session_id for s in mine}
    week = mine[-1].week if mine else start_week
    results = [
        SessionResult(
            week=s.week, started=s.started_at.date(),
            max_pain_during=max(s.max_pain_during or 0, _pre_run(s)),
            post_run_pain=s.post_run_pain, run_s=s.run_s, completed=s.completed,
            later_pain=later_pain(s), not_settled=not_settled(s),
        )
        for s in mine
    ]
    # a check that stopped the day (3/10 or more) is a flare even though nobody ran
    # (or the runner only walked)
    for r in history.readiness:
        if r.session_id not in ids and r.pain is not None:
            results.append(SessionResult(week, r.at.date(), r.pain, None, 0.0, False))
    return results, week


def _pre_run(s: PastSession) -> int:
    return s.readiness.pain if s.readiness is not None and s.readiness.pain is not None else 0


def _decide(profile: Profile, program: Program, history: ProgrammeHistory, now: datetime
            ) -> ProgressionDecision:
    results, week = _results(program, history, profile.program_week)
    settings = profile.progression
    return next_session(program, week, results, now.date(),
                        flare_days=settings.flare_cut_days,
                        flare_volume_factor=1.0 - settings.flare_cut_pct / 100.0)


def plan_today(profile: Profile, program: Program, history: ProgrammeHistory,
               now: datetime) -> TodayPlan:
    """Today's plan for ``profile`` on ``program`` given ``history`` (see the module doc)."""
    decision = _decide(profile, program, history, now)
    sessions = tuple(s for s in history.sessions if s.program != WALK_PROGRAM)
    original = stages.original_cadence(history.cadence, profile, sessions)
    stage, stage_reason = stages.next_stage(profile, sessions)
    recent = [s for s in sessions if now - WEEK <= s.started_at < now]
    last_7 = sum(s.run_s for s in recent)
    cap_applies = decision.week >= program.volume_cap_from_week
    advice = history_advice(history, now)
    if decision.volume_factor < 1.0:
        advice.append(Advice("flare", "Easy effort only, on flat and soft ground; no hills "
                             "or hard intervals.", decision.reason))
    due: list[tuple[int, FollowUpWhen]] = []
    if sessions:
        last = sessions[-1]
        due = [(last.session_id, w) for w in missing(last, now)]
        if due:
            names = " and ".join("one hour after" if w is FollowUpWhen.HOUR else "next morning"
                                 for _, w in due)
            advice.append(Advice("followup_due", "Tell cadence how your back feels now "
                                 "(`cadence checkin`).",
                                 f"The {names} check on session {last.session_id} was not "
                                 "answered."))
    measured = [s.avg_cadence_spm for s in sessions if s.avg_cadence_spm is not None]
    return TodayPlan(
        at=now,
        program=program.name,
        program_title=program.title,
        week=decision.week,
        plan=decision.plan,
        full_plan=program.week(decision.week),
        volume_factor=decision.volume_factor,
        cut_until=None if decision.cut_until is None else decision.cut_until.isoformat(),
        week_reason=decision.reason,
        session_run_s=session_run_s(decision.plan),
        week_planned_run_s=session_run_s(decision.plan) * decision.plan.sessions,
        last_7_days_run_s=last_7,
        cap_applies=cap_applies,
        cap_limit_run_s=(last_7 * (1 + program.max_weekly_increase_pct / 100)
                         if cap_applies and last_7 > 0 else None),
        stage=stage,
        stage_reason=stage_reason,
        original=original,
        current_cadence_spm=measured[-1] if measured else None,
        target_spm=stages.target_spm(profile, original, stage),
        feedback=stages.feedback_step(profile, sessions),
        running_allowed=not any(a.blocks_running for a in advice),
        advice=tuple(advice),
        followups_due=tuple(due),
    )


def walk_instead(profile: Profile, plan: TodayPlan) -> tuple[Profile, ProgramWeek]:
    """An easy walk-only session for a day without running: the profile (recorded
    under ``WALK_PROGRAM``) and the week to coach (one 20-minute walk, no warm-up)."""
    walk = ProgramWeek(week=plan.week, run_s=0.0, walk_s=WALK_S, rounds=1, sessions=1,
                       warmup=(), cooldown_s=0.0)
    return replace(profile, program=WALK_PROGRAM), walk


def profile_for_today(profile: Profile, plan: TodayPlan) -> Profile:
    """The profile the coach runs today: the planned week, the original cadence as
    its baseline (so the +10 % cap is always against it) and today's feedback step."""
    baseline = plan.original.original_spm if plan.original else profile.baseline_cadence_spm
    tempo = replace(profile.tempo, fade_mode=stages.FEEDBACK_FADE[plan.feedback])
    return replace(profile, program=plan.program, program_week=plan.week,
                   baseline_cadence_spm=baseline, tempo=tempo)
