"""Small faults that ended in a traceback or a wrong message (issue 14, item 8).

Real processes and real files: a full 600 kB tmpfs at start, numbers too big
for SQLite or ``timedelta``, ``nan`` as a speed, and a reader that closes the
output pipe before cadence writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cadence.store.db import StoreError
from cadence.store.store import Store
from store.builders import record_known_session
from store.test_crash import child_env
from support.cli import run_cadence


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    db = tmp_path / "sessions.sqlite3"
    with Store.open(db) as store:
        record_known_session(store)
    return db


def one_line_exit_2(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("summary", "99999999999999999999"), "no session 99999999999999999999 in the store"),
        (("summary", "--compare", "99999999999999999999"), "--compare: must be at most"),
        (("summary", "--compare", "1e20"), "--compare: not a whole number: '1e20'"),
        (("history", "--weeks", "99999999999999999999"), "--weeks: must be at most"),
        (("export", "99999999999999999999", "-o", "x.csv"), "no session 99999999999999999999"),
        (("recover", "99999999999999999999"), "no session 99999999999999999999"),
    ],
)
def test_numbers_too_big_are_one_line(recorded: Path, args: tuple[str, ...], fragment: str) -> None:
    line = one_line_exit_2(run_cadence(*args, "--db", str(recorded), env=child_env()))
    assert fragment in line


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_demo_speed_must_be_a_usable_number(value: str) -> None:
    line = one_line_exit_2(run_cadence("demo", f"--speed={value}", "--no-audio"))
    assert line == f"cadence demo: error: argument --speed: not a usable number: '{value}'"


def test_checked_floats_refuse_nan_and_inf_everywhere() -> None:
    line = one_line_exit_2(run_cadence("simulate", "--duration-min", "inf"))
    assert "--duration-min" in line and "not a usable number" in line
    line = one_line_exit_2(run_cadence("metronome", "--bpm", "nan"))
    assert "--bpm" in line and "not a usable number" in line


@pytest.mark.parametrize("command", ["summary", "history"])
def test_a_reader_closing_the_pipe_ends_quietly(recorded: Path, command: str) -> None:
    """``cadence summary | head``: the reader is gone before cadence writes a byte."""
    env = child_env()
    proc = subprocess.Popen([sys.executable, "-m", "cadence", command, "--db", str(recorded)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert err == ""


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 600 kB tmpfs filled to the last page; needs root (mount)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {result.stderr.strip()}")
    try:
        n = 0
        while True:
            try:
                (mnt / f"ballast{n}").write_bytes(b"\xa5" * 4096)
            except OSError:
                (mnt / f"ballast{n}").unlink(missing_ok=True)
                break
            n += 1
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_at_start_is_called_a_full_disk(full_disk: Path) -> None:
    db = full_disk / "sessions.sqlite3"
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    message = str(caught.value)
    assert message.startswith("disk full"), message
    assert "damaged" not in message
    assert not db.exists()  # no empty file left behind
