"""``cadence run``/``cadence demo`` refuse bad input with one clear line and exit 2.

Each case fails while the session is being put together, before the TUI opens,
so the real command runs in a subprocess and its stderr is read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _cadence(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cadence", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("command", ["run", "demo"])
def test_a_missing_profile_names_the_file(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = _cadence(command, "--no-audio", "--profile", str(missing))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"cadence {command}: error: {missing}")


def test_a_broken_profile_names_file_line_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("runner:\n  name: Sam\nband: 170\n", encoding="utf-8")
    result = _cadence("demo", "--no-audio", "--profile", str(broken))
    assert result.returncode == 2
    assert f"{broken}:3: band" in result.stderr


def test_a_database_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    db = not_a_folder / "sessions.sqlite3"
    result = _cadence("demo", "--no-audio", "--db", str(db))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(not_a_folder) in lines[0]


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("not sqlite\n" * 100, encoding="utf-8")
    result = _cadence("run", "--no-audio", "--db", str(db))
    assert result.returncode == 2
    assert str(db) in result.stderr and "Traceback" not in result.stderr
