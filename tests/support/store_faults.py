"""Real store faults for tests: another process holding the write lock, a small full disk.

``LockHolder`` starts a second Python process that opens the database and holds
``BEGIN EXCLUSIVE`` until released, exactly what another program with the file
open would do. ``small_disk`` mounts a real tmpfs of a few hundred kB (root
only: the test is skipped with the reason where mounting is not allowed) and
``fill`` writes ballast until the filesystem reports ENOSPC. ``damage_in_use``
overwrites b-tree page headers of a database a live connection has open.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
conn.execute("BEGIN EXCLUSIVE")
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


class LockHolder:
    """A second process holding ``BEGIN EXCLUSIVE`` on ``db`` until ``release()``."""

    def __init__(self, db: Path) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(db)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if line.strip() != "LOCKED":
            err = self._proc.stderr.read() if self._proc.stderr else ""
            self.release()
            raise RuntimeError(f"the lock holder did not get the lock: {err}")

    def release(self) -> None:
        proc = self._proc
        if proc.poll() is None:
            assert proc.stdin is not None
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(timeout=10)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self) -> LockHolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextlib.contextmanager
def small_disk(where: Path, size: str = "600k") -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``where``; skips the test if that can't be done."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path, name: str = "ballast") -> Path:
    """Write ``folder/name`` until the filesystem is full; returns it (unlink to free)."""
    path = folder / name
    chunk = b"\0" * 4096
    with path.open("wb", buffering=0) as fh:
        while True:
            try:
                fh.write(chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
    return path


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def damage_in_use(conn: sqlite3.Connection, db: Path,
                  btrees: tuple[str, ...] = ("samples", "samples_by_session")) -> list[int]:
    """Overwrite the page headers of ``btrees`` in ``db`` on disk, under a live ``conn``.

    Checkpoints first (so the pages are in the main file), writes in place (same
    inode, as a failing disk would), then releases ``conn``'s page cache, as
    memory pressure does: its next write reads the damaged pages. The pages hit.
    """
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    pages = [int(p) for name, p in conn.execute("SELECT name, pageno FROM dbstat")
             if name in btrees]
    with db.open("r+b") as fh:
        for pageno in pages:
            fh.seek((pageno - 1) * page + (100 if pageno == 1 else 0))
            fh.write(b"\xff" * 12)  # page type, first free block, cell count, content start
    conn.execute("PRAGMA shrink_memory")
    return pages
