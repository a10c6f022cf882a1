"""The belt line and the belt keys on the live screen, with treadmill control on.

The app runs a whole session on a virtual clock with the simulated belt of
``cadence simulate`` (``SimulatedBeltController``), wired by ``open_session``
as ``cadence run`` wires the FTMS controller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.pilot import Pilot

from cadence.coach.actions import Phase
from cadence.live.clock import VirtualClock
from cadence.live.plan import StatusSource
from cadence.sensors.factory import simulated_source
from cadence.sensors.simulated_belt import SimulatedBeltController
from cadence.sensors.source import SensorSource
from cadence.sim.readout import Readout
from cadence.sim.runner import SimulatedRunner
from cadence.tui.app import CadenceApp

from .conftest import SIZE, MakePlan
from .helpers import flat, screen_text

WARMUP_S = 5 * 60  # protocol A week 1: a 5-minute warm-up, then 1:00 runs


async def run_until(app: CadenceApp, pilot: Pilot[int], done: Callable[[], bool],
                    limit_s: float) -> None:
    """Second by second, letting the loop run between ticks as the app's timers do (the
    belt commands are tasks on it)."""
    while not done():
        assert app.plan.clock() <= limit_s, f"not within {limit_s} s"
        app.advance(1.0)
        await pilot.pause()


async def run_for(app: CadenceApp, pilot: Pilot[int], seconds: float) -> None:
    end_s = app.plan.clock() + seconds
    await run_until(app, pilot, lambda: app.plan.clock() >= end_s - 1e-9, end_s + 1)


def in_phase(app: CadenceApp, phase: Phase) -> Callable[[], bool]:
    return lambda: app.session is not None and app.session.status.phase is phase


def controlled(make_plan: MakePlan) -> tuple[CadenceApp, SimulatedBeltController]:
    clock = VirtualClock()
    belt = SimulatedBeltController(clock)
    plan = make_plan(clock=clock)
    settings = replace(plan.profile.treadmill_control, control=True)
    plan.profile = replace(plan.profile, treadmill_control=settings)

    def source(status: StatusSource) -> SensorSource:
        return simulated_source(Readout.following(SimulatedRunner(seed=3), status), belt=belt)

    plan.make_source = source
    return CadenceApp(plan), belt


@pytest.mark.slow
async def test_the_belt_line_shows_who_sets_the_belt_and_the_next_switch(
    make_plan: MakePlan,
) -> None:
    app, belt = controlled(make_plan)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_for(app, pilot, 15)
        text = flat(screen_text(app))
        assert "belt ● cadence sets the belt · 5.0 km/h" in text
        assert "next: RUN 1:00 at 8.0 km/h" in text  # the speed the plan sets at the switch
        assert "hold speed" in text and "belt to cadence" in text  # the footer's belt keys
        await run_until(app, pilot, lambda: app.plan.clock() >= WARMUP_S - 2.5, WARMUP_S)
        assert "Run in 3: belt to 8.0 km/h" in flat(screen_text(app))
        await run_until(app, pilot, in_phase(app, Phase.RUN), WARMUP_S + 5)
        await run_for(app, pilot, 3)
        assert "→ 8.0 km/h" in flat(screen_text(app))  # on its way up
        # the runner holds the run speed through the walk
        await pilot.press("h")
        await pilot.pause()
        assert "holding this speed" in flat(screen_text(app))
        assert "next: WALK 3:00 at 8.0 km/h" in flat(screen_text(app))  # held: the run's speed
        await run_until(app, pilot, in_phase(app, Phase.WALK), WARMUP_S + 120)
        await run_for(app, pilot, 12)
        assert belt.belt.speed_kmh == 8.0
        await pilot.press("0")  # the walk break's pain question: no pain
        await pilot.pause()
        # the console's buttons: the belt is the runner's, and said so
        belt.press_speed(-1.0)
        await run_for(app, pilot, 1)
        text = flat(screen_text(app))
        assert "the belt is yours (b: give it back)" in text
        assert "next: RUN 1:00" in text and "next: RUN 1:00 at" not in text  # not ours to set
        await pilot.press("b")
        await pilot.pause()
        await run_for(app, pilot, 1)
        assert "belt ● cadence sets the belt" in flat(screen_text(app))
        assert belt.wanted is not None and belt.belt.target_speed_kmh == belt.wanted.speed_kmh


async def test_without_control_there_is_no_belt_line_and_no_belt_keys(
    make_plan: MakePlan,
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.advance(15)
        await pilot.pause()
        text = flat(screen_text(app))
        assert "belt ●" not in text and "hold speed" not in text
        assert app.session is not None and app.session.belt is None


async def test_control_on_without_a_treadmill_says_the_belt_is_yours(
    make_plan: MakePlan,
) -> None:
    """A profile that turns control on but lists no treadmill: said on the belt line."""
    plan = make_plan()
    settings = replace(plan.profile.treadmill_control, control=True)
    plan.profile = replace(plan.profile, treadmill_control=settings)  # no belt in the source
    app = CadenceApp(plan)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.advance(15)
        await pilot.pause()
        text = flat(screen_text(app))
        assert app.session is not None and app.session.belt is None
        assert "belt ✕ control is on in the profile, but no treadmill is listed" in text
        assert "hold speed" not in text  # no belt keys for a belt cadence can't set
