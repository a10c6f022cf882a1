"""Before a live session: can the session file be written at all? One line if not.

Why a check up front: the live app records from its first second, and a store
that turns out to be locked or read-only once the screen is up used to crash it
(a traceback, exit 0). Asking SQLite for the write lock once (``BEGIN
IMMEDIATE``, then straight back out: nothing is written) finds the common
troubles while the command can still say what is wrong and what to do, and exit 2.
A disk that fills later is handled by the recorder (held, spilled, retried).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from cadence.store.db import StoreError, describe_write_failure
from cadence.store.store import Store

#: how long to wait for another program's write lock before calling the file locked
CHECK_TIMEOUT_MS = 1500


def read_only_reason(path: Path) -> str | None:
    """A plain reason if ``path`` (or its folder, for the WAL files) can't be written."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "it is on a read-only disk"
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if folder.exists() and not os.access(folder, os.W_OK):
        return "its folder is read-only"
    return None


def read_only_message(path: Path) -> str | None:
    """The one line for a session file that can't be written, or None if it can."""
    reason = read_only_reason(path)
    if reason is None:
        return None
    return (f"{path}: can't record here, {reason}; make it writable, or choose another "
            "file with --db PATH")


def advice(path: Path, exc: BaseException) -> str:
    """What is wrong with the file and what to do about it, in one line."""
    read_only = read_only_message(path)
    if read_only is not None:
        return read_only
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"{path}: the session file is locked by another program (another cadence, "
                "or a tool that has it open); close that program and start again")
    if "full" in text:
        return f"{path}: the disk is full; free some space and start again"
    return f"{describe_write_failure(path, exc)}; choose another file with --db PATH"


def check_writable(store: Store, timeout_ms: int = CHECK_TIMEOUT_MS) -> None:
    """Take the write lock once and let it go; ``StoreError`` (what to do) if that fails."""
    conn = store.connection
    previous = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        raise StoreError(advice(store.path, exc)) from exc
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {previous}")
