"""Whole programmes through the commands, against real SQLite files.

Every session is ``cadence simulate --db FILE --at TIME`` (the app's own
LiveSession on a virtual clock, planned from the file's history and recorded
into it, as ``cadence run`` would); follow-ups and visits go through
``cadence checkin``; ``cadence plan`` and ``cadence history`` read the file.
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cadence.cli import main
from cadence.coach.warning_signs import RedFlag
from cadence.store.programme import load_history
from cadence.store.store import Store

MONDAY = datetime.fromisoformat("2026-11-02T07:00:00+00:00")
CLEAN = """
answer_prompts: 0
readiness: {pain: 0}
followups: [{when: 1h, pain: 0}, {when: morning, pain: 0}]
"""


def day(n: float) -> str:
    return (MONDAY + timedelta(days=n)).isoformat()


class Programme:
    """One runner's database and profile, and the commands run against them."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                 progression: str = "") -> None:
        self.tmp = tmp_path
        self.capsys = capsys
        self.db = tmp_path / "runner.sqlite3"
        self.profile = tmp_path / "runner.yaml"
        self.profile.write_text("runner: Ana\nprogram: {name: protocol-a, week: 1}\n"
                                + textwrap.dedent(progression))
        self._scripts = 0

    def cli(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(list(argv))
        out = self.capsys.readouterr()
        return code, out.out, out.err

    def simulate(self, at: str, script: str = CLEAN, *extra: str) -> tuple[int, list[Any]]:
        self._scripts += 1
        path = self.tmp / f"script{self._scripts}.yaml"
        path.write_text(textwrap.dedent(script))
        code, out, err = self.cli("simulate", "--db", str(self.db), "--at", at, "--profile",
                                  str(self.profile), "--script", str(path), "--no-inputs",
                                  "--tick-s", "1", "--footpod-hz", "1",
                                  "--runner-start-spm", "150", *extra)
        assert code == 0, err
        return code, [json.loads(line) for line in out.splitlines()]

    def plan(self, at: str) -> dict[str, Any]:
        code, out, err = self.cli("plan", "--db", str(self.db), "--profile", str(self.profile),
                                  "--at", at, "--json")
        assert code == 0, err
        data: dict[str, Any] = json.loads(out)
        return data

    def sessions(self) -> int:
        with Store.open(self.db) as store:
            return len(store.list_sessions())


@pytest.fixture
def runner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Programme:
    return Programme(tmp_path, capsys)


def test_a_clean_week_advances_and_history_does_not_flag_protocol_steps(
        runner: Programme) -> None:
    for n in (0, 2, 4):
        _, lines = runner.simulate(day(n))
        first = lines[0]
        assert first["plan"]["week"] == 1 and first["running_allowed"]
        assert lines[-1]["actions"][-1] == {"type": "SessionEnded", "reason": "program_done"}
    week2 = runner.plan(day(7))
    assert week2["week"] == 2 and week2["rounds"] == 8 and week2["running_allowed"]
    for n in (7, 9, 11):
        assert runner.simulate(day(n))[1][0]["plan"]["week"] == 2
    assert runner.plan(day(14))["week"] == 3
    code, out, _ = runner.cli("history", "--db", str(runner.db), "--json")
    assert code == 0
    weeks = json.loads(out)["weeks"]
    assert weeks[1]["run_change_pct"] > 100  # 18 -> 48 minutes: protocol A's own step
    assert not any(w["flagged"] for w in weeks) and not weeks[1]["rule_applies"]


def test_a_3_repeats_the_week_with_the_cut_for_the_configured_days_then_restores(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = Programme(tmp_path, capsys, """
        progression: {flare_cut_pct: 50, flare_cut_days: 5}
    """)
    runner.simulate(day(0))
    runner.simulate(day(2), """
        answer_prompts: 0
        readiness: {pain: 0}
        events: [{at_min: 8, pain: 3}]
        followups: [{when: 1h, pain: 1}, {when: morning, pain: 0}]
    """)
    cut = runner.plan(day(3))
    assert (cut["week"], cut["volume_factor"], cut["rounds"]) == (1, 0.5, 3)
    assert cut["cut_until"] == "2026-11-08" and cut["running_allowed"]
    assert {a["kind"] for a in cut["advice"]} >= {"flare"}
    _, lines = runner.simulate(day(3))
    assert lines[0]["plan"]["rounds"] == 3
    runs = [a for line in lines[1:] for a in line["actions"]
            if a.get("type") == "PhaseChange" and a["phase"] == "run"]
    assert len(runs) == 3  # the session really was cut
    assert runner.plan(day(6))["rounds"] == 3  # day 5 of 5
    restored = runner.plan(day(7))
    assert (restored["week"], restored["volume_factor"], restored["rounds"]) == (1, 1.0, 6)
    assert "since the pain flare" in restored["week_reason"]


def test_a_4_blocks_running_until_a_professional_is_confirmed(runner: Programme) -> None:
    runner.simulate(day(0), """
        answer_prompts: 0
        readiness: {pain: 0}
        events: [{at_min: 8, pain: 4}]
    """)
    for n in (2, 9, 30):
        _, lines = runner.simulate(day(n))
        assert len(lines) == 1 and not lines[0]["running_allowed"]
        assert lines[0]["readiness"]["see_professional"]
    assert runner.sessions() == 1
    code, out, _ = runner.cli("checkin", "--db", str(runner.db), "--seen-professional",
                              "--at", day(31))
    assert code == 0 and "seen a professional" in out
    _, lines = runner.simulate(day(32))
    assert lines[0]["running_allowed"] and len(lines) > 1
    assert runner.sessions() == 2


def test_a_follow_up_above_the_pre_run_level_counts_as_a_flare(runner: Programme) -> None:
    script = """
        answer_prompts: 0
        readiness: {pain: 1}
    """
    runner.simulate(day(0), script)
    runner.simulate(day(2), script)
    code, out, _ = runner.cli("checkin", "--db", str(runner.db), "--pain", "2", "--when", "1h",
                              "--at", (MONDAY + timedelta(days=2, hours=2)).isoformat())
    assert code == 0 and "above your 1/10 before the run" in out
    code, out, _ = runner.cli("checkin", "--db", str(runner.db), "--pain", "1",
                              "--at", day(3))
    assert "next morning" in out and "back to your 1/10" in out
    p = runner.plan(day(3.5))
    assert p["week"] == 1 and p["volume_factor"] == 0.6
    assert "not settled" in p["week_reason"]


def test_missed_follow_ups_are_listed_at_the_next_start(runner: Programme) -> None:
    runner.simulate(day(0), "answer_prompts: 0\nreadiness: {pain: 0}\n")
    _, lines = runner.simulate(day(2))
    due = lines[0]["plan"]["followups_due"]
    assert due == [{"session_id": 1, "when": "1h"}, {"session_id": 1, "when": "morning"}]


def test_a_runner_at_150_never_gets_a_target_above_165(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    runner = Programme(tmp_path, capsys, "tempo: {stage_increase_pct: 5}\n")
    targets, tempos = [], []
    for n in range(0, 24, 2):
        _, lines = runner.simulate(day(n), CLEAN, "--entrainment", "0.2", "--noise", "0")
        targets.append(lines[0]["plan"]["target_spm"])
        tempos += [a["tempo_spm"] for line in lines[1:] for a in line["actions"]
                   if a["type"] == "SetTempo"]
    assert targets[0] is None  # measured in the first session
    assert targets[1:] and all(t is not None and t <= 165.0 for t in targets[1:])
    assert max(t for t in targets[1:] if t is not None) == pytest.approx(165.0, abs=0.2)
    assert max(tempos) <= 165.0
    with Store.open(runner.db) as store:
        history = load_history(store)
    assert history.cadence is not None and history.cadence.original_spm == pytest.approx(150,
                                                                                          abs=1)
    later = [s.avg_cadence_spm for s in history.sessions if s.avg_cadence_spm is not None]
    assert later[-1] > later[0]  # the current cadence moved; the original did not


@pytest.mark.parametrize("sign", list(RedFlag))
def test_a_warning_sign_at_readiness_never_lets_a_run_start(runner: Programme,
                                                           sign: RedFlag) -> None:
    _, lines = runner.simulate(day(0), f"readiness: {{pain: 0, warning_signs: [{sign.value}]}}\n")
    assert len(lines) == 1 and lines[0]["running_allowed"] is False
    assert lines[0]["readiness"]["verdict"] in ("no_run", "emergency")
    assert runner.sessions() == 0
    _, again = runner.simulate(day(1))  # and the next day it still holds, until confirmed
    assert len(again) == 1 and not again[0]["running_allowed"]
    assert runner.sessions() == 0


def test_pain_at_readiness_at_the_stop_level_never_lets_a_run_start(runner: Programme) -> None:
    _, lines = runner.simulate(day(0), "readiness: {pain: 3}\n")
    assert len(lines) == 1 and lines[0]["readiness"]["verdict"] == "no_run"
    assert runner.sessions() == 0
    assert runner.plan(day(1))["volume_factor"] == 0.6  # and the rating counts as a flare


@pytest.mark.parametrize(("script", "where", "what"), [
    ("readiness: {pain: 0, warning_signs: [sore_toe]}\n", ":1: readiness.warning_signs[0]",
     "unknown warning sign 'sore_toe'"),
    ("readiness:\n  pain: 11\n", ":2: readiness.pain", "0-10"),
    ("followups:\n  - {when: 1h, pain: 2}\n  - {when: noon, pain: 1}\n", ":3: followups[1].when",
     "1h, morning"),
    ("followups:\n  - {when: morning, pain: -1}\n", ":2: followups[0].pain", "0-10"),
    ("events:\n  - {at_s: .nan, pain: 2}\n", ":2: events[0].at_s", "finite"),
    ("events:\n  - {at_min: .inf, key: end}\n", ":2: events[0].at_min", "finite"),
    ("answer_delay_s: .nan\n", ":1: answer_delay_s", "seconds"),
])
def test_a_bad_script_is_refused_with_file_line_field_and_nothing_is_touched(
        runner: Programme, script: str, where: str, what: str) -> None:
    runner.simulate(day(0))
    before = runner.db.read_bytes()
    path = runner.tmp / "bad.yaml"
    path.write_text(script)
    code, out, err = runner.cli("simulate", "--db", str(runner.db), "--at", day(2),
                                "--profile", str(runner.profile), "--script", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"{path}{where}" in err and what in err
    assert runner.db.read_bytes() == before


def test_a_time_before_the_last_record_is_refused(runner: Programme) -> None:
    runner.simulate(day(2))
    before = runner.sessions()
    for argv in (("simulate", "--db", str(runner.db), "--profile", str(runner.profile),
                  "--at", day(1)),
                 ("checkin", "--db", str(runner.db), "--pain", "1", "--at", day(1)),
                 ("simulate", "--db", str(runner.db), "--at", "yesterday")):
        code, out, err = runner.cli(*argv)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert "--at" in err
    assert runner.sessions() == before


def test_checkin_asks_when_no_pain_is_given(runner: Programme,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    runner.simulate(day(0), "answer_prompts: 0\nreadiness: {pain: 0}\n")
    monkeypatch.setattr("builtins.input", lambda _prompt: "2")
    code, out, _ = runner.cli("checkin", "--db", str(runner.db),
                              "--at", (MONDAY + timedelta(hours=2)).isoformat())
    assert code == 0 and "one hour after" in out and "2/10" in out
    monkeypatch.setattr("builtins.input", lambda _prompt: "eleven")
    code, _, err = runner.cli("checkin", "--db", str(runner.db), "--at", day(1))
    assert code == 2 and "whole number 0-10" in err
    with pytest.raises(SystemExit) as exit_:
        runner.cli("checkin", "--db", str(runner.db), "--pain", "12")
    assert exit_.value.code == 2 and "must be 0-10 (got 12)" in runner.capsys.readouterr().err


def test_the_summary_shows_the_check_and_the_follow_ups(runner: Programme) -> None:
    runner.simulate(day(0), """
        answer_prompts: 0
        readiness: {pain: 1}
        followups: [{when: 1h, pain: 2}]
    """)
    code, out, _ = runner.cli("summary", "--db", str(runner.db))
    assert code == 0
    assert "Before the run: 1/10; after: an hour after 2/10 (above the pre-run level)" in out
    code, out, _ = runner.cli("summary", "--db", str(runner.db), "--json")
    data = json.loads(out)
    assert data["readiness"]["pain"] == 1 and data["followups"][0]["when"] == "1h"
    ended = datetime.fromisoformat(data["started_at"]) + timedelta(seconds=data["duration_s"])
    assert datetime.fromisoformat(data["followups"][0]["at"]) == ended + timedelta(hours=1)


def test_missed_follow_ups_are_asked_before_the_next_session(runner: Programme) -> None:
    from cadence.commands._programme import BadInput, ask_missed_followups

    runner.simulate(day(0), "answer_prompts: 0\nreadiness: {pain: 0}\n")
    asked: list[str] = []
    answers = iter(["", "2"])  # skip the hour, answer the morning

    def ask(question: str) -> str:
        asked.append(question)
        return next(answers)

    now = MONDAY + timedelta(days=1, hours=3)
    assert ask_missed_followups(str(runner.db), now, ask) == 1
    assert "an hour after it" in asked[0] and "the next morning" in asked[1]
    assert runner.plan(day(1.2))["volume_factor"] == 0.6  # 2 above a 0 baseline: a flare
    with pytest.raises(BadInput, match="0-10"):
        ask_missed_followups(str(runner.db), now, lambda _q: "x")


def test_the_plan_reminds_of_strength_work_as_history_does(runner: Programme) -> None:
    code, out, err = runner.cli("plan", "--db", str(runner.db), "--profile", str(runner.profile),
                                "--at", day(0))
    assert code == 0, err
    assert "Strength: " in out and "glutes, core and hips two or three times a week" in out
    assert "glutes, core and hips" in runner.plan(day(0))["strength_reminder"]
    code, out, err = runner.cli("history", "--db", str(runner.db))
    assert code == 0, err
    assert "glutes, core and hips two or three times a week" in out
