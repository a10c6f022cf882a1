"""The live app's few calls into the session store, in one place.

Opening a recorder with the profile's details, finishing it with the end
reason, reading a summary back, listing headlines and writing exports. The
screens call these from thread workers; ``Store`` serialises access to its
connection with a lock, so that is safe.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cadence.coach.actions import StopReason
from cadence.export.formats import format_named
from cadence.export.session_context import session_context_event
from cadence.model.session import SessionData
from cadence.profile.model import Profile
from cadence.report.summary_model import SessionHeadline, Summary

if TYPE_CHECKING:
    from cadence.store.recorder import SessionRecorder
    from cadence.store.store import Store



def open_recorder(
    store: Store, profile: Profile, profile_name: str, started_at: datetime | None = None
) -> SessionRecorder:
    """Start recording a session (at ``started_at``, default now); returns the recorder.

    The first event recorded is the session's context (``session_context_event``):
    the UTC offset of this machine's clock when the session starts, so exports
    give the runner's local time wherever and whenever they are made, and the
    body mass, if the profile gives one, for the exports' calorie estimate.
    """
    started = started_at or datetime.now(UTC)
    recorder = store.begin_session(
        profile_name=profile_name,
        runner_name=profile.runner_name,
        program=profile.program,
        program_week=profile.program_week,
        started_at=started,
        treadmill=profile.treadmill,
        shoe_name=profile.shoe.name,
        band_low_spm=profile.band.low_spm,
        band_high_spm=profile.band.high_spm,
    )
    recorder.add_event(session_context_event(started, profile.body_mass_kg))
    return recorder


def finish_recorder(
    recorder: SessionRecorder, end_reason: StopReason | None, duration_s: float
) -> bool:
    """Mark the session ended; False if the store could not be written (it stays recoverable)."""
    reason = (end_reason or StopReason.USER).value
    return recorder.finish(reason, duration_s)


def load_summary(store: Store, session_id: int) -> tuple[SessionData, Summary]:
    """The session and its summary, compared with the few sessions before it."""
    from cadence.report.summary import summarize

    data = store.load_session(session_id)
    previous = store.previous_headlines(session_id)
    return data, summarize(data, previous)


def load_headlines(store: Store) -> list[SessionHeadline]:
    """Every finished session's headline, newest first."""
    return list(reversed(store.headlines()))


def exports_dir() -> Path:
    """``<data folder>/exports``: where the summary screen writes files."""
    from cadence.store.paths import data_dir

    return data_dir() / "exports"


def export_session(data: SessionData, fmt: str, folder: Path | None = None) -> Path:
    """Write ``data`` as ``fmt`` (a ``FORMATS`` name) into ``folder``; returns the path.

    Raises:
        ValueError: ``fmt`` is not a known format.
        OSError: the folder or the file cannot be written.
    """
    export_format = format_named(fmt)
    out_dir = folder or exports_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = f"{data.info.started_at:%Y%m%d-%H%M}"
    path = out_dir / f"cadence-{data.info.session_id}-{stamp}{export_format.suffix}"
    export_format.write(data, path)
    return path
