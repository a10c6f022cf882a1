"""The recorder against real SQLite trouble: a locked file, a full database, a full disk."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord
from cadence.store import pain_journal
from cadence.store.db import StoreError
from cadence.store.pain_journal import journal_path
from cadence.store.recorder import SessionRecorder
from cadence.store.recorder_status import RecorderHealth, RecorderStatus
from cadence.store.store import Store

START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def begin(store: Store, **kw: object) -> SessionRecorder:
    return store.begin_session(profile_name="p", runner_name="Ana", program="continuous",
                               program_week=1, started_at=START, treadmill=True,
                               shoe_name="", **kw)  # type: ignore[arg-type]


def pod(t_s: float, cadence: float = 172.0) -> Sample:
    return Sample(t_s, SensorRole.FOOTPOD, cadence_spm=cadence, speed_mps=3.1,
                  distance_m=3.1 * t_s, sensor_id="pod")


def count(path: Path, table: str) -> int:
    """Rows visible to a separate connection: what is really committed on disk."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_samples_round_trip_with_missing_fields(store: Store) -> None:
    rec = begin(store)
    written = [pod(0.0), Sample(0.5, SensorRole.HEART_RATE, hr_bpm=141, sensor_id="strap"),
               Sample(1.0, SensorRole.TREADMILL, speed_mps=2.9, incline_pct=1.5,
                      distance_m=12.0, stride_length_m=None),
               Sample(1.2, SensorRole.TAP, cadence_spm=168.5)]
    for s in written:
        rec.add_sample(s)
    rec.add_event(EventRecord(0.2, EventKind.TEMPO, {"bpm": 171.0, "reason": "x"}))
    assert rec.flush()
    data = store.load_session(rec.session_id)
    assert data.samples == tuple(written)
    assert data.events == (EventRecord(0.2, EventKind.TEMPO, {"bpm": 171.0, "reason": "x"}),)


def test_samples_wait_for_flush_but_pain_is_on_disk_at_once(store: Store) -> None:
    rec = begin(store)
    for i in range(5):
        rec.add_sample(pod(i / 10))
    assert count(store.path, "samples") == 0
    assert rec.add_pain(0.5, 2, prompt_id=4)
    conn = sqlite3.connect(store.path)
    payloads = conn.execute("SELECT kind, payload FROM events").fetchall()
    conn.close()
    assert payloads == [("pain", '{"rating": 2, "prompt_id": 4, "when": "during"}')]
    assert count(store.path, "samples") == 5  # the same commit took what was held


def test_locked_database_holds_data_and_catches_up(store: Store) -> None:
    statuses: list[RecorderStatus] = []
    store.close()
    store = Store.open(store.path, busy_timeout_ms=50)
    rec = begin(store, on_status=statuses.append)
    rec.add_sample(pod(0.0))
    assert rec.flush()

    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for i in range(1, 31):
            rec.add_sample(pod(i / 10))
            if i % 10 == 0:
                assert not rec.flush()
        assert rec.health is RecorderHealth.HOLDING
        assert rec.last_error is not None
        assert "locked" in rec.last_error and str(store.path) in rec.last_error
        assert "\n" not in rec.last_error
        # the database can't take it: the rating goes to the fsynced journal instead
        assert rec.add_pain(3.0, 1, prompt_id=1)
        journal = journal_path(store.path, rec.session_id)
        assert '"rating": 1' in journal.read_text()
        assert rec.status().held_samples == 30 and rec.status().held_events == 1
        assert [s.health for s in statuses] == [RecorderHealth.HOLDING]
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert rec.flush()
    assert rec.health is RecorderHealth.OK and rec.last_error is None
    # its rating is in the database now; the journal keeps its reserved space, empty
    assert pain_journal.read(store.path, rec.session_id) == []
    assert journal.stat().st_size == pain_journal.RESERVE_BYTES
    assert [s.health for s in statuses] == [RecorderHealth.HOLDING, RecorderHealth.OK]
    data = store.load_session(rec.session_id)
    assert [s.t_s for s in data.samples] == [i / 10 for i in range(31)]
    assert [e.payload["rating"] for e in data.events if e.kind is EventKind.PAIN] == [1]
    store.close()


def test_full_database_holds_data_until_there_is_room(store: Store) -> None:
    """SQLite's own size limit (max_page_count) gives a real SQLITE_FULL on this file."""
    rec = begin(store)
    conn = store.connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    t = 0
    while rec.flush():  # write until the file can't grow
        for _ in range(200):
            rec.add_sample(pod(t / 10))
            t += 1
        assert t < 100_000, "the size limit never bit"
    assert rec.health is RecorderHealth.HOLDING
    assert rec.last_error is not None and rec.last_error.startswith("disk full")
    for _ in range(500):  # the session keeps running
        rec.add_sample(pod(t / 10))
        t += 1
    assert not rec.flush()
    conn.execute("PRAGMA max_page_count = 1000000")  # room again
    assert rec.flush() and rec.health is RecorderHealth.OK
    times = [s.t_s for s in store.load_session(rec.session_id).samples]
    assert times == [i / 10 for i in range(t)]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB tmpfs; needs root (mount), skipped elsewhere."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"can't mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_real_full_disk_holds_data_until_space_is_freed(tiny_disk: Path) -> None:
    store = Store.open(tiny_disk / "sessions.sqlite3")
    rec = begin(store)
    ballast = tiny_disk / "ballast"
    ballast.write_bytes(b"\0" * (700 * 1024))  # most of the disk, freed later
    t = 0
    while rec.flush():
        for _ in range(200):
            rec.add_sample(pod(t / 10))
            t += 1
        assert t < 200_000, "the disk never filled"
    assert rec.health is RecorderHealth.HOLDING
    assert rec.last_error is not None
    assert rec.last_error.startswith(("disk full", "disk error")), rec.last_error
    for _ in range(300):
        rec.add_sample(pod(t / 10))
        t += 1
    assert not rec.flush()
    ballast.unlink()
    assert rec.flush(), rec.last_error
    assert rec.finish("user", t / 10)
    times = [s.t_s for s in store.load_session(rec.session_id).samples]
    assert times == [i / 10 for i in range(t)]
    store.close()


def test_hold_is_bounded_and_drops_the_oldest(store: Store) -> None:
    rec = begin(store, max_held_samples=100)
    other = sqlite3.connect(store.path, isolation_level=None)
    store.connection.execute("PRAGMA busy_timeout = 20")
    other.execute("BEGIN EXCLUSIVE")
    for i in range(150):
        rec.add_sample(pod(i / 10))
    assert not rec.flush()
    status = rec.status()
    assert status.held_samples <= 100 and status.dropped_samples == 150 - status.held_samples
    other.execute("ROLLBACK")
    other.close()
    assert rec.flush()
    times = [s.t_s for s in store.load_session(rec.session_id).samples]
    assert times == [i / 10 for i in range(status.dropped_samples, 150)]


def test_finish_marks_the_session_and_caches_its_headline(store: Store) -> None:
    rec = begin(store)
    for i in range(600):
        rec.add_sample(pod(i / 10))
    assert rec.finish("user", 60.0)
    info = store.session_info(rec.session_id)
    assert info.end_reason == "user" and info.duration_s == 60.0
    assert info.ended_at == datetime(2026, 11, 20, 18, 1, tzinfo=UTC)
    assert rec.health is RecorderHealth.FINISHED
    assert count(store.path, "session_headline") == 1
    assert store.unfinished_sessions(include_live=True) == []
    with pytest.raises(StoreError):
        rec.add_sample(pod(61.0))
    assert rec.finish("user", 60.0)  # idempotent


def test_the_same_pain_answer_is_recorded_once(store: Store) -> None:
    from cadence.coach.actions import Mark

    rec = begin(store)
    assert rec.add_pain(10.0, 2, prompt_id=3)
    rec.add_action(10.0, Mark("pain", {"rating": 2, "prompt_id": 3}))  # the coach's echo
    rec.add_pain(20.0, 1, prompt_id=None)
    assert rec.flush()
    pains = [e for e in store.load_session(rec.session_id).events if e.kind is EventKind.PAIN]
    assert [(e.t_s, e.payload["rating"]) for e in pains] == [(10.0, 2), (20.0, 1)]


def test_bad_pain_values_are_refused(store: Store) -> None:
    rec = begin(store)
    with pytest.raises(ValueError):
        rec.add_pain(1.0, 11, prompt_id=None)
    with pytest.raises(ValueError):
        rec.add_pain(1.0, 2, prompt_id=None, when="yesterday")


def test_recorder_and_store_work_from_worker_threads(store: Store) -> None:
    """The live app records on its loop and loads summaries from thread workers."""
    import threading

    rec = begin(store)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for i in range(100):
                rec.add_sample(pod(i / 10))
                if i % 10 == 9:
                    assert rec.flush()
                    store.load_session(rec.session_id)
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=60)
    assert errors == []
    assert len(store.load_session(rec.session_id).samples) == 100


def test_finish_on_a_locked_database_can_be_retried(store: Store) -> None:
    rec = begin(store)
    for i in range(50):
        rec.add_sample(pod(i / 10))
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert not rec.finish("user", 5.0)
        assert rec.health is RecorderHealth.HOLDING and rec.last_error is not None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert rec.finish("user", 5.0)
    info = store.session_info(rec.session_id)
    assert (info.end_reason, info.duration_s) == ("user", 5.0)
    assert len(store.load_session(rec.session_id).samples) == 50


def test_adding_never_waits_for_a_write_in_progress(store: Store) -> None:
    """A flush writes a swapped-out batch outside the recorder's buffer lock: while its
    transaction waits on a locked file, the UI loop's add_sample returns at once, and when
    the write fails what came in meanwhile is kept behind the batch, in order."""
    import threading
    import time

    rec = begin(store)
    rec.flush_timeout_ms = 1500
    for i in range(10):
        rec.add_sample(pod(i / 10))
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    results: list[bool] = []
    flusher = threading.Thread(target=lambda: results.append(rec.flush()))
    flusher.start()
    time.sleep(0.3)  # the flush is now waiting for the lock inside its transaction
    t0 = time.perf_counter()
    for i in range(10, 20):
        rec.add_sample(pod(i / 10))
    waited_s = time.perf_counter() - t0
    assert flusher.is_alive(), "the flush should still be waiting on the locked file"
    flusher.join()
    assert waited_s < 0.2, waited_s
    assert results == [False] and rec.health is RecorderHealth.HOLDING
    assert rec.status().held_samples == 20
    other.execute("ROLLBACK")
    other.close()
    assert rec.flush()
    times = [s.t_s for s in store.load_session(rec.session_id).samples]
    assert times == [i / 10 for i in range(20)]
