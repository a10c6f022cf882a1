"""Finishing sessions that were cut off, and offering to do so at the next start.

A session killed mid-run has samples and events up to its last flush but no end.
Recovery closes it as it was: what only reached a spill file (``spill``: the
database was locked or full) or the pain journal is put in first, then the
duration is the last thing recorded and the end reason "recovered" (or, when
the run had ended and only the write was missing, the spill's own end), headline
and summary cached, so it appears in history and summaries
like any other run. A session whose recorder is still alive (see ``live_lock``) is
never offered and can't be recovered. ``Store.unfinished_sessions`` and
``Store.recover`` are the front door; this module never imports ``store``.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

from cadence.model.session import SessionInfo
from cadence.store import pain_journal, spill
from cadence.store.db import StoreError
from cadence.store.live_lock import is_live, remove_stale_lock
from cadence.store.read import SESSION_COLUMNS, info_from_row, last_recorded_t, session_info
from cadence.store.read import to_db_time as _to_db_time
from cadence.store.summary_cache import cache_session

RECOVERED = "recovered"


def unfinished(conn: sqlite3.Connection, db_path: Path, *,
               include_live: bool = False) -> list[SessionInfo]:
    rows = conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions WHERE ended_at IS NULL ORDER BY started_at, id"
    ).fetchall()
    infos = [info_from_row(conn, row) for row in rows]
    if include_live:
        return infos
    return [i for i in infos if not is_live(db_path, i.session_id)]


def recover_session(conn: sqlite3.Connection, db_path: Path, session_id: int) -> SessionInfo:
    """Close ``session_id`` as recovered; its duration is the last sample or event time."""
    info = session_info(conn, session_id)
    if info.ended_at is not None:
        raise StoreError(f"session {session_id} already finished ({info.end_reason})")
    if is_live(db_path, session_id):
        raise StoreError(f"session {session_id} is still being recorded by a running cadence")
    conn.execute("BEGIN IMMEDIATE")
    try:
        _restore_journal(conn, db_path, session_id)
        end = _restore_spills(conn, db_path, session_id)
        duration_s = last_recorded_t(conn, session_id)
        reason = RECOVERED
        if end is not None:
            reason, duration_s = end[0], max(duration_s, end[1])
        ended_at = info.started_at + timedelta(seconds=duration_s)
        conn.execute(
            "UPDATE sessions SET ended_at = ?, duration_s = ?, end_reason = ?, recovered = 1 "
            "WHERE id = ? AND ended_at IS NULL",
            (_to_db_time(ended_at), duration_s, reason, session_id),
        )
        cache_session(conn, session_id)  # headline + summary rows
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    pain_journal.discard(db_path, session_id)
    spill.discard(db_path, session_id)
    remove_stale_lock(db_path, session_id)
    return session_info(conn, session_id)


def _restore_journal(conn: sqlite3.Connection, db_path: Path, session_id: int) -> None:
    """Pain ratings that only reached the journal go into the database (once)."""
    for event in pain_journal.read(db_path, session_id):
        payload = json.dumps(event.payload)
        present = conn.execute(
            "SELECT 1 FROM events WHERE session_id = ? AND kind = 'pain' AND t_s = ? "
            "AND payload = ?", (session_id, event.t_s, payload)).fetchone()
        if present is None:
            conn.execute("INSERT INTO events (session_id, t_s, kind, payload) "
                         "VALUES (?, ?, 'pain', ?)", (session_id, event.t_s, payload))


def _restore_spills(conn: sqlite3.Connection, db_path: Path, session_id: int
                    ) -> tuple[str, float] | None:
    """Rows only a spill file kept go into the database (once); the run's end, if it had one.

    A row is skipped when the database already has it (same time, sensor and role for
    a sample; same time, kind and payload for an event): a later flush may have written
    it, and two spill copies may overlap.
    """
    spills = spill.read(db_path, session_id)
    if not spills:
        return None
    have_samples = {(t, role, sensor) for t, role, sensor in conn.execute(
        "SELECT t_s, role, sensor_id FROM samples WHERE session_id = ?", (session_id,))}
    have_events = {(t, kind, payload) for t, kind, payload in conn.execute(
        "SELECT t_s, kind, payload FROM events WHERE session_id = ?", (session_id,))}
    end: tuple[str, float] | None = None
    for kept in spills:
        new_samples = []
        for row in kept.samples:
            key = (row[0], row[1], row[8])
            if key not in have_samples:
                have_samples.add(key)
                new_samples.append((session_id, *row))
        conn.executemany(
            "INSERT INTO samples (session_id, t_s, role, cadence_spm, speed_mps, hr_bpm, "
            "distance_m, incline_pct, stride_length_m, sensor_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new_samples)
        new_events = [(session_id, *row) for row in kept.events if row not in have_events]
        have_events.update(kept.events)
        conn.executemany("INSERT INTO events (session_id, t_s, kind, payload) "
                         "VALUES (?, ?, ?, ?)", new_events)
        if kept.end_reason is not None and kept.duration_s is not None:
            end = (kept.end_reason, kept.duration_s)
    return end
