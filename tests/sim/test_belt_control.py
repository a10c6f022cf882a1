"""``cadence simulate`` with treadmill control on: the belt follows the plan, safety slows it,
the console wins. Whole sessions through ``cadence.live.headless`` (the app's ``LiveSession``,
``BeltSession`` and ``TreadmillPlan``), on a simulated belt ramping 0.5 km/h per s."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from cadence.live.headless import simulate
from cadence.live.recording import open_recorder
from cadence.model.session import EventKind
from cadence.profile.loader import load_program
from cadence.profile.model import Profile, TreadmillControl
from cadence.sim.script import parse_script
from cadence.sim.session import SimConfig
from cadence.store.store import Store

Record = dict[str, Any]
WEEK = load_program("protocol-a").week(2)  # 5 min warm-up, then 2:00 run / 2:00 walk
RUN_KMH, WALK_KMH, ACCEL = 9.0, 5.0, 0.5
CONTROL = Profile(treadmill=True, treadmill_control=TreadmillControl(
    control=True, run_speed_kmh=RUN_KMH, walk_speed_kmh=WALK_KMH, incline_pct=1.0))
RAMP_S = (RUN_KMH - WALK_KMH) / ACCEL  # 8 s between the two speeds
TICK_S = 0.5


def session(script: str = "", profile: Profile = CONTROL, **cfg: Any) -> list[Record]:
    records = simulate(profile, WEEK, seed=3, script=parse_script(script),
                       config=SimConfig(tick_s=TICK_S, with_inputs=False, **cfg))
    return [json.loads(json.dumps(r)) for r in records]


def phase_changes(records: list[Record]) -> list[tuple[int, str]]:
    return [(i, a["phase"]) for i, r in enumerate(records) for a in r["actions"]
            if a["type"] == "PhaseChange"]


def at(records: list[Record], t_s: float) -> Record:
    return next(r for r in records if r["t_s"] >= t_s - 1e-9)


def test_the_belt_follows_the_plan_walk_speed_in_walks_run_speed_in_runs() -> None:
    records = session(max_duration_s=20 * 60)
    changes = phase_changes(records)
    assert [p for _, p in changes[:5]] == ["warmup", "run", "walk", "run", "walk"]
    for (i, phase), (j, _) in pairwise(changes):
        want = RUN_KMH if phase == "run" else WALK_KMH
        start_s = records[i]["t_s"]
        # the command goes with the phase change, the belt gets there within its ramp
        assert records[i]["belt"]["target_kmh"] == want
        assert "phase" in records[i]["belt"].get("commands", []) or i == 0
        ramp_s = abs(want - records[i]["belt"]["speed_kmh"]) / ACCEL
        settled = [r for r in records[i:j] if r["t_s"] >= start_s + ramp_s + TICK_S]
        assert settled and all(r["belt"]["speed_kmh"] == want for r in settled), phase
        ramping = [r["belt"]["speed_kmh"] for r in records[i:j]]
        assert ramping == sorted(ramping) or ramping == sorted(ramping, reverse=True)
    # each speed change was announced 3 s before, with the next speed
    for i, phase in changes[1:5]:
        before = at(records, records[i]["t_s"] - 3.0)["belt"]
        speed = RUN_KMH if phase == "run" else WALK_KMH
        assert before["ahead"] == [f"{phase.capitalize()} in 3: belt to {speed:.1f} km/h"]
    assert all(r["belt"]["state"] == "in_control" for r in records)
    assert all(r["belt"]["incline_pct"] <= 1.0 for r in records)
    assert records[-1]["belt"]["incline_pct"] == 1.0


def test_with_control_off_there_is_no_belt_in_the_output() -> None:
    records = session(profile=replace(CONTROL, treadmill_control=TreadmillControl()),
                      max_duration_s=400)
    assert all("belt" not in r for r in records)


@pytest.mark.parametrize("script", ["{at_s: 330, pain: 5}", "{at_s: 330, key: red_flag}"])
def test_a_pain_stop_or_a_warning_sign_brings_the_belt_to_walking_speed_at_once(
    script: str,
) -> None:
    records = session(f"events:\n  - {script}\n", max_duration_s=20 * 60)
    stop = next(i for i, r in enumerate(records)
                if any(a["type"] == "StopRun" for a in r["actions"]))
    assert records[stop]["t_s"] == 330.0  # in the first run, the belt at 9 km/h
    assert at(records, 329.0)["belt"]["speed_kmh"] == RUN_KMH
    assert records[stop]["belt"]["target_kmh"] == WALK_KMH
    assert records[stop]["belt"]["commands"] == ["safety_walk"]
    # slowing from the next reading on, at walking speed within the ramp, and never faster again
    assert at(records, 331.0)["belt"]["speed_kmh"] < RUN_KMH
    assert at(records, 330.0 + RAMP_S + 1.0)["belt"]["speed_kmh"] == WALK_KMH
    later = records[stop:]
    assert max(r["belt"]["speed_kmh"] for r in later[int(RAMP_S / TICK_S) + 2:]) == WALK_KMH
    assert all(r["belt"]["target_kmh"] in (WALK_KMH, None) for r in later)


def test_an_emergency_stops_the_belt() -> None:
    records = session("events:\n  - {at_s: 330, key: emergency}\n", max_duration_s=20 * 60)
    stop = next(i for i, r in enumerate(records)
                if any(a["type"] == "StopRun" for a in r["actions"]))
    assert records[stop]["belt"]["commands"] == ["emergency_stop"]
    assert records[stop]["belt"]["stopped"] is True
    # an emergency is its own end state: the session ends in that same tick, with the
    # belt told to stop (the belt's own ramp down happens after the session)
    assert stop == len(records) - 1


def test_the_console_takes_the_belt_over_until_the_runner_gives_it_back() -> None:
    script = """events:
  - {at_s: 330, key: console_slower}
  - {at_s: 600, key: give_back}
"""
    records = session(script, max_duration_s=15 * 60)
    taken = at(records, 330.5)
    assert taken["belt"]["state"] == "runner_in_charge"
    # the walk at 7:00 and the run at 9:00 leave the runner's 8 km/h alone
    assert at(records, 420.0 + 20)["belt"]["speed_kmh"] == RUN_KMH - 1.0
    assert at(records, 540.0 + 20)["belt"]["speed_kmh"] == RUN_KMH - 1.0
    assert all("ahead" not in r["belt"] for r in records if 330 < r["t_s"] < 600)
    # handed back in the 9:00 run: the belt goes to the plan's run speed again
    back = at(records, 600.5)
    assert back["belt"]["state"] == "in_control"
    assert at(records, 600.0 + 5.0)["belt"]["speed_kmh"] == RUN_KMH
    assert at(records, 660.0 + RAMP_S + 1.0)["belt"]["speed_kmh"] == WALK_KMH


def test_a_pain_stop_slows_the_belt_even_when_the_runner_holds_it() -> None:
    script = """events:
  - {at_s: 310, key: console_faster}
  - {at_s: 340, pain: 5}
"""
    records = session(script, max_duration_s=12 * 60)
    assert at(records, 335.0)["belt"]["speed_kmh"] == RUN_KMH + 1.0
    assert at(records, 340.0 + 10.0 + 1.0)["belt"]["speed_kmh"] == WALK_KMH
    assert at(records, 341.0)["belt"]["state"] == "runner_in_charge"


def test_the_console_stop_pauses_the_session_and_resuming_starts_the_belt_again() -> None:
    script = """events:
  - {at_s: 330, key: console_stop}
  - {at_s: 360, key: pause}
"""
    records = session(script, max_duration_s=12 * 60)
    marks = [(r["t_s"], a["kind"]) for r in records for a in r["actions"]
             if a["type"] == "Mark" and a["kind"] in ("pause", "resume")]
    assert marks == [(330.0, "pause"), (360.0, "resume")]
    assert at(records, 350.0)["belt"]["speed_kmh"] == 0.0
    assert at(records, 360.0)["belt"]["commands"] == ["resume"]
    assert at(records, 360.0 + RUN_KMH / ACCEL + 1.0)["belt"]["speed_kmh"] == RUN_KMH


def test_hold_keeps_the_speed_through_the_next_switch_only() -> None:
    records = session("events:\n  - {at_s: 410, key: hold_speed}\n", max_duration_s=12 * 60)
    assert at(records, 420.0)["belt"]["commands"] == ["hold"]
    assert at(records, 440.0)["belt"]["speed_kmh"] == RUN_KMH  # the walk kept at run speed
    assert "ahead" not in at(records, 417.0)["belt"]
    assert at(records, 540.0 + 5.0)["belt"]["speed_kmh"] == RUN_KMH  # the next run as planned
    assert at(records, 660.0 + RAMP_S + 1.0)["belt"]["speed_kmh"] == WALK_KMH


def test_the_belt_is_recorded_in_the_store(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.sqlite3")
    try:
        recorder = open_recorder(store, CONTROL, "control")
        records = list(simulate(CONTROL, WEEK, seed=3, recorder=recorder,
                                script=parse_script("events:\n  - {at_s: 330, pain: 5}\n"),
                                config=SimConfig(tick_s=1.0, with_inputs=False,
                                                 max_duration_s=600)))
        assert records
        data = store.load_session(recorder.session_id)
    finally:
        store.close()
    belt = [e.payload for e in data.events if e.kind is EventKind.TREADMILL]
    commands = [(p["reason"], p["target_kmh"]) for p in belt if p["event"] == "command"]
    assert commands[:3] == [("phase", WALK_KMH), ("phase", RUN_KMH), ("safety_walk", WALK_KMH)]
    assert commands[-1] == ("done", None)
    kinds = {p["event"] for p in belt}
    assert {"control_taken", "command_sent", "belt_at_target", "switch_ahead", "state"} <= kinds
    speeds = [s.speed_mps * 3.6 for s in data.samples
              if s.role.value == "treadmill" and s.speed_mps is not None]
    assert max(speeds) == pytest.approx(RUN_KMH, abs=0.01)
