"""Issue 11's coach flows as runner scripts: the JSON records ``cadence simulate`` prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cadence.profile.loader import load_program
from cadence.profile.model import Profile
from cadence.sim.runner import RunnerParams

from .test_scenarios import actions, session
from .test_simulate_command import minimal_profile, simulate

WEEK_1 = load_program("protocol-a").week(1)
CONTINUOUS = load_program("continuous").week(1)
STEADY = RunnerParams(start_cadence_spm=158.0, fatigue_drift_spm_per_min=0.0)


def types_after(records: list[dict[str, Any]], t_s: float) -> list[str]:
    return [a["type"] for r in records if r["t_s"] > t_s for a in r["actions"]]


def test_an_emergency_ends_the_session_with_no_later_prompt() -> None:
    records = session(Profile(), WEEK_1, STEADY, script="""
answer_prompts: 1
events:
  - {at_min: 7, key: emergency}
""")
    end = actions(records, "SessionEnded")
    assert [a["reason"] for _, a in end] == ["emergency"]
    stop_t = actions(records, "StopRun")[0][0]
    assert end[0][0] == stop_t  # the same tick: no cool-down in between
    assert records[-1]["t_s"] == stop_t
    phases = [a["phase"] for t, a in actions(records, "PhaseChange") if t >= stop_t]
    assert phases == ["done"]
    said = [a["topic"] for t, a in actions(records, "Cue") if t >= stop_t]
    assert said == ["emergency_stop"]  # no "how is your back", no "take it easy"
    assert not [a for t, a in actions(records, "AskPain") if t >= stop_t]


def test_chest_pain_stops_at_once_and_a_leg_sign_walks_it_off() -> None:
    chest = session(Profile(), CONTINUOUS, STEADY, script="events: [{at_min: 6, key: chest_pain}]")
    assert [a["reason"] for _, a in actions(chest, "SessionEnded")] == ["red_flag"]
    assert chest[-1]["t_s"] == 360.0
    leg = session(Profile(), CONTINUOUS, STEADY, script="events: [{at_min: 6, key: leg_weakness}]")
    assert next(a["label"] for t, a in actions(leg, "PhaseChange") if t >= 360) == (
        "Walking cool-down"
    )
    assert "leg_weakness_stop" in [a["topic"] for _, a in actions(leg, "Cue")]


def test_rising_pain_freezes_the_tempo_for_the_rest_of_the_session() -> None:
    def ramp_steps_after(script: str, t_s: float) -> list[float]:
        records = session(Profile(), CONTINUOUS, STEADY, script=script)
        return [a["tempo_spm"] for t, a in actions(records, "SetTempo")
                if t > t_s and a["reason"] == "ramp"]

    steady = "events: [{at_min: 4, pain: 1}, {at_min: 5, pain: 1}]"
    rising = "events: [{at_min: 4, pain: 1}, {at_min: 5, pain: 2}]"
    assert ramp_steps_after(steady, 300.0), "control: the ramp climbs after minute 5"
    assert ramp_steps_after(rising, 300.0) == []


def test_plus_never_passes_the_cap() -> None:
    presses = "\n".join(f"  - {{at_s: {900 + i}, key: '+'}}" for i in range(30))
    records = session(Profile(), CONTINUOUS, STEADY, script=f"events:\n{presses}\n")
    top = max(a["tempo_spm"] for _, a in actions(records, "SetTempo"))
    assert top == 180.0  # the band's top (the runner's own ~158 is lower); was 218.9


def test_every_rating_is_acknowledged_and_10_is_a_rating() -> None:
    records = session(Profile(), CONTINUOUS, STEADY,
                      script="events: [{at_min: 3, pain: 0}, {at_min: 6, pain: 10}]")
    acks = [a["sound_id"] for _, a in actions(records, "Cue") if a["topic"] == "pain_noted"]
    assert acks[:2] == ["pain_noted_0", "pain_noted_10"]
    verdicts = [a["detail"]["verdict"] for _, a in actions(records, "Mark")
                if a["kind"] == "pain"]
    assert verdicts[:2] == ["ok", "stop_professional"]


def test_walk_next_turns_the_next_run_into_a_walk() -> None:
    records = session(Profile(), WEEK_1, STEADY, script="""
events:
  - {at_s: 400, pain: 1}
  - {at_s: 430, pain: 2}
  - {at_s: 440, key: walk_next}
""")
    labels = [(t, a["phase"], a["label"]) for t, a in actions(records, "PhaseChange")]
    walked = [x for x in labels if x[2] == "Walk (instead of a run)"]
    assert walked and walked[0][1] == "walk" and walked[0][0] == 540.0
    assert sum(1 for x in labels if x[1] == "run") == 5


def test_the_cli_prints_the_new_keys_and_refuses_a_band_over_190(tmp_path: Path) -> None:
    script = tmp_path / "s.yaml"
    script.write_text("events: [{at_s: 30, key: faint}]\n", encoding="utf-8")
    done = simulate(tmp_path, "--profile", minimal_profile(tmp_path), "--script", str(script),
                    "--no-inputs")
    assert done.returncode == 0, done.stderr
    assert '"reason": "red_flag"' in done.stdout.splitlines()[-1].replace('":"', '": "')
    wild = tmp_path / "wild.yaml"
    wild.write_text("runner: A\nband:\n  low_spm: 170\n  high_spm: 230\n", encoding="utf-8")
    refused = simulate(tmp_path, "--profile", str(wild))
    assert refused.returncode == 2 and refused.stdout == ""
    assert f"{wild}:4" in refused.stderr and "band.high_spm" in refused.stderr
