"""A confirmed pain rating survives a full disk and a SIGKILL (or the screen learns at once).

Real faults: the database lives on a real 600 kB tmpfs that is filled to the
last page while a real recording process runs; the process is then SIGKILLed,
the disk freed and the session recovered. Every rating that ``add_pain``
confirmed must be in the recovered session exactly once. Where no tmpfs can be
mounted (not root, or no mount permission), the child caps its own file sizes
with RLIMIT_FSIZE instead, which covers the first case only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cadence.model.session import EventKind
from cadence.store import pain_journal
from cadence.store.store import Store

from .test_crash import child_env

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "support" / "pain_child.py"
CHUNK = 4096


@dataclass
class Disk:
    root: Path
    tmpfs: bool  # False: the RLIMIT_FSIZE fallback on the ordinary disk
    chunks: list[Path]

    def fill(self, leave_bytes: int = 0) -> None:
        """Write ballast until the disk takes no more, then free ``leave_bytes`` of it."""
        ballast = self.root / "ballast"
        ballast.mkdir(exist_ok=True)
        while True:
            chunk = ballast / f"{len(self.chunks)}"
            try:
                chunk.write_bytes(b"\xa5" * CHUNK)
            except OSError:
                chunk.unlink(missing_ok=True)
                break
            self.chunks.append(chunk)
            assert len(self.chunks) < 10_000, "the disk never filled"
        while leave_bytes > 0:
            self.chunks.pop().unlink()
            leave_bytes -= CHUNK

    def free(self) -> None:
        while self.chunks:
            self.chunks.pop().unlink()


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    mounted = False
    # CADENCE_TEST_NO_TMPFS=1 exercises the RLIMIT_FSIZE fallback on a machine that could mount
    if os.geteuid() == 0 and not os.environ.get("CADENCE_TEST_NO_TMPFS"):
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)],
                                capture_output=True, text=True)
        mounted = result.returncode == 0
    try:
        yield Disk(mnt, mounted, [])
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mnt)], check=False)


def needs_tmpfs(disk: Disk) -> None:
    if not disk.tmpfs:
        pytest.skip("needs a real small filesystem (mount -t tmpfs needs root); "
                    "RLIMIT_FSIZE can't make a disk full before a session starts")


@dataclass
class Run:
    confirmed: list[tuple[float, int]]
    refused: list[tuple[float, int]]
    flush_failed: bool


def record_and_kill(disk: Disk, tmp_path: Path, env: dict[str, str], *, fill_at_start: int | None,
                    ratings: int = 6) -> tuple[Path, Run]:
    """Record on ``disk``, fill it (before the session, or during), rate pain, SIGKILL."""
    db = disk.root / "sessions.sqlite3"
    Store.open(db).close()  # the schema, before the disk fills
    flag = tmp_path / "rate-now"  # on another filesystem than the full one
    if fill_at_start is not None:
        disk.fill(leave_bytes=fill_at_start)
    args = [sys.executable, str(CHILD), str(db), str(flag)]
    if not disk.tmpfs:
        args.append("rlimit")
    errors = (tmp_path / "child-stderr.txt").open("w")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    errors.close()
    assert proc.stdout is not None
    run = Run([], [], False)
    try:
        first = proc.stdout.readline()
        assert first.startswith("SESSION"), (tmp_path / "child-stderr.txt").read_text()
        while len(proc.stdout.readline().split()) != 3:  # a first flush
            pass
        if fill_at_start is None and disk.tmpfs:
            disk.fill()
        flag.touch()
        deadline = time.monotonic() + 60
        while len(run.confirmed) + len(run.refused) < ratings:
            assert time.monotonic() < deadline, "the child stopped rating"
            parts = proc.stdout.readline().split()
            if not parts:
                raise AssertionError((tmp_path / "child-stderr.txt").read_text())
            if parts[0] == "F" and parts[2] == "False":
                run.flush_failed = True
            if parts[0] == "P" and run.flush_failed:
                entry = (float(parts[1]), int(parts[2]))
                (run.confirmed if parts[3] == "True" else run.refused).append(entry)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.stdout.read()
        proc.stdout.close()
        proc.wait(timeout=30)
    return db, run


def recovered_pains(db: Path) -> list[tuple[float, int]]:
    with Store.open(db) as store:
        [cut] = store.unfinished_sessions()
        store.recover(cut.session_id)
        data = store.load_session(cut.session_id)
    return [(e.t_s, int(e.payload["rating"])) for e in data.events if e.kind is EventKind.PAIN]


def test_confirmed_ratings_survive_a_full_disk_and_a_kill(disk: Disk, tmp_path: Path) -> None:
    """The disk fills mid-run; even the fallback folder is on the full disk: the space
    reserved beside the database when the session began takes the ratings."""
    env = dict(child_env(), CADENCE_FALLBACK_DIR=str(disk.root / "fallback"))
    db, run = record_and_kill(disk, tmp_path, env, fill_at_start=None)
    assert run.flush_failed  # the database really could not be written
    assert len(run.confirmed) == 6 and run.refused == []
    journal = pain_journal.journal_path(db, 1)
    assert journal.stat().st_size == pain_journal.RESERVE_BYTES  # written inside the reservation
    assert not (disk.root / "fallback").exists() or not any((disk.root / "fallback").iterdir())
    disk.free()
    pains = recovered_pains(db)
    stored_once = sorted(set(pains)) == sorted(pains)
    assert stored_once, pains  # none duplicated
    assert [p for p in run.confirmed if p not in pains] == []  # none lost
    assert list(disk.root.glob("*.jsonl")) == []  # recovery cleared the journal


def test_a_disk_full_before_the_start_sends_ratings_to_another_filesystem(
    disk: Disk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No room for the reservation at start: it goes to the fallback folder instead."""
    needs_tmpfs(disk)
    fallback = tmp_path / "runtime"  # the ordinary disk, not the full tmpfs
    monkeypatch.setenv("CADENCE_FALLBACK_DIR", str(fallback))  # the next start, recovering
    env = dict(child_env(), CADENCE_FALLBACK_DIR=str(fallback))
    db, run = record_and_kill(disk, tmp_path, env, fill_at_start=48 * 1024)
    assert run.flush_failed and len(run.confirmed) == 6 and run.refused == []
    assert not pain_journal.journal_path(db, 1).exists()  # no 0-byte file left beside it
    [kept] = list(fallback.iterdir())
    assert kept.stat().st_size == pain_journal.RESERVE_BYTES
    disk.free()
    pains = recovered_pains(db)
    assert sorted(set(pains)) == sorted(pains)
    assert [p for p in run.confirmed if p not in pains] == []
    assert list(fallback.iterdir()) == []  # recovery read it and removed it


def test_when_nowhere_can_take_a_rating_the_caller_learns_at_once(
    disk: Disk, tmp_path: Path
) -> None:
    needs_tmpfs(disk)
    env = dict(child_env(), CADENCE_FALLBACK_DIR=str(disk.root / "fallback"))
    _db, run = record_and_kill(disk, tmp_path, env, fill_at_start=48 * 1024, ratings=3)
    assert run.flush_failed
    assert run.confirmed == [] and len(run.refused) == 3  # add_pain said False, at once
