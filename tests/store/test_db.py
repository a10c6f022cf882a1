"""Opening the store: folders, WAL, schema versions and migrations, files that are not ours."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadence.store.db import MIGRATIONS, SCHEMA_VERSION, StoreError, migrate
from cadence.store.paths import DB_FILENAME, ENV_DATA_DIR, resolve_db_path
from cadence.store.store import Store

from .builders import simple_run


def test_open_creates_folders_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "sessions.sqlite3"
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.list_sessions() == []
    other = sqlite3.connect(path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    other.close()


def test_reopen_keeps_sessions(db_path: Path) -> None:
    with Store.open(db_path) as store:
        sid = simple_run(store, datetime(2026, 11, 1, tzinfo=UTC), 1, 172.0)
    with Store.open(db_path) as store:
        assert [i.session_id for i in store.list_sessions()] == [sid]
        assert len(store.load_session(sid).samples) == 61


def _assert_untouched(path: Path, content: bytes) -> None:
    assert path.read_bytes() == content
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "content",
    [b"this is my running diary, not a database\n" * 50, bytes(range(256)) * 20],
    ids=["text", "binary"],
)
def test_non_sqlite_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    _assert_untouched(path, content)


def test_damaged_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    with Store.open(path) as store:
        simple_run(store, datetime(2026, 11, 1, tzinfo=UTC), 1, 172.0)
    for extra in tmp_path.glob("sessions.sqlite3-*"):
        extra.unlink()  # closed cleanly: the WAL is checkpointed; drop the empty leftovers
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # overwrite the schema page after the header
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    _assert_untouched(path, bytes(raw))


def test_someone_elses_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a cadence session database"):
        Store.open(path)
    _assert_untouched(path, before)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer cadence"):
        Store.open(path)


def test_missing_file_without_create_is_not_made(tmp_path: Path) -> None:
    path = tmp_path / "none" / "sessions.sqlite3"
    with pytest.raises(StoreError, match="no session database"):
        Store.open(path, create=False)
    assert not (tmp_path / "none").exists()


def test_folder_path_means_default_name_inside(tmp_path: Path) -> None:
    assert resolve_db_path(tmp_path) == tmp_path / DB_FILENAME


def test_env_override_and_explicit_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    assert resolve_db_path(None) == tmp_path / "env" / DB_FILENAME
    assert resolve_db_path(tmp_path / "x.db") == tmp_path / "x.db"
    with Store.open() as store:
        assert store.path == tmp_path / "env" / DB_FILENAME
    assert (tmp_path / "env" / DB_FILENAME).exists()


def test_migration_from_version_1_keeps_data(tmp_path: Path) -> None:
    """A file written by the first schema (no band columns, no headline cache) upgrades."""
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, MIGRATIONS[:1]) == 1
    conn.execute(
        "INSERT INTO sessions (id, started_at, ended_at, duration_s, profile_name, runner_name,"
        " program, program_week, end_reason) VALUES (1, '2026-10-01T07:00:00.000000+00:00',"
        " '2026-10-01T07:01:00.000000+00:00', 60, 'old', 'Ana', 'continuous', 3, 'user')"
    )
    conn.executemany(
        "INSERT INTO samples (session_id, t_s, role, cadence_spm, distance_m) "
        "VALUES (1, ?, 'footpod', 175.0, ?)",
        [(float(t), 3.0 * t) for t in range(61)],
    )
    conn.execute("INSERT INTO events (session_id, t_s, kind, payload) "
                 "VALUES (1, 0, 'tempo', '{\"bpm\": 175.0, \"reason\": \"start\"}')")
    conn.close()

    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        data = store.load_session(1)
        assert (data.info.band_low_spm, data.info.band_high_spm) == (170.0, 180.0)
        assert data.info.program_week == 3 and len(data.samples) == 61
        [headline] = store.headlines()  # computed on demand, then cached
        assert headline.avg_cadence_spm == pytest.approx(175.0)
        assert headline.distance_m == pytest.approx(180.0)
        cached = store.connection.execute("SELECT count(*) FROM session_headline").fetchone()
        assert cached[0] == 1
        # a new session on the migrated file works as usual
        sid = simple_run(store, datetime(2026, 11, 1, tzinfo=UTC), 1, 170.0)
        assert [i.session_id for i in store.list_sessions()] == [1, sid]


def test_migrations_are_ordered_and_reach_the_current_version() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(versions) == list(range(1, SCHEMA_VERSION + 1))
