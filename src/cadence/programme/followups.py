"""After a session: the two follow-up questions and what they mean.

The facts say running on is fine only if pain is back to its baseline within
an hour. The day's baseline is the rating given at the readiness check before
the run (0 when it was skipped: the strict reading). A follow-up above that
baseline, at one hour or the next morning, counts as a flare for the plan.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from cadence.programme.records import FollowUpWhen, PastSession

HOUR_AFTER = timedelta(hours=1)
MORNING_AT = time(7, 0)  # "the next morning" is asked from 07:00 the day after


def baseline_pain(session: PastSession) -> int:
    """The day's pre-run rating; 0 when the check was skipped or not recorded."""
    r = session.readiness
    return r.pain if r is not None and r.pain is not None else 0


def not_settled(session: PastSession) -> bool:
    """A follow-up came back above the pre-run rating."""
    base = baseline_pain(session)
    return any(f.pain > base for f in session.followups)


def later_pain(session: PastSession) -> int | None:
    return max((f.pain for f in session.followups), default=None)


def due_at(when: FollowUpWhen, ended_at: datetime) -> datetime:
    """When a follow-up is asked: an hour after the end, or 07:00 the next day."""
    if when is FollowUpWhen.HOUR:
        return ended_at + HOUR_AFTER
    next_day = (ended_at + timedelta(days=1)).date()
    return datetime.combine(next_day, MORNING_AT, tzinfo=ended_at.tzinfo)


def missing(session: PastSession, now: datetime) -> tuple[FollowUpWhen, ...]:
    """The follow-ups already due at ``now`` that were not answered."""
    answered = {f.when for f in session.followups}
    return tuple(w for w in FollowUpWhen if w not in answered and now >= due_at(w, session.end))


def which_now(session: PastSession, now: datetime) -> FollowUpWhen:
    """The follow-up a check-in at ``now`` answers when the runner does not say."""
    if now >= due_at(FollowUpWhen.MORNING, session.end):
        return FollowUpWhen.MORNING
    return FollowUpWhen.HOUR
