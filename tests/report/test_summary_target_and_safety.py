"""The summary's time at today's target and its safety log, in text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo
from cadence.report.summary import summarize
from cadence.report.summary_model import AT_TARGET_TOLERANCE_SPM
from cadence.report.summary_render import render_text, summary_to_json

approx = pytest.approx


def _info(duration_s: float) -> SessionInfo:
    return SessionInfo(7, datetime(2026, 11, 1, tzinfo=UTC), None, duration_s, "p", "r", "c", 1,
                       None)


def _week_one(start_target: float | None, baseline_target: float | None) -> SessionData:
    """90 s of running, no phase events: 60 s at 166 (wobbling 2 spm), then 30 s at 160."""
    samples = tuple(Sample(float(t), SensorRole.FOOTPOD,
                           cadence_spm=(166.0 + (2.0 if t % 2 else -2.0)) if t < 60 else 160.0)
                    for t in range(90))
    events = [EventRecord(0.0, EventKind.MARK, {"kind": "session_start", "stage": 1,
                                                "target_spm": start_target})]
    if baseline_target is not None:
        events.append(EventRecord(20.0, EventKind.MARK, {"kind": "baseline", "spm": 160.0,
                                                         "source": "tap",
                                                         "target_spm": baseline_target}))
    events += [EventRecord(70.0, EventKind.STOP, {"reason": "red_flag",
                                                  "message": "Walk home slowly."}),
               EventRecord(70.0, EventKind.RED_FLAG, {"flag": "leg_weakness"}),
               EventRecord(65.0, EventKind.PAIN, {"rating": 3, "prompt_id": None})]
    return SessionData(_info(90.0), samples, tuple(events))


@pytest.mark.parametrize(("start", "baseline"), [(166.0, None), (None, 166.0)])
def test_a_week_one_runner_at_their_target_sees_it_next_to_the_band(
        start: float | None, baseline: float | None) -> None:
    assert AT_TARGET_TOLERANCE_SPM == 3.0
    s = summarize(_week_one(start, baseline))
    assert s.time_in_band_s == 0.0
    assert s.target_spm == 166.0
    assert s.time_at_target_s == approx(60.0) and s.time_at_target_pct == approx(200 / 3)
    text = render_text(s)
    assert "0 % of running time" in text  # the band, as before
    assert "Today's target 166 spm (within 3 spm): 1:00 (67 % of running time)" in text
    data = json.loads(json.dumps(summary_to_json(s)))
    assert data["target_spm"] == 166.0 and data["time_at_target_pct"] == approx(200 / 3)
    assert data["at_target_tolerance_spm"] == 3.0


def test_no_target_set_means_no_target_line() -> None:
    s = summarize(_week_one(None, None))
    assert s.target_spm is None and s.time_at_target_pct is None
    assert "Today's target" not in render_text(s)


def test_the_safety_log_is_in_plain_words_and_time_order() -> None:
    s = summarize(_week_one(166.0, None))
    text = render_text(s)
    assert "leg_weakness" not in text  # no raw id
    log = text[text.index("Safety log:"):].splitlines()[1:4]
    assert log[0].strip().startswith("1:05 Pain 3/10")
    assert "Running stopped: Walk home slowly." in log[1]
    assert log[2].strip() == "1:10 Warning sign: A leg or foot that feels weak"
    data = json.loads(json.dumps(summary_to_json(s)))
    assert [e["what"] for e in data["safety"]] == [
        "Pain 3/10", "Running stopped", "Warning sign: A leg or foot that feels weak"]
