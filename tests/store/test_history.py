"""History: weekly volume and the 10 % rule, cadence trend, shoe wear, the headline cache."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cadence.report.history import ShoeThresholds, build_history
from cadence.report.history_render import history_to_json, render_history
from cadence.report.summary_model import SessionHeadline
from cadence.store.store import Store

from .builders import simple_run

MONDAY = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)  # ISO week 2026-W41


def headline(sid: int, when: datetime, run_min: float, km: float | None,
             cadence: float | None = 172.0, shoe: str = "Pegasus") -> SessionHeadline:
    return SessionHeadline(sid, when, True, "user", False, run_min * 60 + 300,
                           None if km is None else km * 1000, run_min * 60, 0.0, cadence,
                           50.0, 1, shoe, "p", "c", 1)


def test_week_on_week_increases_over_ten_percent_are_flagged() -> None:
    rows = [
        headline(1, MONDAY, 30, 5.0), headline(2, MONDAY + timedelta(days=2), 30, 5.0),
        # W42: 66 min (+10 % exactly: not flagged), 10.5 km (+5 %)
        headline(3, MONDAY + timedelta(days=7), 33, 5.0),
        headline(4, MONDAY + timedelta(days=9), 33, 5.5),
        # W43: 80 min (+21 %) -> flagged
        headline(5, MONDAY + timedelta(days=15), 80, 10.5),
        # W44 empty; W45 after an empty week: nothing to compare with
        headline(6, MONDAY + timedelta(days=29), 120, 20.0),
        # W46: same time, distance +15 % -> flagged
        headline(7, MONDAY + timedelta(days=36), 120, 23.0),
    ]
    history = build_history(rows)
    weeks = [(w.iso_week, w.sessions, w.run_s / 60, w.flagged) for w in history.weeks]
    assert weeks == [(41, 2, 60, False), (42, 2, 66, False), (43, 1, 80, True),
                     (44, 0, 0, False), (45, 1, 120, False), (46, 1, 120, True)]
    assert history.weeks[1].run_change_pct == pytest.approx(10.0)
    assert history.weeks[2].run_change_pct == pytest.approx(100 * (80 - 66) / 66)
    assert history.weeks[4].run_change_pct is None
    assert history.weeks[5].distance_change_pct == pytest.approx(15.0)
    text = render_history(history)
    assert text.count("more than the 10 % rule") == 2
    assert "2026-W43" in text


def test_weeks_window_keeps_comparison_with_the_week_before() -> None:
    rows = [headline(1, MONDAY, 30, 5.0), headline(2, MONDAY + timedelta(days=7), 40, 5.0)]
    history = build_history(rows, weeks=1, today=(MONDAY + timedelta(days=8)).date())
    assert [w.iso_week for w in history.weeks] == [42]
    assert history.weeks[0].flagged  # compared with W41, which is outside the window
    assert [h.session_id for h in history.sessions] == [2]
    later = build_history(rows, weeks=2, today=date(2026, 11, 2))  # W45: two empty weeks
    assert [(w.iso_week, w.sessions) for w in later.weeks] == [(44, 0), (45, 0)]
    assert later.sessions == ()


def test_cadence_trend() -> None:
    rows = [headline(i + 1, MONDAY + timedelta(days=7 * i), 30, 5.0, 160.0 + 2 * i)
            for i in range(5)] + [headline(9, MONDAY + timedelta(days=30), 30, 5.0, None)]
    trend = build_history(rows).trend
    assert [p[2] for p in trend.points] == [160.0, 162.0, 164.0, 166.0, 168.0]
    assert trend.slope_spm_per_week == pytest.approx(2.0)
    assert trend.first_avg_spm == pytest.approx(162.0)
    assert trend.last_avg_spm == pytest.approx(166.0)
    assert build_history([]).trend.slope_spm_per_week is None


def test_shoe_distance_against_thresholds() -> None:
    rows = [headline(i, MONDAY + timedelta(days=i), 60, 10.0) for i in range(1, 8)]
    rows.append(headline(20, MONDAY, 30, 4.0, shoe="Old"))
    shoe = ShoeThresholds(name="Pegasus", start_km=420.0, replace_warn_km=480.0,
                          replace_km=800.0)
    shoes = {s.shoe_name: s for s in build_history(rows, shoe=shoe).shoes}
    assert shoes["Pegasus"].distance_km == pytest.approx(490.0)
    assert shoes["Pegasus"].status == "wearing"
    assert shoes["Old"].distance_km == pytest.approx(4.0) and shoes["Old"].status == "ok"
    worn = build_history(rows, shoe=ShoeThresholds("Pegasus", 795.0)).shoes
    assert {s.shoe_name: s.status for s in worn}["Pegasus"] == "replace"
    assert "past the replacement distance" in render_history(build_history(
        rows, shoe=ShoeThresholds("Pegasus", 795.0)))


def test_history_from_the_store_uses_the_headline_cache(store: Store) -> None:
    for i, cadence in enumerate((165.0, 168.0, 171.0)):
        simple_run(store, MONDAY + timedelta(days=3 * i), 2, cadence, speed_mps=2.5)
    rows = store.headlines()
    assert [h.avg_cadence_spm for h in rows] == [165.0, 168.0, 171.0]
    assert [h.distance_m for h in rows] == [300.0, 300.0, 300.0]
    cached = store.connection.execute("SELECT count(*) FROM session_headline").fetchone()[0]
    assert cached == 3
    history = build_history(rows)
    data = history_to_json(history)
    assert len(data["sessions"]) == 3 and data["weeks"][0]["sessions"] == 3
    assert store.previous_headlines(rows[-1].session_id, limit=1)[0].avg_cadence_spm == 168.0


def test_empty_history_text() -> None:
    assert render_history(build_history([])) == "No sessions recorded yet."


def test_the_10_pct_rule_is_flagged_only_where_the_program_applies_it() -> None:
    from dataclasses import replace

    def at_week(h: SessionHeadline, week: int) -> SessionHeadline:
        return replace(h, program="protocol-a", program_week=week)

    rows = [  # protocol A: weeks 1-3 are set steps, the cap starts at week 4
        at_week(headline(1, MONDAY, 18, None), 1),
        at_week(headline(2, MONDAY + timedelta(days=7), 48, None), 2),  # +167 %: a set step
        at_week(headline(3, MONDAY + timedelta(days=14), 96, None), 3),  # +100 %: a set step
        at_week(headline(4, MONDAY + timedelta(days=21), 140, None), 4),  # +46 %: a violation
    ]
    history = build_history(rows, rule_applies=lambda h: h.program_week >= 4)
    assert [(w.flagged, w.rule_applies) for w in history.weeks] == [
        (False, False), (False, False), (False, False), (True, True)]
    text = render_history(history)
    assert text.count("more than the 10 % rule") == 1
    assert text.count("the 10 % rule starts later") == 2
    assert [w.flagged for w in build_history(rows).weeks] == [False, True, True, True]
