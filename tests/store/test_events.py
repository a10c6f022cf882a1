"""Coach actions and sensor status changes as stored events, through a real store."""

from __future__ import annotations

from datetime import UTC, datetime

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
from cadence.coach.inputs import RedFlag
from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import SensorRole
from cadence.model.session import EventKind
from cadence.store.events import event_from_action, event_from_status, red_flag_event
from cadence.store.store import Store


def test_every_action_maps_to_its_documented_payload() -> None:
    cases = [
        (SetTempo(172.5, "ramp"), EventKind.TEMPO, {"bpm": 172.5, "reason": "ramp"}),
        (MetronomeOn(), EventKind.METRONOME, {"on": True}),
        (MetronomeOff("walk"), EventKind.METRONOME, {"on": False, "reason": "walk"}),
        (MetronomeVolume(0.4, 2.0), EventKind.METRONOME, {"volume": 0.4, "fade_s": 2.0}),
        (Cue("Run tall", CueKind.FORM, "cue_run_tall", "run_tall"), EventKind.CUE,
         {"text": "Run tall", "kind": "form", "topic": "run_tall"}),
        (AskPain(3, "walk_break"), EventKind.PAIN_PROMPT,
         {"prompt_id": 3, "reason": "walk_break", "answered": None}),
        (PainPromptClosed(3, True), EventKind.PAIN_PROMPT,
         {"prompt_id": 3, "reason": "closed", "answered": True}),
        (PhaseChange(Phase.RUN, 2, 8, 90.0), EventKind.PHASE,
         {"phase": "run", "round_index": 2, "rounds_total": 8, "duration_s": 90.0, "label": ""}),
        (StopRun(StopReason.PAIN, "Pain 3/10: walking from here"), EventKind.STOP,
         {"reason": "pain", "message": "Pain 3/10: walking from here"}),
        (Mark("pause"), EventKind.PAUSE, {"paused": True}),
        (Mark("resume"), EventKind.PAUSE, {"paused": False}),
        # the rating is written by the key handler; the coach's Mark is its verdict (issue 11)
        (Mark("pain", {"rating": 3, "prompt_id": 2}), EventKind.MARK,
         {"kind": "pain_verdict", "rating": 3, "prompt_id": 2}),
        (Mark("tap_tempo", {"spm": 166.0}), EventKind.MARK, {"kind": "tap_tempo", "spm": 166.0}),
        (SessionEnded(StopReason.USER), EventKind.MARK,
         {"kind": "session_ended", "reason": "user"}),
    ]
    for action, kind, payload in cases:
        event = event_from_action(12.5, action)
        assert event is not None, action
        assert (event.t_s, event.kind, event.payload) == (12.5, kind, payload), action
    assert event_from_action(1.0, Countdown(3)) is None


def test_sensor_status_and_red_flag_events_survive_the_store(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="Ana", program="c", program_week=1,
                              started_at=datetime(2026, 11, 1, tzinfo=UTC), treadmill=False,
                              shoe_name="")
    rec.add_sensor_status(SensorStatus(5.0, SensorRole.HEART_RATE, "strap", LinkState.LOST,
                                       "no data for 5 s"))
    rec.add_event(red_flag_event(6.0, RedFlag.LEG_SYMPTOMS))
    rec.add_action(7.0, Countdown(2))  # not stored
    rec.add_action(8.0, StopRun(StopReason.RED_FLAG, "See a professional"))
    assert rec.flush()
    events = store.load_session(rec.session_id).events
    assert [(e.t_s, e.kind) for e in events] == [
        (5.0, EventKind.SENSOR), (6.0, EventKind.RED_FLAG), (8.0, EventKind.STOP)]
    assert events[0] == event_from_status(
        SensorStatus(5.0, SensorRole.HEART_RATE, "strap", LinkState.LOST, "no data for 5 s"))
    assert events[1].payload == {"flag": "leg_symptoms"}
