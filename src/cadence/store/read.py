"""Reading sessions back out of SQLite into the plain records everything else uses.

Summary, history and the exporters take ``SessionData`` and never see SQL; this
module is the only reader of the ``sessions``, ``samples`` and ``events`` tables.
``load_session_columns`` is the summary's fast path: only the (time, value)
streams it needs, straight into numpy arrays, with no object per sample.
A session that never finished (still running, or cut off by a crash) reads back
with its duration taken from the last thing recorded, so it can be summarised.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

import numpy as np

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo
from cadence.report.streams import NUMERIC_FIELDS, LoadedStreams, SessionColumns, Stream, StreamSpec
from cadence.report.timeline import no_gc
from cadence.store.db import DamagedRow, SessionNotFound, StoreError

SESSION_COLUMNS = (
    "id, started_at, ended_at, duration_s, profile_name, runner_name, program, program_week, "
    "end_reason, recovered, shoe_name, treadmill, band_low_spm, band_high_spm"
)
SAMPLE_COLUMNS = (
    "t_s, role, cadence_spm, speed_mps, hr_bpm, distance_m, incline_pct, stride_length_m, sensor_id"
)
_ROLES = {r.value: r for r in SensorRole}
_KINDS = {k.value: k for k in EventKind}
_PAIR = np.dtype([("t", np.float64), ("v", np.float64)])
_TAGGED = np.dtype([("t", np.float64), ("k", np.int64), ("v", np.float64)])
_MAX_ID = 2**63 - 1
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _rows(what: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Turn the errors a damaged row causes while it is converted into ``DamagedRow``.

    Why: a damaged page that SQLite can still walk hands back wrong values (a
    role that is no role, text where a time was, ``NULL`` in a NOT NULL
    column); the conversion then fails with ValueError, KeyError or TypeError,
    which must reach the runner as "the file is damaged", not as a traceback.
    """

    def wrap(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(fn)
        def inner(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return fn(*args, **kwargs)
            except (ValueError, KeyError, TypeError, OverflowError, IndexError) as exc:
                raise DamagedRow(f"a {what} row does not read back ({type(exc).__name__})") from exc

        return inner

    return wrap


def to_db_time(when: datetime) -> str:
    """UTC ISO-8601 with microseconds: sorts as text in time order."""
    if when.tzinfo is None:
        raise ValueError("started_at/ended_at must be timezone-aware")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def last_recorded_t(conn: sqlite3.Connection, session_id: int) -> float:
    """Session time of the last sample or event written (0 if none)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT max(t_s) FROM samples WHERE session_id = ?), 0),"
        " coalesce((SELECT max(t_s) FROM events WHERE session_id = ?), 0))",
        (session_id, session_id),
    ).fetchone()
    return float(row[0] or 0.0)


@_rows("sessions")
def info_from_row(conn: sqlite3.Connection, row: tuple[Any, ...]) -> SessionInfo:
    ended_at = None if row[2] is None else from_db_time(row[2])
    duration_s = float(row[3])
    if ended_at is None:
        duration_s = last_recorded_t(conn, int(row[0]))
    return SessionInfo(
        session_id=int(row[0]),
        started_at=from_db_time(row[1]),
        ended_at=ended_at,
        duration_s=duration_s,
        profile_name=row[4],
        runner_name=row[5],
        program=row[6],
        program_week=int(row[7]),
        end_reason=row[8],
        recovered=bool(row[9]),
        shoe_name=row[10],
        treadmill=bool(row[11]),
        band_low_spm=float(row[12]),
        band_high_spm=float(row[13]),
    )


def session_info(conn: sqlite3.Connection, session_id: int) -> SessionInfo:
    row = conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise SessionNotFound(f"no session {session_id} in the store")
    return info_from_row(conn, row)


def list_sessions(conn: sqlite3.Connection) -> list[SessionInfo]:
    """Every session, oldest first."""
    rows = conn.execute(f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started_at, id")
    return [info_from_row(conn, row) for row in rows.fetchall()]


def resolve_ref(conn: sqlite3.Connection, ref: int | str) -> int:
    """A session id from ``ref``: an id (int or digits) or ``"last"`` (the latest started)."""
    if isinstance(ref, str):
        text = ref.strip().lower()
        if text == "last":
            row = conn.execute("SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1")
            found = row.fetchone()
            if found is None:
                raise SessionNotFound("no sessions recorded yet")
            return int(found[0])
        if not text.isdigit():
            raise StoreError(f"{ref!r} is not a session id (a number, or 'last')")
        ref = int(text)
    if not 0 < ref <= _MAX_ID:  # SQLite rowids are 64-bit: a bigger number is no session
        raise SessionNotFound(f"no session {ref} in the store")
    exists = conn.execute("SELECT 1 FROM sessions WHERE id = ?", (ref,)).fetchone()
    if exists is None:
        raise SessionNotFound(f"no session {ref} in the store")
    return ref


@_rows("samples")
def load_samples(conn: sqlite3.Connection, session_id: int) -> tuple[Sample, ...]:
    roles = _ROLES
    with no_gc():
        rows = conn.execute(
            f"SELECT {SAMPLE_COLUMNS} FROM samples WHERE session_id = ? ORDER BY t_s, rowid",
            (session_id,),
        ).fetchall()
        return tuple(
            Sample(t, roles[role], cad, speed, hr, dist, inc, stride, sensor)
            for t, role, cad, speed, hr, dist, inc, stride, sensor in rows
        )


@_rows("events")
def load_events(conn: sqlite3.Connection, session_id: int) -> tuple[EventRecord, ...]:
    rows = conn.execute(
        "SELECT t_s, kind, payload FROM events WHERE session_id = ? ORDER BY t_s, rowid",
        (session_id,),
    ).fetchall()
    out = []
    for t_s, kind, payload in rows:
        if kind not in _KINDS:
            continue  # written by a newer cadence: skip rather than fail the whole session
        out.append(EventRecord(float(t_s), _KINDS[kind], json.loads(payload)))
    return tuple(out)


def load_session(conn: sqlite3.Connection, ref: int | str) -> SessionData:
    session_id = resolve_ref(conn, ref)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # one consistent snapshot while a recorder may be writing
    try:
        info = session_info(conn, session_id)
        data = SessionData(info, load_samples(conn, session_id), load_events(conn, session_id))
    finally:
        if own:
            conn.execute("COMMIT")
    return data


# -- columns for the summary (see ``columns``) -----------------------------------------
def _stream_sql(field: str) -> str:
    if field not in NUMERIC_FIELDS:  # it goes into the SQL text: only known column names
        raise ValueError(f"{field!r} is not a numeric sample column")
    return (f"SELECT t_s, {field} FROM samples WHERE session_id = ? AND role = ? "
            f"AND {field} IS NOT NULL ORDER BY t_s, rowid")


@_rows("samples")
def _pairs(rows: Iterable[tuple[float, float]]) -> Stream:
    with no_gc():
        pairs = np.fromiter(rows, _PAIR)
    return Stream(np.ascontiguousarray(pairs["t"]), np.ascontiguousarray(pairs["v"]))


def read_stream(conn: sqlite3.Connection, session_id: int, spec: StreamSpec,
                first: Stream | None = None) -> Stream:
    """``spec``'s stream straight from SQLite: one query per role tried, two values a row.

    Rows come in ``(t_s, rowid)`` order, the order ``load_samples`` gives, so the
    arrays hold the same numbers in the same order as the object path.
    ``first``, if given, is the stream of the first role, already read.
    """
    field, roles = spec
    sql = _stream_sql(field)
    for i, role in enumerate(roles):
        found = first if i == 0 and first is not None else _pairs(
            conn.execute(sql, (session_id, role.value)))
        if found.t.size:
            return found
    return Stream.empty()


@_rows("samples")
def _read_together(conn: sqlite3.Connection, session_id: int,
                   picks: Sequence[tuple[str, SensorRole]]) -> list[Stream]:
    """Several (field, role) streams of different roles in one pass over the session.

    Each query walks every sample row of the session whatever it returns, so
    the small streams (1 Hz heart rate, the treadmill's odometer) are cheaper
    read together, with a column saying which stream a row belongs to.
    """
    for field, _ in picks:
        _stream_sql(field)  # validates the column name
    which = " ".join(f"WHEN ? THEN {k}" for k in range(len(picks)))
    value = " ".join(f"WHEN ? THEN {field}" for field, _ in picks)
    roles = [role.value for _, role in picks]
    sql = (f"SELECT t_s, CASE role {which} END, CASE role {value} END AS v FROM samples "
           f"WHERE session_id = ? AND role IN ({', '.join('?' * len(picks))}) "
           "AND v IS NOT NULL ORDER BY t_s, rowid")
    with no_gc():
        rows = np.fromiter(conn.execute(sql, (*roles, *roles, session_id, *roles)), _TAGGED)
    out = []
    for k in range(len(picks)):
        mine = rows[rows["k"] == k]
        out.append(Stream(np.ascontiguousarray(mine["t"]), np.ascontiguousarray(mine["v"])))
    return out


def read_streams(conn: sqlite3.Connection, session_id: int,
                 wanted: Iterable[Sequence[StreamSpec]]) -> LoadedStreams:
    """Each group of ``wanted`` is a fallback chain: specs are read in order until one has data.

    Every spec tried is kept (empty ones too), so a reader can ask for the
    fallback after finding the first empty, and nothing past the first with
    data is read. The first chain (the summary's 10 Hz cadence) is read on its
    own; the first choices of the others, if their roles differ, in one pass.
    """
    chains = [[(field, tuple(roles)) for field, roles in chain] for chain in wanted]
    heads: dict[StreamSpec, Stream] = {}
    picks = [chain[0] for chain in chains[1:] if chain and chain[0][1]]
    if len(picks) > 1 and len({roles[0] for _, roles in picks}) == len(picks):
        found = _read_together(conn, session_id, [(f, roles[0]) for f, roles in picks])
        heads = dict(zip(picks, found, strict=True))
    loaded: dict[StreamSpec, Stream] = {}
    for chain in chains:
        for spec in chain:
            if spec not in loaded:
                loaded[spec] = read_stream(conn, session_id, spec, heads.get(spec))
            if loaded[spec].t.size:
                break
    return LoadedStreams(loaded)


def last_sample_t(conn: sqlite3.Connection, session_id: int) -> float | None:
    row = conn.execute("SELECT max(t_s) FROM samples WHERE session_id = ?",
                       (session_id,)).fetchone()
    return None if row[0] is None else float(row[0])


def load_session_columns(conn: sqlite3.Connection, ref: int | str,
                         wanted: Iterable[Sequence[StreamSpec]]) -> SessionColumns:
    """Session ``ref`` (an id or ``"last"``, finished or not) with the streams in ``wanted``.

    Read inside one transaction, so a recorder writing meanwhile can't make the
    info, the streams and the events disagree.
    """
    session_id = resolve_ref(conn, ref)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        info = session_info(conn, session_id)
        streams = read_streams(conn, session_id, wanted)
        events = load_events(conn, session_id)
        last_t = last_sample_t(conn, session_id)
    finally:
        if own:
            conn.execute("COMMIT")
    return SessionColumns(info, streams, events, last_t)
