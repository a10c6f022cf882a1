"""`cadence summary`, `history` and `recover` as a user runs them: real processes, real files.

Each command runs in its own interpreter through the same one-line-error parser
the CLI uses, so exit codes and stderr are exactly what a user sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cadence.store.store import Store
from support.cli import run_cadence

from .builders import KNOWN_AVG_CADENCE, record_known_session, simple_run
from .test_crash import child_env
from .test_recovery import abandoned_session

ROOT = Path(__file__).resolve().parents[2]
HARNESS = """
import importlib, sys
from cadence.cli import _Parser
name = sys.argv[1]
module = importlib.import_module("cadence.commands." + name)
parser = _Parser(prog="cadence " + name)
module.add_arguments(parser)
sys.exit(module.run(parser.parse_args(sys.argv[2:])))
"""


def cadence(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = child_env()
    env.pop("CADENCE_DATA_DIR", None)
    if data_dir is not None:
        env["CADENCE_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-c", HARNESS, *args], capture_output=True,
                          text=True, env=env, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def recorded(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        record_known_session(store)
    return db_path


def test_summary_text_and_json(recorded: Path) -> None:
    text = cadence("summary", "--db", str(recorded))
    assert text.returncode == 0, text.stderr
    assert "average 173 spm, median 172 spm" in text.stdout
    as_json = cadence("summary", "1", "--json", "--db", str(recorded))
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["session_id"] == 1
    assert data["avg_cadence_spm"] == pytest.approx(KNOWN_AVG_CADENCE)


def test_summary_uses_the_data_dir_from_the_environment(recorded: Path) -> None:
    result = cadence("summary", "last", "--json", data_dir=recorded.parent)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["end_reason"] == "program_done"


@pytest.mark.parametrize("ref", ["999", "seven"])
def test_summary_of_a_missing_session_is_one_line_exit_2(recorded: Path, ref: str) -> None:
    before = snapshot(recorded.parent)
    line = one_line_error(cadence("summary", ref, "--db", str(recorded)))
    assert line.startswith("cadence: error:") and ref in line
    assert snapshot(recorded.parent) == before


def test_corrupt_database_is_one_line_exit_2_and_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "sessions.sqlite3"
    bad.write_bytes(b"\x00garbage that is not a database" * 100)
    before = snapshot(tmp_path)
    for command in (("summary",), ("history",), ("recover", "--all")):
        line = one_line_error(cadence(*command, "--db", str(bad)))
        assert str(bad) in line
    assert snapshot(tmp_path) == before


def test_no_database_yet(tmp_path: Path) -> None:
    line = one_line_error(cadence("summary", data_dir=tmp_path / "fresh"))
    assert "no session database" in line
    history = cadence("history", data_dir=tmp_path / "fresh")
    assert history.returncode == 0 and "No sessions recorded yet." in history.stdout
    assert "strength work for glutes, core and hips" in history.stdout  # issue 11
    assert not (tmp_path / "fresh").exists()


def test_summary_of_an_unfinished_session(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    abandoned_session(db_path)
    result = cadence("summary", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "(unfinished)" in result.stdout


def test_recover_lists_then_recovers(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    abandoned_session(db_path)
    abandoned_session(db_path)
    listing = cadence("recover", "--db", str(db_path))
    assert listing.returncode == 0
    assert "session 1:" in listing.stdout and "session 2:" in listing.stdout
    one = cadence("recover", "2", "--db", str(db_path))
    assert one.returncode == 0 and "recovered session 2" in one.stdout
    again = one_line_error(cadence("recover", "2", "--db", str(db_path)))
    assert "already finished" in again
    rest = cadence("recover", "--all", "--db", str(db_path))
    assert rest.returncode == 0 and "recovered session 1" in rest.stdout
    assert "No unfinished sessions." in cadence("recover", "--db", str(db_path)).stdout


def test_history_json_weeks_and_profile_shoe(tmp_path: Path, recorded: Path) -> None:
    with Store.open(recorded) as store:
        simple_run(store, store.session_info(1).started_at.replace(day=9), 10, 175.0)
    result = cadence("history", "--json", "--db", str(recorded))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [s["session_id"] for s in data["sessions"]] == [1, 2]
    assert [w["flagged"] for w in data["weeks"]][:2] == [False, True]
    assert data["shoes"][0]["replace_km"] == 800.0

    profile = tmp_path / "me.yaml"
    text = (ROOT / "profiles" / "default.yaml").read_text()
    text = text.replace('  name: ""', '  name: "Pegasus"').replace(
        "replace_warn_km: 480", "replace_warn_km: 1").replace("replace_km: 800", "replace_km: 2")
    profile.write_text(text)
    os.symlink(ROOT / "profiles" / "programs", tmp_path / "programs")
    worn = cadence("history", "--profile", str(profile), "--db", str(recorded))
    assert worn.returncode == 0, worn.stderr
    assert "Pegasus: 3 km of 2 km  <- past the replacement distance" in worn.stdout
    assert one_line_error(cadence("history", "--weeks", "0", "--db", str(recorded)))


def test_through_the_real_cli(recorded: Path) -> None:
    """The same through `python -m cadence`, the entry point users run."""
    before = snapshot(recorded.parent)
    result = run_cadence("summary", "999", "--db", str(recorded), env=child_env())
    assert one_line_error(result) == "cadence: error: no session 999 in the store"
    assert snapshot(recorded.parent) == before
    ok = run_cadence("history", "--json", "--db", str(recorded), env=child_env())
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["sessions"][0]["session_id"] == 1
