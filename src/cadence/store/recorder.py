"""Writing a session as it runs, so a crash or a full disk costs (almost) nothing.

The live shell hands every sample and event to a ``SessionRecorder`` and calls
``flush()`` about once a second; each flush commits everything held in one
transaction. A SIGKILL therefore loses at most the samples since the last flush
(about a second). Pain ratings skip the wait: ``add_pain`` commits at once.

A flush swaps the held rows out under the recorder's own small buffer lock and
writes them outside it: ``add_sample`` on the UI loop never waits for a write
transaction or its fsync. The store's connection lock is taken only for the
transaction itself (the connection is shared with the store's readers).

When a write fails because the database is locked, the disk is full or the disk
errors, the recorder does not raise into the session: it keeps the rows in a
bounded ``PendingBuffer``, sets ``health`` and ``last_error`` to a one-line
message (and calls ``on_status``), and retries on every later flush. Once a
flush succeeds everything held is written and the health is back to OK.

A damaged file is the exception: once SQLite reports the database malformed
(SQLITE_CORRUPT), the recorder never writes into it again, because writing into
a damaged b-tree can lose what is still readable. It keeps holding, copies what
it holds to a spill file at once (the next start recovers it, into a new file
if need be), and the line it shows says how to keep a copy of the damaged one.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from cadence.coach.actions import Action
from cadence.model.link import SensorStatus
from cadence.model.sample import Sample
from cadence.model.session import EventKind, EventRecord, SessionInfo
from cadence.store import pain_journal, spill
from cadence.store.buffer import DEFAULT_MAX_SAMPLES, PendingBuffer
from cadence.store.db import StoreError, describe_write_failure, is_damage, keep_copy_hint
from cadence.store.events import event_from_action, event_from_status, pain_event
from cadence.store.live_lock import LiveLock
from cadence.store.read import session_info, to_db_time
from cadence.store.recorder_status import RecorderHealth, RecorderStatus, StatusCallback
from cadence.store.summary_cache import cache_session

#: while writes fail, the held rows are copied to a spill file at most this often
SPILL_EVERY_S = 2.0

#: how long a flush waits for another writer's lock before holding the data and moving
#: on: short, because the live screen's loop calls flush() and must not stall
FLUSH_TIMEOUT_MS = 150


class SessionRecorder:
    """Records one session. Create it with ``Store.begin_session``."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        lock: threading.RLock,
        db_path: Path,
        session_id: int,
        *,
        max_held_samples: int = DEFAULT_MAX_SAMPLES,
        on_status: StatusCallback | None = None,
        flush_timeout_ms: int = FLUSH_TIMEOUT_MS,
    ) -> None:
        self._conn = conn
        self.flush_timeout_ms = flush_timeout_ms
        self._store_timeout_ms = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
        self._lock = lock  # the store's: the connection, only around a transaction
        self._buffer_lock = threading.Lock()  # the held rows: taken on the UI loop, briefly
        self._write_lock = threading.RLock()  # one flush, pain write-through or finish at a time
        self.db_path = db_path
        self.session_id = session_id
        self.on_status = on_status
        self._max_held_samples = max_held_samples
        self._buffer = PendingBuffer(max_held_samples)
        self._dropped_written = 0  # samples dropped from buffers that are written since
        self._pain_seen: set[tuple[int | None, int, float]] = set()
        self._health = RecorderHealth.OK
        self._last_error: str | None = None
        self._problem: str | None = None
        self._journal_used = False
        self._damaged = False  # the file is damaged: nothing more is written into it
        self._live = LiveLock(db_path, session_id)
        self.spill_path: Path | None = None  # where the held rows were last kept on disk
        self._spilled_at: float | None = None  # time.monotonic() of that copy
        self._spill_end: tuple[str, float] | None = None  # the end it recorded, if any
        self._end: tuple[str, float] | None = None  # the end finish() was asked to write
        pain_journal.reserve(db_path, session_id)  # room for ratings even on a full disk

    # -- what the screen shows -------------------------------------------------------------
    @property
    def health(self) -> RecorderHealth:
        return self._health

    @property
    def last_error(self) -> str | None:
        """The latest write failure as one line, or None while writes succeed."""
        return self._last_error

    @property
    def problem(self) -> str | None:
        """The latest write failure alone, naming the file by its name (a screen line)."""
        return self._problem

    @property
    def damaged(self) -> bool:
        """The file turned out damaged: held rows go to spill files, never into it."""
        return self._damaged

    def held_span_s(self) -> float:
        """Session seconds of samples held in memory, not yet written."""
        with self._buffer_lock:
            return self._buffer.span_s()

    def status(self) -> RecorderStatus:
        with self._buffer_lock:
            held = self._buffer
            return RecorderStatus(
                self._health, self._last_error or "", held.sample_count, held.event_count,
                self._dropped_written + held.dropped_samples,
            )

    # -- recording -------------------------------------------------------------------------
    def add_sample(self, sample: Sample) -> None:
        """Hold ``sample`` until the next flush."""
        self._check_open()
        with self._buffer_lock:
            self._buffer.add_sample(sample)

    def add_event(self, event: EventRecord) -> None:
        """Hold ``event`` until the next flush (a PAIN event is committed at once)."""
        self._check_open()
        if event.kind is EventKind.PAIN:
            self._add_pain_event(event)
            return
        self._hold(event)

    def add_action(self, t_s: float, action: Action) -> None:
        """Record a coach action (mapped by ``event_from_action``; some are not stored)."""
        event = event_from_action(t_s, action)
        if event is not None:
            self.add_event(event)

    def add_sensor_status(self, status: SensorStatus) -> None:
        self.add_event(event_from_status(status))

    def add_pain(self, t_s: float, rating: int, prompt_id: int | None,
                 when: str = "during") -> bool:
        """Record a pain rating and commit it now; True once it is on disk.

        If the database can't be written the rating goes to a fsynced journal file
        beside it (see ``pain_journal``) and this still returns True; False only if
        neither could be written (then it is held in memory, see ``last_error``).
        Either way the next successful flush puts it in the database.
        """
        self._check_open()
        return self._add_pain_event(pain_event(t_s, rating, prompt_id, when))

    def _add_pain_event(self, event: EventRecord) -> bool:
        prompt = event.payload.get("prompt_id")
        key = (prompt, int(event.payload["rating"]), round(event.t_s, 1) if prompt is None else 0)
        with self._write_lock:
            if key in self._pain_seen:  # the same answer via add_pain and the coach's Mark
                return self._health is RecorderHealth.OK
            self._pain_seen.add(key)
            self._hold(event)
            if self.flush():
                return True
            if pain_journal.append(self.db_path, self.session_id, event):
                self._journal_used = True
                return True
            return False

    def flush(self) -> bool:
        """Commit everything held in one transaction; True on success.

        On a locked or full database nothing is lost: rows stay held, ``health``
        becomes HOLDING and the next flush tries again.
        """
        with self._write_lock:
            if self._damaged:  # never into a damaged file: keep holding, keep a copy
                self._set_failed(None)
                if self._spill_due():
                    self.spill()
                return False
            with self._buffer_lock:
                if self._health is RecorderHealth.FINISHED or not len(self._buffer):
                    return self._health is not RecorderHealth.HOLDING
                batch, self._buffer = self._buffer, PendingBuffer(self._max_held_samples)
            failure = self._write(batch)
            if failure is not None:  # never raise into the live session: hold and retry
                with self._buffer_lock:
                    batch.absorb(self._buffer)  # what came in meanwhile goes behind it
                    self._buffer = batch
                first_damage = is_damage(failure) and not self._damaged
                self._damaged = self._damaged or is_damage(failure)
                self._set_failed(failure)
                if first_damage or self._spill_due():
                    self.spill()
                return False
            self._dropped_written += batch.dropped_samples
            self._discard_spill()
            if self._journal_used:  # its ratings were in the buffer: now in the database
                pain_journal.discard(self.db_path, self.session_id)
                self._journal_used = False
            self._set_ok()
            return True

    def _write(self, batch: PendingBuffer) -> sqlite3.Error | None:
        """Commit ``batch`` in one transaction under the store's lock; the error, if any."""
        with self._lock:
            try:
                self._conn.execute(f"PRAGMA busy_timeout = {self.flush_timeout_ms}")
                self._conn.execute("BEGIN IMMEDIATE")
                self._write_rows(batch)
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                return exc
            finally:
                self._restore_timeout()
        return None

    def _write_rows(self, batch: PendingBuffer) -> None:
        sid = self.session_id
        self._conn.executemany(
            "INSERT INTO samples (session_id, t_s, role, cadence_spm, speed_mps, hr_bpm, "
            "distance_m, incline_pct, stride_length_m, sensor_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((sid, *row) for row in batch.sample_rows()),
        )
        self._conn.executemany(
            "INSERT INTO events (session_id, t_s, kind, payload) VALUES (?, ?, ?, ?)",
            ((sid, *row) for row in batch.event_rows()),
        )

    def finish(self, end_reason: str, duration_s: float,
               ended_at: datetime | None = None) -> bool:
        """Write what is held, mark the session ended and cache its headline and summary.

        ``ended_at`` defaults to ``started_at + duration_s``; pass the wall time if the
        session was paused.

        Returns False (and keeps everything held) if the store can't be written; call
        it again later. If it never succeeds the session stays recoverable.
        """
        with self._write_lock:
            if self._health is RecorderHealth.FINISHED:
                return True
            self._end = (end_reason, float(duration_s))
            if not self.flush():
                self._spill_end_of_run()
                return False
            with self._lock:
                try:
                    info = session_info(self._conn, self.session_id)
                    end = ended_at or info.started_at + timedelta(seconds=duration_s)
                    self._conn.execute("BEGIN IMMEDIATE")
                    self._conn.execute(
                        "UPDATE sessions SET ended_at = ?, duration_s = ?, end_reason = ? "
                        "WHERE id = ?",
                        (to_db_time(end), float(duration_s), end_reason, self.session_id),
                    )
                    cache_session(self._conn, self.session_id)  # headline + summary rows
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    failure: sqlite3.Error | None = exc
                else:
                    failure = None
            if failure is not None:
                self._set_failed(failure)
                self._spill_end_of_run()
                return False
            self._discard_spill()
            self._health = RecorderHealth.FINISHED
            self._live.release()
            pain_journal.release(self.db_path, self.session_id)
            self._notify()
            return True

    def info(self) -> SessionInfo:
        with self._lock:
            return session_info(self._conn, self.session_id)

    # -- keeping what can't be written yet ------------------------------------------------
    def spill(self) -> Path | None:
        """Copy everything held to a spill file now; its path, or None if nowhere took it.

        Why: held rows live in memory, which a kill or a quit throws away; the copy is
        what the next start recovers (``recovery``). With the end of the run known
        (``finish`` was called) the copy carries it too.
        """
        with self._write_lock:
            with self._buffer_lock:
                samples = list(self._buffer.sample_rows())
                events = self._buffer.event_rows()
            end = self._end
            path = spill.write(self.db_path, self.session_id, samples, events,
                               end_reason=end[0] if end else None,
                               duration_s=end[1] if end else None)
            self.spill_path = path
            self._spilled_at = time.monotonic()
            self._spill_end = end
            return path

    def leave_for_recovery(self) -> Path | None:
        """The runner quits while rows are still held: spill them and let go of the session.

        Releasing the recording lock is what lets the next start (or ``cadence
        recover``) finish the session from the database and the spill file.
        """
        with self._write_lock:
            if self._health is RecorderHealth.FINISHED:
                return None  # written after all: nothing to leave
            path = self.spill()
            self._live.release()
            return path

    def _spill_due(self) -> bool:
        last = self._spilled_at
        return last is None or time.monotonic() - last >= SPILL_EVERY_S

    def _spill_end_of_run(self) -> None:
        """After a failed finish: the copy must know the run's end, and be recent."""
        if self._spill_end != self._end or self._spill_due():
            self.spill()

    def _discard_spill(self) -> None:
        if self._spilled_at is not None:
            spill.discard(self.db_path, self.session_id)
            self._spilled_at = None
            self._spill_end = None
            self.spill_path = None

    # -- internals -------------------------------------------------------------------------
    def _hold(self, event: EventRecord) -> None:
        """Keep ``event`` for the next flush, in the ``events`` table's row form."""
        row = (event.t_s, str(event.kind), json.dumps(event.payload))
        with self._buffer_lock:
            self._buffer.add_event(row)

    def _check_open(self) -> None:
        if self._health is RecorderHealth.FINISHED:
            raise StoreError(f"session {self.session_id} is already finished")

    def _restore_timeout(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute(f"PRAGMA busy_timeout = {self._store_timeout_ms}")

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite already rolled back after a full-disk error

    def _set_failed(self, exc: BaseException | None) -> None:
        """Hold on ``exc``; None: the file is known to be damaged (nothing was tried)."""
        with self._buffer_lock:
            held_s = self._buffer.span_s()
        if self._damaged:
            problem = (f"session store {self.db_path} is damaged, nothing more goes into it; "
                       f"{keep_copy_hint(self.db_path)}")
            message = f"{problem}; keeping {held_s:.0f} s of data in memory and a spill file"
        else:
            assert exc is not None
            problem = describe_write_failure(self.db_path, exc)
            message = f"{problem}; keeping {held_s:.0f} s of data in memory and retrying"
        short = problem.replace(f"session store {self.db_path}", self.db_path.name)
        changed = self._health is not RecorderHealth.HOLDING or short != self._problem
        self._health = RecorderHealth.HOLDING
        self._last_error = message
        self._problem = short
        if changed:
            self._notify()

    def _set_ok(self) -> None:
        if self._health is RecorderHealth.HOLDING:
            self._health = RecorderHealth.OK
            self._last_error = None
            self._problem = None
            self._notify()

    def _notify(self) -> None:
        if self.on_status is not None:
            self.on_status(self.status())
