"""On start the app offers to recover a session that a killed process left unfinished."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import cadence
from cadence.tui.app import CadenceApp
from cadence.tui.screens.confirm import ConfirmModal
from cadence.tui.screens.live import LiveScreen

from .conftest import SIZE, MakePlan
from .helpers import flat, screen_text


def _record_then_get_killed(db: Path) -> None:
    """A real process records 90 s of samples, flushes, then dies by SIGKILL."""
    code = textwrap.dedent(
        f"""
        import os, signal
        from datetime import UTC, datetime
        from cadence.model.sample import Sample, SensorRole
        from cadence.store.store import Store
        store = Store.open({str(db)!r})
        rec = store.begin_session(profile_name="treadmill", runner_name="Runner",
            program="protocol-a", program_week=1, started_at=datetime(2026, 11, 20, 7, 0,
            tzinfo=UTC), treadmill=True, shoe_name="")
        for t in range(90):
            rec.add_sample(Sample(float(t), SensorRole.FOOTPOD, cadence_spm=160.0))
        rec.flush()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    src = str(Path(cadence.__file__).resolve().parents[1])
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": src}, capture_output=True, timeout=60
    )
    assert result.returncode == -signal.SIGKILL, result.stderr


async def test_recover_on_start_then_the_new_session_runs(
    make_plan: MakePlan, store: Any
) -> None:
    _record_then_get_killed(store.path)
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        text = flat(screen_text(app))
        assert "An earlier session was cut off. Recover it?" in text
        assert "Session 1, started 2026-11-20 07:00" in text
        assert app.session is None  # nothing starts until the runner has answered
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert app.session_id == 2
    info = store.session_info(1)
    assert info.recovered and info.ended_at is not None
    assert 88 <= info.duration_s <= 90


async def test_declining_leaves_it_for_later(make_plan: MakePlan, store: Any) -> None:
    _record_then_get_killed(store.path)
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
    assert store.session_info(1).ended_at is None
