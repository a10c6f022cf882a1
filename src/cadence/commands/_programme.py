"""What ``plan``, ``checkin``, ``simulate --db``, ``run`` and ``demo`` share about the
programme: the ``--at`` time, the profile and program, and today's plan from a store.

Standard library only at module level, like every command module; the planner
and the store are imported inside the functions.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadence.profile.model import Profile, Program
    from cadence.programme.plan import TodayPlan
    from cadence.programme.records import ProgrammeHistory
    from cadence.store.store import Store


class BadInput(ValueError):
    """A one-line problem with the command line (exit 2)."""


def add_at_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--at", metavar="ISO-TIME", default=None,
                        help=f"{what} (default: now; e.g. 2026-12-01T07:30+01:00; "
                             "no offset means local time)")


def parse_at(text: str | None) -> datetime:
    """``--at`` as an aware datetime (local time when no offset is given)."""
    if text is None:
        return datetime.now().astimezone()
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"--at: not an ISO date and time: {text!r} "
                       "(e.g. 2026-12-01T07:30+01:00)") from None
    return when.astimezone() if when.tzinfo is None else when


def load_profile_program(path: str | None) -> tuple[Profile, Program, str]:
    """The profile (``--profile``, else the shipped default, else built-in defaults),
    its program and the name recorded with sessions. Raises ``ProfileError``."""
    from cadence.profile.loader import default_profile_path, load_profile_and_program, load_program
    from cadence.profile.model import Profile

    if path:
        profile, program = load_profile_and_program(path)
        return profile, program, Path(path).stem
    if default_profile_path().is_file():
        profile, program = load_profile_and_program(default_profile_path())
        return profile, program, "default"
    return Profile(), load_program("continuous"), "default"


def history_of(db: str | None) -> ProgrammeHistory:
    """The history in ``db`` (an empty one when the file does not exist yet)."""
    from cadence.programme.records import ProgrammeHistory
    from cadence.store.paths import resolve_db_path
    from cadence.store.programme import load_history
    from cadence.store.store import Store

    if not resolve_db_path(db).exists():
        return ProgrammeHistory()
    with Store.open(db, create=False) as store:
        return load_history(store)


def plan_from_store(store: Store, profile: Profile, program: Program, now: datetime
                    ) -> TodayPlan:
    from cadence.programme.plan import plan_today
    from cadence.store.programme import load_history

    return plan_today(profile, program, load_history(store), now)


def refuse_before_latest(store: Store, now: datetime, what: str) -> None:
    """Refuse to record at ``now`` when something later is already recorded."""
    from cadence.store.programme import latest_time

    latest = latest_time(store)
    if latest is not None and now < latest:
        raise BadInput(f"{what} {now.isoformat()} is before the last thing recorded "
                       f"({latest.isoformat()}); times must move forward")


def ask_missed_followups(db: str | None, now: datetime,
                         ask: Callable[[str], str] = input) -> int:
    """Before ``run``/``demo``: ask the last session's follow-ups that were missed.

    Asked in the terminal, before the screen starts, so today's plan already
    counts them; Enter skips one. Returns how many were recorded.
    """
    from cadence.programme.followups import missing
    from cadence.programme.records import FollowUp, FollowUpWhen
    from cadence.store.paths import resolve_db_path
    from cadence.store.programme import load_history, record_followup
    from cadence.store.store import Store

    if not resolve_db_path(db).exists():
        return 0
    recorded = 0
    with Store.open(db, create=False) as store:
        sessions = load_history(store).sessions
        if not sessions:
            return 0
        last = sessions[-1]
        for when in missing(last, now):
            moment = "an hour after it" if when is FollowUpWhen.HOUR else "the next morning"
            try:
                text = ask(f"Your last run ({last.started_at:%a %d %b}): how was your back "
                           f"{moment}? 0-10, Enter to skip: ").strip()
            except EOFError:
                return recorded
            if not text:
                continue
            if not text.isdigit() or not 0 <= int(text) <= 10:
                raise BadInput(f"pain must be a whole number 0-10 (got {text!r})")
            record_followup(store, last.session_id, FollowUp(when, int(text), now))
            recorded += 1
    return recorded
