"""A session file that locks up between the checks and the first second closes the app cleanly.

``cadence demo``/``run`` check the file before the screen opens; another program
may still take the lock in between. A real second process holds
``BEGIN EXCLUSIVE`` as the session starts: the app closes with exit code 2 and
one line for the shell (no traceback, no crash turned into exit 0).
"""

from __future__ import annotations

from cadence.store.store import Store
from cadence.tui.app import CadenceApp
from support.store_faults import LockHolder

from .conftest import SIZE, MakePlan


async def test_a_lock_at_the_first_second_exits_2_with_one_line(
    make_plan: MakePlan, store: Store
) -> None:
    store.connection.execute("PRAGMA busy_timeout = 50")
    app = CadenceApp(make_plan())
    with LockHolder(store.path):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
    assert app.return_code == 2
    assert app.session is None
    note = app.exit_note or ""
    assert note.startswith("error: ") and "locked" in note and "\n" not in note
    assert "close that program" in note
    assert store.list_sessions() == []  # nothing half-started
