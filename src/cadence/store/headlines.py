"""The cached one-row digest of each session, so history stays fast.

Summarising a 3-hour session reads ~100k samples; history over years of runs
must not do that for every session every time. When a session finishes (or is
recovered) its headline is computed once and stored as JSON with the summary
version; history reads those rows (the whole summary is cached beside it at
the same moments, see ``summary_cache``). Sessions without a current headline
(still recording, written by an older cadence, or from before an arithmetic
change) are summarised on demand, and cached if they are finished.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from cadence.report.summary import SUMMARY_STREAMS, SUMMARY_VERSION, headline_of, summarize
from cadence.report.summary_model import SessionHeadline
from cadence.store.db import DamagedStore, StoreError, check_intact, path_of
from cadence.store.read import load_session_columns, to_db_time


def _decode(text: str) -> SessionHeadline | None:
    """A cached headline, or None if the row does not read back (then it is recomputed)."""
    try:
        return SessionHeadline.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError):
        return None


def compute_headline(conn: sqlite3.Connection, session_id: int) -> SessionHeadline:
    """Summarise ``session_id`` from its columns (no ``Sample`` objects) for its headline."""
    data = load_session_columns(conn, session_id, SUMMARY_STREAMS)
    return headline_of(data, summarize(data))


def store_headline(conn: sqlite3.Connection, headline: SessionHeadline) -> None:
    """Write the cache row (the caller owns the transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO session_headline (session_id, summary_version, headline) "
        "VALUES (?, ?, ?)",
        (headline.session_id, SUMMARY_VERSION, json.dumps(headline.to_json())),
    )


def load_headlines(
    conn: sqlite3.Connection, *, since: datetime | None = None, before_id: int | None = None,
    limit: int | None = None, cache: bool = True,
) -> list[SessionHeadline]:
    """Headlines of sessions, oldest first.

    Args:
        since: only sessions started at or after this time.
        before_id: only sessions that started before this session (for comparisons).
        limit: keep only the latest ``limit`` of them.
        cache: store headlines computed on demand for finished sessions.
    """
    where, params = ["1"], []
    if since is not None:
        where.append("s.started_at >= ?")
        params.append(to_db_time(since))
    if before_id is not None:
        where.append("s.started_at < (SELECT started_at FROM sessions WHERE id = ?)")
        params.append(str(before_id))
    sql = (
        "SELECT s.id, s.ended_at IS NOT NULL, h.summary_version, h.headline FROM sessions s "
        "LEFT JOIN session_headline h ON h.session_id = s.id "
        f"WHERE {' AND '.join(where)} ORDER BY s.started_at DESC, s.id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = conn.execute(sql, params).fetchall()
    out: list[SessionHeadline] = []
    fresh: list[SessionHeadline] = []
    for session_id, finished, version, text in rows:
        if text is not None and version == SUMMARY_VERSION:
            cached = _decode(text)
            if cached is not None:
                out.append(cached)
                continue
        headline = compute_headline(conn, int(session_id))
        out.append(headline)
        if finished:
            fresh.append(headline)
    if cache and fresh:
        try:
            check_intact(conn, path_of(conn))  # never write into a damaged file
            conn.execute("BEGIN IMMEDIATE")
            for headline in fresh:
                store_headline(conn, headline)
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # a read-only or busy file: the cache can wait
        except StoreError as exc:
            if isinstance(exc, DamagedStore):
                raise
            # quick_check itself could not run (busy): the cache can wait
    out.reverse()
    return out
