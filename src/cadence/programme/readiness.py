"""The readiness check before a session: may the runner run today?

Asked before every session: back pain right now (0-10) and the warning signs
since the last session (``signs``). Safety only ever makes the day easier:

- an emergency sign: the emergency screen and nothing else;
- any other warning sign, or pain at or above the profile's ``stop_at``, or a
  plan that does not allow running (see ``plan``): no running today, with the
  reasons, an easy walk or rest offered, and professional advice where due;
- otherwise running is fine, and today's rating is the baseline the
  follow-ups are compared with.

A skipped check (``--skip-check``) is recorded as skipped and leaves the plan's
own decision standing: it never unlocks a run the plan forbids.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cadence.coach.warning_signs import RedFlag, is_emergency, warning_sign
from cadence.programme.advice import PROFESSIONAL_PAIN, Advice


class Verdict(StrEnum):
    RUN = "run"
    NO_RUN = "no_run"  # an easy walk or rest instead
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class ReadinessAnswers:
    pain: int | None  # None when skipped
    warning_signs: tuple[RedFlag, ...] = ()
    skipped: bool = False

    def __post_init__(self) -> None:
        if self.pain is not None and not 0 <= self.pain <= 10:
            raise ValueError(f"pain must be 0-10 (got {self.pain})")


@dataclass(frozen=True, slots=True)
class ReadinessOutcome:
    verdict: Verdict
    reasons: tuple[str, ...]  # why, one sentence each
    see_professional: bool
    options: tuple[str, ...]  # "walk", "rest" when not running

    @property
    def may_run(self) -> bool:
        return self.verdict is Verdict.RUN


def assess(answers: ReadinessAnswers, stop_at: int, blocking: tuple[Advice, ...] = ()
           ) -> ReadinessOutcome:
    """The outcome of the answers, given the plan's blocking advice (if any)."""
    if is_emergency(answers.warning_signs):
        signs = [warning_sign(s).label for s in answers.warning_signs if is_emergency((s,))]
        return ReadinessOutcome(
            Verdict.EMERGENCY,
            (f"You reported: {'; '.join(signs).lower()}.",
             "Go to an emergency department now. Do not run."),
            True, (),
        )
    reasons: list[str] = []
    pro = False
    for sign in answers.warning_signs:
        reasons.append(f"You reported: {warning_sign(sign).label.lower()}. That is a sign to have "
                       "a physiotherapist or doctor look at your back before running.")
        pro = True
    if answers.pain is not None and answers.pain >= stop_at:
        if answers.pain >= PROFESSIONAL_PAIN:
            pro = True
            reasons.append(f"Your back is at {answers.pain}/10 right now: no running today, "
                           "and please get professional advice before the next run.")
        else:
            reasons.append(f"Your back is at {answers.pain}/10 right now, at or above your "
                           f"stop level of {stop_at}/10: no running today.")
    for a in blocking:
        reasons.append(f"{a.reason} {a.text}")
        pro = pro or a.kind in ("see_professional", "severe_not_easing", "emergency")
    if reasons:
        return ReadinessOutcome(Verdict.NO_RUN, tuple(reasons), pro, ("walk", "rest"))
    if answers.skipped:
        return ReadinessOutcome(Verdict.RUN, ("Readiness check skipped.",), False, ())
    note = ("No back pain right now." if not answers.pain else
            f"{answers.pain}/10 now is today's starting point: the run stops if it climbs "
            f"to {stop_at}/10.")
    return ReadinessOutcome(Verdict.RUN, (note,), False, ())
