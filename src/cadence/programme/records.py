"""What the store remembers between sessions, as plain records for the planner.

The store (``cadence.store.programme``) builds these from its tables; nothing
here knows SQL. Times are timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cadence.coach.warning_signs import RedFlag


class FollowUpWhen(StrEnum):
    HOUR = "1h"  # about an hour after the session: is pain back to its pre-run level?
    MORNING = "morning"  # the next morning


@dataclass(frozen=True, slots=True)
class FollowUp:
    when: FollowUpWhen
    pain: int  # 0-10
    at: datetime


@dataclass(frozen=True, slots=True)
class ReadinessRecord:
    """The answers before a session (or before deciding not to run).

    Attributes:
        at: when the runner answered.
        pain: back pain right then, 0-10; ``None`` when the check was skipped.
        warning_signs: the signs ticked (empty when none, or skipped).
        skipped: the runner skipped the check (``--skip-check``).
        session_id: the session it opened; ``None`` when no run followed.
    """

    at: datetime
    pain: int | None
    warning_signs: tuple[RedFlag, ...] = ()
    skipped: bool = False
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class PastSession:
    """One recorded session, as far as the programme cares.

    Attributes:
        stage, target_spm, baseline_spm: what the coach ran it with (its start and
            baseline marks); ``None`` when unknown.
        baseline_source: "profile", "sensor" or "tap" (how the baseline was known).
        completed: the plan was run to its end.
        held_target: the runner reached the target and kept to it (see ``stage``).
        avg_cadence_spm: the running cadence measured this time (the "current" one).
    """

    session_id: int
    started_at: datetime
    ended_at: datetime | None
    program: str
    week: int
    run_s: float
    completed: bool
    max_pain_during: int | None
    post_run_pain: int | None
    readiness: ReadinessRecord | None = None
    followups: tuple[FollowUp, ...] = ()
    stage: int | None = None
    target_spm: float | None = None
    baseline_spm: float | None = None
    baseline_source: str = ""
    held_target: bool = False
    avg_cadence_spm: float | None = None

    @property
    def end(self) -> datetime:
        return self.ended_at or self.started_at


@dataclass(frozen=True, slots=True)
class RunnerCadence:
    """The runner's original cadence, stored once and never moved.

    Attributes:
        original_spm: the cadence the +10 % cap is measured from.
        source: "profile" (``baseline_cadence_spm``) or "measured" (first session).
        session_id: the session it was measured in, if measured.
    """

    original_spm: float
    source: str
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeHistory:
    sessions: tuple[PastSession, ...] = ()  # oldest first
    readiness: tuple[ReadinessRecord, ...] = ()  # every check, oldest first
    professional_seen: tuple[datetime, ...] = ()  # when the runner confirmed a visit
    cadence: RunnerCadence | None = None
