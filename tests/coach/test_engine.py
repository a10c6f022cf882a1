"""The coach as the shell sees it: step in, actions out."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from cadence.coach.actions import (
    AskPain,
    Countdown,
    Cue,
    CueKind,
    Mark,
    MetronomeOff,
    MetronomeOn,
    MetronomeVolume,
    PainPromptClosed,
    Phase,
    PhaseChange,
    SessionEnded,
    SetTempo,
    StopReason,
    StopRun,
)
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs, PainAnswer, RedFlag
from cadence.profile.model import MetronomeSettings, Profile, WalkMetronome
from support.coaching import CONTINUOUS_30, GLUTES, PROTOCOL_A_WEEK_1, RUN_ONLY_20, Drive, only

PROFILE = Profile(baseline_cadence_spm=160.0)


def phase_changes(d: Drive) -> list[tuple[Phase, int]]:
    return [(a.phase, a.round_index) for _, a in d.of(PhaseChange)]


@pytest.mark.parametrize("tick_s", [0.1, 0.25, 1.0])
def test_protocol_a_week_1_timeline_at_any_tick_rate(tick_s: float) -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1), tick_s=tick_s)
    d.until(4000.0)
    assert d.coach.ended
    runs = [t for t, a in d.of(PhaseChange) if a.phase is Phase.RUN]
    # each run starts on the plan's clock (warm-up 300 s, rounds of 240 s) within one tick
    assert len(runs) == 6
    for n, t in enumerate(runs):
        assert abs(t - (300.0 + 240.0 * n)) <= tick_s + 1e-6
    assert phase_changes(d) == (
        [(Phase.WARMUP, 0)]
        + [(p, n) for n in range(1, 7) for p in (Phase.RUN, Phase.WALK)]
        + [(Phase.COOLDOWN, 0), (Phase.DONE, 0)]
    )
    # 3, 2, 1 before each of the 13 planned changes (not before the session's end)
    counts = [a.seconds_left for _, a in d.of(Countdown)]
    assert counts == [3, 2, 1] * 13


def test_each_phase_change_comes_with_a_spoken_cue() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(4000.0)
    by_time: dict[float, list[object]] = {}
    for t, a in d.log:
        by_time.setdefault(t, []).append(a)
    for t, change in d.of(PhaseChange):
        cues = [a for a in by_time[t] if isinstance(a, Cue) and a.kind is CueKind.PHASE]
        assert cues and cues[0].sound_id == f"phase_{change.phase.value}"


def test_metronome_on_in_runs_off_in_walks_by_default() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(900.0)
    seq = [(round(t), type(a).__name__) for t, a in d.log
           if isinstance(a, MetronomeOn | MetronomeOff)]
    assert seq[:4] == [(300, "MetronomeOn"), (360, "MetronomeOff"), (540, "MetronomeOn"),
                       (600, "MetronomeOff")]
    first_tempo = d.of(SetTempo)[0][1]
    assert first_tempo.tempo_spm == 160.0  # starts at the runner's own cadence


def test_walk_tempo_setting_keeps_a_walking_beat() -> None:
    profile = replace(PROFILE, metronome=MetronomeSettings(walk=WalkMetronome.WALK_TEMPO,
                                                           walk_tempo_spm=116.0))
    d = Drive(Coach(profile, PROTOCOL_A_WEEK_1))
    d.until(400.0)
    tempos = [(round(t), a.tempo_spm) for t, a in d.of(SetTempo)]
    assert (360, 116.0) in tempos
    assert not [t for t, a in d.of(MetronomeOff) if 360 <= t < 540]


def test_pain_3_stops_running_in_the_same_tick() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(420.0)
    actions = d.tick(pain=PainAnswer(3))
    kinds = [type(a) for a in actions]
    i = kinds.index(StopRun)
    assert kinds[i:i + 3] == [StopRun, MetronomeOff, PhaseChange]
    stop = only(actions, StopRun)[0]
    assert stop.reason is StopReason.PAIN and "stop" in stop.message.lower()
    change = only(actions, PhaseChange)[0]
    assert change.phase is Phase.COOLDOWN and change.duration_s == CONTINUOUS_30.cooldown_s
    assert any(c.kind is CueKind.SAFETY and c.sound_id == "pain_stop" for c in only(actions, Cue))
    d.until(2400.0)
    assert d.coach.ended
    assert not [a for t, a in d.of(MetronomeOn) if t > 420.5]
    assert [a.reason for _, a in d.of(SessionEnded)] == [StopReason.PAIN]
    assert d.coach.status(d.now_s).running_stopped


def test_pain_during_a_walk_break_ends_the_remaining_rounds() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(370.0)  # round 1 walk, the walk-break prompt is open
    prompt = d.coach.status(d.now_s).pain_prompt_id
    assert prompt is not None
    actions = d.tick(pain=PainAnswer(4, prompt))
    assert PainPromptClosed(prompt, True) in actions
    assert only(actions, StopRun)[0].reason is StopReason.PAIN
    assert "physiotherapist" in only(actions, StopRun)[0].message
    d.until(4000.0)
    assert not [a for t, a in d.of(PhaseChange) if t > 370 and a.phase is Phase.RUN]


def test_rising_pain_below_the_stop_level_gives_an_ease_off_cue() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    # every rating is acknowledged (issue 11); a steady one gets nothing more
    assert [c.topic for c in only(d.tick(pain=PainAnswer(1)), Cue)] == ["pain_noted"]
    actions = d.tick(pain=PainAnswer(2))
    assert [c.topic for c in only(actions, Cue)] == ["pain_noted", "ease_off"]
    assert not only(actions, StopRun)
    assert d.coach.status(d.now_s).phase is Phase.RUN


def test_red_flag_stops_and_advises_a_professional() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(500.0)
    actions = d.tick(red_flag=RedFlag.LEG_SYMPTOMS)
    stop = only(actions, StopRun)[0]
    assert stop.reason is StopReason.RED_FLAG
    assert "physiotherapist or doctor" in stop.message
    assert Mark("red_flag", {"flag": "leg_symptoms"}) in actions
    d.until(3000.0)
    assert d.of(SessionEnded)[-1][1].reason is StopReason.RED_FLAG


def test_an_emergency_is_its_own_end_state() -> None:
    """Issue 11: no open-ended cool-down, no "how is your back", no "take it easy"."""
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(500.0)
    d.tick(pain=PainAnswer(3))
    actions = d.tick(red_flag=RedFlag.EMERGENCY)  # after a pain stop: still gets through
    stop = only(actions, StopRun)[0]
    assert stop.reason is StopReason.EMERGENCY
    assert "emergency department" in stop.message and "emergency number" in stop.message
    assert "urgent care" not in stop.message
    assert [c.topic for c in only(actions, Cue)] == ["emergency_stop"]
    assert [a.phase for a in only(actions, PhaseChange)] == [Phase.DONE]
    assert only(actions, SessionEnded) == [SessionEnded(StopReason.EMERGENCY)]
    assert not only(actions, AskPain)
    assert d.coach.ended and d.coach.status(d.now_s).phase is Phase.DONE
    assert d.tick() == []


def test_the_closing_line_praises_a_finished_session_but_not_a_safety_stop() -> None:
    finished = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    finished.until(4000.0)
    stopped = Drive(Coach(PROFILE, CONTINUOUS_30))
    stopped.until(500.0)
    stopped.tick(red_flag=RedFlag.LEG_SYMPTOMS)
    stopped.until(3000.0)
    last_finished = finished.of(Cue)[-1][1]
    last_stopped = stopped.of(Cue)[-1][1]
    assert last_finished.topic == "done" and "Well done" in last_finished.text
    assert last_stopped.topic == "done_stopped"
    assert "well done" not in last_stopped.text.lower()
    assert "stretch" not in last_stopped.text.lower()


def test_walk_break_and_interval_prompts_time_out_without_blocking() -> None:
    profile = replace(PROFILE, pain_prompt_interval_s=300.0)
    d = Drive(Coach(profile, RUN_ONLY_20))
    d.until(1300.0)
    asks = d.of(AskPain)
    assert [round(t) for t, _ in asks][:3] == [300, 600, 900]
    assert all(a.reason == "interval" for _, a in asks[:3])
    closed = d.of(PainPromptClosed)
    assert [round(t) for t, _ in closed][:3] == [330, 630, 930]
    assert all(not c.answered for _, c in closed)
    assert d.coach.status(d.now_s).phase is Phase.COOLDOWN  # the plan went on regardless


def test_walk_breaks_ask_and_the_end_asks_post_run() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(4000.0)
    reasons = [a.reason for _, a in d.of(AskPain)]
    assert reasons == ["walk_break"] * 6 + ["post_run"]
    assert d.of(SessionEnded)[-1][1].reason is StopReason.PROGRAM_DONE


def test_end_requested_asks_post_run_then_ends() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    actions = d.tick(end_requested=True)
    ask = only(actions, AskPain)[0]
    assert ask.reason == "post_run"
    assert MetronomeOff(reason="run") in actions
    assert not d.coach.ended
    actions = d.tick(pain=PainAnswer(1, ask.prompt_id))
    assert SessionEnded(StopReason.USER) in actions
    assert d.coach.step(d.now_s + 1, Inputs()) == []


def test_pause_freezes_the_phase_clock_and_the_metronome() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(320.0)
    actions = d.tick(toggle_pause=True)
    assert MetronomeOff(reason="pause") in actions
    d.until(420.0)
    status = d.coach.status(d.now_s)
    assert status.paused and status.phase is Phase.RUN
    actions = d.tick(toggle_pause=True)
    assert MetronomeOn() in actions
    d.until(500.0)
    walk = next(t for t, a in d.of(PhaseChange) if a.phase is Phase.WALK)
    assert walk == pytest.approx(360.0 + 100.5, abs=0.51)


def test_pain_is_handled_even_while_paused() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    d.tick(toggle_pause=True)
    actions = d.tick(pain=PainAnswer(5))
    assert only(actions, StopRun)


def test_nudges_override_the_ramp() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(10.0)
    before = d.coach.status(d.now_s).tempo_spm
    assert before == 160.0
    actions = d.tick(tempo_nudge_spm=-2.0)
    assert SetTempo(158.0, "nudge") in actions
    assert Mark("tempo_nudge", {"delta_spm": -2.0, "tempo_spm": 158.0}) in actions
    d.until(600.0)
    assert [a.tempo_spm for t, a in d.of(SetTempo) if t > 10.6] == []


def test_mute_silences_and_restores_volume() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(310.0)
    assert MetronomeVolume(0.0, 0.0) in d.tick(toggle_mute=True)
    assert d.coach.status(d.now_s).muted
    assert MetronomeVolume(0.8, 0.0) in d.tick(toggle_mute=True)


def test_baseline_measured_in_the_first_minute_of_running() -> None:
    week = replace(CONTINUOUS_30, warmup=(GLUTES,))
    d = Drive(Coach(Profile(), week), spm=lambda t: 156.0 if t > 300 else 110.0)
    d.until(361.0)
    marks = [a for _, a in d.of(Mark) if a.kind == "baseline"]
    assert marks and marks[0].detail["spm"] == pytest.approx(156.0)
    assert marks[0].detail["target_spm"] == pytest.approx(163.8)
    assert d.of(SetTempo)[0][1].tempo_spm == pytest.approx(156.0)
    assert d.of(MetronomeOn)[0][0] == pytest.approx(360.0, abs=0.5)


def test_tap_tempo_gives_a_baseline_without_a_sensor() -> None:
    d = Drive(Coach(Profile(), CONTINUOUS_30), spm=lambda t: None)
    d.until(330.0)
    interval = 60.0 / 150.0
    d.tick(taps_s=tuple(d.now_s + i * interval for i in range(-25, 1)))
    d.until(335.0)
    tap = [a for _, a in d.of(Mark) if a.kind == "tap_tempo"]
    assert tap and tap[0].detail["spm"] == pytest.approx(150.0, abs=0.1)
    base = [a for _, a in d.of(Mark) if a.kind == "baseline"]
    target = d.coach.status(d.now_s).target_spm
    assert target > 150.0  # the session's target is known and recorded with the baseline
    assert base[0].detail == {"spm": 150.0, "source": "tap", "target_spm": target}
    assert d.coach.status(d.now_s).metronome_on


def test_no_sensor_and_no_taps_asks_for_taps_and_keeps_quiet() -> None:
    d = Drive(Coach(Profile(), CONTINUOUS_30), spm=lambda t: None)
    d.until(600.0)
    assert [c.topic for _, c in d.of(Cue) if c.kind is CueKind.INFO] == ["tap_prompt"]
    assert not d.of(MetronomeOn)


def test_treadmill_tip_at_the_start_only_on_a_treadmill() -> None:
    d = Drive(Coach(replace(PROFILE, treadmill=True), CONTINUOUS_30))
    d.until(1.0)
    assert [c.topic for _, c in d.of(Cue)] == ["run", "treadmill_incline"]
    d2 = Drive(Coach(PROFILE, CONTINUOUS_30))
    d2.until(1.0)
    assert "treadmill_incline" not in [c.topic for _, c in d2.of(Cue)]


def test_heart_rate_over_the_easy_cap_gets_a_cue() -> None:
    from cadence.model.sample import Sample, SensorRole

    coach = Coach(replace(PROFILE, easy_hr_cap_bpm=150), CONTINUOUS_30, stage=0)  # no ramp
    cues: list[Cue] = []
    t = 0.0
    while t < 200.0:
        t += 0.5
        samples = (Sample(t, SensorRole.FOOTPOD, cadence_spm=160.0),
                   Sample(t, SensorRole.HEART_RATE, hr_bpm=165 if t > 100 else 140))
        cues += only(coach.step(t, Inputs(samples=samples)), Cue)
    assert [c.topic for c in cues if c.kind is CueKind.FORM] == ["hr_high"]


def test_status_snapshot() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(320.0)
    s = d.coach.status(d.now_s)
    assert s.phase is Phase.RUN and s.round_index == 1 and s.rounds_total == 6
    assert s.phase_left_s == pytest.approx(40.0)
    assert s.tempo_spm == 160.0 and s.metronome_on and s.volume == 0.8
    assert s.cadence_spm == pytest.approx(160.0)
    assert s.target_spm == 168.0
    assert s.elapsed_s == pytest.approx(320.0)
    assert not s.running_stopped and s.pain_prompt_id is None


def cue_log(d: Drive) -> list[tuple[float, str]]:
    return [(t, c.topic) for t, c in d.of(Cue)]


def test_timed_form_cues_on_a_treadmill() -> None:
    profile = replace(PROFILE, treadmill=True, pain_prompt_interval_s=10_000.0)
    d = Drive(Coach(profile, CONTINUOUS_30, stage=0))
    d.until(1790.0)
    form = [(round(t), topic) for t, topic in cue_log(d)
            if topic in ("form_check", "land_under", "run_tall", "late_run")]
    # form check every 10 min of running; the run-tall drill every 10 min on a treadmill,
    # a minute later because cues keep 60 s apart; the late-run reminder at half way
    assert form == [(600, "form_check"), (660, "run_tall"), (900, "late_run"),
                    (1200, "land_under"), (1260, "run_tall")]


def test_the_weeks_own_form_check_interval() -> None:
    week = replace(CONTINUOUS_30, form_check_every_s=300.0)
    d = Drive(Coach(replace(PROFILE, pain_prompt_interval_s=10_000.0), week, stage=0))
    d.until(700.0)
    checks = [round(t) for t, topic in cue_log(d) if topic in ("form_check", "land_under")]
    assert checks == [300, 600]


def test_outdoors_the_drill_comes_every_mile() -> None:
    from cadence.model.sample import Sample, SensorRole

    coach = Coach(replace(PROFILE, pain_prompt_interval_s=10_000.0), CONTINUOUS_30, stage=0)
    drills = []
    t = 0.0
    while t < 1200.0:
        t += 0.5
        pod = Sample(t, SensorRole.FOOTPOD, cadence_spm=160.0, distance_m=4.0 * t)  # 4 m/s
        drills += [t for c in only(coach.step(t, Inputs(samples=(pod,))), Cue)
                   if c.topic == "run_tall"]
    assert [round(t) for t in drills] == [403, 806]  # 1609 m at 4 m/s, then again


def test_slipping_cadence_gets_a_cue_then_late_run_wording() -> None:
    d = Drive(Coach(replace(PROFILE, baseline_cadence_spm=172.0, pain_prompt_interval_s=1e4),
                    CONTINUOUS_30, stage=0), spm=lambda t: 172.0 if t < 400 else 160.0)
    d.until(1000.0)
    log = cue_log(d)
    assert ("fade_out" in [topic for _, topic in log])
    slip = [(round(t), topic) for t, topic in log if topic in ("cadence_low", "late_run")]
    assert slip[0] == (466, "cadence_low")  # 10 s below the band, 60 s after fade_back
    assert all(b[0] - a[0] >= 60 for a, b in itertools.pairwise(slip))
    assert slip[-1][1] == "late_run"
