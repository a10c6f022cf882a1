"""Everything a live session needs, built by ``cadence demo``/``cadence run`` or a test.

The commands decide *which* parts (real sensors or the virtual rig, audio or
not, which store); the TUI only runs what it is given. Tests build a plan
with a ``VirtualClock`` and a ``SimulatedSensorSource``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cadence.live.clock import Clock
from cadence.live.session import CoachLike
from cadence.live.sources import GaitSource, SensorSource, TempoSource
from cadence.profile.model import Profile

if TYPE_CHECKING:
    from cadence.audio.stream import Metronome
    from cadence.store.store import Store

#: builds the coach for a session starting at session time ``start_s``
CoachFactory = Callable[[float], CoachLike]
#: builds the sensor source; the simulated runner follows the tempo the runner hears
SourceFactory = Callable[[TempoSource, GaitSource], SensorSource]

NO_AUDIO_NOTE = "No audio device found: coaching carries on, on screen."


@dataclass
class SessionPlan:
    profile: Profile
    make_coach: CoachFactory
    make_source: SourceFactory
    clock: Clock
    metronome: Metronome | None = None  # already started; None: no audio
    audio_note: str = ""  # one line for the screen when there is no audio
    store: Store | None = None  # None: nothing recorded (some tests)
    profile_name: str = "default"
    title: str = "cadence"
    tick_s: float = 0.25  # coach tick
    beat_poll_s: float = 0.04  # beat indicator refresh
    flush_s: float = 1.0  # recorder flush
    auto_tick: bool = True  # False: a test moves time with ``CadenceApp.advance``
    offer_recovery: bool = True
    nudge_step_spm: float = 2.0
    started_at: datetime | None = None  # wall time of the session's start; None: now
