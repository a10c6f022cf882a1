"""The command line as a user meets it: help, unknown arguments, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cadence.cli import COMMANDS, main
from support.cli import run_cadence


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cadence(*args, timeout_s=60)


def test_help_lists_every_subcommand() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize(
    "args",
    [("--bogus",), ("metronome", "--bogus"), ("nonsense-command",), ("summary", "a", "b", "c")],
)
def test_unknown_arguments_give_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cadence")
    assert "error" in lines[0]


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_every_subcommand_has_help() -> None:
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        assert "usage: cadence" in result.stdout


def test_help_does_not_import_heavy_packages() -> None:
    """`cadence --help` must stay fast: command modules import only the stdlib at load."""
    code = (
        "import sys; from cadence.cli import build_parser; build_parser();"
        "heavy = [m for m in ('numpy', 'textual', 'bleak', 'bumble', 'sounddevice', 'sqlite3',"
        " 'matplotlib', 'yaml', 'librosa', 'pedalboard', 'numba', 'scipy', 'soundfile')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
