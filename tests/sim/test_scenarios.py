"""Whole sessions through ``cadence.live.headless`` (the app's ``LiveSession``): the issue's
scenarios, asserted on the same JSON records ``cadence simulate`` prints."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from cadence.coach.actions import Phase
from cadence.live.headless import simulate
from cadence.profile.loader import load_program
from cadence.profile.model import Profile, ProgramWeek
from cadence.sim.runner import RunnerParams
from cadence.sim.script import parse_script
from cadence.sim.session import SimConfig

Record = dict[str, Any]


def session(
    profile: Profile,
    week: ProgramWeek,
    runner: RunnerParams | None = None,
    script: str = "",
    tick_s: float = 0.5,
    seed: int = 1,
    **cfg: Any,
) -> list[Record]:
    records = list(simulate(profile, week, runner=runner, seed=seed,
                            script=parse_script(script), config=SimConfig(tick_s=tick_s, **cfg)))
    # every record must survive the trip through JSON (what `cadence simulate` prints)
    return [json.loads(json.dumps(r)) for r in records]


def actions(records: list[Record], kind: str) -> list[tuple[float, dict[str, Any]]]:
    return [(r["t_s"], a) for r in records for a in r["actions"] if a["type"] == kind]


def first(records: list[Record], kind: str) -> tuple[int, dict[str, Any]]:
    for i, r in enumerate(records):
        for a in r["actions"]:
            if a["type"] == kind:
                return i, a
    raise AssertionError(f"no {kind}")


CONTINUOUS = load_program("continuous").week(1)
STEADY = RunnerParams(start_cadence_spm=158.0, fatigue_drift_spm_per_min=0.0)


@pytest.mark.slow
@pytest.mark.parametrize("tick_s", [0.1, 0.5, 1.0])
def test_a_158_runner_ends_near_166_and_the_beat_never_runs_away(tick_s: float) -> None:
    profile = Profile()  # no baseline: measured in the first minute of running
    records = session(profile, CONTINUOUS, STEADY, tick_s=tick_s)
    policy = profile.tempo
    base = next(a for _, a in actions(records, "Mark") if a["kind"] == "baseline")
    assert base["detail"]["spm"] == pytest.approx(158.0, abs=1.0)
    assert base["detail"]["target_spm"] == pytest.approx(165.9, abs=1.1)
    tempo_prev: float | None = None
    ramp_steps = 0
    for r in records:
        for a in r["actions"]:
            if a["type"] != "SetTempo":
                continue
            if tempo_prev is None:
                assert a["tempo_spm"] == base["detail"]["spm"]  # starts at the runner's own cadence
            elif a["reason"] == "ramp":
                ramp_steps += 1
                assert 0 < a["tempo_spm"] - tempo_prev <= policy.ramp_step_spm + 1e-9
                # only when the runner had caught up to within the lag tolerance
                assert r["cadence_spm"] >= tempo_prev - policy.lag_tolerance_spm
                assert a["tempo_spm"] - r["cadence_spm"] <= policy.ramp_step_spm + (
                    policy.lag_tolerance_spm
                )
            tempo_prev = a["tempo_spm"]
    assert ramp_steps >= 7
    assert tempo_prev == base["detail"]["target_spm"]
    running = [r for r in records if r["phase"] == Phase.RUN]
    assert all(r["tempo_spm"] is None or r["tempo_spm"] <= tempo_prev for r in running)
    end = running[-1]
    assert end["runner_spm"] == pytest.approx(166.0, abs=1.0)
    assert end["cadence_spm"] == pytest.approx(166.0, abs=1.5)
    assert actions(records, "SessionEnded")[-1][1]["reason"] == "program_done"


@pytest.mark.parametrize("tick_s", [0.25, 1.0])
def test_pain_3_at_minute_7_stops_running_within_one_tick(tick_s: float) -> None:
    records = session(Profile(), CONTINUOUS, STEADY, "events: [{at_min: 7, pain: 3}]",
                      tick_s=tick_s)
    i, stop = first(records, "StopRun")
    assert records[i]["t_s"] == pytest.approx(420.0, abs=tick_s)
    assert records[i]["inputs"]["pain"]["rating"] == 3
    assert stop["reason"] == "pain"
    types = [a["type"] for a in records[i]["actions"]]
    assert types[types.index("StopRun"):types.index("StopRun") + 3] == [
        "StopRun", "MetronomeOff", "PhaseChange"]
    assert records[i]["phase"] == "cooldown" and not records[i]["metronome_on"]
    later = records[i + 1:]
    assert all(r["phase"] in ("cooldown", "done") for r in later)
    assert not [a for r in later for a in r["actions"] if a["type"] == "MetronomeOn"]
    assert actions(records, "SessionEnded")[-1][1]["reason"] == "pain"


def test_red_flag_stops_the_run() -> None:
    records = session(Profile(), CONTINUOUS, STEADY, "events: [{at_s: 600, key: red_flag}]")
    i, stop = first(records, "StopRun")
    assert records[i]["t_s"] == 600.0
    assert stop["reason"] == "red_flag" and "physiotherapist" in stop["message"]
    assert all(r["phase"] in ("cooldown", "done") for r in records[i:])
    assert actions(records, "SessionEnded")[-1][1]["reason"] == "red_flag"


def test_emergency_key_stops_with_the_urgent_message() -> None:
    records = session(Profile(), CONTINUOUS, STEADY,
                      "events: [{at_s: 500, key: emergency}, {at_s: 900, key: end}]")
    _, stop = first(records, "StopRun")
    assert stop["reason"] == "emergency" and "emergency department" in stop["message"]
    assert actions(records, "SessionEnded")[-1][1]["reason"] == "emergency"


def test_protocol_a_week_1_is_six_rounds_of_1_3_with_a_warmup() -> None:
    week = load_program("protocol-a").week(1)
    records = session(Profile(), week, STEADY, "answer_prompts: 1")
    changes = actions(records, "PhaseChange")
    assert changes[0][1]["phase"] == "warmup" and changes[0][1]["label"] == "Glute activation"
    runs = [(t, a) for t, a in changes if a["phase"] == "run"]
    walks = [(t, a) for t, a in changes if a["phase"] == "walk"]
    assert len(runs) == 6 and len(walks) == 6
    assert [a["round_index"] for _, a in runs] == [1, 2, 3, 4, 5, 6]
    assert all(a["rounds_total"] == 6 for _, a in runs)
    for (t_run, run), (t_walk, walk) in zip(runs, walks, strict=True):
        assert run["duration_s"] == 60.0 and walk["duration_s"] == 180.0
        assert t_walk - t_run == pytest.approx(60.0)  # 1 minute running
    for (t_walk, _), (t_next, _) in zip(walks, runs[1:], strict=False):
        assert t_next - t_walk == pytest.approx(180.0)  # 3 minutes walking
    assert [a["phase"] for _, a in changes[-2:]] == ["cooldown", "done"]
    # every walk break asked about pain, the runner answered, nobody was stopped
    asks = [a for _, a in actions(records, "AskPain")]
    assert [a["reason"] for a in asks] == ["walk_break"] * 6 + ["post_run"]
    assert all(a["answered"] for _, a in actions(records, "PainPromptClosed"))
    assert not actions(records, "StopRun")


def test_faded_feedback_turns_off_and_comes_back_on() -> None:
    profile = Profile(baseline_cadence_spm=166.0)
    runner = RunnerParams(start_cadence_spm=166.0, fatigue_onset_s=1200.0,
                          fatigue_drift_spm_per_min=1.5)
    records = session(profile, CONTINUOUS, runner)
    marks = [(t, a["kind"]) for t, a in actions(records, "Mark")
             if a["kind"] in ("fade_out", "fade_back")]
    assert [k for _, k in marks[:2]] == ["fade_out", "fade_back"]
    volumes = [(t, a["volume"]) for t, a in actions(records, "MetronomeVolume")]
    t_out, t_back = marks[0][0], marks[1][0]
    assert (t_out, 0.0) in volumes and (t_back, 0.8) in volumes
    quiet = [r for r in records if t_out <= r["t_s"] < t_back]
    assert quiet and all(r["volume"] == 0.0 for r in quiet)
    by_t = {r["t_s"]: r for r in records}
    assert by_t[t_back]["cadence_spm"] < 170.0  # came back because cadence slipped below band
    assert by_t[t_out]["cadence_spm"] >= 172.0  # faded while holding the target (174.3)


def test_intermittent_mode_plays_some_bars_and_rests_some() -> None:
    from cadence.profile.model import FadeMode, TempoPolicy

    profile = Profile(baseline_cadence_spm=170.0,
                      tempo=TempoPolicy(fade_mode=FadeMode.INTERMITTENT))
    runner = RunnerParams(start_cadence_spm=170.0, fatigue_drift_spm_per_min=0.0)
    records = session(profile, CONTINUOUS, runner)
    t_out = next(t for t, a in actions(records, "Mark") if a["kind"] == "fade_out")
    volumes = [a["volume"] for t, a in actions(records, "MetronomeVolume") if t >= t_out]
    assert volumes[:4] == [0.0, 0.8, 0.0, 0.8]  # 30 s on, 60 s off, repeat
    assert volumes.count(0.0) >= 5 and volumes.count(0.8) >= 5
    assert not [t for t, a in actions(records, "Mark") if a["kind"] == "fade_back"]


def test_tap_tempo_runner_without_a_footpod() -> None:
    records = session(Profile(), CONTINUOUS, STEADY, "events: [{at_s: 320, key: tap_tempo}]",
                      footpod=False)
    base = next(a for _, a in actions(records, "Mark") if a["kind"] == "baseline")
    assert base["detail"]["source"] == "tap"
    assert base["detail"]["spm"] == pytest.approx(158.0, abs=3.0)
    assert actions(records, "MetronomeOn")


def test_same_seed_same_session_other_seed_other_noise() -> None:
    week = replace(CONTINUOUS, run_s=300.0, warmup=())
    a = session(Profile(), week, STEADY, seed=4)
    b = session(Profile(), week, STEADY, seed=4)
    c = session(Profile(), week, STEADY, seed=5)
    assert a == b
    assert a != c
