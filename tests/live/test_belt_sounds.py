"""What the runner hears before a belt switch: "run in three" in place of the first beep,
then the 2 and 1 beeps, then the phase cue. The session's choice of sounds is under test;
the sounds go to a list standing in for the audio stream (the stream's own timing is
tested against PulseAudio in tests/audio and tests/live/test_metronome_apply.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from cadence.audio.sounds import load_cue
from cadence.coach.engine import Coach
from cadence.live.actions_apply import COUNTDOWN_SOUND
from cadence.live.clock import VirtualClock
from cadence.live.plan import belt_session
from cadence.live.session import LiveSession
from cadence.profile.model import Profile, ProgramWeek, TreadmillControl, WarmupBlock
from cadence.sensors.simulated import SimulatedSensorSource
from cadence.sensors.simulated_belt import SimulatedBeltController
from cadence.sim.readout import Readout
from cadence.sim.runner import SimulatedRunner

WEEK = ProgramWeek(week=1, run_s=20.0, walk_s=20.0, rounds=2, sessions=3,
                   warmup=(WarmupBlock("Walk", 20.0),), cooldown_s=10.0)


@dataclass
class Heard:
    """The metronome's command methods, keeping the cues in the order they were queued."""

    cues: list[tuple[float, str]] = field(default_factory=list)
    clock: VirtualClock = field(default_factory=VirtualClock)

    def set_tempo(self, bpm: float) -> None: ...
    def set_running(self, on: bool) -> None: ...
    def set_volume(self, v: float, fade_s: float = 0.0) -> None: ...
    def set_muted(self, m: bool) -> None: ...

    def play_cue(self, sound_id: str) -> None:
        self.cues.append((self.clock(), sound_id))


def run_session(control: bool, until_s: float) -> list[tuple[float, str]]:
    profile = Profile(treadmill=True, treadmill_control=TreadmillControl(control=control))
    clock = VirtualClock()
    coach = Coach(profile, WEEK, start_s=0.0)
    readout = Readout.following(SimulatedRunner(seed=1), lambda: coach.status(clock()))
    belt = SimulatedBeltController(clock)
    source = SimulatedSensorSource(readout, belt=belt)
    heard = Heard(clock=clock)
    session = LiveSession(coach, source, clock, metronome=heard,
                          belt=belt_session(profile, coach, source, clock, None))
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(session.start())
        t = 0.0
        while t <= until_s:
            clock.advance_to(t)
            session.tick(t)
            if session.belt is not None:
                loop.run_until_complete(session.belt.settle())
            t = round(t + 0.5, 6)
        loop.run_until_complete(session.abandon())
    finally:
        loop.close()
    return [(t, s) for t, s in heard.cues if 15.0 <= t <= until_s]


def test_a_belt_switch_is_said_in_place_of_the_first_beep() -> None:
    cues = run_session(control=True, until_s=21.0)
    ids = [s for _, s in cues]
    assert ids[:3] == ["belt_run_in_3", COUNTDOWN_SOUND, COUNTDOWN_SOUND]
    assert [t for t, _ in cues[:3]] == [17.0, 18.0, 19.0]
    assert "phase_run_no_beat" in ids[3:]  # announced; no beat yet in week 1
    load_cue("belt_run_in_3", 48000)  # the spoken cue ships in sounds/


def test_without_control_the_countdown_is_three_beeps() -> None:
    ids = [s for _, s in run_session(control=False, until_s=21.0)]
    assert ids[:3] == [COUNTDOWN_SOUND] * 3
    assert not any(s.startswith("belt_") for s in ids)
