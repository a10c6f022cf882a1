"""Store trouble is one line that updates in place, never a pile of notices.

A second process holds ``BEGIN EXCLUSIVE`` on the real session file for 10 s of
the session while the recorder flushes every second: the "keeping N s" text
changes each time, and the screen shows one line with the newest count, no
notices over the figures, and nothing once the lock is gone.
"""

from __future__ import annotations

import re

from cadence.store.store import Store
from cadence.tui.app import CadenceApp
from support.store_faults import LockHolder, damage_in_use

from .conftest import SIZE, MakePlan
from .helpers import recording, screen_text


def _store_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Session file:" in line]


async def test_a_locked_file_is_one_line_updated_in_place(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        assert session is not None and session.recorder is not None
        recorder = session.recorder
        recorder.flush_timeout_ms = 20
        app.advance(3)
        assert recorder.flush()
        before = screen_text(app)

        kept: list[int] = []
        with LockHolder(store.path):
            for _ in range(10):
                app.advance(1)
                assert not recorder.flush()
                app.advance(0.25, 0.25)  # the tick after the flush shows it
                await pilot.pause()
                lines = _store_lines(screen_text(app))
                assert len(lines) == 1, lines
                assert "locked" in lines[0]
                found = re.search(r"keeping (\d+) s", lines[0])
                assert found is not None, lines[0]
                kept.append(int(found.group(1)))
            assert len(app._notifications) == 0, "store trouble raised notices"
            during = screen_text(app)
        assert kept == sorted(kept) and kept[-1] > kept[0], kept
        # the figures are all still in sight
        for figure in ("steps/min", "left", "distance", "speed", "heart", "No audio device"):
            assert figure in during, during
        assert "Session file:" not in before

        app.advance(1)
        assert recorder.flush()
        app.advance(0.25, 0.25)
        await pilot.pause()
        assert _store_lines(screen_text(app)) == []


async def test_a_file_damaged_mid_run_says_so_and_how_to_keep_a_copy(
    make_plan: MakePlan, store: Store
) -> None:
    """Pages of the real file damaged under the running session: no retrying, one red line."""
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        _, recorder = await recording(app, pilot)
        assert damage_in_use(store.connection, store.path)
        app.advance(3)
        assert not recorder.flush()
        app.advance(0.25, 0.25)
        await pilot.pause()
        [line] = _store_lines(screen_text(app))
        assert "in a spill file" in line and "retrying" not in line, line
        assert f"{store.path.name} is damaged, nothing more goes into it; keep a copy of" in line
        assert recorder.spill_path is not None and recorder.spill_path.exists()
        assert len(app._notifications) == 0
