"""``cadence simulate`` as a user runs it: JSON lines out, nothing written, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
# The command module exactly as ``cadence.cli`` wires it (add_arguments + run).
DRIVER = (
    "import argparse, sys\n"
    "from cadence.commands import simulate\n"
    "p = argparse.ArgumentParser(prog='cadence simulate')\n"
    "simulate.add_arguments(p)\n"
    "sys.exit(simulate.run(p.parse_args(sys.argv[1:])))\n"
)


def simulate(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    work = tmp_path / "work"
    for d in (home, work, tmp_path / "tmp"):
        d.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    return subprocess.run([sys.executable, "-c", DRIVER, *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)


def minimal_profile(tmp_path: Path) -> str:
    """A profile with every default: the tests below must not depend on the shipped ones."""
    path = tmp_path / "minimal.yaml"
    path.write_text("runner: Test\n", encoding="utf-8")
    return str(path)


def written(tmp_path: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())


def test_prints_one_json_object_per_tick_and_writes_nothing(tmp_path: Path) -> None:
    script = tmp_path / "script.yaml"
    script.write_text("events:\n  - {at_min: 7, pain: 3}\n", encoding="utf-8")
    profile = minimal_profile(tmp_path)
    before = written(tmp_path)
    result = simulate(tmp_path, "--profile", profile, "--script", str(script),
                      "--seed", "3", "--tick-s", "1")
    assert result.returncode == 0, result.stderr
    assert written(tmp_path) == before  # nothing on disk: no session store, no cache
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["t_s"] == 0.0 and lines[1]["t_s"] == 1.0
    for key in ("t_s", "inputs", "actions", "phase", "tempo_spm", "cadence_spm"):
        assert key in lines[0]
    stop = [r for r in lines if any(a["type"] == "StopRun" for a in r["actions"])]
    assert stop[0]["t_s"] == 420.0
    assert lines[-1]["actions"][-1] == {"type": "SessionEnded", "reason": "pain"}


def test_week_duration_and_runner_options(tmp_path: Path) -> None:
    result = simulate(tmp_path, "--profile", minimal_profile(tmp_path),
                      "--program", "protocol-a", "--week", "2", "--duration-min", "12",
                      "--runner-start-spm", "150", "--noise", "0", "--no-inputs")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert "inputs" not in lines[0]
    changes = [a for r in lines for a in r["actions"] if a["type"] == "PhaseChange"]
    assert changes[1]["phase"] == "run" and changes[1]["duration_s"] == 120.0
    assert changes[1]["rounds_total"] == 8
    assert 12 * 60 <= lines[-1]["t_s"] <= 12 * 60 + 121
    assert lines[-1]["actions"][-1]["reason"] == "user"
    base = [a for r in lines for a in r["actions"]
            if a["type"] == "Mark" and a["kind"] == "baseline"]
    assert base[0]["detail"]["spm"] == 150.0  # no noise: exactly the runner's own cadence


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--program", "no-such-program"), "unknown program 'no-such-program'"),
        (("--week", "0"), "--week must be 1 or more"),
        (("--tick-s", "0"), "must be more than 0"),
        (("--noise", "-1"), "must be 0 or more"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = simulate(tmp_path, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_bad_script_names_file_line_and_field(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text("events:\n  - {at_s: 5, pain: 12}\n", encoding="utf-8")
    result = simulate(tmp_path, "--script", str(script))
    assert result.returncode == 2
    assert f"{script}:2: events[0].pain: must be a whole number 0-10 (got 12)" in result.stderr
    assert result.stdout == ""


def test_a_bad_profile_exits_2(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("metronome:\n  volume: 7\n", encoding="utf-8")
    result = simulate(tmp_path, "--profile", str(profile))
    assert result.returncode == 2
    assert str(profile) in result.stderr and "volume" in result.stderr


def test_the_shipped_profiles_run(tmp_path: Path) -> None:
    default = simulate(tmp_path, "--no-inputs")  # profiles/default.yaml: protocol A week 1
    assert default.returncode == 0, default.stderr
    lines = [json.loads(line) for line in default.stdout.splitlines()]
    runs = [a for r in lines for a in r["actions"]
            if a["type"] == "PhaseChange" and a["phase"] == "run"]
    assert len(runs) == 6
    treadmill = simulate(tmp_path, "--profile", str(SRC.parent / "profiles" / "treadmill.yaml"),
                         "--no-inputs", "--duration-min", "10")
    assert treadmill.returncode == 0, treadmill.stderr
    first = json.loads(treadmill.stdout.splitlines()[0])
    assert "treadmill_incline" in [a.get("topic") for a in first["actions"]]
