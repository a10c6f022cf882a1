"""Everything a live session needs, built by ``cadence demo``/``cadence run`` or a test.

The commands decide *which* parts (real sensors or the virtual rig, audio or
not, which store); ``open_session`` puts them together into a ``LiveSession``
when the session really starts, and the TUI only shows what it is given.
Tests build a plan with a ``VirtualClock`` and a simulated source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cadence.coach.status import CoachStatus
from cadence.live.belt import BeltSession
from cadence.live.clock import Clock
from cadence.live.session import CoachLike, LiveSession
from cadence.profile.model import Profile
from cadence.sensors.source import SensorItem, SensorSource

if TYPE_CHECKING:
    from cadence.audio.stream import Metronome
    from cadence.music.session_music import SessionMusic
    from cadence.programme.plan import TodayPlan
    from cadence.store.recorder import SessionRecorder
    from cadence.store.store import Store

#: builds the coach for a session starting at session time ``start_s``
CoachFactory = Callable[[float], CoachLike]
#: the coach's status now: what a simulated runner follows
StatusSource = Callable[[], CoachStatus]
#: builds the sensor source; a simulated runner follows the coach's status
SourceFactory = Callable[[StatusSource], SensorSource]

NO_AUDIO_NOTE = "No audio device found: coaching carries on, on screen."
#: the profile lets cadence set the belt, but there is no treadmill to set
NO_TREADMILL_NOTE = ("control is on in the profile, but no treadmill is listed under "
                     "sensors: the belt is yours")


@dataclass
class SessionPlan:
    profile: Profile
    make_coach: CoachFactory
    make_source: SourceFactory
    clock: Clock
    metronome: Metronome | None = None  # already started; None: no audio
    audio_note: str = ""  # one line for the screen when there is no audio
    music: SessionMusic | None = None  # the profile's music, in front of the metronome
    store: Store | None = None  # None: nothing recorded (some tests)
    profile_name: str = "default"
    title: str = "cadence"
    tick_s: float = 0.25  # coach tick
    flush_s: float = 1.0  # recorder flush
    auto_tick: bool = True  # False: a test moves time with ``CadenceApp.advance``
    offer_recovery: bool = True
    nudge_step_spm: float = 2.0
    started_at: datetime | None = None  # wall time of the session's start; None: now
    today: TodayPlan | None = None  # planned from the store's history (run/demo)
    readiness_check: bool = False  # ask the readiness check before the live screen



def open_session(
    plan: SessionPlan, on_item: Callable[[SensorItem], None] | None = None
) -> LiveSession:
    """The session starts now: zero the clock, open its record, build coach and sensors."""
    from cadence.live.recording import open_recorder

    clock = plan.clock
    clock.restart()
    recorder = None
    if plan.store is not None:
        recorder = open_recorder(plan.store, plan.profile, plan.profile_name, plan.started_at)
    coach = plan.make_coach(clock())
    source = plan.make_source(lambda: coach.status(clock()))
    commands = plan.music if plan.music is not None else plan.metronome
    belt = belt_session(plan.profile, coach, source, clock, recorder)
    return LiveSession(
        coach, source, clock, metronome=commands, music=plan.music, recorder=recorder,
        on_item=on_item, belt=belt,
    )


def belt_session(
    profile: Profile,
    coach: CoachLike,
    source: SensorSource | None,
    clock: Callable[[], float],
    recorder: SessionRecorder | None,
) -> BeltSession | None:
    """Treadmill control when the profile asks for it and the source has a treadmill."""
    settings = profile.treadmill_control
    if not settings.control or source is None:
        return None
    controller = source.belt_controller(clock)
    if controller is None:
        return None
    from cadence.coach.treadmill_plan import TreadmillPlan

    return BeltSession(controller, TreadmillPlan(settings, coach.plan), clock, recorder)
