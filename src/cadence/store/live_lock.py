"""Telling a session that is still being recorded from one cut off by a crash.

Both look the same in the database (no end time). The recorder holds an
``flock`` on a small file next to the database for as long as it records; the
kernel drops that lock when the process dies, even on SIGKILL. So "unfinished
and nobody holds its lock" means "cut off: offer to recover", and recovery can
never end a session that another cadence window is still recording. (Windows
has no flock: there every unfinished session is offered.)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def lock_path(db_path: Path, session_id: int) -> Path:
    return db_path.with_name(f"{db_path.name}.live-{session_id}.lock")


class LiveLock:
    """Held by a recorder from ``begin_session`` until ``finish``."""

    def __init__(self, db_path: Path, session_id: int) -> None:
        self.path = lock_path(db_path, session_id)
        self._fd: int | None = None
        if sys.platform == "win32":
            return
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only folder: recording still works, liveness is unknown
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            os.close(fd)
            return
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def is_live(db_path: Path, session_id: int) -> bool:
    """True while some process holds the session's recording lock."""
    if sys.platform == "win32":
        return False
    import fcntl

    try:
        fd = os.open(lock_path(db_path, session_id), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops our probe lock, if we got it
    return False


def remove_stale_lock(db_path: Path, session_id: int) -> None:
    if not is_live(db_path, session_id):
        lock_path(db_path, session_id).unlink(missing_ok=True)
