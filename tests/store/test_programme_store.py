"""The programme's tables in a real SQLite file: what is written reads back the same."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cadence.coach.actions import Mark, Phase, PhaseChange
from cadence.coach.warning_signs import RedFlag
from cadence.model.sample import Sample, SensorRole
from cadence.programme.records import FollowUp, FollowUpWhen, ReadinessRecord, RunnerCadence
from cadence.store import db
from cadence.store.db import MIGRATIONS, StoreError
from cadence.store.programme import (
    attach_readiness,
    keep_original_cadence,
    latest_time,
    load_history,
    record_followup,
    record_professional_seen,
    record_readiness,
)
from cadence.store.store import Store

T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def run_session(store: Store, started: datetime, cadence_spm: float, *, target: float,
                reached: bool, pain: int = 0, end: str = "program_done") -> int:
    """Two minutes of running at a steady cadence with the coach's marks."""
    rec = store.begin_session(profile_name="p", runner_name="Ana", program="protocol-a",
                              program_week=1, started_at=started, treadmill=False, shoe_name="")
    rec.add_action(0.0, Mark("session_start", {"week": 1, "stage": 2, "baseline_spm": 150.0,
                                                "target_spm": target, "segments": 2}))
    rec.add_action(0.0, PhaseChange(Phase.RUN, 1, 1, 120.0))
    if reached:
        rec.add_action(60.0, Mark("ramp_target_reached", {"tempo_spm": target}))
    for t in range(121):
        rec.add_sample(Sample(float(t), SensorRole.FOOTPOD, cadence_spm=cadence_spm))
    rec.add_action(120.0, PhaseChange(Phase.COOLDOWN, 0, 1, None))
    rec.add_pain(60.0, pain, prompt_id=1)
    rec.add_pain(130.0, 1, prompt_id=2, when="post_run")
    assert rec.finish(end, 140.0)
    return rec.session_id


def test_a_recorded_session_reads_back_for_the_planner(store: Store) -> None:
    sid = run_session(store, T0, 157.0, target=157.5, reached=True, pain=2)
    rid = record_readiness(store, ReadinessRecord(T0 - timedelta(minutes=1), 1), "run")
    attach_readiness(store, rid, sid)
    record_followup(store, sid, FollowUp(FollowUpWhen.HOUR, 3, T0 + timedelta(hours=1)))
    record_followup(store, sid, FollowUp(FollowUpWhen.HOUR, 1, T0 + timedelta(hours=1, minutes=5)))
    s = load_history(store).sessions[0]
    assert (s.session_id, s.week, s.stage, s.target_spm, s.baseline_spm) == (sid, 1, 2, 157.5,
                                                                              150.0)
    assert s.completed and s.held_target  # 157 is within 2 spm of 157.5, the ramp arrived
    assert (s.max_pain_during, s.post_run_pain) == (2, 1)
    assert s.readiness is not None and s.readiness.pain == 1
    assert [(f.when, f.pain) for f in s.followups] == [(FollowUpWhen.HOUR, 1)]  # replaced


def test_held_target_needs_the_ramp_to_arrive_and_the_cadence_to_stay(store: Store) -> None:
    run_session(store, T0, 150.0, target=157.5, reached=True)
    run_session(store, T0 + timedelta(days=1), 157.5, target=157.5, reached=False)
    run_session(store, T0 + timedelta(days=2), 157.5, target=157.5, reached=True, end="user")
    held = [(s.held_target, s.completed) for s in load_history(store).sessions]
    assert held == [(False, True), (False, True), (True, False)]


def test_readiness_without_a_run_and_the_warning_signs_round_trip(store: Store) -> None:
    record_readiness(store, ReadinessRecord(T0, 3, (RedFlag.LEG_WEAKNESS,
                                                    RedFlag.SADDLE_NUMBNESS)), "emergency")
    record_readiness(store, ReadinessRecord(T0 + timedelta(days=1), None, skipped=True), "run")
    checks = load_history(store).readiness
    assert checks[0].warning_signs == (RedFlag.LEG_WEAKNESS, RedFlag.SADDLE_NUMBNESS)
    assert checks[0].session_id is None and checks[1].skipped and checks[1].pain is None
    assert latest_time(store) == T0 + timedelta(days=1)


def test_the_original_cadence_is_written_once_and_never_moves(store: Store) -> None:
    first = keep_original_cadence(store, RunnerCadence(150.0, "measured", None), T0)
    again = keep_original_cadence(store, RunnerCadence(162.0, "measured", None), T0)
    assert first == again == RunnerCadence(150.0, "measured", None)
    assert load_history(store).cadence == first


def test_professional_visits_are_kept_in_order(store: Store) -> None:
    record_professional_seen(store, T0 + timedelta(days=2))
    record_professional_seen(store, T0)
    assert load_history(store).professional_seen == (T0, T0 + timedelta(days=2))


def test_a_follow_up_for_a_missing_session_or_a_bad_rating_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="no session 7"):
        record_followup(store, 7, FollowUp(FollowUpWhen.HOUR, 1, T0))
    sid = run_session(store, T0, 150.0, target=157.5, reached=False)
    with pytest.raises(sqlite3.IntegrityError):  # the schema itself refuses 11/10
        store.connection.execute("INSERT INTO followups VALUES (?, '1h', ?, 11)",
                                 (sid, T0.isoformat()))


def test_a_version_3_file_gains_the_tables_and_keeps_its_sessions(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    db.migrate(conn, MIGRATIONS[:3])
    conn.execute("INSERT INTO sessions (started_at, program) VALUES (?, 'protocol-a')",
                 (T0.isoformat(),))
    conn.close()
    with Store.open(db_path) as store:
        assert store.schema_version == 5
        assert len(store.list_sessions()) == 1
        record_professional_seen(store, T0)
        assert load_history(store).professional_seen == (T0,)


def test_a_readiness_row_written_with_the_old_fall_id_reads_as_the_same_sign(store: Store) -> None:
    """Databases from before the one warning-sign table stored a fall as ``fall_or_blow``."""
    record_readiness(store, ReadinessRecord(T0, 0, (RedFlag.RECENT_FALL,)), "no_run")
    store.connection.execute("UPDATE readiness SET warning_signs = ?", ('["fall_or_blow"]',))
    store.connection.commit()
    assert load_history(store).readiness[0].warning_signs == (RedFlag.RECENT_FALL,)


def test_a_session_with_a_tapped_baseline_records_its_target_and_can_hold_it(
        store: Store) -> None:
    """No sensor at the start: the runner taps, the coach sets the target, the runner holds it."""
    from cadence.coach.engine import Coach
    from cadence.profile.model import Profile
    from support.coaching import CONTINUOUS_30, Drive

    coach = Coach(Profile(), CONTINUOUS_30)
    d = Drive(coach, spm=lambda t: None)
    d.until(330.0)
    d.tick(taps_s=tuple(d.now_s + i * 0.4 for i in range(-25, 1)))  # 150 spm
    d.until(335.0)
    target = coach.status(d.now_s).target_spm
    assert target > 150.0
    d.spm = lambda t: target  # a footpod joins; the runner keeps to the target
    d.until(3600.0)
    assert coach.ended
    rec = store.begin_session(profile_name="p", runner_name="Ana", program="protocol-a",
                              program_week=1, started_at=T0, treadmill=False, shoe_name="")
    for t_s, action in d.log:
        rec.add_action(t_s, action)
    for i in range(335, int(d.now_s)):
        rec.add_sample(Sample(float(i), SensorRole.FOOTPOD, cadence_spm=target))
    assert rec.finish("program_done", d.now_s)
    s = load_history(store).sessions[0]
    assert (s.baseline_source, s.baseline_spm) == ("tap", 150.0)
    assert s.target_spm == pytest.approx(target)
    assert s.held_target
