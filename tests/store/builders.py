"""Sessions recorded through the real recorder, with numbers worked out by hand.

``record_known_session`` writes a 7-minute run-walk session whose every
summary figure is computed in the comments below (and asserted in
test_summary.py). Readings are 1 Hz so each holds exactly one second.

    phase     span      footpod cadence       heart rate   metronome / tempo
    warmup    0-60      120                   100          off
    run 1     60-180    168 (60 s), 172 (60 s) 150          on, 170
    walk 1    180-240   120                   130          off
    run 2     240-360   172 (60 s), 181 (60 s) 155, 165     on, 170 then 175 from 300
    cooldown  360-420   110                   120          off
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cadence.coach.actions import (
    Cue,
    CueKind,
    MetronomeOff,
    MetronomeOn,
    Phase,
    PhaseChange,
    SetTempo,
)
from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store

KNOWN_START = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
KNOWN_DURATION_S = 420.0


def _phase_at(t: int) -> str:
    for start, end, name in ((0, 60, "warmup"), (60, 180, "run"), (180, 240, "walk"),
                             (240, 360, "run"), (360, 420, "cooldown")):
        if start <= t < end:
            return name
    return "cooldown"


def known_cadence(t: int) -> float:
    if t < 60:
        return 120.0
    if t < 120:
        return 168.0
    if t < 180:
        return 172.0
    if t < 240:
        return 120.0
    if t < 300:
        return 172.0
    if t < 360:
        return 181.0
    return 110.0


def known_hr(t: int) -> int:
    if t < 60:
        return 100
    if t < 180:
        return 150
    if t < 240:
        return 130
    if t < 300:
        return 155
    if t < 360:
        return 165
    return 120


def known_speed(t: int) -> float:
    return 3.0 if _phase_at(t) == "run" else 1.5


def record_known_session(store: Store, started_at: datetime = KNOWN_START,
                         shoe_name: str = "Pegasus") -> int:
    rec = store.begin_session(
        profile_name="known", runner_name="Ana", program="run-walk", program_week=2,
        started_at=started_at, treadmill=False, shoe_name=shoe_name,
    )
    actions = {
        0: [PhaseChange(Phase.WARMUP, 0, 2, 60.0, "Walk")],
        60: [PhaseChange(Phase.RUN, 1, 2, 120.0), SetTempo(170.0, "start"), MetronomeOn()],
        90: [Cue("Run tall", CueKind.FORM, topic="run_tall")],
        180: [PhaseChange(Phase.WALK, 1, 2, 60.0), MetronomeOff("walk")],
        240: [PhaseChange(Phase.RUN, 2, 2, 120.0), MetronomeOn()],
        250: [Cue("Run tall", CueKind.FORM, topic="run_tall")],
        300: [SetTempo(175.0, "ramp"), Cue("Quicker steps", CueKind.TEMPO)],
        360: [PhaseChange(Phase.COOLDOWN, 0, 2, None), MetronomeOff("cooldown")],
    }
    distance_m = 1000.0  # the footpod's own odometer; it resets to 0 at t=200
    for t in range(int(KNOWN_DURATION_S)):
        for action in actions.get(t, []):
            rec.add_action(float(t), action)
        if t == 200:
            distance_m = 0.0
            rec.add_sensor_status(SensorStatus(200.0, SensorRole.FOOTPOD, "pod",
                                               LinkState.LOST, "no data"))
        rec.add_sample(Sample(float(t), SensorRole.FOOTPOD, cadence_spm=known_cadence(t),
                              speed_mps=known_speed(t), distance_m=distance_m, sensor_id="pod"))
        rec.add_sample(Sample(float(t), SensorRole.HEART_RATE, hr_bpm=known_hr(t),
                              sensor_id="strap"))
        distance_m += known_speed(t)
        if t == 180:
            rec.add_pain(180.0, 1, prompt_id=1)
        if t == 400:
            rec.add_pain(400.0, 2, prompt_id=2, when="post_run")
        if t % 10 == 9:
            rec.flush()
    assert rec.finish("program_done", KNOWN_DURATION_S)
    return rec.session_id


# hand-worked answers for record_known_session (see the table above)
KNOWN_RUN_S = 240.0
KNOWN_AVG_CADENCE = (60 * 168 + 120 * 172 + 60 * 181) / 240  # 173.25
KNOWN_MEDIAN_CADENCE = 172.0
KNOWN_IN_BAND_S = 120.0  # the 172 spm minutes
KNOWN_DRIFT = ((60 * 168 + 20 * 172) / 80, (20 * 172 + 60 * 181) / 80)  # first/last 80 s
KNOWN_COMPLIANCE_ERR = (60 * 2 + 60 * 2 + 60 * 2 + 60 * 6) / 240  # 3.0 spm
KNOWN_COMPLIANCE_WITHIN = 75.0
# odometer steps: warmup 60*1.5, run 120*3, walk 60*1.5 less the reset second, run 120*3,
# cool-down 59*1.5 (the last reading has no step after it)
KNOWN_DISTANCE_M = 90 + 360 + 88.5 + 360 + 88.5
KNOWN_AVG_HR = (60 * 100 + 120 * 150 + 60 * 130 + 60 * 155 + 60 * 165 + 60 * 120) / 420


def simple_run(store: Store, started_at: datetime, minutes: float, cadence_spm: float,
               speed_mps: float = 3.0, shoe_name: str = "Pegasus") -> int:
    """A continuous run (no phase events) at a steady cadence, 1 Hz, finished."""
    rec = store.begin_session(
        profile_name="p", runner_name="Ana", program="continuous", program_week=1,
        started_at=started_at, treadmill=True, shoe_name=shoe_name,
    )
    seconds = int(minutes * 60)
    for t in range(seconds + 1):
        rec.add_sample(Sample(float(t), SensorRole.TREADMILL, cadence_spm=cadence_spm,
                              speed_mps=speed_mps, distance_m=speed_mps * t))
    assert rec.finish("user", float(seconds))
    return rec.session_id


def days(n: float) -> timedelta:
    return timedelta(days=n)
