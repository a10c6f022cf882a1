"""A whole session with no screen and no sound, on a virtual clock: ``cadence simulate``.

Why through ``LiveSession``: the headless runs that check whole sessions (the
scenario tests, ``cadence simulate``) must test the app's own wiring, the same
sink, tick and coach steps as ``cadence run``, not a copy of it. Here the
sensors are the simulated source (``cadence.sensors.simulated``) reading a
``SimulatedRunner`` through ``cadence.sim.readout``, the runner presses keys
from a script, and time moves only when this loop moves it, so a 30-minute
session runs in well under a second and a seed always prints the same lines.

Per tick (``tick_s``): the clock moves on; the runner moves (the source reads
the footpod and strap readings due); the script's keys and answers go to the
session; ``LiveSession.tick`` steps the coach; one record is yielded.

With treadmill control on in the profile (``treadmill: {control: true}``) the
treadmill reports a simulated belt (``cadence.sensors.simulated_belt``) that
the session's own belt commands drive, through the same ``BeltSession`` as
``cadence run``; each record then has a ``belt`` entry. With it off the
output is what it always was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from cadence.coach.engine import Coach
from cadence.coach.treadmill_plan import BeltCommand, SwitchAhead
from cadence.live.clock import VirtualClock
from cadence.live.plan import belt_session
from cadence.live.session import LiveSession, TickResult
from cadence.profile.model import Profile, ProgramWeek
from cadence.sensors.factory import simulated_source
from cadence.sensors.simulated_belt import SimulatedBeltController
from cadence.sim.readout import Follow, Readout
from cadence.sim.runner import RunnerParams, SimulatedRunner
from cadence.sim.script import RunnerScript
from cadence.sim.session import Press, ScriptedRunner, SimConfig, plan_length_s, tick_record

if TYPE_CHECKING:
    from cadence.store.recorder import SessionRecorder

#: how far past the plan's length a session may go before the runner presses end
OVERRUN_S = 600.0
#: one press of the console's speed buttons in a runner script
CONSOLE_STEP_KMH = 1.0


def simulate(
    profile: Profile,
    week: ProgramWeek,
    *,
    runner: RunnerParams | None = None,
    seed: int = 0,
    script: RunnerScript | None = None,
    config: SimConfig | None = None,
    recorder: SessionRecorder | None = None,
) -> Iterator[dict[str, Any]]:
    """Run one session; yields one JSON-ready record per tick until it ends.

    With ``recorder`` the session is recorded as ``cadence run`` records it
    (``cadence simulate --db``), and finished when the coach ends.
    """
    cfg = config or SimConfig()
    clock = VirtualClock()
    coach = Coach(profile, week, start_s=0.0, stage=cfg.stage)
    readout = Readout.following(
        SimulatedRunner(runner, seed=seed), lambda: coach.status(clock()), Follow.PHASE
    )
    control = profile.treadmill_control.control
    belt = SimulatedBeltController(clock) if control else None
    source = simulated_source(
        readout,
        period_s=1.0 / cfg.footpod_hz,
        footpod=cfg.footpod,
        hr_period_s=1.0 / cfg.hr_hz,
        treadmill=control,
        incline_pct=profile.treadmill_control.incline_pct,
        belt=belt,
    )
    session = LiveSession(coach, source, clock, recorder=recorder,
                          belt=belt_session(profile, coach, source, clock, recorder))
    limit_s = cfg.max_duration_s
    if limit_s is None:
        limit_s = plan_length_s(coach.plan) + OVERRUN_S
    person = ScriptedRunner(script or RunnerScript(), limit_s)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(session.start())
        tick = 0
        while not session.ended:
            now_s = clock.advance_to(round(tick * cfg.tick_s, 6))
            tick += 1
            before = coach.status(now_s)
            source.pump(now_s)  # the runner moves first: a tap-tempo key taps what was just read
            press = person.press(now_s, before, readout.last)
            _press(session, press)
            if belt is not None and press.console is not None:
                _console(belt, press.console)
            result = session.tick(now_s)
            if session.belt is not None:  # the commands reach the belt before time moves on
                loop.run_until_complete(session.belt.settle())
            person.heard(result.actions, now_s)
            habit = None if readout.last is None else readout.runner.habit_spm
            record = tick_record(now_s, result.status, result.actions, result.inputs, habit,
                                 with_inputs=cfg.with_inputs)
            if belt is not None:
                record["belt"] = belt_record(result, belt)
            yield record
        if not loop.run_until_complete(session.finish()) and recorder is not None:
            _kept_for_recovery(recorder)
    finally:
        loop.close()


def _kept_for_recovery(recorder: SessionRecorder) -> None:
    """The end could not be written: no screen to wait on, so spill, let go, and say so."""
    from cadence.store.db import StoreError

    path = recorder.leave_for_recovery()
    problem = recorder.problem or "the session file can't be written"
    where = f"kept in {path}" if path is not None else "could not be kept anywhere"
    raise StoreError(f"{problem}; the run is not saved, {where} (recovered at the next start)")


def _press(session: LiveSession, press: Press) -> None:
    """Hand the scripted runner's keys to the session, as the live screen's keys do."""
    if press.pain_rating is not None:
        session.answer_pain(press.pain_rating, press.pain_prompt_id)
    if press.red_flag is not None:
        session.report_red_flag(press.red_flag)
    if press.toggle_pause:
        session.toggle_pause()
    if press.toggle_mute:
        session.toggle_mute()
    if press.nudge_spm:
        session.nudge(press.nudge_spm)
    for t_s in press.taps_s:
        session.tap(t_s)
    if press.walk_next:
        session.walk_next_run()
    if press.hold_belt:
        session.hold_belt()
    if press.give_belt_back:
        session.give_belt_back()
    if press.end:
        session.request_end()


def _console(belt: SimulatedBeltController, key: str) -> None:
    """The runner at the treadmill's console (a script's ``console_*`` and ``safety_key``)."""
    if key in ("faster", "slower"):
        belt.press_speed(CONSOLE_STEP_KMH if key == "faster" else -CONSOLE_STEP_KMH)
    else:
        belt.press_stop(safety_key=key == "safety_key")


def belt_record(result: TickResult, belt: SimulatedBeltController) -> dict[str, Any]:
    """The belt in one line of ``cadence simulate``: what it does, what was asked, and why."""
    view = result.belt
    out: dict[str, Any] = {
        "speed_kmh": round(belt.belt.speed_kmh, 2),
        "incline_pct": round(belt.belt.incline_pct, 2),
        "target_kmh": None if view is None or view.stopped else view.target_kmh,
        "stopped": view is not None and view.stopped,
        "state": "off" if view is None else view.state.value,
    }
    said = [a.text for a in result.belt_actions if isinstance(a, SwitchAhead)]
    sent = [a.reason.value for a in result.belt_actions if isinstance(a, BeltCommand)]
    if said:
        out["ahead"] = said
    if sent:
        out["commands"] = sent
    return out
