"""Unfinished sessions: offered for recovery only when nobody is recording them."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.report.summary import summarize
from cadence.store.db import StoreError
from cadence.store.store import Store

from .test_crash import child_env

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)

ABANDON = """
import sys
from datetime import datetime, UTC
from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store
store = Store.open(sys.argv[1])
rec = store.begin_session(profile_name='p', runner_name='Ana', program='c', program_week=1,
    started_at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC), treadmill=False, shoe_name='')
for i in range(125):
    rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=174.0))
    if i % 10 == 9:
        rec.flush()
rec.add_pain(12.45, 2, prompt_id=1)
import os
os._exit(0)  # no finish, no cleanup: like a crash
"""


def abandoned_session(db: Path) -> None:
    subprocess.run([sys.executable, "-c", ABANDON, str(db)], check=True, env=child_env(),
                   timeout=60)


def test_a_session_being_recorded_is_not_offered(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="Ana", program="c", program_week=1,
                              started_at=START, treadmill=False, shoe_name="")
    rec.add_sample(Sample(0.0, SensorRole.FOOTPOD, cadence_spm=170.0))
    rec.flush()
    assert store.unfinished_sessions() == []
    assert [i.session_id for i in store.unfinished_sessions(include_live=True)] == [
        rec.session_id]
    with pytest.raises(StoreError, match="still being recorded"):
        store.recover(rec.session_id)
    with Store.open(store.path) as second_window:  # another cadence process sees the same
        assert second_window.unfinished_sessions() == []


def test_crashed_session_is_offered_summarised_and_recovered(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    abandoned_session(db_path)
    with Store.open(db_path) as store:
        [cut] = store.unfinished_sessions()
        assert cut.ended_at is None and cut.duration_s == pytest.approx(12.45)
        s = summarize(store.load_session("last"))  # summary works before recovery
        assert not s.finished and s.avg_cadence_spm == pytest.approx(174.0)
        assert s.max_pain == 2

        info = store.recover(cut.session_id)
        assert (info.end_reason, info.recovered) == ("recovered", True)
        assert info.duration_s == pytest.approx(12.45)  # the pain rating came last
        assert info.ended_at is not None
        assert (info.ended_at - START).total_seconds() == pytest.approx(12.45)
        assert store.unfinished_sessions() == []
        with pytest.raises(StoreError, match="already finished"):
            store.recover(cut.session_id)
    assert sorted(p.name for p in db_path.parent.glob("*.lock")) == []
