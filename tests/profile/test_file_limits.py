"""Profile, program, script and database paths that used to crash or hang cadence.

Each is a real file (or FIFO, or device) given to the real command in its own
process, with a timeout so a hang fails the test instead of the run: a
400-digit number, nesting 3,000 deep, ``program: /dev/zero``, a FIFO as the
profile, the script or the database, a 20 MB file. Each must end in lines of
the form ``file:line: field: what``, exit 2, quickly.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from cadence.profile.errors import ProfileError
from cadence.profile.file_limits import MAX_DEPTH, MAX_FILE_BYTES
from cadence.profile.loader import load_profile
from support.cli import run_cadence


def cadence(*args: str) -> subprocess.CompletedProcess[str]:
    t0 = time.monotonic()
    result = run_cadence(*args, timeout_s=30)  # a hang raises TimeoutExpired: a failure
    assert time.monotonic() - t0 < 10, "took far too long to refuse a bad file"
    return result


def refused(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and result.stdout == ""
    return result.stderr.strip().splitlines()


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [
        ("runner: A\nbaseline_cadence_spm: " + "9" * 400 + "\n", 2, "baseline_cadence_spm",
         "400-digit number"),
        ("runner: A\nprogram: {name: protocol-a, week: -" + "7" * 400 + "}\n", 2,
         "program.week", "400-digit number"),
        ("runner: A\nsensors:\n  - {role: hr, name: X, cadence_unit: " + "1" * 99 + "}\n", 3,
         "sensors[0].cadence_unit", "99-digit number"),
    ],
    ids=["baseline", "program-week", "in-a-list"],
)
def test_huge_numbers_are_one_line_each(
    tmp_path: Path, text: str, line: int, field: str, fragment: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    [only] = refused(cadence("profile", "check", str(path)))
    assert only.startswith(f"{path}:{line}: {field}: ") and fragment in only
    with pytest.raises(ProfileError):
        load_profile(path)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_at_the_line_it_goes_too_deep(tmp_path: Path, style: str) -> None:
    path = tmp_path / "deep.yaml"
    if style == "flow":  # 3,000 deep in 6 kB
        path.write_text("runner: A\nmetronome: " + "[" * 3000 + "]" * 3000 + "\n")
        line = 2
    else:
        path.write_text("runner: A\nmetronome:\n"
                        + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(MAX_DEPTH + 5)))
        line = MAX_DEPTH + 1
    [only] = refused(cadence("profile", "check", str(path)))
    assert only.startswith(f"{path}:{line}: ") and f"more than {MAX_DEPTH} levels" in only


def test_program_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("runner: A\nprogram: /dev/zero\n")
    lines = refused(cadence("profile", "check", str(path)))
    assert lines[0] == f"{path}:2: program: program '/dev/zero' cannot be used:"
    assert lines[1] == "/dev/zero: is a device, not a file"


def test_a_twenty_megabyte_profile_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("runner: A\n# " + "x" * (20 * 1024 * 1024) + "\n")
    [only] = refused(cadence("profile", "check", str(path)))
    limit_kb = MAX_FILE_BYTES // 1024
    assert only == f"{path}: is 20.0 MB; a profile or program is at most {limit_kb} kB"


def test_a_fifo_as_the_profile_or_the_script(fifo: Path) -> None:
    for args in (("profile", "check", str(fifo)), ("simulate", "--profile", str(fifo)),
                 ("simulate", "--script", str(fifo))):
        [only] = refused(cadence(*args))
        assert str(fifo) in only and "is a FIFO (named pipe), not a file" in only


def test_a_fifo_or_a_device_as_the_database(fifo: Path, tmp_path: Path) -> None:
    for db in (fifo, Path("/dev/zero")):
        for args in (("summary",), ("history",), ("recover", "--all"),
                     ("export", "last", "-o", str(tmp_path / "x.csv"))):
            [only] = refused(cadence(*args, "--db", str(db)))
            assert only == f"cadence: error: {db}: not a regular file, so not a session database"


def test_script_numbers_too_big_for_a_float(tmp_path: Path) -> None:
    path = tmp_path / "script.yaml"
    path.write_text("events:\n  - {at_s: " + "9" * 400 + ", pain: 2}\n")
    [only] = refused(cadence("simulate", "--script", str(path)))
    assert f"{path}:2: events[0].at_s: must be a finite number" in only
    assert len(only) < 200  # one readable line, not the 400 digits
