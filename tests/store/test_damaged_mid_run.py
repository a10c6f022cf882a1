"""A database that turns out damaged mid-run is never written again; its data is spilled.

Real faults: a real recording session file, checkpointed, then the b-tree page
headers of the samples table and its index overwritten in the file on disk, as
a failing disk does it. The recorder's page cache is then released (what
memory pressure does), so its next flush reads the damaged pages and SQLite
answers SQLITE_CORRUPT. From then on the file and its WAL must not change by a
byte, whatever the session still does (flushes, a pain rating, the end, a
quit), and every row it held must be in a spill file the next start recovers.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from cadence.model.sample import Sample, SensorRole
from cadence.store import spill
from cadence.store.recorder import SessionRecorder
from cadence.store.store import Store
from support.store_faults import damage_in_use

_WRITES = {"BEGIN", "INSERT", "UPDATE", "DELETE", "REPLACE", "COMMIT"}


def _record(rec: SessionRecorder, first: int, count: int) -> None:
    for i in range(first, first + count):
        rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=172.0, speed_mps=3.0,
                              distance_m=0.3 * i, sensor_id="pod"))


def _digest(db: Path) -> dict[str, str]:
    files = [db, db.with_name(db.name + "-wal")]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def test_a_file_damaged_mid_run_is_not_written_and_what_is_held_is_spilled(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "sessions.sqlite3") as store:
        rec = store.begin_session(
            profile_name="damaged", runner_name="Test", program="continuous", program_week=1,
            started_at=datetime(2026, 12, 1, 7, 0, tzinfo=UTC), treadmill=True, shoe_name="",
        )
        _record(rec, 0, 600)
        assert rec.flush()
        assert damage_in_use(store.connection, store.path)
        _record(rec, 600, 10)
        assert not rec.flush()  # SQLite found the damage
        assert rec.damaged
        problem = rec.problem or ""
        assert "sessions.sqlite3 is damaged" in problem and "keep a copy of" in problem, problem
        assert "retrying" not in (rec.last_error or "")
        before = _digest(store.path)
        statements: list[str] = []
        store.connection.set_trace_callback(statements.append)  # what SQLite is asked to run

        _record(rec, 610, 300)
        for _ in range(3):
            assert not rec.flush()
        assert rec.add_pain(91.0, 4, None)  # the journal beside it takes the rating
        assert not rec.finish("user", 91.0)
        rec.leave_for_recovery()
        store.connection.set_trace_callback(None)
        writes = [s for s in statements if s.split()[0].upper() in _WRITES]
        assert writes == [], writes  # not even tried: a damaged b-tree may take some writes
        assert _digest(store.path) == before, "the damaged file was written"

        [kept] = spill.read(store.path, rec.session_id)
        times = sorted(row[0] for row in kept.samples)
        assert times == [i / 10 for i in range(600, 910)]  # every held sample, none lost
        assert kept.end_reason == "user"
        assert any('"rating": 4' in row[2] for row in kept.events)
