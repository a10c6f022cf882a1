"""Broken profiles: each names file, line and field, and `profile check` exits 2.

Every case is real YAML text written to a real file and read by the real
loader and command. The expected line is where the runner has to edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadence.profile.errors import ProfileError
from cadence.profile.loader import load_profile

# (id, yaml text, expected line, expected field, fragment of the message)
CASES: list[tuple[str, str, int, str, str]] = [
    ("typo-top-level", "runner: A\ntreadmil: true\n", 2, "treadmil", "did you mean 'treadmill'"),
    ("unknown-top-level", "runner: A\nfavourite_colour: red\n", 2, "favourite_colour",
     "unknown field; expected one of"),
    ("duplicate-key", "runner: A\ntreadmill: false\nrunner: B\n", 3, "runner",
     "appears twice (first on line 1)"),
    ("missing-runner", "treadmill: true\n", 1, "runner", "is required"),
    ("band-low-above-high", "runner: A\nband:\n  low_spm: 180\n  high_spm: 170\n", 3,
     "band.low_spm", "must be below high_spm (got 180 and 170)"),
    ("band-equal", "runner: A\nband: {low_spm: 175, high_spm: 175}\n", 2, "band.low_spm",
     "must be below high_spm"),
    ("band-missing-high", "runner: A\nband: {low_spm: 170}\n", 2, "band.high_spm", "is required"),
    ("band-text", "runner: A\nband:\n  low_spm: fast\n  high_spm: 180\n", 3, "band.low_spm",
     "must be a number (got text 'fast')"),
    ("band-too-high", "runner: A\nband: {low_spm: 170, high_spm: 300}\n", 2, "band.high_spm",
     "must be between 145 and 190 (got 300)"),
    # issue 11: a top above 190 used to be accepted (230 was)
    ("band-top-230", "runner: A\nband:\n  low_spm: 170\n  high_spm: 230\n", 4, "band.high_spm",
     "must be between 145 and 190 (got 230)"),
    ("band-nan", "runner: A\nband: {low_spm: .nan, high_spm: 180}\n", 2, "band.low_spm",
     "must be between"),
    ("baseline-too-low", "runner: A\nbaseline_cadence_spm: 50\n", 2, "baseline_cadence_spm",
     "between 100 and 220 (got 50)"),
    ("baseline-quoted", "runner: A\nbaseline_cadence_spm: '160'\n", 2, "baseline_cadence_spm",
     "must be a number (got text '160')"),
    ("sensors-not-list", "runner: A\nsensors: footpod\n", 2, "sensors", "must be a list"),
    ("sensor-no-role", "runner: A\nsensors:\n  - name: Stryd\n", 3, "sensors[0].role",
     "is required"),
    ("sensor-bad-role", "runner: A\nsensors:\n  - {role: gps, name: X}\n", 3, "sensors[0].role",
     "must be one of footpod, hr, treadmill, tap"),
    ("sensor-tap", "runner: A\nsensors:\n  - {role: tap, name: keyboard}\n", 3,
     "sensors[0].role", "tap tempo needs no sensor entry"),
    ("sensor-unfindable", "runner: A\nsensors:\n  - {role: hr, name: X}\n  - role: footpod\n", 4,
     "sensors[1]", "needs an address or a name"),
    ("sensor-empty-address", "runner: A\nsensors:\n  - role: hr\n    address:\n", 3, "sensors[0]",
     "needs an address or a name"),
    ("address-short", "runner: A\nsensors:\n  - {role: hr, address: 'C0:FF:EE:00:11'}\n", 3,
     "sensors[0].address", "must look like C0:FF:EE:00:11:22"),
    ("address-not-hex", "runner: A\nsensors:\n  - role: hr\n    address: ZZ:FF:EE:00:11:22\n", 4,
     "sensors[0].address", "got 'ZZ:FF:EE:00:11:22'"),
    ("cadence-unit-bad", "runner: A\nsensors:\n  - {role: footpod, name: S, cadence_unit: rpm}\n",
     3, "sensors[0].cadence_unit", "must be one of strides, steps, auto (got 'rpm')"),
    ("cadence-unit-on-hr", "runner: A\nsensors:\n  - {role: hr, name: S, cadence_unit: steps}\n",
     3, "sensors[0].cadence_unit", "only footpods and treadmills"),
    ("sensor-typo", "runner: A\nsensors:\n  - role: hr\n    adress: C0:FF:EE:00:11:22\n", 4,
     "sensors[0].adress", "did you mean 'address'"),
    ("hr-cap-range", "runner: A\neasy_hr_cap_bpm: 300\n", 2, "easy_hr_cap_bpm",
     "between 80 and 220 (got 300)"),
    ("hr-cap-fraction", "runner: A\neasy_hr_cap_bpm: 150.5\n", 2, "easy_hr_cap_bpm",
     "must be a whole number (got 150.5)"),
    ("body-mass-range", "runner: A\nbody_mass_kg: 700\n", 2, "body_mass_kg",
     "between 25 and 250 (got 700)"),
    ("pain-stop-too-high", "runner: A\npain:\n  stop_at: 5\n", 3, "pain.stop_at",
     "running through pain"),
    ("pain-stop-zero", "runner: A\npain: {stop_at: 0}\n", 2, "pain.stop_at",
     "must be between 1 and 4 (got 0)"),
    ("pain-stop-quoted", "runner: A\npain: {stop_at: '3'}\n", 2, "pain.stop_at",
     "must be a whole number (got text '3')"),
    ("pain-prompt-zero", "runner: A\npain: {prompt_every_min: 0}\n", 2, "pain.prompt_every_min",
     "between 1 and 30 (got 0)"),
    ("pain-prompt-clock", "runner: A\npain:\n  prompt_every_min: 1:30\n", 3,
     "pain.prompt_every_min", "not a clock time"),
    ("volume-high", "runner: A\nmetronome: {volume: 1.5}\n", 2, "metronome.volume",
     "must be between 0 and 1 (got 1.5)"),
    ("volume-negative", "runner: A\nmetronome:\n  sound: beep\n  volume: -0.1\n", 4,
     "metronome.volume", "must be between 0 and 1 (got -0.1)"),
    ("volume-empty", "runner: A\nmetronome:\n  volume:\n", 3, "metronome.volume", "is empty"),
    ("sound-typo", "runner: A\nmetronome: {sound: woodblok}\n", 2, "metronome.sound",
     "did you mean 'woodblock'"),
    ("sound-unknown", "runner: A\nmetronome: {sound: gong}\n", 2, "metronome.sound",
     "unknown click sound 'gong'"),
    ("walk-bad", "runner: A\nmetronome: {walk: maybe}\n", 2, "metronome.walk",
     "must be one of off, walk_tempo (got 'maybe')"),
    ("accent-fraction", "runner: A\nmetronome: {accent_every: 2.5}\n", 2,
     "metronome.accent_every", "must be a whole number"),
    ("walk-tempo-range", "runner: A\nmetronome: {walk_tempo_spm: 200}\n", 2,
     "metronome.walk_tempo_spm", "between 80 and 140"),
    ("metronome-list", "runner: A\nmetronome: [woodblock, 0.8]\n", 2, "metronome",
     "must be a mapping of fields"),
    ("tempo-max-over-10", "runner: A\ntempo: {max_increase_pct: 15}\n", 2,
     "tempo.max_increase_pct", "at most 10 (got 15)"),
    ("tempo-stage-over-max", "runner: A\ntempo:\n  max_increase_pct: 6\n  stage_increase_pct: 8\n",
     4, "tempo.stage_increase_pct", "must not exceed max_increase_pct (got 8 > 6)"),
    ("tempo-ramp-zero", "runner: A\ntempo: {ramp_step_spm: 0}\n", 2, "tempo.ramp_step_spm",
     "must be more than 0"),
    ("tempo-fade-mode", "runner: A\ntempo: {fade_mode: loud}\n", 2, "tempo.fade_mode",
     "must be one of fade, intermittent, none"),
    ("tempo-fade-typo", "runner: A\ntempo: {fade_after_s: 180}\n", 2, "tempo.fade_after_s",
     "did you mean 'fade_after_min'"),
    ("program-unknown", "runner: A\nprogram:\n  name: protocol-c\n  week: 1\n", 3,
     "program.name", "unknown program 'protocol-c'; did you mean"),
    ("program-week-past-end", "runner: A\nprogram:\n  name: protocol-a\n  week: 9\n", 4,
     "program.week", "protocol-a has weeks 1-6 (got 9)"),
    ("program-week-zero", "runner: A\nprogram: {name: protocol-a, week: 0}\n", 2, "program.week",
     "between 1 and 52 (got 0)"),
    ("program-no-name", "runner: A\nprogram: {week: 2}\n", 2, "program.name", "is required"),
    ("program-shorthand-unknown", "runner: A\nprogram: marathon\n", 2, "program",
     "unknown program 'marathon'"),
    ("treadmill-text", "runner: A\ntreadmill: yes please\n", 2, "treadmill",
     "must be true or false (got text 'yes please')"),
    ("treadmill-number", "runner: A\ntreadmill: 1\n", 2, "treadmill", "must be true or false"),
    ("cue-gap-short", "runner: A\ncues: {min_gap_s: 10}\n", 2, "cues.min_gap_s",
     "between 60 and 900 (got 10)"),
    ("shoe-warn-after-replace", "runner: A\nshoe: {replace_warn_km: 900, replace_km: 800}\n", 2,
     "shoe.replace_warn_km", "must not be more than replace_km"),
    ("runner-blank", "runner: '  '\n", 1, "runner", "must not be blank"),
    ("flare-cut-too-big", "runner: A\nprogression:\n  flare_cut_pct: 60\n", 3,
     "progression.flare_cut_pct", "between 30 and 50 (got 60)"),
    ("flare-days-too-few", "runner: A\nprogression:\n  flare_cut_days: 3\n", 3,
     "progression.flare_cut_days", "between 5 and 7 (got 3)"),
    ("flare-days-fraction", "runner: A\nprogression: {flare_cut_days: 5.5}\n", 2,
     "progression.flare_cut_days", "must be a whole number"),
    ("feedback-step-unknown", "runner: A\nprogression:\n  feedback_schedule:\n"
     "    - continuous\n    - silence\n", 5, "progression.feedback_schedule[1]",
     "must be one of continuous, intermittent, bandwidth (got 'silence')"),
    ("feedback-schedule-empty", "runner: A\nprogression:\n  feedback_schedule: []\n", 3,
     "progression.feedback_schedule", "needs at least one step"),
    ("progression-typo", "runner: A\nprogression:\n  flare_cut_percent: 40\n", 3,
     "progression.flare_cut_percent", "did you mean 'flare_cut_pct'"),
]  # fmt: skip


def _ids(cases: list[tuple[Any, ...]]) -> list[str]:
    return [c[0] for c in cases]


@pytest.mark.parametrize(("case", "text", "line", "field", "fragment"), CASES, ids=_ids(CASES))
def test_loader_names_line_field_and_problem(
    write_yaml: Any, case: str, text: str, line: int, field: str, fragment: str
) -> None:
    path = write_yaml(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    matching = [i for i in caught.value.issues if i.field == field]
    assert matching, f"no issue for {field!r}; got: {caught.value}"
    issue = matching[0]
    assert issue.file == str(path)
    assert issue.line == line, str(issue)
    assert fragment in issue.message, str(issue)
    assert str(issue).startswith(f"{path}:{line}: {field}: ")


@pytest.mark.parametrize(("case", "text", "line", "field", "fragment"), CASES, ids=_ids(CASES))
def test_profile_check_exits_2_with_file_line_field(
    write_yaml: Any,
    profile_cli: Any,
    capsys: pytest.CaptureFixture[str],
    case: str,
    text: str,
    line: int,
    field: str,
    fragment: str,
) -> None:
    path = write_yaml(text)
    assert profile_cli("check", str(path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}:{line}: {field}: " in err
    assert fragment in err


def test_several_problems_are_reported_together(write_yaml: Any) -> None:
    path = write_yaml(
        """
        runner: A
        metronome: {volume: 2}
        pain: {stop_at: 7}
        band: {low_spm: 180, high_spm: 170}
        """
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert [(i.line, i.field) for i in caught.value.issues] == [
        (2, "metronome.volume"),
        (3, "pain.stop_at"),
        (4, "band.low_spm"),
    ]
    assert str(caught.value).count("\n") == 2  # one line per problem


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("runner: A\nband: {low_spm: 170\n", 3),  # unclosed flow mapping
        ("runner: A\n\tmetronome: {}\n", 2),  # a tab for indentation
        ("runner: A\nsensors:\n  - role: hr\n   name: x\n", 4),  # misaligned list item
        ("runner: 'A\n", 2),  # unclosed quote
    ],
)
def test_yaml_syntax_errors_name_file_and_line(
    write_yaml: Any, profile_cli: Any, capsys: pytest.CaptureFixture[str], text: str, line: int
) -> None:
    path = write_yaml(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.line == line
    assert "YAML syntax error" in caught.value.message
    assert profile_cli("check", str(path)) == 2
    assert f"{path}:{line}: YAML syntax error" in capsys.readouterr().err


def test_missing_file_exits_2(
    tmp_path: Path, profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert profile_cli("check", str(missing)) == 2
    assert capsys.readouterr().err.strip() == f"{missing}: file not found"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- runner\n- A\n", "must be a mapping of fields"),
        ("just a sentence\n", "must be a mapping of fields"),
    ],
)
def test_documents_that_are_not_profiles(write_yaml: Any, text: str, message: str) -> None:
    path = write_yaml(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert message in str(caught.value)


def test_good_and_bad_files_together(
    write_yaml: Any, profile_cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_yaml("runner: A\n", "good.yaml")
    bad = write_yaml("runner: A\nmetronome: {volume: 3}\n", "bad.yaml")
    assert profile_cli("check", str(good), str(bad)) == 2
    out, err = capsys.readouterr()
    assert out == f"ok: {good}\n"
    assert err == f"{bad}:2: metronome.volume: must be between 0 and 1 (got 3)\n"


TREADMILL_CASES: list[tuple[str, str, int, str, str]] = [
    ("belt-unknown-field", "runner: A\ntreadmill:\n  control: true\n  run_speed: 9\n", 4,
     "treadmill.run_speed", "did you mean 'run_speed_kmh'"),
    ("belt-control-text", "runner: A\ntreadmill: {control: maybe}\n", 2, "treadmill.control",
     "must be true or false"),
    ("belt-run-too-fast", "runner: A\ntreadmill:\n  control: true\n  run_speed_kmh: 25\n", 4,
     "treadmill.run_speed_kmh", "between 3 and 20 (got 25)"),
    ("belt-walk-is-a-run", "runner: A\ntreadmill: {walk_speed_kmh: 9.5}\n", 2,
     "treadmill.walk_speed_kmh", "faster than 8 km/h is running"),
    ("belt-walk-not-slower", "runner: A\ntreadmill:\n  run_speed_kmh: 6\n  walk_speed_kmh: 6.5\n",
     4, "treadmill.walk_speed_kmh", "must be below run_speed_kmh (got 6.5 and 6 km/h)"),
    ("belt-run-slower-than-default-walk", "runner: A\ntreadmill: {run_speed_kmh: 4}\n", 2,
     "treadmill.run_speed_kmh", "must be above the walking speed, 5 km/h"),
    ("belt-incline-steep", "runner: A\ntreadmill:\n  incline_pct: 12\n", 3,
     "treadmill.incline_pct", "between 0 and 10 (got 12)"),
    ("belt-incline-down", "runner: A\ntreadmill: {incline_pct: -2}\n", 2,
     "treadmill.incline_pct", "between 0 and 10"),
    ("belt-speed-text", "runner: A\ntreadmill:\n  walk_speed_kmh: slow\n", 3,
     "treadmill.walk_speed_kmh", "must be a number"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "line", "field", "fragment"), TREADMILL_CASES, ids=_ids(TREADMILL_CASES)
)
def test_treadmill_belt_settings_name_line_and_field(
    write_yaml: Any,
    profile_cli: Any,
    capsys: pytest.CaptureFixture[str],
    case: str,
    text: str,
    line: int,
    field: str,
    fragment: str,
) -> None:
    path = write_yaml(text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    matching = [i for i in caught.value.issues if i.field == field]
    assert matching and matching[0].line == line, str(caught.value)
    assert fragment in matching[0].message, str(matching[0])
    assert profile_cli("check", str(path)) == 2
    assert f"{path}:{line}: {field}: " in capsys.readouterr().err


def test_body_mass_is_optional(write_yaml: Any) -> None:
    assert load_profile(write_yaml("runner: A\n")).body_mass_kg is None
    assert load_profile(write_yaml("runner: A\nbody_mass_kg: 61.5\n")).body_mass_kg == 61.5
