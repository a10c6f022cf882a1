"""The per-session summary cache: same answers as summarising afresh, and never in the way.

Every test works on real SQLite files. The reference answer is always the
summary computed afresh from the same file (``summarize`` over the ``Sample``
objects or the columns, which agree exactly, see test_summary_columns.py);
the cache must give an equal ``Summary`` (dataclass equality, floats exact),
fall back to that fresh summary when its row is missing, outdated or damaged,
and keep answering when the file can't be written.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cadence.coach.safety_log import SafetyEntry
from cadence.model.sample import Sample, SensorRole
from cadence.report.summary import SUMMARY_VERSION, headline_of, summarize
from cadence.report.summary_model import (
    CadenceDrift,
    Compliance,
    HistogramBin,
    IntervalRow,
    PainPoint,
    SessionHeadline,
    Summary,
)
from cadence.store.db import MIGRATIONS, SCHEMA_VERSION, migrate
from cadence.store.store import Store
from cadence.store.summary_cache import cached_summary
from cadence.store.summary_codec import CorruptSummary, summary_from_cache, summary_to_cache

from .builders import KNOWN_AVG_CADENCE, KNOWN_START, record_known_session, simple_run
from .test_commands import cadence
from .test_recovery import abandoned_session
from .test_summary_columns import _messy_session

START = datetime(2026, 11, 12, 7, 0, tzinfo=UTC)


def row(store: Store, session_id: int) -> tuple[int, str] | None:
    found = store.connection.execute(
        "SELECT summary_version, summary FROM session_summary WHERE session_id = ?",
        (session_id,)).fetchone()
    return None if found is None else (int(found[0]), found[1])


def fresh(store: Store, ref: int | str, previous: tuple[SessionHeadline, ...] = ()) -> Summary:
    """The reference: summarised afresh from every ``Sample`` of the session."""
    return summarize(store.load_session(ref), previous)


def set_row(store: Store, session_id: int, text: str | bytes | int,
            version: int = SUMMARY_VERSION) -> None:
    store.connection.execute(
        "INSERT OR REPLACE INTO session_summary (session_id, summary_version, summary) "
        "VALUES (?, ?, ?)", (session_id, version, text))


def tampered(store: Store, session_id: int, avg_cadence_spm: float) -> str:
    """The session's cache row with one figure changed: shows whether the cache was read."""
    cached = row(store, session_id)
    assert cached is not None
    data = json.loads(cached[1])
    data["avg_cadence_spm"] = avg_cadence_spm
    return json.dumps(data)


# -- the cache holds exactly the fresh summary --------------------------------------------
def test_known_session_cached_at_finish_equals_fresh(store: Store) -> None:
    for k in range(3):
        simple_run(store, KNOWN_START - timedelta(days=k + 1), 5, 160.0 + k)
    sid = record_known_session(store)
    cached = row(store, sid)
    assert cached is not None and cached[0] == SUMMARY_VERSION
    assert summary_from_cache(cached[1]) == fresh(store, sid)
    previous = tuple(store.previous_headlines(sid))
    assert len(previous) == 3
    served = store.summary(sid, compare=5)
    assert served == fresh(store, sid, previous)
    assert served.avg_cadence_spm == pytest.approx(KNOWN_AVG_CADENCE)
    assert served.comparison is not None and served.comparison.previous_sessions == 3
    assert store.summary(sid, compare=0) == fresh(store, sid)
    assert store.summary(sid, compare=2) == fresh(store, sid, previous[-2:])


def test_finish_writes_the_headline_the_object_path_gives(store: Store) -> None:
    sid = record_known_session(store)
    data = store.load_session(sid)
    [headline] = store.headlines()
    assert headline == headline_of(data, summarize(data))


@pytest.mark.parametrize("kind", ["footpod", "treadmill", "tap", "no_distance", "no_hr"])
@pytest.mark.parametrize("seed", [4, 9])
def test_messy_sessions_cached_equals_fresh(db_path: Path, kind: str, seed: int) -> None:
    with Store.open(db_path) as store:
        simple_run(store, START - timedelta(days=1), 3, 171.0)
        sid = _messy_session(store, random.Random(seed * 17 + len(kind)), kind)
        assert cached_summary(store.connection, sid) == fresh(store, sid)
        previous = tuple(store.previous_headlines(sid))
        assert store.summary(sid) == fresh(store, sid, previous)
        assert store.summary(sid).intervals


def test_empty_session_cached_equals_fresh(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="R", program="c", program_week=1,
                              started_at=START, treadmill=False, shoe_name="")
    assert rec.finish("user", 30.0)
    assert cached_summary(store.connection, rec.session_id) == fresh(store, "last")
    assert store.summary("last").avg_cadence_spm is None


def test_the_cache_is_what_is_served(store: Store) -> None:
    """A finished session's summary comes from its row, not from the samples."""
    sid = record_known_session(store)
    set_row(store, sid, tampered(store, sid, 999.0))
    assert store.summary(sid).avg_cadence_spm == 999.0


def test_codec_round_trips_every_kind_of_value() -> None:
    awkward = 0.1 + 0.2  # a float with a long shortest repr
    summary = Summary(
        session_id=7, started_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        finished=True, end_reason=None, duration_s=1e-300, distance_m=None, run_s=awkward,
        walk_s=0.0, warmup_s=2.5, cooldown_s=1 / 3, paused_s=0.0, band_low_spm=170.0,
        band_high_spm=180.0, cadence_s=12.0, avg_cadence_spm=171.123456789012345,
        median_cadence_spm=None, time_in_band_s=3.0, time_in_band_pct=25.0,
        target_spm=166.5, time_at_target_s=awkward, time_at_target_pct=None,
        histogram=(HistogramBin(165.0, 170.0, 1.5), HistogramBin(170.0, 175.0, awkward)),
        drift=CadenceDrift(170.0, 172.5),
        intervals=(IntervalRow(1, "run", 2, 0.0, 60.0, 171.0, None, 150.25),),
        compliance=Compliance(60.0, 1.75, 80.0), avg_hr_bpm=None, max_hr_bpm=181,
        pain=(PainPoint(3.0, 2, "during", None), PainPoint(9.5, 1, "post_run", 4)),
        max_pain=2, cues_by_topic=(("run_tall", 3), ("tempo", 1)),
        stops=((10.0, "pain"),), red_flags=((4.0, "night_pain"),),
        safety=(SafetyEntry(4.0, "Warning sign: night pain"),
                SafetyEntry(10.0, "Running stopped", "Walk home.")),
        sensor_drops=2, comparison=None,
    )
    back = summary_from_cache(summary_to_cache(summary))
    assert back == summary
    assert type(back.max_hr_bpm) is int and type(back.duration_s) is float
    assert back.started_at.utcoffset() == timedelta(0)


# -- falling back when the row can't be used ----------------------------------------------
def test_stale_version_is_recomputed_and_rewritten(store: Store) -> None:
    sid = record_known_session(store)
    set_row(store, sid, tampered(store, sid, 999.0), version=SUMMARY_VERSION - 1)
    assert store.summary(sid) == fresh(store, sid)
    rewritten = row(store, sid)
    assert rewritten is not None and rewritten[0] == SUMMARY_VERSION
    assert summary_from_cache(rewritten[1]) == fresh(store, sid)


def _other_sessions_row(store: Store, sid: int) -> str:
    other = simple_run(store, START - timedelta(days=3), 2, 165.0)
    cached = row(store, other)
    assert cached is not None and other != sid
    return cached[1]


@pytest.mark.parametrize("damage", [
    "not json {", "", "null", "[]", "{}", "5", b"\x00\xff binary",
    "wrong type", "missing field", "extra field", "naive time", "another session",
])
def test_corrupt_row_is_recomputed_without_a_crash(store: Store, damage: str | bytes) -> None:
    sid = record_known_session(store)
    cached = row(store, sid)
    assert cached is not None
    data = json.loads(cached[1])
    text: str | bytes
    if damage == "wrong type":
        text = json.dumps({**data, "histogram": [{"low_spm": "fast"}]})
    elif damage == "missing field":
        text = json.dumps({k: v for k, v in data.items() if k != "intervals"})
    elif damage == "extra field":
        text = json.dumps({**data, "comparison": None})
    elif damage == "naive time":
        text = json.dumps({**data, "started_at": "2026-11-02T07:00:00"})
    elif damage == "another session":
        text = _other_sessions_row(store, sid)
    else:
        text = damage
    set_row(store, sid, text)
    assert cached_summary(store.connection, sid) is None
    assert store.summary(sid) == fresh(store, sid)
    rewritten = row(store, sid)
    assert rewritten is not None and summary_from_cache(rewritten[1]) == fresh(store, sid)


def test_corrupt_text_raises_the_codec_error() -> None:
    for text in ("{", "[1]", json.dumps({"session_id": 1})):
        with pytest.raises(CorruptSummary):
            summary_from_cache(text)


def _read_only_store(path: Path) -> Store:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                           check_same_thread=False, timeout=1.0)
    return Store(conn, path)


def test_read_only_file_still_answers(db_path: Path) -> None:
    with Store.open(db_path) as store:
        simple_run(store, START - timedelta(days=1), 3, 168.0)
        sid = record_known_session(store)
        gone = _messy_session(store, random.Random(3), "footpod")
        stale = simple_run(store, START + timedelta(days=1), 4, 176.0)
        store.connection.execute("DELETE FROM session_summary WHERE session_id = ?", (gone,))
        set_row(store, sid, "not json")
        set_row(store, stale, tampered(store, stale, 999.0), version=SUMMARY_VERSION + 1)
        expected = {s: fresh(store, s, tuple(store.previous_headlines(s)))
                    for s in (sid, gone, stale)}
    with _read_only_store(db_path) as ro:
        for s, summary in expected.items():
            assert ro.summary(s) == summary
        assert ro.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 1000  # as it was
    with Store.open(db_path) as store:  # nothing could be written: rows as they were
        assert row(store, gone) is None
        assert row(store, sid) == (SUMMARY_VERSION, "not json")
        stale_row = row(store, stale)
        assert stale_row is not None and stale_row[0] == SUMMARY_VERSION + 1


def test_locked_file_still_answers_then_caches_later(db_path: Path) -> None:
    with Store.open(db_path) as store:
        sid = record_known_session(store)
        store.connection.execute("DELETE FROM session_summary")
        expected = fresh(store, sid)
        writer = sqlite3.connect(db_path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            assert store.summary(sid) == expected
            assert row(store, sid) is None
            assert store.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 1000
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert store.summary(sid) == expected  # the lock is gone: the row is written now
        assert row(store, sid) is not None
        assert cached_summary(store.connection, sid) == expected


# -- which sessions are cached --------------------------------------------------------------
def test_recovered_session_gets_a_cache_row(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    abandoned_session(db_path)  # a child records 12.5 s and dies without finishing
    with Store.open(db_path) as store:
        sid = store.resolve("last")
        live = store.summary(sid)
        assert not live.finished and live == fresh(store, sid)
        assert row(store, sid) is None  # an unfinished session is never cached
        store.recover(sid)
        cached = row(store, sid)
        assert cached is not None and cached[0] == SUMMARY_VERSION
        recovered = summary_from_cache(cached[1])
        assert recovered == fresh(store, sid)
        assert recovered.finished and recovered.end_reason == "recovered"
        assert recovered.max_pain == 2  # the rating committed just before the crash
        assert store.summary(sid) == recovered


def test_unfinished_session_is_never_served_from_the_cache(store: Store) -> None:
    rec = store.begin_session(profile_name="p", runner_name="R", program="c", program_week=1,
                              started_at=START, treadmill=False, shoe_name="")
    sid = rec.session_id
    for i in range(300):
        rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=170.0 + i % 5))
    assert rec.flush()
    first = store.summary(sid)
    assert first == fresh(store, sid) and not first.finished
    assert row(store, sid) is None
    # a row for it anyway (a finished-looking one, as a bug or a hand edit might leave)
    set_row(store, sid, summary_to_cache(replace(first, finished=True, avg_cadence_spm=999.0)))
    for i in range(300, 600):
        rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=180.0))
    assert rec.flush()
    second = store.summary(sid)
    assert second == fresh(store, sid)
    assert second.duration_s == pytest.approx(59.9) and second.avg_cadence_spm != 999.0
    assert rec.finish("user", 60.0)
    cached = row(store, sid)
    assert cached is not None and summary_from_cache(cached[1]) == fresh(store, sid)
    assert store.summary(sid).finished


# -- the schema and the command ---------------------------------------------------------------
def test_migration_from_version_2_keeps_data(tmp_path: Path) -> None:
    """A file written by schema 2 (headline cache, no summary cache) upgrades in place."""
    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, MIGRATIONS[:2]) == 2
    conn.execute(
        "INSERT INTO sessions (id, started_at, ended_at, duration_s, profile_name, runner_name,"
        " program, program_week, end_reason, band_low_spm, band_high_spm) VALUES (1,"
        " '2026-10-01T07:00:00.000000+00:00', '2026-10-01T07:01:00.000000+00:00', 60, 'old',"
        " 'Ana', 'continuous', 3, 'user', 172.0, 178.0)"
    )
    conn.executemany(
        "INSERT INTO samples (session_id, t_s, role, cadence_spm, distance_m) "
        "VALUES (1, ?, 'footpod', 175.0, ?)", [(float(t), 3.0 * t) for t in range(61)])
    conn.execute("INSERT INTO session_headline (session_id, summary_version, headline) "
                 "VALUES (1, 1, '{\"kept\": true}')")
    conn.close()

    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 5
        data = store.load_session(1)
        assert len(data.samples) == 61 and data.info.program_week == 3
        assert (data.info.band_low_spm, data.info.band_high_spm) == (172.0, 178.0)
        kept = store.connection.execute("SELECT headline FROM session_headline").fetchone()
        assert kept == ('{"kept": true}',)
        assert row(store, 1) is None  # nothing cached yet for the old session
        summary = store.summary(1)
        assert summary == fresh(store, 1)
        assert summary.avg_cadence_spm == pytest.approx(175.0)
        assert cached_summary(store.connection, 1) == summary  # cached on first read
        sid = simple_run(store, datetime(2026, 11, 1, tzinfo=UTC), 1, 170.0)
        assert row(store, sid) is not None


def test_summary_command_output_is_the_same_cached_or_not(db_path: Path) -> None:
    with Store.open(db_path) as store:
        for k in range(2):
            simple_run(store, KNOWN_START - timedelta(days=k + 1), 5, 165.0 + k)
        sid = record_known_session(store)
        assert row(store, sid) is not None
    commands = [("summary", "--db", str(db_path)),
                ("summary", str(sid), "--json", "--db", str(db_path)),
                ("summary", "last", "--compare", "0", "--db", str(db_path))]
    cached_out = [cadence(*c) for c in commands]
    for result in cached_out:
        assert result.returncode == 0, result.stderr
    assert "average 173 spm, median 172 spm" in cached_out[0].stdout
    assert "Against the previous 2 session(s)" in cached_out[0].stdout
    assert json.loads(cached_out[1].stdout)["comparison"]["previous_sessions"] == 2
    for damage in ("DELETE FROM session_summary",
                   f"UPDATE session_summary SET summary_version = {SUMMARY_VERSION + 7}"):
        for command, before in zip(commands, cached_out, strict=True):
            with Store.open(db_path) as store:
                store.connection.execute(damage)
                assert cached_summary(store.connection, sid) is None
            again = cadence(*command)
            assert again.returncode == 0, again.stderr
            assert again.stdout == before.stdout
            with Store.open(db_path) as store:  # the uncached read put the row back
                assert cached_summary(store.connection, sid) is not None
