"""Today's plan as text (``cadence plan``, the TUI's readiness screen) and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cadence.profile.model import FeedbackStep
from cadence.profile.progression import STRENGTH_REMINDER
from cadence.programme.plan import TodayPlan
from cadence.programme.readiness import ReadinessOutcome
from cadence.programme.records import FollowUp, FollowUpWhen, ReadinessRecord

FEEDBACK_WORDS: dict[FeedbackStep, str] = {
    FeedbackStep.CONTINUOUS: "the beat plays all through the run",
    FeedbackStep.INTERMITTENT: "the beat comes and goes, so you keep the rhythm on your own",
    FeedbackStep.BANDWIDTH: "the beat stays quiet while you are on target and returns if "
                            "you drift off it",
}


def _min(seconds: float) -> str:
    return f"{seconds / 60:.0f} min"


def rounds_text(plan: TodayPlan) -> str:
    w = plan.plan
    if w.walk_s <= 0:
        return f"{_min(w.run_s)} continuous running"
    return f"{w.rounds} x ({_min(w.run_s)} run / {_min(w.walk_s)} walk)"


def plan_to_json(plan: TodayPlan) -> dict[str, Any]:
    return {
        "at": plan.at.isoformat(),
        "program": plan.program,
        "week": plan.week,
        "rounds": plan.plan.rounds,
        "run_min": plan.plan.run_s / 60,
        "walk_min": plan.plan.walk_s / 60,
        "volume_factor": round(plan.volume_factor, 3),
        "cut_until": plan.cut_until,
        "week_reason": plan.week_reason,
        "session_run_min": round(plan.session_run_s / 60, 1),
        "week_planned_run_min": round(plan.week_planned_run_s / 60, 1),
        "last_7_days_run_min": round(plan.last_7_days_run_s / 60, 1),
        "ten_pct_rule_applies": plan.cap_applies,
        "ten_pct_limit_min": (None if plan.cap_limit_run_s is None
                              else round(plan.cap_limit_run_s / 60, 1)),
        "stage": plan.stage,
        "stage_reason": plan.stage_reason,
        "original_cadence_spm": None if plan.original is None else plan.original.original_spm,
        "current_cadence_spm": plan.current_cadence_spm,
        "target_spm": plan.target_spm,
        "feedback": plan.feedback.value,
        "running_allowed": plan.running_allowed,
        "advice": [{"kind": a.kind, "text": a.text, "reason": a.reason,
                    "blocks_running": a.blocks_running} for a in plan.advice],
        "followups_due": [{"session_id": sid, "when": w.value} for sid, w in plan.followups_due],
        "strength_reminder": STRENGTH_REMINDER,
    }


def render_plan(plan: TodayPlan) -> str:
    lines = [f"Today: {plan.program_title}, week {plan.week}: {rounds_text(plan)}",
             f"  why: {plan.week_reason}"]
    run_line = (f"Running: {_min(plan.session_run_s)} today, {_min(plan.week_planned_run_s)} "
                f"planned this week; {_min(plan.last_7_days_run_s)} in the last 7 days")
    if plan.cap_applies and plan.cap_limit_run_s is not None:
        run_line += f" (10 % rule: at most {_min(plan.cap_limit_run_s)} a week)"
    elif not plan.cap_applies:
        run_line += " (this week is a fixed step of the program; the 10 % rule starts later)"
    lines.append(run_line)
    if plan.target_spm is None:
        cadence = "measured in the first minutes, then +5 %"
    else:
        assert plan.original is not None
        cadence = (f"target {plan.target_spm:g} spm (from your original "
                   f"{plan.original.original_spm:g} spm)")
    lines.append(f"Tempo: stage {plan.stage}, {cadence}")
    lines.append(f"  why: {plan.stage_reason}")
    lines.append(f"Metronome: {FEEDBACK_WORDS[plan.feedback]}")
    lines.append("Running today: " + ("yes" if plan.running_allowed else "no"))
    for a in plan.advice:
        lines.append(f"- {a.text}")
        lines.append(f"  why: {a.reason}")
    lines.append(f"Strength: {STRENGTH_REMINDER}")  # every day, run or not: half the rebuild
    return "\n".join(lines)


def checks_to_json(readiness: ReadinessRecord | None, followups: Sequence[FollowUp]
                   ) -> dict[str, Any]:
    """A session's readiness check and follow-ups, for ``cadence summary --json``."""
    return {
        "readiness": None if readiness is None else {
            "pain": readiness.pain, "skipped": readiness.skipped,
            "warning_signs": [s.value for s in readiness.warning_signs]},
        "followups": [{"when": f.when.value, "pain": f.pain, "at": f.at.isoformat()}
                      for f in followups],
    }


def render_checks(readiness: ReadinessRecord | None, followups: Sequence[FollowUp]) -> str:
    """One or two lines for ``cadence summary``: before the run, and after it."""
    if readiness is None:
        before = "Before the run: no readiness check recorded"
    elif readiness.skipped or readiness.pain is None:
        before = "Before the run: readiness check skipped"
    else:
        before = f"Before the run: {readiness.pain}/10"
    base = 0 if readiness is None or readiness.pain is None else readiness.pain
    names = {FollowUpWhen.HOUR: "an hour after", FollowUpWhen.MORNING: "next morning"}
    after = ", ".join(
        f"{names[f.when]} {f.pain}/10" + (" (above the pre-run level)" if f.pain > base else "")
        for f in followups) or "no follow-ups yet (`cadence checkin`)"
    return f"{before}; after: {after}"


def outcome_to_json(outcome: ReadinessOutcome) -> dict[str, Any]:
    return {"verdict": outcome.verdict.value, "reasons": list(outcome.reasons),
            "see_professional": outcome.see_professional, "options": list(outcome.options)}
