"""Between sessions: which program week comes next, and how much to run.

Pure and clock-free: the caller passes the program, the week the runner is on,
the results of past sessions and today's date, and gets back a decision with a
plain-language reason to show. The rules, from ``coaching-facts.md``:

1. **Pain is counted as the peak** of the highest rating during the run and the
   rating after it. Rebuilding only happens on runs whose peak stayed at 2/10
   or less.
2. **A flare (a peak of 3/10 or more) holds the week.** The runner repeats the
   current week from the start: sessions before the flare no longer count.
   For 7 days after the flare the running volume is cut by 40 % (the advice is
   30-50 % for 5-7 days; the defaults take the middle of the cut and the long
   end of the time, and the profile's ``progression`` section may choose within
   that range), and the reason asks for easy effort, flat soft ground, no hills
   or intervals. A follow-up rating above the day's pre-run rating (pain that
   did not settle within the hour, or by the next morning) is a flare too.
   A peak of 4/10 or more also sets ``see_professional``: the facts say to
   stop running and get professional advice.
3. **Advance** to the next week only once the current week's planned number of
   completed sessions have been run since the last flare (all of them, by rule
   2, at 2/10 or less).
4. **The 10 % rule:** from the program's ``volume_cap_from_week`` on, the next
   week's planned running time may exceed what the runner actually ran in the
   week's counted sessions by at most ``max_weekly_increase_pct``. If they ran
   less than planned (shortened runs), the week is repeated instead. Weeks
   before ``volume_cap_from_week`` are the protocol's prescribed run-walk steps
   (mostly walking), so protocol A's weeks 1-3 grow faster; the program
   validator checks the plan itself keeps to the rule from that week on.
5. Past the last week the last week repeats (``Program.week``).

Only ever holding or easing, never adding extra volume, keeps the safety rule
of the whole app: the coach can make running easier or stop it, never push.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from cadence.profile.model import Program, ProgramWeek

ADVANCE_MAX_PAIN = 2  # the highest peak rating a run may have to count towards advancing
FLARE_PAIN = 3  # a peak at or above this repeats the week and cuts volume
SEE_PROFESSIONAL_PAIN = 4  # at or above this, advise professional advice
FLARE_DAYS = 7
FLARE_VOLUME_FACTOR = 0.6  # a 40 % cut

#: Shown with the plan and the history: running is only half of the rebuild.
STRENGTH_REMINDER = (
    "Alongside the runs, do strength work for glutes, core and hips two or three "
    "times a week."
)


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What one past session tells the progression.

    Attributes:
        week: the program week the session followed.
        started: the day it started (a ``datetime`` works too).
        max_pain_during: highest pain rating (0-10) given during the run.
        post_run_pain: the rating asked at the end, ``None`` when not answered.
        run_s: seconds actually spent running (walk breaks excluded).
        completed: whether the planned session was finished (not stopped early).
        later_pain: the highest rating asked about it later (the follow-ups one hour
            after and the next morning), ``None`` when none.
        not_settled: a follow-up came back above the pre-run rating: pain did not
            return to its baseline, which counts as a flare whatever the number.
    """

    week: int
    started: date
    max_pain_during: int
    post_run_pain: int | None
    run_s: float
    completed: bool
    later_pain: int | None = None
    not_settled: bool = False

    @property
    def peak_pain(self) -> int:
        return max(self.max_pain_during, self.post_run_pain or 0, self.later_pain or 0)

    @property
    def flared(self) -> bool:
        """A rating of 3 or more, or pain that did not settle back to its baseline."""
        return self.peak_pain >= FLARE_PAIN or self.not_settled

    @property
    def day(self) -> date:
        return self.started.date() if isinstance(self.started, datetime) else self.started


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    """The next session: which week, the plan to run, and why.

    Attributes:
        week: the program week of the next session.
        plan: the week's plan to run, already cut when ``volume_factor`` < 1.
        volume_factor: 1.0, or ``FLARE_VOLUME_FACTOR`` while easing off a flare.
        reason: one or two plain sentences for the runner.
        advanced: True when ``week`` is one more than the current week.
        cut_until: last day of the reduced volume, if any.
        see_professional: a recent rating of 4/10 or more.
        reminder: the strength-work reminder, shown with the plan.
    """

    week: int
    plan: ProgramWeek
    volume_factor: float
    reason: str
    advanced: bool = False
    cut_until: date | None = None
    see_professional: bool = False
    reminder: str = STRENGTH_REMINDER


def session_run_s(week: ProgramWeek) -> float:
    """Running seconds in one session of ``week`` (walk breaks excluded)."""
    return week.run_s * week.rounds


def weekly_run_s(week: ProgramWeek) -> float:
    """Planned running seconds over the whole week."""
    return session_run_s(week) * week.sessions


def scale_week(week: ProgramWeek, factor: float) -> ProgramWeek:
    """``week`` with its running volume multiplied by about ``factor`` (< 1 cuts).

    Run-walk weeks lose rounds (the intervals keep their length, so the runner
    keeps a familiar rhythm); continuous weeks get a shorter run, in whole minutes.
    """
    if factor >= 1.0:
        return week
    if week.walk_s > 0 and week.rounds > 1:
        return replace(week, rounds=max(1, round(week.rounds * factor)))
    minutes = max(1.0, math.floor(week.run_s * factor / 60))
    return replace(week, run_s=min(week.run_s, minutes * 60))


def _flare_words(flare: SessionResult) -> str:
    if flare.peak_pain >= FLARE_PAIN:
        return f"Pain reached {flare.peak_pain}/10"
    return "Pain had not settled back to its pre-run level after the run"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min"


def next_session(
    program: Program,
    current_week: int,
    history: Sequence[SessionResult],
    today: date,
    *,
    flare_days: int = FLARE_DAYS,
    flare_volume_factor: float = FLARE_VOLUME_FACTOR,
) -> ProgressionDecision:
    """Decide the next session's week and plan (see the module docstring for the rules).

    ``flare_days`` and ``flare_volume_factor`` are the profile's flare settings
    (5-7 days, a 30-50 % cut); the defaults are the module's.

    The rules are tried in order, each a named step: ease off after a recent
    flare, keep going with an unfinished week, stay on the last week, repeat a
    week whose next one would grow too fast, else advance.
    """
    week_no = min(max(1, current_week), program.weeks[-1].week)
    plan = program.week(week_no)
    ordered = sorted(history, key=lambda s: s.day)
    flare_index = _last_flare(ordered)
    if flare_index is not None:
        easing = _ease_after_flare(ordered[flare_index], week_no, plan, today,
                                   flare_days, flare_volume_factor)
        if easing is not None:
            return easing
    since_flare = ordered if flare_index is None else ordered[flare_index + 1 :]
    counted = [s for s in since_flare if s.week == week_no and s.completed]
    return (
        _unfinished_week(week_no, plan, counted, after_flare=flare_index is not None)
        or _last_week_reached(program, week_no, plan)
        or _too_much_growth(program, week_no, plan, counted)
        or _advance(program, week_no, plan)
    )


def _last_flare(ordered: Sequence[SessionResult]) -> int | None:
    """Index of the latest session that flared (3/10 or more, or pain not settled), if any."""
    return max((i for i, s in enumerate(ordered) if s.flared), default=None)


def _ease_after_flare(
    flare: SessionResult, week_no: int, plan: ProgramWeek, today: date,
    flare_days: int = FLARE_DAYS, volume_factor: float = FLARE_VOLUME_FACTOR,
) -> ProgressionDecision | None:
    """Rule 2: within ``flare_days`` of a flare, the week restarts with less running."""
    cut_until = flare.day + timedelta(days=flare_days - 1)
    if today > cut_until:
        return None
    pro = flare.peak_pain >= SEE_PROFESSIONAL_PAIN
    advice = (
        "A rating that high means stop running and get advice from a "
        "physiotherapist or doctor before the next run. "
        if pro
        else ""
    )
    return ProgressionDecision(
        week=week_no,
        plan=scale_week(plan, volume_factor),
        volume_factor=volume_factor,
        reason=(
            f"{advice}{_flare_words(flare)} on {flare.day.isoformat()}, "
            f"so week {week_no} starts again with about "
            f"{(1 - volume_factor) * 100:.0f} % less running until "
            f"{cut_until.isoformat()}: easy effort, flat and soft ground, "
            "no hills or hard intervals."
        ),
        cut_until=cut_until,
        see_professional=pro,
    )


def _unfinished_week(
    week_no: int, plan: ProgramWeek, counted: Sequence[SessionResult], *, after_flare: bool
) -> ProgressionDecision | None:
    """Rule 3: not all of the week's sessions are done yet (since the last flare)."""
    if len(counted) >= plan.sessions:
        return None
    since = " since the pain flare" if after_flare else ""
    return ProgressionDecision(
        week=week_no,
        plan=plan,
        volume_factor=1.0,
        reason=(
            f"Week {week_no}: {len(counted)} of {plan.sessions} sessions done{since} "
            "with pain at 2/10 or less; keep going with this week."
        ),
    )


def _last_week_reached(
    program: Program, week_no: int, plan: ProgramWeek
) -> ProgressionDecision | None:
    """Rule 5: past the end of the program the last week repeats."""
    if week_no < program.weeks[-1].week:
        return None
    return ProgressionDecision(
        week=week_no,
        plan=plan,
        volume_factor=1.0,
        reason=f"Week {week_no} is the last week of {program.title}; keep it at this level.",
    )


def _too_much_growth(
    program: Program, week_no: int, plan: ProgramWeek, counted: Sequence[SessionResult]
) -> ProgressionDecision | None:
    """Rule 4: the next week may add at most the 10 % rule's share to what was run."""
    nxt = program.week(week_no + 1)
    ran_s = sum(s.run_s for s in counted[-plan.sessions :])
    limit_s = ran_s * (1 + program.max_weekly_increase_pct / 100)
    if nxt.week < program.volume_cap_from_week or weekly_run_s(nxt) <= limit_s + 1e-6:
        return None
    return ProgressionDecision(
        week=week_no,
        plan=plan,
        volume_factor=1.0,
        reason=(
            f"You ran {_minutes(ran_s)} in week {week_no}; week {nxt.week} plans "
            f"{_minutes(weekly_run_s(nxt))}, more than "
            f"{program.max_weekly_increase_pct:g} % above that, so repeat week {week_no}."
        ),
    )


def _advance(program: Program, week_no: int, plan: ProgramWeek) -> ProgressionDecision:
    """Rule 3 met: on to the next week."""
    nxt = program.week(week_no + 1)
    return ProgressionDecision(
        week=nxt.week,
        plan=nxt,
        volume_factor=1.0,
        reason=(
            f"All {plan.sessions} sessions of week {week_no} done with pain at 2/10 or less: "
            f"on to week {nxt.week}."
        ),
        advanced=True,
    )
