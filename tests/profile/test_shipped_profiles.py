"""The profiles and programs we ship load, pass `profile check`, and say what they should."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cadence.model.sample import SensorRole
from cadence.profile.errors import ProfileError, ProfileIssue
from cadence.profile.loader import default_profile_path, load_profile, load_profile_and_program
from cadence.profile.model import CadenceUnit, WalkMetronome
from cadence.profile.schema import KNOWN_CLICKS
from support.cli import run_cadence

REPO = Path(__file__).resolve().parents[2]
PROFILES = sorted((REPO / "profiles").glob("*.yaml"))
PROGRAMS = sorted((REPO / "profiles" / "programs").glob("*.yaml"))


def test_the_shipped_files_are_there() -> None:
    assert {p.name for p in PROFILES} >= {"default.yaml", "treadmill.yaml"}
    assert {p.name for p in PROGRAMS} >= {"protocol-a.yaml", "protocol-b.yaml", "continuous.yaml"}
    assert default_profile_path() == REPO / "profiles" / "default.yaml"


@pytest.mark.parametrize("path", PROFILES + PROGRAMS, ids=lambda p: p.name)
def test_profile_check_accepts_every_shipped_file(
    path: Path, profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert profile_cli("check", str(path)) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f"ok: {path}\n", "")


@pytest.mark.parametrize("path", PROFILES + PROGRAMS, ids=lambda p: p.name)
def test_shipped_files_explain_their_fields(path: Path) -> None:
    """Runners copy these files: each opens with comments and every top-level field has one."""
    lines = path.read_text().splitlines()
    assert lines[0].startswith("#")
    for before, line in zip(["", *lines], lines, strict=False):
        if line[:1].isalpha():  # a top-level field
            assert "#" in line or before.startswith("#"), f"{path.name}: {line}"


def test_default_profile_is_outdoor_with_footpod_and_heart_rate() -> None:
    profile, program = load_profile_and_program(REPO / "profiles" / "default.yaml")
    assert not profile.treadmill
    roles = [s.role for s in profile.sensors]
    assert roles == [SensorRole.FOOTPOD, SensorRole.HEART_RATE]
    assert profile.sensors[0].cadence_unit is CadenceUnit.AUTO
    assert (profile.band.low_spm, profile.band.high_spm) == (170, 180)
    assert profile.pain_stop_rating == 3
    assert profile.pain_prompt_interval_s == 600
    assert profile.metronome.walk is WalkMetronome.OFF  # unquoted `off` is not a boolean here
    assert profile.metronome.sound in KNOWN_CLICKS
    assert program.name in {"protocol-a", "continuous"}
    assert profile.source_path == REPO / "profiles" / "default.yaml"


def test_treadmill_profile_uses_a_treadmill_footpod_and_strap() -> None:
    profile = load_profile(REPO / "profiles" / "treadmill.yaml")
    assert profile.treadmill
    assert {s.role for s in profile.sensors} == {
        SensorRole.TREADMILL,
        SensorRole.FOOTPOD,
        SensorRole.HEART_RATE,
    }
    assert "incline" in (REPO / "profiles" / "treadmill.yaml").read_text()
    assert profile.metronome.walk is WalkMetronome.WALK_TEMPO


def test_shipped_click_sounds_exist_for_every_known_click() -> None:
    for name in KNOWN_CLICKS:
        assert (REPO / "sounds" / f"click_{name}.wav").is_file(), name


def test_minimal_profile_gets_the_facts_defaults(write_yaml: Any) -> None:
    profile = load_profile(write_yaml("runner: Sam\n"))
    assert profile.runner_name == "Sam"
    assert (profile.band.low_spm, profile.band.high_spm) == (170.0, 180.0)
    assert profile.tempo.stage_increase_pct == 5 and profile.tempo.max_increase_pct == 10
    assert profile.pain_stop_rating == 3 and profile.cue_min_gap_s == 60
    assert isinstance(profile.tempo.ramp_step_spm, float)


def test_addresses_in_both_formats_and_base_60_lookalikes(write_yaml: Any) -> None:
    profile = load_profile(
        write_yaml(
            """
            runner: A
            sensors:
              - {role: hr, address: 10:20:30:40:50:00}
              - role: footpod
                address: 0A1B2C3D-1111-2222-3333-444455556666
                cadence_unit: strides
            """
        )
    )
    assert profile.sensors[0].address == "10:20:30:40:50:00"  # not the base-60 integer
    assert profile.sensors[1].cadence_unit is CadenceUnit.STRIDES


def test_error_lines_read_file_line_field_message() -> None:
    issue = ProfileIssue("profiles/x.yaml", 12, 5, "metronome.volume", "must be between 0 and 1")
    assert str(issue) == "profiles/x.yaml:12: metronome.volume: must be between 0 and 1"
    err = ProfileError([issue, ProfileIssue("x.yaml", None, None, "", "file not found")])
    assert (err.file, err.line, err.column, err.field) == (
        "profiles/x.yaml",
        12,
        5,
        "metronome.volume",
    )
    assert str(err).splitlines()[1] == "x.yaml: file not found"


def test_profile_show_prints_the_resolved_profile_and_plan(
    profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert profile_cli("show", str(REPO / "profiles" / "treadmill.yaml")) == 0
    out = capsys.readouterr().out
    assert "170-180 spm" in out
    assert "running stops at 3/10" in out
    assert "> week 1: 6 x (1 min run / 3 min walk), 3 sessions" in out
    assert "form check every 10 min" in out
    assert "strength:    Alongside the runs, do strength work" in out  # issue 11


def test_profile_show_of_a_broken_file_exits_2(
    write_yaml: Any, profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml("runner: A\npain: {stop_at: 8}\n")
    assert profile_cli("show", str(path)) == 2
    assert f"{path}:2: pain.stop_at:" in capsys.readouterr().err


def test_cadence_profile_check_end_to_end(tmp_path: Path) -> None:
    """The real entry point, in a fresh interpreter: `python -m cadence profile check`."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("runner: A\nmetronome:\n  volume: 1.5\n")
    env = {k: v for k, v in os.environ.items() if k != "CADENCE_PROFILES_DIR"}
    default = REPO / "profiles" / "default.yaml"
    result = run_cadence("profile", "check", str(default), str(bad), env=env, timeout_s=60)
    assert result.returncode == 2, result.stderr
    assert result.stdout == f"ok: {default}\n"
    assert result.stderr == f"{bad}:3: metronome.volume: must be between 0 and 1 (got 1.5)\n"


def test_treadmill_control_is_off_unless_asked_for(write_yaml: Any) -> None:
    plain = load_profile(write_yaml("runner: A\ntreadmill: true\n"))
    assert plain.treadmill and not plain.treadmill_control.control
    assert not load_profile(write_yaml("runner: A\n")).treadmill_control.control


def test_treadmill_belt_settings_read_and_make_a_treadmill_session(write_yaml: Any) -> None:
    p = load_profile(
        write_yaml(
            "runner: A\ntreadmill:\n  control: true\n  run_speed_kmh: 9.0\n"
            "  walk_speed_kmh: 5.0\n  incline_pct: 1.5\n"
        )
    )
    assert p.treadmill  # the cue setting still applies: it is a treadmill session
    t = p.treadmill_control
    assert (t.control, t.run_speed_kmh, t.walk_speed_kmh, t.incline_pct) == (True, 9.0, 5.0, 1.5)


def test_profile_show_says_who_sets_the_belt(
    write_yaml: Any, profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_yaml("runner: A\ntreadmill: {control: true, run_speed_kmh: 9}\n")
    assert profile_cli("show", str(path)) == 0
    out = capsys.readouterr().out
    assert "cadence sets it: runs 9 km/h, walks 5 km/h, incline 1 %" in out
