"""Opening the session database safely, and bringing its schema up to date.

Why it is careful: this file holds every run the user has recorded. Opening a
file that is not ours (or is damaged) must fail with one line naming the file
and must not write a single byte to it, so the header is checked before SQLite
is allowed near it. Schema changes are a versioned list applied in order, each
in its own transaction with ``PRAGMA user_version`` bumped inside it, so a crash
part-way leaves the file at a known version.

Pragmas: WAL so readers (``cadence history`` in another terminal) never block the
live recorder; ``synchronous=FULL`` so a committed pain rating survives a power
cut as well as a killed process; a busy timeout so a brief lock from another
reader is waited out instead of failing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"

#: tables a cadence database has at the current version (used to tell ours from others)
CADENCE_TABLES = frozenset({"sessions", "samples", "events"})


class StoreError(Exception):
    """A problem with the session database, phrased for the user in one line."""


class SessionNotFound(StoreError):
    """The session asked for does not exist."""


class DamagedRow(Exception):
    """A row whose values can't be what cadence wrote (a damaged page that SQLite still reads)."""


class DamagedStore(StoreError):
    """The file is damaged: nothing may be written to it, and the runner should keep a copy."""


#: SQLite's result codes for a damaged file (``sqlite3.Error.sqlite_errorname``)
_DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX",
                           "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_VTAB"})


#: tables small enough for ``PRAGMA integrity_check(table)`` before each first write
_SMALL_TABLES = frozenset({"sessions", "events", "session_headline", "session_summary"})


def keep_copy_hint(path: Path) -> str:
    """How to keep the damaged file before anything else happens to it."""
    wal = path.with_name(path.name + "-wal")
    try:
        has_wal = wal.stat().st_size > 0  # an open reader leaves an empty one
    except OSError:
        has_wal = False
    files = f"{path} and {wal.name}" if has_wal else str(path)
    return (f"keep a copy of {files} before anything else (e.g. cp -p), then move it aside "
            "and cadence starts a new one")


def damaged(path: Path, detail: object) -> DamagedStore:
    """The one-line error for a damaged session database."""
    text = " ".join(str(detail).split()) or "failed its integrity check"
    return DamagedStore(f"{path}: the session database is damaged ({text}); nothing was "
                        f"written to it; {keep_copy_hint(path)}")


def is_damage(exc: BaseException) -> bool:
    """Whether an sqlite3 error means the file itself is damaged (not full, locked...)."""
    if isinstance(exc, DamagedRow):
        return True
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in _DAMAGE_CODES:
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def store_failure(path: Path, exc: BaseException) -> StoreError:
    """Any sqlite3 error (or ``DamagedRow``) on ``path`` as a one-line ``StoreError``."""
    if is_damage(exc):
        return damaged(path, exc)
    return StoreError(describe_write_failure(path, exc))


def path_of(conn: sqlite3.Connection) -> Path:
    """The file behind ``conn`` (its main database), for error lines."""
    try:
        return Path(str(conn.execute("PRAGMA database_list").fetchone()[2]))
    except sqlite3.Error:
        return Path("the session database")


def check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """``PRAGMA quick_check`` before writing: ``DamagedStore`` if any page is damaged.

    Done once per connection (its first write: a session begun, a session
    recovered, a cache row refreshed), so a command that records many sessions
    or recovers them all reads the file once, not once per session.

    Why before every first write and not at every open: it reads the whole file
    (about 15 ms for a store holding a 3-hour run, 0.3 s at 150 MB), which the
    read commands can't afford and don't need (they map errors as they meet
    them), while writing into a damaged b-tree can lose what is still readable.
    The small tables (a row or a few hundred per session) also get the full
    ``integrity_check``, which finds a row missing from an index; the samples
    table, nearly all of the file, only the page-level ``quick_check``.
    """
    if _checked(conn):
        return
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)")]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in sorted(_SMALL_TABLES & tables):  # these also against their indexes
            if problems == ["ok"]:
                problems = [str(r[0]) for r in conn.execute(f"PRAGMA integrity_check({table})")]
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(path, exc) from exc
        raise StoreError(describe_write_failure(path, exc)) from exc
    if problems != ["ok"]:
        raise damaged(path, "; ".join(p.splitlines()[-1] for p in problems[:2]))
    conn.create_function(_CHECKED_MARK, 0, lambda: 1)


#: an SQL function registered on a connection once its file passed ``check_intact``
#: (a connection object takes no attributes; its functions are its own state)
_CHECKED_MARK = "cadence_file_checked"


def _checked(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute(f"SELECT {_CHECKED_MARK}()").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Migration:
    version: int  # the user_version after this step
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "sessions, samples and events",
        (
            """CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                duration_s REAL NOT NULL DEFAULT 0,
                profile_name TEXT NOT NULL DEFAULT '',
                runner_name TEXT NOT NULL DEFAULT '',
                program TEXT NOT NULL DEFAULT '',
                program_week INTEGER NOT NULL DEFAULT 0,
                end_reason TEXT,
                recovered INTEGER NOT NULL DEFAULT 0,
                shoe_name TEXT NOT NULL DEFAULT '',
                treadmill INTEGER NOT NULL DEFAULT 0
            )""",
            """CREATE TABLE samples (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                t_s REAL NOT NULL,
                role TEXT NOT NULL,
                cadence_spm REAL,
                speed_mps REAL,
                hr_bpm INTEGER,
                distance_m REAL,
                incline_pct REAL,
                stride_length_m REAL,
                sensor_id TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX samples_by_session ON samples(session_id, t_s)",
            """CREATE TABLE events (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                t_s REAL NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL DEFAULT '{}'
            )""",
            "CREATE INDEX events_by_session ON events(session_id, t_s)",
        ),
    ),
    Migration(
        2,
        "target band per session and the headline cache for history",
        (
            "ALTER TABLE sessions ADD COLUMN band_low_spm REAL NOT NULL DEFAULT 170.0",
            "ALTER TABLE sessions ADD COLUMN band_high_spm REAL NOT NULL DEFAULT 180.0",
            """CREATE TABLE session_headline (
                session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
                summary_version INTEGER NOT NULL,
                headline TEXT NOT NULL
            )""",
            "CREATE INDEX sessions_by_start ON sessions(started_at)",
        ),
    ),
    Migration(
        3,
        "the whole summary cached per finished session (see summary_cache)",
        (
            """CREATE TABLE session_summary (
                session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
                summary_version INTEGER NOT NULL,
                summary TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        4,
        "the programme across sessions: readiness checks, follow-ups, professional visits "
        "and the runner's original cadence (see store.programme)",
        (
            """CREATE TABLE readiness (
                id INTEGER PRIMARY KEY,
                asked_at TEXT NOT NULL,
                pain INTEGER CHECK (pain IS NULL OR pain BETWEEN 0 AND 10),
                warning_signs TEXT NOT NULL DEFAULT '[]',
                skipped INTEGER NOT NULL DEFAULT 0,
                verdict TEXT NOT NULL DEFAULT '',
                session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL
            )""",
            "CREATE INDEX readiness_by_time ON readiness(asked_at)",
            """CREATE TABLE followups (
                session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                asked TEXT NOT NULL CHECK (asked IN ('1h', 'morning')),
                answered_at TEXT NOT NULL,
                pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
                PRIMARY KEY (session_id, asked)
            )""",
            """CREATE TABLE professional_seen (
                id INTEGER PRIMARY KEY,
                confirmed_at TEXT NOT NULL
            )""",
            """CREATE TABLE runner_cadence (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                original_spm REAL NOT NULL,
                source TEXT NOT NULL,
                session_id INTEGER,
                set_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        5,
        "music track analyses, keyed by path and checked against size and mtime "
        "(see store.music_cache)",
        (
            """CREATE TABLE music_tracks (
                path TEXT PRIMARY KEY,
                size_bytes INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                analyser_version INTEGER NOT NULL,
                duration_s REAL NOT NULL DEFAULT 0,
                tempo_bpm REAL NOT NULL DEFAULT 0,
                beats BLOB NOT NULL DEFAULT x'',
                problem TEXT NOT NULL DEFAULT '',
                analysed_at TEXT NOT NULL
            )""",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def _check_file(path: Path) -> bool:
    """Refuse anything that is not an SQLite file; True if the file exists with content."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a session database")
    if not path.exists():
        return False
    if not path.is_file():  # a FIFO would block the read below for good; a device never ends
        raise StoreError(f"{path}: not a regular file, so not a session database")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: can't read the session database ({exc.strerror})") from exc
    if not head:
        return False  # an empty file is an empty database
    if head != SQLITE_HEADER:
        raise StoreError(f"{path}: not a cadence session database (not an SQLite file)")
    return True


def connect(path: Path, *, create: bool = True, busy_timeout_ms: int = 1000) -> sqlite3.Connection:
    """Open ``path`` with the store's pragmas and the schema migrated to ``SCHEMA_VERSION``.

    Raises:
        StoreError: the file is missing (and ``create`` is false), is not SQLite, is
            damaged, or was written by a newer cadence. Nothing is written in those cases.
    """
    existed = _check_file(path)
    if not existed and not create:
        raise StoreError(f"{path}: no session database here yet (no sessions recorded)")
    if not existed:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{path.parent}: can't create the data folder ({exc.strerror})"
            ) from exc
    try:
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: can't open the session database ({exc})") from exc
    try:
        version = _inspect(conn, path)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if existed and (mode != "wal" or version < SCHEMA_VERSION):
            check_intact(conn, path)  # both of these write into the file
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, MIGRATIONS)
    except StoreError:
        conn.close()
        _forget_new(path, existed)
        raise
    except sqlite3.Error as exc:
        conn.close()
        _forget_new(path, existed)
        raise store_failure(path, exc) from exc
    return conn


def _forget_new(path: Path, existed: bool) -> None:
    """A database this open created and could not set up (a full disk): leave no empty file."""
    if existed:
        return
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """Read-only checks before anything is written: readable, ours, not from the future.

    Returns the file's schema version.
    """
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise store_failure(path, exc) from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer cadence (schema {version}; this version reads up to "
            f"{SCHEMA_VERSION}); upgrade cadence to open it"
        )
    if version == 0 and tables:
        raise StoreError(f"{path}: an SQLite file, but not a cadence session database")
    if version > 0 and not tables >= CADENCE_TABLES:
        raise StoreError(f"{path}: not a cadence session database (tables missing)")
    return version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> int:
    """Apply every migration above the file's ``user_version``, in order; return the new version."""
    current = schema_version(conn)
    for step in migrations:
        if step.version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the write lock
            if schema_version(conn) >= step.version:
                conn.execute("COMMIT")
                current = schema_version(conn)
                continue
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        current = step.version
    return current


def describe_write_failure(path: Path, exc: BaseException) -> str:
    """One line for the runner: what went wrong with the file, in plain words."""
    text = str(exc).lower()
    if is_damage(exc):
        return f"session store {path} is damaged; {keep_copy_hint(path)}"
    if "locked" in text or "busy" in text:
        return f"session store {path} is locked by another program"
    if "full" in text:
        return f"disk full: can't write to session store {path}"
    if "i/o" in text:
        return f"disk error writing session store {path}"
    if "readonly" in text or "read-only" in text:
        return f"session store {path} is read-only"
    if "unable to open" in text:
        return f"can't open session store {path} (is its folder there and writable?)"
    return f"can't use session store {path} ({exc})"
