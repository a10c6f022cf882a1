"""``cadence demo``/``cadence run`` with a session file that can't be recorded into.

Real faults, the real command in a subprocess: another process holding
``BEGIN EXCLUSIVE``, a tmpfs remounted read-only, a file whose pages are
garbage. Each must end before the screen opens, with one line on stderr saying
what is wrong and what to do, exit code 2, and no traceback.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cadence.store.store import Store
from support.store_faults import LockHolder, remount_read_only, small_disk


def _cadence(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cadence", *args, "--no-audio", "--skip-check"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )


def _one_line(result: subprocess.CompletedProcess[str], command: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"cadence {command}: error: ")
    assert result.stdout == "", "the screen opened"
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sessions.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "ro", "1m") as mnt:
        path = mnt / "sessions.sqlite3"
        Store.open(path).close()
        remount_read_only(mnt)
        yield path


@pytest.mark.parametrize("command", ["demo", "run"])
def test_a_locked_session_file_says_so_and_what_to_do(command: str, db: Path) -> None:
    with LockHolder(db):
        line = _one_line(_cadence(command, "--db", str(db)), command)
    assert str(db) in line and "locked by another program" in line
    assert "close that program" in line


@pytest.mark.parametrize("command", ["demo", "run"])
def test_a_read_only_session_file_says_so_and_what_to_do(command: str,
                                                         read_only_db: Path) -> None:
    line = _one_line(_cadence(command, "--db", str(read_only_db)), command)
    assert str(read_only_db) in line and "read-only" in line and "--db PATH" in line
    assert "damaged" not in line


def test_a_damaged_session_file_is_one_line(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[100:] = b"\xa5" * (len(data) - 100)  # the header survives, every page is garbage
    db.write_bytes(bytes(data))
    line = _one_line(_cadence("demo", "--db", str(db)), "demo")
    assert str(db) in line
