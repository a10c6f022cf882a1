"""Each finished session's summary, computed once and kept, so ``cadence summary`` is instant.

Why: summarising a 3-hour session means reading ~130k sample rows, and Python's
``sqlite3`` row fetch alone takes ~80 ms of the 100 ms budget however the rows
are handed over. A finished session never changes, so its ``Summary`` is
computed when it finishes (or is recovered), in the same transaction that marks
it ended, and stored as exact JSON (``summary_codec``) with ``SUMMARY_VERSION``.
Reading it back is one small row.

Rules:
- Only finished sessions are served from the cache; a session still recording
  (or cut off and not yet recovered) is always summarised live from its columns.
- A missing row, a row of another ``SUMMARY_VERSION`` or a row that does not
  decode falls back to the live columnar summary, and the row is rewritten if
  the file can be written at once. The read never fails or waits because the
  cache can't be written (read-only file, another writer holding the lock),
  but a file that fails ``PRAGMA quick_check`` is never written to: the
  summary then ends in the one-line "damaged" error, so the runner learns of it.
- The comparison with earlier sessions is not cached: it is recomputed on read
  from their cached headlines (``summary.with_comparison``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence

from cadence.report.summary import (
    SUMMARY_STREAMS,
    SUMMARY_VERSION,
    headline_of,
    summarize,
    with_comparison,
)
from cadence.report.summary_model import SessionHeadline, Summary
from cadence.store.db import check_intact, path_of
from cadence.store.headlines import store_headline
from cadence.store.read import load_session_columns
from cadence.store.summary_codec import CorruptSummary, summary_from_cache, summary_to_cache

#: how long a cache refresh waits for another writer before giving up (the read goes on)
REFRESH_TIMEOUT_MS = 20


def store_summary(conn: sqlite3.Connection, summary: Summary) -> None:
    """Write ``summary``'s cache row (the caller owns the transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO session_summary (session_id, summary_version, summary) "
        "VALUES (?, ?, ?)",
        (summary.session_id, SUMMARY_VERSION, summary_to_cache(summary)),
    )


def cache_session(conn: sqlite3.Connection, session_id: int) -> tuple[Summary, SessionHeadline]:
    """Summarise a just-ended session once and write both of its cache rows.

    Used by ``recorder.finish`` and ``recovery.recover_session`` inside the
    transaction that marks the session ended (the caller owns it), so the
    session is never ended without them. Reads the columns, not ``Sample``
    objects: about 100 ms for a 3-hour session instead of about 400 ms.
    """
    data = load_session_columns(conn, session_id, SUMMARY_STREAMS)
    summary = summarize(data)
    headline = headline_of(data, summary)
    store_headline(conn, headline)
    store_summary(conn, summary)
    return summary, headline


def cached_summary(conn: sqlite3.Connection, session_id: int) -> Summary | None:
    """The cached summary of ``session_id`` if it is finished and the row is current and sound.

    None for a session that is not finished, has no row, a row of another
    ``SUMMARY_VERSION``, or a row that does not read back (see ``summary_codec``).
    """
    try:
        row = conn.execute(
            "SELECT s.ended_at IS NOT NULL, c.summary_version, c.summary FROM sessions s "
            "JOIN session_summary c ON c.session_id = s.id WHERE s.id = ?", (session_id,),
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no cache table (a file this cadence could not migrate): live path
    if row is None or not row[0] or row[1] != SUMMARY_VERSION or row[2] is None:
        return None
    try:
        summary = summary_from_cache(row[2])
    except CorruptSummary:
        return None
    if summary.session_id != session_id or not summary.finished:
        return None  # a row that belongs elsewhere is as good as corrupt
    return summary


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _refresh(conn: sqlite3.Connection, summary: Summary, headline: SessionHeadline) -> bool:
    """Rewrite the cache rows now if the file lets us at once; True if written."""
    if conn.in_transaction:  # someone else's transaction: not ours to commit
        return False
    check_intact(conn, path_of(conn))  # never write into a damaged file: DamagedStore
    old_timeout = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    try:
        conn.execute(f"PRAGMA busy_timeout = {REFRESH_TIMEOUT_MS}")
        conn.execute("BEGIN IMMEDIATE")
        store_summary(conn, summary)
        store_headline(conn, headline)
        conn.execute("COMMIT")
    except sqlite3.Error:  # read-only, locked, full: the cache can wait for next time
        _rollback(conn)
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {old_timeout}")
    return True


def session_summary(conn: sqlite3.Connection, session_id: int,
                    previous: Sequence[SessionHeadline] = (), *, refresh: bool = True) -> Summary:
    """``summarize`` of ``session_id`` compared with ``previous``, from the cache when it can be.

    Equal to ``summarize(load_session_columns(...), previous)`` in every case;
    ``refresh`` rewrites a missing or outdated row of a finished session.
    """
    summary = cached_summary(conn, session_id)
    if summary is None:
        data = load_session_columns(conn, session_id, SUMMARY_STREAMS)
        summary = summarize(data)
        if refresh and summary.finished:
            _refresh(conn, summary, headline_of(data, summary))
    return with_comparison(summary, previous)
