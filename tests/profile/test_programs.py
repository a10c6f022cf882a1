"""Programs: the shipped plans match the coaching facts; broken programs are pinned down."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cadence.profile.errors import ProfileError
from cadence.profile.loader import (
    ENV_PROFILES_DIR,
    available_programs,
    load_profile,
    load_profile_and_program,
    load_program,
    programs_dir,
)
from cadence.profile.progression import session_run_s, weekly_run_s

DYNAMIC_EXERCISES = ("leg swings", "hip circles", "glute bridges", "walking lunges", "butt kicks")


def test_shipped_programs_are_found_by_name() -> None:
    assert {"protocol-a", "protocol-b", "continuous"} <= set(available_programs())
    assert load_program("protocol-a").source_path == programs_dir() / "protocol-a.yaml"


def test_protocol_a_weeks_1_to_3_follow_the_facts() -> None:
    a = load_program("protocol-a")
    w1, w2, w3 = a.week(1), a.week(2), a.week(3)
    assert (w1.run_s, w1.walk_s, w1.rounds, w1.sessions) == (60, 180, 6, 3)
    assert (w2.run_s, w2.walk_s, w2.rounds, w2.sessions) == (120, 120, 8, 3)
    assert (w3.run_s, w3.walk_s, w3.rounds, w3.sessions) == (240, 60, 6, 4)
    assert w2.form_check_every_s == 600
    assert w1.form_check_every_s is None and w3.form_check_every_s is None


def test_protocol_a_week_1_starts_with_five_minutes_of_glute_activation() -> None:
    w1 = load_program("protocol-a").week(1)
    glutes = w1.warmup[0]
    assert glutes.name == "Glute activation"
    assert glutes.duration_s == 300
    assert any("glute bridge" in e.lower() for e in glutes.exercises)
    assert len(glutes.exercises) >= 3


def test_protocol_a_goes_continuous_from_week_4_within_10_percent() -> None:
    a = load_program("protocol-a")
    assert a.volume_cap_from_week == 4
    assert a.max_weekly_increase_pct == 10
    continuous = [w for w in a.weeks if w.week >= 4]
    assert continuous and all(w.walk_s == 0 and w.rounds == 1 for w in continuous)
    for before, after in zip(a.weeks[2:], a.weeks[3:], strict=False):
        assert weekly_run_s(before) < weekly_run_s(after) <= weekly_run_s(before) * 1.10


def test_protocol_b_is_2_1_with_20_to_30_minute_sessions_then_at_most_10_percent() -> None:
    b = load_program("protocol-b")
    assert len(b.weeks) >= 4
    assert all((w.run_s, w.walk_s) == (120, 60) for w in b.weeks)
    w1 = b.week(1)
    assert 20 * 60 <= (w1.run_s + w1.walk_s) * w1.rounds <= 30 * 60
    for before, after in zip(b.weeks, b.weeks[1:], strict=False):
        assert weekly_run_s(before) < weekly_run_s(after) <= weekly_run_s(before) * 1.10 + 1e-6


def test_continuous_program_is_one_30_minute_run() -> None:
    c = load_program("continuous")
    (week,) = c.weeks
    assert (week.run_s, week.walk_s, week.rounds) == (1800, 0, 1)
    assert session_run_s(week) == 1800


@pytest.mark.parametrize("name", ["protocol-a", "protocol-b", "continuous"])
def test_every_week_warms_up_5_to_10_minutes_with_named_dynamic_exercises(name: str) -> None:
    program = load_program(name)
    for week in program.weeks:
        assert 300 <= sum(b.duration_s for b in week.warmup) <= 600, week.week
        assert all(b.exercises for b in week.warmup)
        assert week.cooldown_s >= 300
    later = program.weeks[-1].warmup
    named = " ".join(e.lower() for b in later for e in b.exercises)
    for exercise in DYNAMIC_EXERCISES:
        assert exercise in named


def test_past_the_last_week_the_last_week_repeats() -> None:
    a = load_program("protocol-a")
    assert a.week(len(a.weeks) + 3) == a.weeks[-1]


def test_programs_load_by_path_and_from_the_env_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "mine" / "programs"
    own.mkdir(parents=True)
    text = "title: Mine\nweeks:\n  - {week: 1, run_min: 10, rounds: 1, sessions: 2}\n"
    (own / "easy-ten.yaml").write_text(text)
    assert load_program(own / "easy-ten.yaml").name == "easy-ten"  # name from the file
    assert load_program(str(own / "easy-ten.yaml")).weeks[0].run_s == 600
    with pytest.raises(ProfileError, match="unknown program 'easy-ten'"):
        load_program("easy-ten")
    monkeypatch.setenv(ENV_PROFILES_DIR, str(tmp_path / "mine"))
    assert programs_dir() == own
    assert load_program("easy-ten").title == "Mine"


def test_a_program_beside_the_profile_is_found_first(write_yaml: Any) -> None:
    write_yaml(
        "title: My own A\nweeks:\n  - {week: 1, run_min: 1, walk_min: 2, rounds: 5, sessions: 3}\n",
        "programs/protocol-a.yaml",
    )
    profile_path = write_yaml("runner: A\nprogram: {name: protocol-a, week: 1}\n")
    _, program = load_profile_and_program(profile_path)
    assert program.title == "My own A"
    assert program.source_path == profile_path.parent / "programs" / "protocol-a.yaml"


def test_a_profile_without_program_runs_continuous(write_yaml: Any) -> None:
    profile, program = load_profile_and_program(write_yaml("runner: A\n"))
    assert profile.program == "continuous" and profile.program_week == 1
    assert program.name == "continuous"


def test_a_broken_program_is_reported_in_its_own_file(write_yaml: Any) -> None:
    program_path = write_yaml(
        "title: Bad\nweeks:\n  - {week: 1, run_min: 1, walk_min: 2, rounds: 0, sessions: 3}\n",
        "programs/bad.yaml",
    )
    profile_path = write_yaml("runner: A\nprogram:\n  name: bad\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(profile_path)
    where = [(i.file, i.line, i.field) for i in caught.value.issues]
    assert (str(profile_path), 3, "program.name") in where
    assert (str(program_path), 3, "weeks[0].rounds") in where


def test_unknown_program_lists_what_exists(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_program("zzz-nothing-like-it")
    assert "expected one of: " in caught.value.message
    assert "protocol-a" in caught.value.message


# (id, program text, line, field, fragment)
BROKEN_PROGRAMS: list[tuple[str, str, int, str, str]] = [
    ("weeks-out-of-order",
     "title: T\nweeks:\n  - {week: 1, run_min: 1, walk_min: 1, rounds: 2, sessions: 3}\n"
     "  - {week: 3, run_min: 1, walk_min: 1, rounds: 2, sessions: 3}\n",
     4, "weeks[1].week", "expected 2, got 3"),
    ("continuous-with-rounds",
     "title: T\nweeks:\n  - week: 1\n    run_min: 20\n    rounds: 6\n    sessions: 3\n",
     5, "weeks[0].rounds", "a continuous week (walk_min 0) has 1 round"),
    ("volume-jump",
     "title: T\nweeks:\n  - {week: 1, run_min: 30, rounds: 1, sessions: 3}\n"
     "  - {week: 2, run_min: 40, rounds: 1, sessions: 3}\n",
     4, "weeks[1]", "rises 33 % over week 1"),
    ("increase-limit-over-10", "title: T\nmax_weekly_increase_pct: 20\nweeks:\n"
     "  - {week: 1, run_min: 30, rounds: 1, sessions: 3}\n",
     2, "max_weekly_increase_pct", "at most 10 (got 20)"),
    ("no-weeks", "title: T\nweeks: []\n", 2, "weeks", "needs at least one week"),
    ("weeks-missing", "title: T\nname: t\n", 1, "weeks", "is required"),
    ("warmup-no-min", "title: T\nwarmup:\n  - {name: Legs}\nweeks:\n"
     "  - {week: 1, run_min: 30, rounds: 1, sessions: 3}\n", 3, "warmup[0].min", "is required"),
    ("run-zero", "title: T\nweeks:\n  - {week: 1, run_min: 0, rounds: 1, sessions: 3}\n",
     3, "weeks[0].run_min", "more than 0"),
    ("sessions-too-many",
     "title: T\nweeks:\n  - {week: 1, run_min: 30, rounds: 1, sessions: 9}\n",
     3, "weeks[0].sessions", "between 1 and 7 (got 9)"),
    ("week-key-typo",
     "title: T\nweeks:\n  - {week: 1, run_min: 1, walk_mins: 1, rounds: 2, sessions: 3}\n",
     3, "weeks[0].walk_mins", "did you mean 'walk_min'"),
    ("bad-name", "name: Protocol A\ntitle: T\nweeks:\n"
     "  - {week: 1, run_min: 30, rounds: 1, sessions: 3}\n", 1, "name", "lower-case"),
    ("exercises-not-text", "title: T\nwarmup:\n  - name: W\n    min: 5\n    exercises:\n"
     "      - {leg: swings}\nweeks:\n  - {week: 1, run_min: 30, rounds: 1, sessions: 3}\n",
     6, "warmup[0].exercises[0]", "must be text"),
    ("form-check-zero", "title: T\nweeks:\n"
     "  - {week: 1, run_min: 30, rounds: 1, sessions: 3, form_check_every_min: 0}\n",
     3, "weeks[0].form_check_every_min", "between 1 and 60"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "line", "field", "fragment"),
    BROKEN_PROGRAMS,
    ids=[c[0] for c in BROKEN_PROGRAMS],
)
def test_broken_programs(
    write_yaml: Any,
    profile_cli: Any,
    capsys: pytest.CaptureFixture[str],
    case: str,
    text: str,
    line: int,
    field: str,
    fragment: str,
) -> None:
    path = write_yaml(text, "programs/broken.yaml")
    with pytest.raises(ProfileError) as caught:
        load_program(path)
    issue = next((i for i in caught.value.issues if i.field == field), None)
    assert issue is not None, str(caught.value)
    assert (issue.line, fragment in issue.message) == (line, True), str(issue)
    if case != "weeks-missing":  # `check` tells a program by its weeks: key
        assert profile_cli("check", str(path)) == 2
        assert f"{path}:{line}: {field}: " in capsys.readouterr().err
