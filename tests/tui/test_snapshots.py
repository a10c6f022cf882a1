"""Snapshots of the main screens (pytest-textual-snapshot).

Deterministic by construction: a virtual clock moved by the test, a seeded
simulated runner, a fixed start time and terminal size. Review the SVGs under
``__snapshots__/`` after ``--snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from cadence.coach.actions import Phase
from cadence.tui.app import CadenceApp
from cadence.tui.screens.pain_modal import PainModal

from .conftest import SIZE, MakePlan
from .helpers import advance_until, in_phase


async def _to_first_pain_prompt(pilot: Pilot[Any]) -> CadenceApp:
    """Start the session and move on until the first pain question is up."""
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, CadenceApp)
    advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
    return app


async def _to_running(pilot: Pilot[Any]) -> CadenceApp:
    """Answer the first pain question with 1/10 and move on into the first run."""
    app = await _to_first_pain_prompt(pilot)
    await pilot.press("1")
    advance_until(app, in_phase(app, Phase.RUN), 20 * 60)
    return app


SIZES = [(80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_live_screen_running(snap_compare: Any, make_plan: MakePlan, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await _to_running(pilot)
        app.advance(30)
        await pilot.pause()
        assert app.live_screen is not None
        app.live_screen.show_beat(8, True)  # the accented beat lit: the flash shows
        await pilot.pause()

    assert snap_compare(CadenceApp(make_plan()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_live_screen_counting_down_to_the_walk(
    snap_compare: Any, make_plan: MakePlan, size: Any
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await _to_running(pilot)
        assert app.session is not None
        advance_until(app, lambda: (app.session.status.phase_left_s or 99) <= 2.0, 20 * 60)
        await pilot.pause()

    assert snap_compare(CadenceApp(make_plan()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pain_modal(snap_compare: Any, make_plan: MakePlan, size: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _to_first_pain_prompt(pilot)
        await pilot.pause()

    assert snap_compare(CadenceApp(make_plan()), terminal_size=size, run_before=run_before)


def test_pain_stop_screen(snap_compare: Any, make_plan: MakePlan) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await _to_first_pain_prompt(pilot)
        await pilot.press("3")
        app.advance(5)
        await pilot.pause()

    assert snap_compare(CadenceApp(make_plan()), terminal_size=SIZE, run_before=run_before)


def test_summary_screen(snap_compare: Any, make_plan: MakePlan) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = await _to_running(pilot)
        app.advance(45)
        await pilot.press("q", "y")
        await pilot.pause()
        if isinstance(app.screen, PainModal):
            await pilot.press("1")
        app.advance(2)
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(CadenceApp(make_plan()), terminal_size=SIZE, run_before=run_before)
