"""What the programme remembers between sessions, in the session database.

The tables (migration 4 in ``db``): ``readiness`` (every check, with or without
a run after it), ``followups`` (one hour after and the next morning, one row
each per session), ``professional_seen`` (the runner's confirmations) and
``runner_cadence`` (the original cadence: one row, written once and never
changed, so the +10 % cap can't creep upwards with each re-measurement).

``load_history`` turns those tables, the sessions and their cached summaries
into the plain ``ProgrammeHistory`` the pure planner reads. The commands are
single-threaded, so these functions use the store's connection directly.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from cadence.coach.warning_signs import RedFlag
from cadence.model.session import EventKind, EventRecord, SessionInfo
from cadence.profile.model import Profile
from cadence.programme.records import (
    FollowUp,
    FollowUpWhen,
    PastSession,
    ProgrammeHistory,
    ReadinessRecord,
    RunnerCadence,
)
from cadence.programme.stage import held_target, original_cadence
from cadence.report.summary_model import Summary
from cadence.store import db, read
from cadence.store.db import StoreError
from cadence.store.store import Store

COMPLETED = "program_done"


def _write(store: Store, sql: str, params: tuple[object, ...]) -> int:
    try:
        cur = store.connection.execute(sql, params)
    except sqlite3.DatabaseError as exc:
        raise StoreError(db.describe_write_failure(store.path, exc)) from exc
    return int(cur.lastrowid or 0)


def record_readiness(store: Store, record: ReadinessRecord, verdict: str) -> int:
    """Store one readiness check; returns its id (to attach the session to it later)."""
    return _write(
        store,
        "INSERT INTO readiness (asked_at, pain, warning_signs, skipped, verdict, session_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (read.to_db_time(record.at), record.pain,
         json.dumps([s.value for s in record.warning_signs]), int(record.skipped), verdict,
         record.session_id),
    )


def attach_readiness(store: Store, readiness_id: int, session_id: int) -> None:
    _write(store, "UPDATE readiness SET session_id = ? WHERE id = ?", (session_id, readiness_id))


def record_followup(store: Store, session_id: int, followup: FollowUp) -> None:
    """Store a follow-up answer (a second answer to the same question replaces the first)."""
    read.resolve_ref(store.connection, session_id)
    _write(
        store,
        "INSERT INTO followups (session_id, asked, answered_at, pain) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (session_id, asked) DO UPDATE SET answered_at = excluded.answered_at, "
        "pain = excluded.pain",
        (session_id, followup.when.value, read.to_db_time(followup.at), followup.pain),
    )


def record_professional_seen(store: Store, at: datetime) -> None:
    _write(store, "INSERT INTO professional_seen (confirmed_at) VALUES (?)", (read.to_db_time(at),))


def keep_original_cadence(store: Store, cadence: RunnerCadence, at: datetime) -> RunnerCadence:
    """Store the original cadence if none is stored yet; returns the one kept."""
    _write(
        store,
        "INSERT OR IGNORE INTO runner_cadence (id, original_spm, source, session_id, set_at) "
        "VALUES (1, ?, ?, ?, ?)",
        (float(cadence.original_spm), cadence.source, cadence.session_id, read.to_db_time(at)),
    )
    stored = stored_cadence(store)
    assert stored is not None
    return stored


def keep_first_cadence(store: Store, profile: Profile, at: datetime) -> RunnerCadence | None:
    """After a session: store the original cadence if none is stored yet (the profile's
    ``baseline_cadence_spm``, else the first baseline a session measured)."""
    stored = stored_cadence(store)
    if stored is not None:
        return stored
    original = original_cadence(None, profile, load_history(store).sessions)
    return None if original is None else keep_original_cadence(store, original, at)


def stored_cadence(store: Store) -> RunnerCadence | None:
    row = store.connection.execute(
        "SELECT original_spm, source, session_id FROM runner_cadence WHERE id = 1").fetchone()
    return None if row is None else RunnerCadence(float(row[0]), str(row[1]), row[2])


def latest_time(store: Store) -> datetime | None:
    """The latest moment anything was recorded (a session start or end, a check, a follow-up)."""
    row = store.connection.execute(
        "SELECT max(t) FROM (SELECT max(started_at) AS t FROM sessions "
        "UNION ALL SELECT max(ended_at) FROM sessions "
        "UNION ALL SELECT max(asked_at) FROM readiness "
        "UNION ALL SELECT max(answered_at) FROM followups)").fetchone()
    return None if row[0] is None else read.from_db_time(row[0])


def _signs(text: str) -> tuple[RedFlag, ...]:
    out = []
    for value in json.loads(text):
        try:
            out.append(RedFlag(value))
        except ValueError:
            continue  # written by a newer cadence
    return tuple(out)


def _readiness(conn: sqlite3.Connection) -> list[ReadinessRecord]:
    rows = conn.execute("SELECT asked_at, pain, warning_signs, skipped, session_id FROM readiness "
                        "ORDER BY asked_at, id").fetchall()
    return [ReadinessRecord(read.from_db_time(at), pain, _signs(signs), bool(skipped), sid)
            for at, pain, signs, skipped, sid in rows]


def _followups(conn: sqlite3.Connection) -> dict[int, list[FollowUp]]:
    out: dict[int, list[FollowUp]] = {}
    rows = conn.execute("SELECT session_id, asked, answered_at, pain FROM followups "
                        "ORDER BY answered_at").fetchall()
    for sid, asked, at, pain in rows:
        out.setdefault(int(sid), []).append(
            FollowUp(FollowUpWhen(asked), int(pain), read.from_db_time(at)))
    return out


def session_checks(store: Store, session_id: int
                   ) -> tuple[ReadinessRecord | None, list[FollowUp]]:
    """The readiness check that opened ``session_id`` and its follow-ups (for the summary)."""
    conn = store.connection
    check = next((r for r in _readiness(conn) if r.session_id == session_id), None)
    return check, _followups(conn).get(session_id, [])


def _marks(events: tuple[EventRecord, ...]) -> dict[str, dict[str, object]]:
    """The first mark of each kind in a session's events."""
    out: dict[str, dict[str, object]] = {}
    for e in events:
        if e.kind is EventKind.MARK:
            out.setdefault(str(e.payload.get("kind", "")), e.payload)
    return out


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def past_session(info: SessionInfo, events: tuple[EventRecord, ...], summary: Summary,
                 readiness: ReadinessRecord | None, followups: list[FollowUp]) -> PastSession:
    """One session as the planner sees it, from its events and summary."""
    marks = _marks(events)
    start = marks.get("session_start", {})
    base = marks.get("baseline", {})
    baseline = _num(base.get("spm")) or _num(start.get("baseline_spm"))
    target = _num(base.get("target_spm")) or _num(start.get("target_spm"))
    source = str(base.get("source", "profile" if _num(start.get("baseline_spm")) else ""))
    stage = start.get("stage")
    runs = [i for i in summary.intervals if i.phase == "run" and i.avg_cadence_spm is not None]
    reached = "ramp_target_reached" in marks or (
        baseline is not None and target is not None and target <= baseline)
    during = [p.rating for p in summary.pain if p.when != "post_run"]
    post = [p.rating for p in summary.pain if p.when == "post_run"]
    return PastSession(
        session_id=info.session_id,
        started_at=info.started_at,
        ended_at=info.ended_at,
        program=info.program,
        week=info.program_week,
        run_s=summary.run_s,
        completed=info.end_reason == COMPLETED,
        max_pain_during=max(during, default=None),
        post_run_pain=max(post, default=None),
        readiness=readiness,
        followups=tuple(followups),
        stage=stage if isinstance(stage, int) and not isinstance(stage, bool) else None,
        target_spm=target,
        baseline_spm=baseline,
        baseline_source=source,
        held_target=held_target(target, reached, "fade_out" in marks,
                                runs[-1].avg_cadence_spm if runs else None),
        avg_cadence_spm=summary.avg_cadence_spm,
    )


def load_history(store: Store) -> ProgrammeHistory:
    """Everything the planner needs, oldest first."""
    conn = store.connection
    checks = _readiness(conn)
    by_session = {r.session_id: r for r in checks if r.session_id is not None}
    followups = _followups(conn)
    sessions = []
    for info in store.list_sessions():
        summary = store.summary(info.session_id, compare=0)
        events = read.load_events(conn, info.session_id)
        sessions.append(past_session(info, events, summary, by_session.get(info.session_id),
                                     followups.get(info.session_id, [])))
    seen = tuple(read.from_db_time(r[0]) for r in conn.execute(
        "SELECT confirmed_at FROM professional_seen ORDER BY confirmed_at"))
    return ProgrammeHistory(tuple(sessions), tuple(checks), seen, stored_cadence(store))
