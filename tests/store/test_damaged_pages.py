"""Damage inside the data pages of a real session database, then every store command.

The file is a real one (sessions recorded through the real recorder, then
checkpointed), damaged the way a failing disk or a bad copy does it: page
headers overwritten, cell areas zeroed, bytes flipped at random inside the
pages of each table and index. Every command that opens the store must then
end in one line and exit 2 (or, where the damage missed everything it reads,
work normally), never a traceback, and never write a byte into the file.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cadence.store.db import MIGRATIONS, DamagedStore
from cadence.store.store import Store
from support.cli import run_cadence

from .builders import KNOWN_START, days, record_known_session, simple_run
from .test_crash import child_env
from .test_recovery import abandoned_session

ROOT = Path(__file__).resolve().parents[2]
BATCH = ROOT / "tests" / "support" / "cli_batch.py"
PAGE = 4096


def build(path: Path) -> dict[str, list[int]]:
    """A store with finished, unfinished and cached sessions; btree name -> its pages."""
    with Store.open(path) as store:
        record_known_session(store)
        simple_run(store, KNOWN_START + days(2), 20, 172.0)
        simple_run(store, KNOWN_START + days(4), 15, 176.0)
    abandoned_session(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages: dict[str, list[int]] = {}
    for name, pageno in conn.execute("SELECT name, pageno FROM dbstat ORDER BY pageno"):
        pages.setdefault(name, []).append(int(pageno))
    assert int(conn.execute("PRAGMA page_size").fetchone()[0]) == PAGE
    conn.close()
    return pages


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[int]]]:
    path = tmp_path_factory.mktemp("pristine") / "sessions.sqlite3"
    return path, build(path)


def damage_page(data: bytearray, pageno: int, how: str, rng: random.Random) -> None:
    start = (pageno - 1) * PAGE + (100 if pageno == 1 else 0)
    end = pageno * PAGE
    if how == "header":  # the b-tree page header: type, free block, cell count, content start
        data[start : start + 12] = b"\xff" * 12
    elif how == "cells":  # the cell content area
        data[end - 1024 : end - 256] = bytes(768)
    elif how == "pointers":  # the cell pointer array: cells point into nowhere
        data[start + 12 : start + 44] = bytes(rng.randrange(256) for _ in range(32))
    else:  # "flips": a handful of random bits anywhere in the page
        for _ in range(16):
            data[rng.randrange(start, end)] ^= 1 << rng.randrange(8)


def kinds(pages: dict[str, list[int]]) -> Iterator[tuple[str, str, int, int]]:
    """(btree, how, page, seed): targeted damage to every b-tree, then seeded random flips."""
    for name in sorted(pages):
        for how in ("header", "cells", "pointers"):
            yield name, how, pages[name][len(pages[name]) // 2], 0
    rng = random.Random(1414)
    names = sorted(pages)
    for seed in range(24):
        name = rng.choice(names)
        yield name, "flips", rng.choice(pages[name]), seed


def commands(db: Path, out: Path) -> list[list[str]]:
    d = ["--db", str(db)]
    return [["summary", *d], ["summary", "1", "--json", *d], ["summary", "4", *d],
            ["history", *d], ["history", "--json", *d],
            ["export", "1", "-o", str(out / "one.csv"), *d],
            ["export", "last", "-o", str(out / "last.tcx"), *d],
            ["recover", *d], ["recover", "--all", *d]]


def sqlite_sees_damage(db: Path, data: bytes) -> bool:
    """Whether SQLite's own checks find the damage (on a copy: the file is evidence).

    Damage that only changes values, or lands in free space, passes them; there
    a command may write (``recover`` ends the cut-off session, a summary rewrites
    its cache row). Where SQLite sees the damage, nothing may write a byte.
    """
    copy = db.with_name("check-copy.sqlite3")
    copy.write_bytes(data)
    try:
        conn = sqlite3.connect(copy)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True
    finally:
        copy.unlink()
        for extra in ("-wal", "-shm"):
            copy.with_name(copy.name + extra).unlink(missing_ok=True)
    return [r[0] for r in rows] != ["ok"]


def run_batch(lines: list[list[str]], work: Path) -> list[dict[str, object]]:
    todo = work / "lines.json"
    todo.write_text(json.dumps(lines))
    done = subprocess.run([sys.executable, str(BATCH), str(todo)], capture_output=True,
                          text=True, env=child_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_every_command_on_every_kind_of_damage(
    pristine: tuple[Path, dict[str, list[int]]], tmp_path: Path
) -> None:
    source, pages = pristine
    cases = []
    bytes_of: list[bytes] = []
    lines: list[list[str]] = []
    for n, (name, how, pageno, seed) in enumerate(kinds(pages)):
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        db = folder / "sessions.sqlite3"
        data = bytearray(source.read_bytes())
        damage_page(data, pageno, how, random.Random(seed))
        db.write_bytes(bytes(data))
        cases.append((name, how, pageno, db, hashlib.sha256(data).hexdigest()))
        bytes_of.append(bytes(data))
        lines += commands(db, folder)
    results = run_batch(lines, tmp_path)
    per_case = len(commands(source, tmp_path))
    failures = []
    refused = 0
    for i, (name, how, pageno, db, digest) in enumerate(cases):
        for r in results[i * per_case : (i + 1) * per_case]:
            err = str(r["stderr"])
            what = f"{how} in {name} page {pageno}: cadence {' '.join(r['argv'][:2])}"
            if "Traceback" in err or r["code"] not in (0, 2):
                failures.append(f"{what}: exit {r['code']}\n{err[-600:]}")
            elif r["code"] == 2:
                refused += 1
                lines_ = err.strip().splitlines()
                if len(lines_) != 1 or r["stdout"]:
                    failures.append(f"{what}: not one line: {err!r}")
        written = hashlib.sha256(db.read_bytes()).hexdigest() != digest
        if written and sqlite_sees_damage(db, bytes_of[i]):
            failures.append(f"{how} in {name} page {pageno}: the damaged file was written to")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:12])
    assert refused > len(cases)  # the damage was real: many commands refused the file


def damaged_copy(pristine: tuple[Path, dict[str, list[int]]], folder: Path, table: str) -> Path:
    """The store with the page header of every one of ``table``'s pages overwritten."""
    source, pages = pristine
    data = bytearray(source.read_bytes())
    for pageno in pages[table]:
        damage_page(data, pageno, "header", random.Random(0))
    db = folder / "sessions.sqlite3"
    db.write_bytes(bytes(data))
    return db


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("table", ["samples", "sessions"])
def test_through_the_real_cli_one_line_exit_2_untouched(
    pristine: tuple[Path, dict[str, list[int]]], tmp_path: Path, table: str
) -> None:
    """Damage every one of these commands walks into (``recover`` checks the whole file)."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = damaged_copy(pristine, folder, table)
    before = snapshot(folder)
    for argv in (["summary"], ["history"], ["export", "1", "-o", str(tmp_path / "x.fit")],
                 ["recover", "--all"]):
        result = run_cadence(*argv, "--db", str(db), env=child_env())
        assert result.returncode == 2, result
        assert "Traceback" not in result.stderr and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"cadence: error: {db}: the session database is damaged")
        assert f"keep a copy of {db} before anything else" in lines[0]
        assert snapshot(folder) == before  # not a byte written, no file left beside it
    assert not (tmp_path / "x.fit").exists()


def test_a_session_is_never_begun_in_a_damaged_file(
    pristine: tuple[Path, dict[str, list[int]]], tmp_path: Path
) -> None:
    """What ``cadence demo``/``run`` do first: open the store and begin the session row."""
    db = damaged_copy(pristine, tmp_path, "samples")
    before = db.read_bytes()
    with Store.open(db) as store, pytest.raises(DamagedStore, match="keep a copy"):
        store.begin_session(profile_name="p", runner_name="Ana", program="continuous",
                            program_week=1, started_at=KNOWN_START, treadmill=True,
                            shoe_name="")
    assert db.read_bytes() == before


def test_opening_an_old_damaged_file_never_migrates_it(tmp_path: Path) -> None:
    """A file from before WAL mode and schema 3: opening it would write; it is checked first."""
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    for statement in MIGRATIONS[0].statements:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.executemany("INSERT INTO samples (session_id, t_s, role) VALUES (1, ?, 'footpod')",
                     [(float(t),) for t in range(3000)])
    conn.commit()
    leaf = [p for n, p in conn.execute("SELECT name, pageno FROM dbstat") if n == "samples"]
    conn.close()
    data = bytearray(db.read_bytes())
    damage_page(data, leaf[len(leaf) // 2], "header", random.Random(0))
    db.write_bytes(bytes(data))
    with pytest.raises(DamagedStore):
        Store.open(db).close()
    assert db.read_bytes() == bytes(data)
