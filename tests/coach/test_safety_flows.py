"""Issue 11's safety flows and cue causes, on the pure coach (each fails without its fix)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cadence.coach.actions import (
    AskPain,
    Cue,
    Mark,
    Phase,
    PhaseChange,
    SessionEnded,
    SetTempo,
    StopReason,
    StopRun,
)
from cadence.coach.cadence_estimate import TapCollector, judge_taps
from cadence.coach.cue_library import SPOKEN_CUES, wordings
from cadence.coach.engine import Coach
from cadence.coach.inputs import PainAnswer, RedFlag
from cadence.coach.safety_log import safety_log
from cadence.coach.tempo_policy import TempoRamp
from cadence.coach.warning_signs import SESSION_SIGNS, WARNING_SIGNS, label_of
from cadence.model.session import EventKind, EventRecord
from cadence.profile.model import CadenceBand, FadeMode, Profile, ProgramWeek, TempoPolicy
from support.coaching import CONTINUOUS_30, PROTOCOL_A_WEEK_1, Drive, only

PROFILE = Profile(baseline_cadence_spm=160.0)


def topics(actions: list[object]) -> list[str]:
    return [a.topic for a in actions if isinstance(a, Cue)]


# ------------------------------------------------------------------ warning signs


def test_the_menu_offers_the_full_warning_sign_list_in_plain_words() -> None:
    assert {s.flag for s in WARNING_SIGNS} == set(RedFlag)
    labels = " ".join(s.label.lower() for s in SESSION_SIGNS)
    for words in ("down a leg", "weak", "night", "fall", "chest", "faint", "dizzy", "bladder"):
        assert words in labels
    assert label_of("night_pain") == "Back pain that wakes you at night"
    assert label_of("something_new") == "something_new"


@pytest.mark.parametrize("sign", WARNING_SIGNS, ids=lambda s: s.flag.value)
def test_every_warning_sign_stops_with_its_own_words(sign: object) -> None:
    from cadence.coach.warning_signs import WarningSign

    assert isinstance(sign, WarningSign)
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    actions = d.tick(red_flag=sign.flag)
    stop = only(actions, StopRun)[0]
    assert stop.reason is sign.stop_reason
    assert sign.topic in topics(actions)
    assert stop.message == wordings(sign.topic)[0].text
    assert d.coach.ended is sign.ends_session
    if sign.ends_session:  # stop at once: no cool-down walk, no question
        assert [a.phase for a in only(actions, PhaseChange)] == [Phase.DONE]
        assert not only(actions, AskPain)


def test_a_warning_sign_after_a_pain_stop_is_still_said() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    d.tick(pain=PainAnswer(3))
    actions = d.tick(red_flag=RedFlag.NIGHT_PAIN)
    assert "night_pain_stop" in topics(actions)
    d.until(410.0)
    actions = d.tick(red_flag=RedFlag.FAINT)  # general safety: ends it, even after a stop
    assert "faint_stop" in topics(actions) and d.coach.ended


def test_an_emergency_during_the_post_run_question_ends_without_waiting() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(100.0)
    d.tick(end_requested=True)
    assert d.coach.status(d.now_s).pain_prompt_id is not None
    actions = d.tick(red_flag=RedFlag.EMERGENCY)
    assert only(actions, SessionEnded) == [SessionEnded(StopReason.EMERGENCY)]
    assert "phase_done" not in [c.sound_id for c in only(actions, Cue)]  # no "well done"


# ------------------------------------------------------------------ treadmill


@pytest.mark.parametrize("report", ["pain", "leg"])
def test_on_a_treadmill_a_stop_says_hold_the_rails_and_step_off(report: str) -> None:
    d = Drive(Coach(replace(PROFILE, treadmill=True), CONTINUOUS_30))
    d.until(400.0)
    actions = (d.tick(pain=PainAnswer(3)) if report == "pain"
               else d.tick(red_flag=RedFlag.LEG_WEAKNESS))
    said = topics(actions)
    assert "treadmill_step_off" in said
    text = wordings("treadmill_step_off")[0].text.lower()
    assert "rail" in text and "belt" in text and "step off" in text
    outdoors = Drive(Coach(PROFILE, CONTINUOUS_30))
    outdoors.until(400.0)
    assert "treadmill_step_off" not in topics(outdoors.tick(pain=PainAnswer(3)))


# ------------------------------------------------------------------ pain prompts


def test_the_prompt_names_the_real_stop_level_and_the_whole_scale() -> None:
    d = Drive(Coach(replace(PROFILE, pain_stop_rating=2), PROTOCOL_A_WEEK_1))
    d.until(370.0)
    ask = d.of(AskPain)[0][1]
    assert ask.stop_at == 2 and ask.scale_max == 10
    assert "2 or more" in ask.question and "10" in ask.question


@pytest.mark.parametrize("rating", range(11))
def test_every_rating_0_to_10_is_acknowledged(rating: int) -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(300.0)
    actions = d.tick(pain=PainAnswer(rating))
    ack = [c for c in only(actions, Cue) if c.topic == "pain_noted"]
    assert len(ack) == 1 and ack[0].sound_id == f"pain_noted_{rating}"
    assert ack[0].sound_id in SPOKEN_CUES
    assert [m.detail["rating"] for m in only(actions, Mark) if m.kind == "pain"] == [rating]


def test_rising_pain_freezes_the_climb_and_offers_a_walk() -> None:
    week = ProgramWeek(week=2, run_s=240.0, walk_s=120.0, rounds=6, sessions=3, cooldown_s=60.0)
    d = Drive(Coach(PROFILE, week, stage=2))  # target 176: the ramp climbs all session
    d.until(200.0)
    d.tick(pain=PainAnswer(1))
    actions = d.tick(pain=PainAnswer(2))
    assert "ease_off" in topics(actions)
    assert "walk the next run" in wordings("ease_off")[0].text
    frozen = [m for m in only(actions, Mark) if m.kind == "tempo_frozen"]
    assert frozen
    held = d.coach.tempo.tempo_spm
    d.tick(tempo_nudge_spm=5.0)  # not even the keys climb past the frozen beat
    assert d.coach.tempo.tempo_spm == held
    # taking the offer: the next run interval is walked
    actions = d.tick(walk_next_run=True)
    assert "walk_next_ok" in topics(actions)
    d.until(2200.0)
    assert not [a for t, a in d.of(SetTempo) if t > 202 and a.tempo_spm > (held or 0)]
    runs = [round(t) for t, a in d.of(PhaseChange) if a.phase is Phase.RUN]
    assert 360 not in runs and 720 in runs  # round 2's run walked, round 3 runs again
    walked = [a for t, a in d.of(PhaseChange) if round(t) == 360]
    assert walked and walked[0].phase is Phase.WALK


def test_the_closing_line_follows_the_post_run_rating() -> None:
    def finish(rating: int) -> list[Cue]:
        d = Drive(Coach(PROFILE, CONTINUOUS_30))
        d.until(100.0)
        d.tick(end_requested=True)
        prompt = d.coach.status(d.now_s).pain_prompt_id
        d.tick(pain=PainAnswer(rating, prompt))
        d.until(200.0)
        return [c for _, c in d.of(Cue)]

    sore = finish(6)
    assert sore[-1].topic == "done_rest"
    assert not any("well done" in c.text.lower() for c in sore)
    assert "post_run_high" in [c.topic for c in sore]
    high = wordings("post_run_high")[0].text
    assert "get advice" in high and "before running again" in high
    assert finish(1)[-1].topic == "done"


# ------------------------------------------------------------------ tempo


def test_plus_never_takes_the_beat_past_the_band_top_or_the_runners_own() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(20.0)
    for _ in range(30):
        d.tick(tempo_nudge_spm=2.0)
    assert max(a.tempo_spm for _, a in d.of(SetTempo)) == 180.0
    quick = Drive(Coach(replace(PROFILE, baseline_cadence_spm=186.0), CONTINUOUS_30))
    quick.until(20.0)
    for _ in range(10):
        quick.tick(tempo_nudge_spm=2.0)
    assert max(a.tempo_spm for _, a in quick.of(SetTempo)) == 186.0  # never slowed either


def test_the_ramp_keeps_its_cap() -> None:
    ramp = TempoRamp(150.0, 200.0, TempoPolicy(), cap_spm=180.0)
    assert ramp.target_spm == 180.0
    assert ramp.nudge(100.0) == 180.0
    assert ramp.nudge(-10.0) == 170.0


def test_taps_never_override_a_live_footpod() -> None:
    d = Drive(Coach(Profile(), CONTINUOUS_30))  # no baseline yet: a tap would set it
    d.until(20.0)
    taps = tuple(round(d.now_s + i * 0.4, 3) for i in range(1, 25))
    d.tick(taps_s=taps)
    d.until(d.now_s + 12.0)
    refused = [m for _, m in d.of(Mark) if m.kind == "tap_tempo_refused"]
    assert refused and "footpod" in refused[0].detail["why"]
    assert not [m for _, m in d.of(Mark) if m.kind == "tap_tempo"]
    assert d.coach.tempo.baseline_spm is None
    said = [c.topic for _, c in d.of(Cue)]
    assert "tap_not_needed" in said and "tap_refused" not in said  # the words follow the cause


def test_jittery_taps_are_refused_not_averaged() -> None:
    even = [i * 0.375 for i in range(20)]
    assert judge_taps(even)[0] == pytest.approx(160.0)
    jitter = [0.0]
    for i in range(19):
        jitter.append(jitter[-1] + (0.28 if i % 2 else 0.45))
    spm, why = judge_taps(jitter)
    assert spm is None and "uneven" in why
    c = TapCollector()
    c.add(tuple(jitter))
    assert c.finished(jitter[-1] + 3.0) is None and c.refused == "taps too uneven"


# ------------------------------------------------------------------ cue causes


def test_the_run_announcement_only_mentions_the_beat_when_there_is_one() -> None:
    d = Drive(Coach(Profile(), PROTOCOL_A_WEEK_1))  # no baseline: the first runs have no beat
    d.until(320.0)
    first_run = next(c for _, c in d.of(Cue) if c.topic == "run")
    assert first_run.sound_id == "phase_run_no_beat" and "beat" not in first_run.text
    with_beat = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    with_beat.until(320.0)
    assert next(c for _, c in with_beat.of(Cue) if c.topic == "run").sound_id == "phase_run"


def test_slowing_is_said_only_when_the_runner_slowed() -> None:
    profile = replace(PROFILE, pain_prompt_interval_s=1e4, band=CadenceBand(170.0, 180.0),
                      tempo=TempoPolicy(fade_mode=FadeMode.NONE))
    d = Drive(Coach(profile, CONTINUOUS_30, stage=0))
    d.until(300.0)
    for _ in range(5):  # the beat moves up to 170; the runner stays at 160
        d.tick(tempo_nudge_spm=2.0)
    d.until(400.0)
    said = [c.topic for _, c in d.of(Cue) if c.topic in ("cadence_low", "cadence_behind")]
    assert said and set(said) == {"cadence_behind"}
    assert "slowing" not in wordings("cadence_behind")[0].text


def test_form_checks_count_walk_breaks_too() -> None:
    week = ProgramWeek(week=2, run_s=120.0, walk_s=120.0, rounds=8, sessions=3,
                       cooldown_s=60.0, form_check_every_s=600.0)
    profile = replace(PROFILE, baseline_cadence_spm=172.0, pain_prompt_interval_s=1e4)
    d = Drive(Coach(profile, week), spm=lambda t: 172.0)
    d.until(1900.0)
    checks = [round(t) for t, c in d.of(Cue) if c.topic in ("form_check", "land_under")]
    # due after 10 minutes of session time (in a walk), said a cue gap into the next run;
    # on running time alone the first would wait until minute 18
    assert checks and checks[0] <= 780 and len(checks) >= 2


# ------------------------------------------------------------------ before and after


def test_warm_up_exercises_and_cool_down_stretches_are_spoken() -> None:
    d = Drive(Coach(PROFILE, PROTOCOL_A_WEEK_1))
    d.until(4000.0)
    said = [(t, c.sound_id) for t, c in d.of(Cue) if c.topic == "exercise"]
    warm = [s for t, s in said if t < 300]
    cool = [s for t, s in said if t > 1700]
    assert warm == ["ex_glute_bridge", "ex_hip_circles"]
    assert cool == ["ex_figure_four", "ex_knee_to_chest", "ex_cat_cow"]
    assert all(s in SPOKEN_CUES for _, s in said)
    blocks = [m for _, m in d.of(Mark) if m.kind == "cooldown_block"]
    assert blocks and len(blocks[0].detail["exercises"]) == 3


def test_a_stop_cool_down_has_no_stretches() -> None:
    d = Drive(Coach(PROFILE, CONTINUOUS_30))
    d.until(400.0)
    d.tick(red_flag=RedFlag.LEG_SYMPTOMS)
    d.until(3000.0)
    assert not [c for t, c in d.of(Cue) if c.topic == "exercise" and t > 400]


# ------------------------------------------------------------------ words


def test_no_copied_or_unkept_lines() -> None:
    every = " ".join(SPOKEN_CUES.values()).lower()
    assert "walking is always fine" not in every
    assert "not across your body" not in every
    assert "urgent care" not in every


def test_the_safety_log_is_in_time_order_and_in_plain_words() -> None:
    events = [
        EventRecord(500.0, EventKind.RED_FLAG, {"flag": "recent_fall"}),
        EventRecord(120.0, EventKind.PAIN, {"rating": 1, "prompt_id": 1, "when": "during"}),
        EventRecord(300.0, EventKind.MARK, {"kind": "tempo_frozen", "rating": 2}),
        EventRecord(400.0, EventKind.PAIN, {"rating": 4, "prompt_id": None, "when": "during"}),
        EventRecord(400.1, EventKind.STOP, {"reason": "pain", "message": "Running stops."}),
    ]
    log = safety_log(events)
    assert [e.t_s for e in log] == [300.0, 400.0, 400.1, 500.0]
    assert log[0].what == "Pain rose to 2/10"
    assert log[1].what == "Pain 4/10" and "before running again" in log[1].advice
    assert log[3].what == "Warning sign: A recent fall or blow to your back"


def test_tap_tempo_shows_its_result_without_a_footpod() -> None:
    d = Drive(Coach(Profile(), CONTINUOUS_30), spm=lambda t: None)
    d.until(20.0)
    d.tick(taps_s=tuple(round(d.now_s + i * 0.375, 3) for i in range(1, 25)))
    d.until(d.now_s + 12.0)
    shown = [c for _, c in d.of(Cue) if c.topic == "tap_done"]
    assert shown and shown[0].text == "Tap tempo taken: 160 steps a minute."
    assert shown[0].sound_id == "cue_tap_done"
    assert d.coach.tempo.baseline_spm == 160.0


def test_a_cool_down_without_stretches_does_not_promise_them() -> None:
    week = replace(CONTINUOUS_30, run_s=60.0, cooldown_exercises=())
    d = Drive(Coach(PROFILE, week))
    d.until(200.0)
    cool = [c for _, c in d.of(Cue) if c.topic == "cooldown"]
    assert cool and "stretch" not in cool[0].text and cool[0].sound_id == "phase_cooldown_walk"


def test_a_muted_beat_is_not_mentioned_in_the_slowing_cue() -> None:
    profile = replace(PROFILE, baseline_cadence_spm=172.0, pain_prompt_interval_s=1e4,
                      tempo=TempoPolicy(fade_mode=FadeMode.NONE))
    d = Drive(Coach(profile, CONTINUOUS_30, stage=0), spm=lambda t: 172.0 if t < 200 else 160.0)
    d.until(100.0)
    d.tick(toggle_mute=True)
    d.until(400.0)
    slow = [c for _, c in d.of(Cue) if c.topic in ("cadence_low", "late_run")]
    assert slow and slow[0].sound_id == "cue_cadence_low_quiet"
    assert "beat" not in slow[0].text and "click" not in slow[0].text
