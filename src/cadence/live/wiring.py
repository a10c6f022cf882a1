"""Build a ``SessionPlan`` for ``cadence demo`` and ``cadence run``.

The two commands differ only in where the sensors are (the profile's real
devices or the virtual rig) and a few defaults; the rest (profile, coach,
metronome, store) is put together here so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cadence.live.clock import Clock, MonotonicClock
from cadence.live.plan import (
    NO_AUDIO_NOTE,
    CoachFactory,
    SessionPlan,
    SourceFactory,
    StatusSource,
)
from cadence.live.session import CoachLike
from cadence.profile.model import Profile, Program, ProgramWeek
from cadence.programme.plan import TodayPlan, profile_for_today
from cadence.sensors.factory import ble_source, rig_source
from cadence.sensors.source import SensorSource
from cadence.sim.readout import Readout
from cadence.sim.runner import SimulatedRunner

if TYPE_CHECKING:
    from cadence.audio.stream import Metronome
    from cadence.music.session_music import SessionMusic
    from cadence.store.store import Store


class SetupError(Exception):
    """A bad profile or store: one line for the user, exit code 2."""


def load(profile_path: str | None) -> tuple[Profile, Program, str]:
    """The profile, its program and a short name for it (file stem)."""
    from cadence.profile.errors import ProfileError
    from cadence.profile.loader import default_profile_path, load_profile_and_program

    path = Path(profile_path) if profile_path else default_profile_path()
    try:
        profile, program = load_profile_and_program(path)
    except ProfileError as exc:
        raise SetupError(str(exc)) from None
    return profile, program, path.stem


def coach_factory(profile: Profile, program: Program, today: TodayPlan | None = None
                  ) -> CoachFactory:
    """The coach for the profile's week, or for today's plan (week, cut, stage)."""

    week = program.week(profile.program_week) if today is None else today.plan
    return week_coach(profile, week, 1 if today is None else today.stage)


def week_coach(profile: Profile, week: ProgramWeek, stage: int = 1) -> CoachFactory:
    """The coach for one session of ``week`` (e.g. an easy walk instead of a run)."""
    from cadence.coach.engine import Coach

    def make(start_s: float) -> CoachLike:
        return Coach(profile, week, start_s=start_s, stage=stage)

    return make


def start_metronome(profile: Profile, no_audio: bool) -> tuple[Metronome | None, str]:
    """A started ``Metronome`` and ``""``, or ``None`` and the one line the screen shows."""
    if no_audio:
        return None, "Sound off (--no-audio)."
    from cadence.audio.backend import AudioUnavailable
    from cadence.audio.stream import DEFAULT_LATENCY_S, MUSIC_LATENCY_S, Metronome

    settings = profile.metronome
    try:
        metronome = Metronome(
            click=settings.sound,
            accent_every=settings.accent_every,
            volume=settings.volume,
            running=False,
            latency=MUSIC_LATENCY_S if profile.music is not None else DEFAULT_LATENCY_S,
        )
        metronome.start()
    except AudioUnavailable:
        return None, NO_AUDIO_NOTE
    return metronome, ""


def prepare_music(
    profile: Profile, metronome: Metronome, store: Store
) -> tuple[SessionMusic | None, str]:
    """The profile's music, analysed (from the store's cache when it can), and a note.

    Never fails a session: a folder with nothing usable, a missing playlist, a
    store that can't cache are one line on the screen and the clicks go on.
    """
    from cadence.music.session_music import SessionMusic
    from cadence.music.session_tracks import gather_tracks

    settings = profile.music
    assert settings is not None
    base = profile.source_path.parent if profile.source_path is not None else Path.cwd()
    tracks, note = gather_tracks(settings, base, store.connection)
    if not tracks:
        return None, note
    music = SessionMusic(metronome, settings, tracks)
    music.set_volume(profile.metronome.volume)  # silent from the start with clicks: off
    return music, note


def open_store(db: str | None) -> Store:
    """The store, checked writable: a live session records from its first second.

    Raises:
        SetupError: one line saying what is wrong with the file and what to do.
    """
    from cadence.store.db import StoreError
    from cadence.store.paths import resolve_db_path
    from cadence.store.store import Store
    from cadence.store.write_check import check_writable, read_only_message

    try:
        store = Store.open(db)
    except StoreError as exc:
        # a read-only place reads as "unable to open" to SQLite: say what it really is
        raise SetupError(read_only_message(resolve_db_path(db)) or str(exc)) from None
    try:
        check_writable(store)
    except StoreError as exc:
        store.close()
        raise SetupError(str(exc)) from None
    return store


def ble_sources(profile: Profile, clock: Clock) -> SourceFactory:
    def make(_status: StatusSource) -> SensorSource:
        return ble_source(profile.sensors, clock)

    return make


#: The virtual footpod's notification period in session time (2 Hz, like a real one).
RIG_PERIOD_SESSION_S = 0.5
#: Never notify faster than this in real time, however fast the demo runs.
RIG_MIN_PERIOD_S = 0.02


def rig_sources(clock: Clock, seed: int, speed: float = 1.0) -> SourceFactory:
    """The demo's virtual sensors; with ``--speed`` they notify faster in real time,
    so the coach still sees about two readings per second of session time."""
    period_s = max(RIG_MIN_PERIOD_S, RIG_PERIOD_SESSION_S / speed)

    def make(status: StatusSource) -> SensorSource:
        return rig_source(Readout.following(SimulatedRunner(seed=seed), status), clock, period_s)

    return make


@dataclass(frozen=True)
class PlanOptions:
    """What the command line chose; ``virtual`` is ``cadence demo``."""

    profile_path: str | None
    db: str | None
    no_audio: bool
    virtual: bool
    speed: float = 1.0
    seed: int = 1
    skip_check: bool = False  # --skip-check: no readiness questions (recorded as skipped)
    belt_control: bool = False  # demo --belt-control: cadence sets the virtual belt


def build_plan(options: PlanOptions) -> SessionPlan:
    """Everything ``CadenceApp`` needs; ``SetupError`` for a bad profile or store."""
    profile, program, name = load(options.profile_path)
    virtual = options.virtual
    if not virtual and not profile.sensors:
        raise SetupError(
            f"{profile.source_path}: no sensors configured; add them under `sensors:` "
            "(or try `cadence demo`)"
        )
    clock = MonotonicClock(speed=options.speed)
    store = open_store(options.db)
    if virtual:
        profile = replace(profile, sensors=())
        if options.belt_control:
            control = replace(profile.treadmill_control, control=True)
            profile = replace(profile, treadmill=True, treadmill_control=control)
    today = plan_today_from(store, profile, program)
    profile = profile_for_today(profile, today)
    metronome, note = start_metronome(profile, options.no_audio)
    music = None
    if metronome is not None and profile.music is not None:
        music, music_note = prepare_music(profile, metronome, store)
        note = note or music_note
    week = today.plan
    kind = "demo, virtual sensors" if virtual else "live"
    if profile.treadmill_control.control:
        kind += ", belt set by cadence"
    title = f"cadence  ·  {profile.runner_name}  ·  {program.title} week {week.week}  ·  {kind}"
    return SessionPlan(
        profile=profile,
        make_coach=coach_factory(profile, program, today),
        make_source=(
            rig_sources(clock, options.seed, options.speed)
            if virtual
            else ble_sources(profile, clock)
        ),
        clock=clock,
        metronome=metronome,
        audio_note=note,
        music=music,
        store=store,
        profile_name=name,
        title=title,
        today=today,
        readiness_check=not options.skip_check,
    )


def plan_today_from(store: Store, profile: Profile, program: Program) -> TodayPlan:
    """Today's session from the store's history, as ``cadence plan`` shows it."""
    from datetime import datetime

    from cadence.programme.plan import plan_today
    from cadence.store.programme import load_history

    return plan_today(profile, program, load_history(store), datetime.now().astimezone())


def close_plan(plan: SessionPlan) -> None:
    """Stop the music, the audio stream and close the store after the app has exited."""
    if plan.music is not None:
        plan.music.stop()
    if plan.metronome is not None:
        plan.metronome.stop()
    if plan.store is not None:
        plan.store.close()
