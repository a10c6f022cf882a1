"""The readiness check before the live screen, in the real app on a real store.

A warning sign or pain at the stop level shows why there is no running and the
session never starts (no session row); a clear check starts it, attached to the
check; ``--skip-check`` is recorded as skipped; a 4/10 in the history holds the
run even when the check is skipped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from cadence.live.wiring import plan_today_from
from cadence.profile.loader import load_profile_and_program
from cadence.programme.records import ReadinessRecord
from cadence.store.programme import load_history, record_readiness
from cadence.store.store import Store
from cadence.tui.app import CadenceApp

from .conftest import PROFILES, SIZE, MakePlan
from .helpers import screen_text


def _words(app: CadenceApp) -> str:
    """The screen's words in one line (wrapped lines and box borders joined up)."""
    return re.sub(r"[\s\u2580-\u259f]+", " ", screen_text(app))


def _plan(make_plan: MakePlan, store: Store, **overrides: object) -> CadenceApp:
    profile, program = load_profile_and_program(PROFILES / "treadmill.yaml")
    today = plan_today_from(store, profile, program)
    fields: dict[str, object] = {"today": today, "readiness_check": True,
                                 "offer_recovery": False, **overrides}
    return CadenceApp(make_plan(**fields))


async def test_a_clear_check_starts_the_session_attached_to_it(make_plan: MakePlan,
                                                               store: Store) -> None:
    app = _plan(make_plan, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = _words(app)
        assert "How is your back right now?" in text and "Today: " in text
        assert app.session is None
        await pilot.press("1")
        assert "Numb skin around the groin" in _words(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None and app.session_id is not None
        app.advance(3)
    history = load_history(store)
    assert history.readiness[0].pain == 1 and history.readiness[0].session_id == app.session_id


async def test_a_warning_sign_shows_why_and_never_starts_a_run(make_plan: MakePlan,
                                                               store: Store) -> None:
    app = _plan(make_plan, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("0", "b", "enter")  # b: a leg or foot that feels weak
        await pilot.pause()
        text = _words(app)
        assert "No running today" in text and "physiotherapist or doctor" in text
        assert app.session is None
        await pilot.press("r")
    assert store.list_sessions() == []
    check = load_history(store).readiness[0]
    assert [s.value for s in check.warning_signs] == ["leg_weakness"]


async def test_an_emergency_sign_offers_nothing_but_closing(make_plan: MakePlan,
                                                            store: Store) -> None:
    app = _plan(make_plan, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("0", "g", "enter")  # g: bladder or bowel changes
        await pilot.pause()
        assert "emergency department" in _words(app)
        await pilot.press("w")  # no walk offered
        await pilot.pause()
        assert "Get help now" in _words(app)
        await pilot.press("q")
    assert store.list_sessions() == []


async def test_skipping_is_recorded_and_a_hold_still_stops_the_run(make_plan: MakePlan,
                                                                   store: Store) -> None:
    record_readiness(store, ReadinessRecord(datetime(2026, 11, 1, tzinfo=UTC), 5), "no_run")
    app = _plan(make_plan, store, readiness_check=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No running today" in _words(app)
        assert "5/10" in _words(app)
        await pilot.press("r")
    checks = load_history(store).readiness
    assert checks[-1].skipped and checks[-1].pain is None
    assert store.list_sessions() == []


async def test_an_easy_walk_instead_is_coached_and_kept_out_of_the_program(
        make_plan: MakePlan, store: Store) -> None:
    app = _plan(make_plan, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")  # 3/10 before the run: no running today
        await pilot.pause()
        assert "No running today" in _words(app)
        await pilot.press("w")
        await pilot.pause()
        assert app.session is not None and app.session_id is not None
        app.advance(60)
        await pilot.pause()
        assert app.session.status.phase.value == "walk"
        assert "easy walk" in _words(app)
    info = store.session_info(app.session_id)
    assert info.program == "walk-only"
    history = load_history(store)
    assert history.readiness[0].session_id == app.session_id
    profile, program = load_profile_and_program(PROFILES / "treadmill.yaml")
    today = plan_today_from(store, profile, program)
    assert today.week == 1 and today.volume_factor < 1.0  # the 3/10 still counts as a flare
