"""A locked session file is shown to the runner, and nothing recorded is lost.

Real SQLite: a second connection holds an exclusive lock on the session file
while the live session keeps running; the screen says so, and once the lock is
released the held samples land on disk.
"""

from __future__ import annotations

import sqlite3
from itertools import pairwise

from cadence.store.store import Store
from cadence.tui.app import CadenceApp

from .conftest import SIZE, MakePlan
from .helpers import recording, screen_text


async def test_locked_session_file_is_shown_and_samples_are_kept(
    make_plan: MakePlan, store: Store
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=SIZE) as pilot:
        _, recorder = await recording(app, pilot)

        blocker = sqlite3.connect(store.path, timeout=0.1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            app.advance(10)
            assert not recorder.flush()
            app.advance(1)  # the next tick shows the problem
            await pilot.pause()
            assert recorder.last_error
            assert "Session file:" in screen_text(app)
            assert "locked" in screen_text(app)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()

        app.advance(1)
        assert recorder.flush()
        assert recorder.last_error is None
        app.advance(1)
        await pilot.pause()
        assert "Session file:" not in screen_text(app)
        assert "No audio device found" in screen_text(app)
        latest_t_s = app.plan.clock.now_s()

    data = store.load_session(recorder.session_id)
    sample_times = sorted(s.t_s for s in data.samples)
    assert sample_times[-1] >= latest_t_s - 2.0
    gaps = [b - a for a, b in pairwise(sample_times)]
    assert max(gaps) < 2.0, "samples from while the file was locked went missing"
