"""What the database can't take yet survives: spilled to a file, recovered at the next start.

Real faults only: a 600 kB tmpfs filled to the last block (the pain journal next
to the database can't be written either), a second process holding
``BEGIN EXCLUSIVE``, and a recording process SIGKILLed while the file is locked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind
from cadence.store import spill
from cadence.store.recorder import SPILL_EVERY_S, SessionRecorder
from cadence.store.recorder_status import RecorderHealth
from cadence.store.spill import ENV_SPILL_DIR
from cadence.store.store import Store
from support.store_faults import LockHolder, fill, small_disk

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _spill_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The spill folder on another filesystem than the small disk: the test's tmp_path."""
    folder = tmp_path / "spill"
    monkeypatch.setenv(ENV_SPILL_DIR, str(folder))
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "tiny", "600k") as mnt:
        yield mnt


def begin(store: Store) -> SessionRecorder:
    return store.begin_session(profile_name="p", runner_name="Ana", program="continuous",
                               program_week=1, started_at=START, treadmill=True, shoe_name="")


def pod(t_s: float) -> Sample:
    return Sample(t_s, SensorRole.FOOTPOD, cadence_spm=172.0, speed_mps=3.1,
                  distance_m=3.1 * t_s, sensor_id="pod")


def test_a_full_disk_at_the_end_keeps_samples_and_ratings_for_the_next_start(
    tiny: Path, _spill_dir: Path
) -> None:
    db = tiny / "sessions.sqlite3"
    store = Store.open(db)
    rec = begin(store)
    for i in range(100):
        rec.add_sample(pod(i / 10))
    assert rec.flush()
    ballast = fill(tiny)
    t = 100
    while rec.flush():  # the last free pages go; then it holds
        for _ in range(200):
            rec.add_sample(pod(t / 10))
            t += 1
        assert t < 100_000, "the disk never filled"
    for _ in range(300):
        rec.add_sample(pod(t / 10))
        t += 1
    rec.add_pain(t / 10, 3, prompt_id=7)  # neither the database nor its journal can take it
    assert not rec.finish("completed", t / 10)
    assert rec.health is RecorderHealth.HOLDING
    kept = rec.leave_for_recovery()
    assert kept is not None and kept.parent == _spill_dir, kept  # not on the full disk
    store.close()

    ballast.unlink()  # room again; the next start
    with Store.open(db) as later:
        [cut] = later.unfinished_sessions()
        info = later.recover(cut.session_id)
        data = later.load_session(cut.session_id)
    assert info.end_reason == "completed"
    assert [s.t_s for s in data.samples] == [i / 10 for i in range(t)]
    assert [e.payload["rating"] for e in data.events if e.kind is EventKind.PAIN] == [3]
    assert not kept.exists()


def test_finish_on_a_locked_file_spills_then_saves_when_freed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sessions.sqlite3")
    rec = begin(store)
    rec.flush_timeout_ms = 20
    with LockHolder(store.path):
        for i in range(300):
            rec.add_sample(pod(i / 10))
        assert not rec.finish("user", 30.0)
        [kept] = spill.read(store.path, rec.session_id)
        assert kept.path == spill.candidates(store.path, rec.session_id)[0]  # beside the file
        assert len(kept.samples) == 300 and kept.end_reason == "user"
        assert not rec.finish("user", 30.0)  # still locked: still held, still kept
    assert rec.finish("user", 30.0)
    assert spill.read(store.path, rec.session_id) == []
    info = store.session_info(rec.session_id)
    assert info.ended_at is not None and info.duration_s == 30.0
    assert len(store.load_session(rec.session_id).samples) == 300
    store.close()


def test_overlapping_spills_and_rows_already_written_are_recovered_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sessions.sqlite3")
    rec = begin(store)
    rec.flush_timeout_ms = 20
    for i in range(50):
        rec.add_sample(pod(i / 10))
    assert rec.flush()  # 0.0 .. 4.9 in the database
    rec.leave_for_recovery()  # quit with nothing held
    rows = [(i / 10, "footpod", 172.0, 3.1, None, 3.1 * i / 10, None, None, "pod")
            for i in range(30, 90)]
    # a stale copy beside the file and a newer one elsewhere, both overlapping the database
    path = spill.candidates(store.path, rec.session_id)
    assert spill.write(store.path, rec.session_id, rows[:40], []) == path[0]
    path[1].parent.mkdir(parents=True)
    path[1].write_bytes(path[0].read_bytes())
    spill.write(store.path, rec.session_id, rows, [(8.0, "mark", '{"kind": "x"}')])
    store.close()
    with Store.open(tmp_path / "sessions.sqlite3") as later:
        later.recover(rec.session_id)
        data = later.load_session(rec.session_id)
    assert [s.t_s for s in data.samples] == [i / 10 for i in range(90)]
    assert [e.payload for e in data.events if e.kind is EventKind.MARK] == [{"kind": "x"}]
    assert all(not p.exists() for p in path)


_HOLDING_CHILD = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store
store = Store.open(Path(sys.argv[1]))
rec = store.begin_session(profile_name="k", runner_name="T", program="continuous",
                          program_week=1, started_at=datetime.now(UTC), treadmill=True,
                          shoe_name="")
rec.flush_timeout_ms = 20
print("SESSION", rec.session_id, flush=True)
sys.stdin.readline()  # the parent has locked the file
t0 = time.perf_counter()
i = 0
while True:
    t_s = i / 10
    time.sleep(max(0.0, t0 + t_s - time.perf_counter()))
    rec.add_sample(Sample(t_s, SensorRole.FOOTPOD, cadence_spm=170.0, sensor_id="pod"))
    print("S", t_s, flush=True)
    if i % 10 == 9:
        rec.flush()
    i += 1
"""


@pytest.mark.slow
def test_a_kill_while_the_file_is_locked_loses_at_most_the_spill_period(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-c", _HOLDING_CHILD, str(db)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline().startswith("SESSION")
    with LockHolder(db):
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(7.3)
        os.kill(proc.pid, signal.SIGKILL)
        out = proc.stdout.read()
        proc.wait(timeout=30)
    proc.stdin.close()
    proc.stdout.close()
    handed = [float(line.split()[1]) for line in out.splitlines() if line.startswith("S ")]
    assert handed[-1] > 6.0
    with Store.open(db) as later:
        [cut] = later.unfinished_sessions()
        later.recover(cut.session_id)
        times = [s.t_s for s in later.load_session(cut.session_id).samples]
    assert times == handed[: len(times)], "a gap or a sample that was never handed over"
    assert handed[-1] - times[-1] <= SPILL_EVERY_S + 1.5
