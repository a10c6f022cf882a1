"""The session store: one SQLite file holding every recorded run.

``Store`` is the front door used by the live app and the commands: it opens the
file safely (see ``db``), starts recorders, lists, loads and recovers sessions
and serves the cached headlines history needs and the cached summaries. All
access to its connection goes through one lock, so a recorder flushing from the
UI loop and a summary being loaded from a worker thread never interleave inside
a transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from cadence.model.session import SessionData, SessionInfo
from cadence.report.streams import SessionColumns, StreamSpec
from cadence.report.summary import SUMMARY_STREAMS
from cadence.report.summary_model import SessionHeadline, Summary
from cadence.store import db, read
from cadence.store.buffer import DEFAULT_MAX_SAMPLES
from cadence.store.db import StoreError
from cadence.store.headlines import load_headlines
from cadence.store.paths import resolve_db_path

if TYPE_CHECKING:  # the recorder (and the coach's action types) only when recording
    from cadence.store.recorder import SessionRecorder
    from cadence.store.recorder_status import StatusCallback


class Store:
    """An open session database. Use ``Store.open``; close it (or use ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = True,
             busy_timeout_ms: int = 1000) -> Store:
        """Open (or with ``create``, make) the store at ``path`` or the default location.

        Raises:
            StoreError: one line naming the file (missing, not SQLite, damaged, too new).
        """
        resolved = resolve_db_path(path)
        return cls(db.connect(resolved, create=create, busy_timeout_ms=busy_timeout_ms), resolved)

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (tests, benchmarks); prefer the methods."""
        return self._conn

    @property
    def schema_version(self) -> int:
        with self._lock:
            return db.schema_version(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- recording -------------------------------------------------------------------------
    def begin_session(
        self,
        *,
        profile_name: str,
        runner_name: str,
        program: str,
        program_week: int,
        started_at: datetime,
        treadmill: bool,
        shoe_name: str,
        band_low_spm: float = 170.0,
        band_high_spm: float = 180.0,
        max_held_samples: int = DEFAULT_MAX_SAMPLES,
        on_status: StatusCallback | None = None,
    ) -> SessionRecorder:
        """Create the session row (committed at once) and return its recorder.

        Raises:
            StoreError: the session row can't be written (locked, full): the caller
                should tell the runner that this run won't be recorded.
        """
        with self._lock:
            db.check_intact(self._conn, self.path)  # never record into a damaged file
            try:
                cur = self._conn.execute(
                    "INSERT INTO sessions (started_at, profile_name, runner_name, program, "
                    "program_week, treadmill, shoe_name, band_low_spm, band_high_spm) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (read.to_db_time(started_at), profile_name, runner_name, program,
                     int(program_week), int(treadmill), shoe_name, float(band_low_spm),
                     float(band_high_spm)),
                )
            except sqlite3.DatabaseError as exc:
                raise StoreError(db.describe_write_failure(self.path, exc)) from exc
            session_id = cur.lastrowid
            assert session_id is not None
            from cadence.store.recorder import SessionRecorder

            return SessionRecorder(self._conn, self._lock, self.path, session_id,
                                   max_held_samples=max_held_samples, on_status=on_status)

    # -- reading ---------------------------------------------------------------------------
    def list_sessions(self) -> list[SessionInfo]:
        with self._lock:
            return read.list_sessions(self._conn)

    def resolve(self, ref: int | str) -> int:
        """A session id from an id or ``"last"``; SessionNotFound if there is none."""
        with self._lock:
            return read.resolve_ref(self._conn, ref)

    def session_info(self, ref: int | str) -> SessionInfo:
        with self._lock:
            return read.session_info(self._conn, read.resolve_ref(self._conn, ref))

    def load_session(self, ref: int | str) -> SessionData:
        """The whole session (an id or ``"last"``), finished or not."""
        with self._lock:
            return read.load_session(self._conn, ref)

    def load_session_columns(
        self, ref: int | str, streams: Iterable[Sequence[StreamSpec]] = SUMMARY_STREAMS
    ) -> SessionColumns:
        """What ``summarize`` needs of a session (an id or ``"last"``), as numpy columns.

        The fast path for summaries: several times quicker than ``load_session``
        on long runs because no ``Sample`` object is built. ``streams`` are
        fallback chains of (field, roles); the default is what ``summarize`` reads.
        """
        with self._lock:
            return read.load_session_columns(self._conn, ref, streams)

    def summary(self, ref: int | str, *, compare: int = 5) -> Summary:
        """Session ``ref``'s summary (an id or ``"last"``), compared with ``compare`` before it.

        A finished session's summary comes from the cache written when it ended
        (one small row); an unfinished one, or one whose cached row is missing,
        outdated or damaged, is summarised from its columns (and the row is
        rewritten if the file can be written at once). Either way the result is
        ``summarize(self.load_session_columns(ref), previous)``.
        """
        from cadence.store.summary_cache import session_summary

        with self._lock:
            session_id = read.resolve_ref(self._conn, ref)
            previous = (load_headlines(self._conn, before_id=session_id, limit=compare)
                        if compare > 0 else [])
            return session_summary(self._conn, session_id, previous)

    def headlines(self, *, since: datetime | None = None, before_id: int | None = None,
                  limit: int | None = None) -> list[SessionHeadline]:
        """Cached headline rows, oldest first (see ``headlines.load_headlines``)."""
        with self._lock:
            return load_headlines(self._conn, since=since, before_id=before_id, limit=limit)

    def previous_headlines(self, session_id: int, limit: int = 5) -> list[SessionHeadline]:
        """The ``limit`` sessions started before ``session_id``, for comparisons."""
        return self.headlines(before_id=session_id, limit=limit)

    # -- recovery --------------------------------------------------------------------------
    def unfinished_sessions(self, *, include_live: bool = False) -> list[SessionInfo]:
        """Sessions with no end; by default only those no running cadence is recording."""
        from cadence.store.recovery import unfinished

        with self._lock:
            return unfinished(self._conn, self.path, include_live=include_live)

    def recover(self, session_id: int) -> SessionInfo:
        """End a cut-off session as "recovered", duration from its last sample or event."""
        from cadence.store.recovery import recover_session

        with self._lock:
            db.check_intact(self._conn, self.path)  # never write into a damaged file
            return recover_session(self._conn, self.path, read.resolve_ref(self._conn, session_id))
