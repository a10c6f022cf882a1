"""Summary figures on a session recorded through the real store, against hand-worked answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo
from cadence.report.summary import summarize
from cadence.report.summary_model import SessionHeadline
from cadence.report.summary_render import render_text, summary_to_json
from cadence.store.store import Store

from .builders import (
    KNOWN_AVG_CADENCE,
    KNOWN_AVG_HR,
    KNOWN_COMPLIANCE_ERR,
    KNOWN_COMPLIANCE_WITHIN,
    KNOWN_DISTANCE_M,
    KNOWN_DRIFT,
    KNOWN_IN_BAND_S,
    KNOWN_MEDIAN_CADENCE,
    KNOWN_RUN_S,
    record_known_session,
)

approx = pytest.approx


def test_known_session_headline_numbers(store: Store) -> None:
    sid = record_known_session(store)
    s = summarize(store.load_session(sid))
    assert s.finished and s.end_reason == "program_done"
    assert s.duration_s == 420.0
    assert s.run_s == KNOWN_RUN_S
    assert (s.walk_s, s.warmup_s, s.cooldown_s, s.paused_s) == (60.0, 60.0, 60.0, 0.0)
    assert s.distance_m == approx(KNOWN_DISTANCE_M)
    assert s.cadence_s == approx(240.0)
    assert s.avg_cadence_spm == approx(KNOWN_AVG_CADENCE)
    assert s.median_cadence_spm == KNOWN_MEDIAN_CADENCE
    assert s.time_in_band_s == approx(KNOWN_IN_BAND_S)
    assert s.time_in_band_pct == approx(50.0)
    assert s.avg_hr_bpm == approx(KNOWN_AVG_HR)
    assert s.max_hr_bpm == 165


def test_known_session_histogram_and_drift(store: Store) -> None:
    s = summarize(store.load_session(record_known_session(store)))
    bins = [(b.low_spm, b.high_spm, round(b.seconds, 6)) for b in s.histogram]
    assert bins == [(165, 170, 60), (170, 175, 120), (175, 180, 0), (180, 185, 60)]
    assert s.drift is not None
    assert (s.drift.first_third_spm, s.drift.last_third_spm) == approx(KNOWN_DRIFT)
    assert s.drift.drift_spm == approx(KNOWN_DRIFT[1] - KNOWN_DRIFT[0])


def test_known_session_intervals(store: Store) -> None:
    s = summarize(store.load_session(record_known_session(store)))
    rows = [(r.phase, r.round_index, r.start_s, r.duration_s, r.avg_cadence_spm,
             r.avg_tempo_spm, r.avg_hr_bpm) for r in s.intervals]
    assert rows == [
        ("warmup", 0, 0.0, 60.0, 120.0, None, 100.0),
        ("run", 1, 60.0, 120.0, approx(170.0), approx(170.0), approx(150.0)),
        ("walk", 1, 180.0, 60.0, approx(120.0), None, approx(130.0)),
        ("run", 2, 240.0, 120.0, approx(176.5), approx(172.5), approx(160.0)),
        ("cooldown", 0, 360.0, 60.0, approx(110.0), None, approx(120.0)),
    ]


def test_known_session_compliance_pain_cues(store: Store) -> None:
    s = summarize(store.load_session(record_known_session(store)))
    assert s.compliance is not None
    assert s.compliance.seconds == approx(240.0)
    assert s.compliance.mean_abs_error_spm == approx(KNOWN_COMPLIANCE_ERR)
    assert s.compliance.within_2_spm_pct == approx(KNOWN_COMPLIANCE_WITHIN)
    assert [(p.t_s, p.rating, p.when, p.prompt_id) for p in s.pain] == [
        (180.0, 1, "during", 1), (400.0, 2, "post_run", 2)]
    assert s.max_pain == 2
    assert s.cues_by_topic == (("run_tall", 2), ("tempo", 1))
    assert s.cues_total == 3
    assert s.sensor_drops == 1


def _headline(sid: int, avg: float | None, band: float | None) -> SessionHeadline:
    return SessionHeadline(sid, datetime(2026, 10, sid, tzinfo=UTC), True, "user", False, 600.0,
                           1000.0, 600.0, 0.0, avg, band, None, "", "p", "c", 1)


def test_comparison_against_previous_sessions(store: Store) -> None:
    data = store.load_session(record_known_session(store))
    s = summarize(data, [_headline(1, 170.0, 40.0), _headline(2, 172.0, 60.0),
                         _headline(3, None, None)])
    assert s.comparison is not None
    assert s.comparison.previous_sessions == 3
    assert s.comparison.previous_avg_cadence_spm == approx(171.0)
    assert s.comparison.delta_avg_cadence_spm == approx(KNOWN_AVG_CADENCE - 171.0)
    assert s.comparison.delta_time_in_band_pct == approx(0.0)
    assert summarize(data).comparison is None


def _info(duration_s: float) -> SessionInfo:
    return SessionInfo(7, datetime(2026, 11, 1, tzinfo=UTC), None, duration_s, "p", "r", "c", 1,
                       None)


def test_pause_time_is_left_out_and_gaps_do_not_count() -> None:
    """No phase events: all running. Paused 20-30 s; a footpod gap 40-50 s holds only 3 s."""
    samples = [Sample(float(t), SensorRole.FOOTPOD, cadence_spm=170.0 if t < 30 else 180.0)
               for t in range(60) if not 40 < t < 50]
    events = (EventRecord(20.0, EventKind.PAUSE, {"paused": True}),
              EventRecord(30.0, EventKind.PAUSE, {"paused": False}))
    s = summarize(SessionData(_info(60.0), tuple(samples), events))
    assert s.paused_s == 10.0
    assert s.run_s == 50.0
    # 170 spm: t 0-19 (20 s); 180 spm: t 30-39 (10 s) + t=40 held 3 s + t 50-59 (10 s)
    assert s.cadence_s == approx(43.0)
    assert s.avg_cadence_spm == approx((20 * 170 + 23 * 180) / 43)
    assert s.time_in_band_s == approx(43.0)


def test_empty_session_summarises_without_numbers() -> None:
    s = summarize(SessionData(_info(0.0), (), ()))
    assert s.avg_cadence_spm is None and s.median_cadence_spm is None
    assert s.time_in_band_pct is None and s.drift is None and s.compliance is None
    assert s.distance_m is None and s.histogram == () and s.intervals == ()
    assert "no running cadence" in render_text(s)


def test_renderings(store: Store) -> None:
    s = summarize(store.load_session(record_known_session(store)), [_headline(1, 170.0, 40.0)])
    text = render_text(s)
    for expected in ("7:00", "0.99 km", "average 173 spm, median 172 spm",
                     "50 % of running time", "off the tempo by 3.0 spm", "1/10 at 3:00",
                     "2/10 at 6:40 (after)", "run_tall 2", "+3 spm"):
        assert expected in text, expected
    data = json.loads(json.dumps(summary_to_json(s)))
    assert data["avg_cadence_spm"] == approx(KNOWN_AVG_CADENCE)
    assert data["cues_by_topic"] == {"run_tall": 2, "tempo": 1}
    assert data["drift"]["drift_spm"] == approx(KNOWN_DRIFT[1] - KNOWN_DRIFT[0])
    assert len(data["intervals"]) == 5
