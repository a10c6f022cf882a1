"""The exit code of ``cadence demo``/``run`` tells the truth about how the app ended.

``run_tui`` is what both commands run once the plan is built: a real Textual
app (headless), a real store. A crash inside the app used to come out as exit
code 0; a store locked in the first second (a real second process holding
``BEGIN EXCLUSIVE``) is one line on stderr and exit code 2.
"""

from __future__ import annotations

import pytest

from cadence.commands.run import run_tui
from cadence.live.session import CoachLike
from cadence.store.store import Store
from support.store_faults import LockHolder

from .conftest import MakePlan


def _broken_coach(start_s: float) -> CoachLike:
    raise RuntimeError("a bug in the coach")


def test_a_crash_inside_the_app_is_not_exit_code_0(make_plan: MakePlan,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run_tui(make_plan(make_coach=_broken_coach), "demo", headless=True) == 1


def test_a_store_locked_at_the_start_is_one_line_and_exit_code_2(
    make_plan: MakePlan, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.connection.execute("PRAGMA busy_timeout = 50")
    with LockHolder(store.path):
        code = run_tui(make_plan(), "demo", headless=True)
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cadence demo: error: ")
    assert "locked by another program" in lines[0]
