"""SIGKILL a real recording process at random moments; check what survived on disk.

The child (tests/support/store_child.py) records 10 Hz samples through the real
recorder, flushing every second of session time, and reports on stdout what it
had handed over and which pain ratings were confirmed. The promise checked here:
everything up to within 2 s of the last sample handed over is on disk, with no
gaps, and every confirmed pain rating is there. Then the session is recovered.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cadence.model.sample import SensorRole
from cadence.model.session import EventKind
from cadence.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "support" / "store_child.py"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    return env


def start_child(db: Path, pace: float) -> subprocess.Popen[str]:
    errors = (db.parent / "child-stderr.txt").open("w")
    proc = subprocess.Popen([sys.executable, str(CHILD), str(db), str(pace)],
                            stdout=subprocess.PIPE, stderr=errors, text=True, env=child_env())
    errors.close()
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("SESSION"), (db.parent / "child-stderr.txt").read_text()
    return proc


def kill_and_collect(proc: subprocess.Popen[str]) -> tuple[list[float], list[tuple[float, int]]]:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.stdout is not None
    out = proc.stdout.read()  # to EOF: everything the child printed before it died
    proc.stdout.close()
    assert proc.wait(timeout=30) == -signal.SIGKILL
    handed: list[float] = []
    pains: list[tuple[float, int]] = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "S":
            handed.append(float(parts[1]))
        elif len(parts) == 3 and parts[0] == "P":
            pains.append((float(parts[1]), int(parts[2])))
    return handed, pains


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pace", "seed"), [(10.0, seed) for seed in range(8)] + [(1.0, 100), (1.0, 101)]
)
def test_sigkill_loses_at_most_two_seconds(tmp_path: Path, pace: float, seed: int) -> None:
    rng = random.Random(seed)
    db = tmp_path / "sessions.sqlite3"
    proc = start_child(db, pace)
    time.sleep(rng.uniform(0.3, 3.0) if pace > 1 else rng.uniform(1.5, 4.5))
    handed, pains = kill_and_collect(proc)
    assert handed, "the child recorded nothing before the kill"

    with Store.open(db) as store:
        [cut] = store.unfinished_sessions()  # the killed recorder's lock died with it
        data = store.load_session(cut.session_id)
        stored = [s.t_s for s in data.samples if s.role is SensorRole.FOOTPOD]
        # no gaps: exactly the first N samples handed over, in order
        assert stored == handed[: len(stored)]
        last_handed = handed[-1]
        last_stored = stored[-1] if stored else -0.1
        assert last_handed - last_stored <= 2.0 + 1e-9, (last_handed, last_stored)
        stored_pain = [(e.t_s, e.payload["rating"]) for e in data.events
                       if e.kind is EventKind.PAIN]
        assert [p for p in pains if p not in stored_pain] == []

        info = store.recover(cut.session_id)
        assert info.end_reason == "recovered" and info.recovered
        expected_end = max([last_stored] + [t for t, _ in stored_pain])
        assert info.duration_s == pytest.approx(expected_end)
        assert store.unfinished_sessions() == []
        [headline] = store.headlines()
        assert headline.end_reason == "recovered"


LOCKED_PAIN_CHILD = """
import sys, time
from datetime import datetime, UTC
from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store
store = Store.open(sys.argv[1], busy_timeout_ms=100)
rec = store.begin_session(profile_name='p', runner_name='Ana', program='c', program_week=1,
    started_at=datetime(2026, 11, 20, 18, 0, tzinfo=UTC), treadmill=False, shoe_name='')
for i in range(20):
    rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=174.0))
rec.flush()
print('READY', flush=True)
sys.stdin.readline()
for i in range(20, 30):
    rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=174.0))
print('PAIN', rec.add_pain(2.9, 3, prompt_id=7), rec.health, flush=True)
time.sleep(60)
"""


def test_pain_entered_while_the_database_is_locked_survives_a_kill(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "sessions.sqlite3"
    proc = subprocess.Popen([sys.executable, "-c", LOCKED_PAIN_CHILD, str(db)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=child_env())
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().split() == ["PAIN", "True", "holding"]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        other.execute("ROLLBACK")
        other.close()
        proc.stdin.close()
        proc.stdout.close()
    with Store.open(db) as store:
        [cut] = store.unfinished_sessions()
        info = store.recover(cut.session_id)
        pains = [(e.t_s, e.payload["rating"]) for e in store.load_session(cut.session_id).events
                 if e.kind is EventKind.PAIN]
        assert pains == [(2.9, 3)]
        assert info.duration_s == pytest.approx(2.9)
    assert list(tmp_path.glob("*.jsonl")) == []
