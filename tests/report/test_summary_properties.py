"""Invariants of the summary over arbitrary sessions (hypothesis): no crash, sums add up."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventKind, EventRecord, SessionData, SessionInfo
from cadence.report.summary import summarize

roles = st.sampled_from([SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL,
                         SensorRole.TAP])
maybe = st.one_of(st.none(), st.floats(0, 250))
samples = st.lists(st.builds(
    Sample, t_s=st.floats(0, 600), role=roles, cadence_spm=maybe, speed_mps=maybe,
    hr_bpm=st.one_of(st.none(), st.integers(30, 220)), distance_m=st.one_of(st.none(),
                                                                          st.floats(0, 5000)),
), max_size=60)
events = st.lists(st.one_of(
    st.builds(lambda t, p: EventRecord(t, EventKind.PHASE, {"phase": p, "round_index": 1}),
              st.floats(0, 600), st.sampled_from(["warmup", "run", "walk", "cooldown"])),
    st.builds(lambda t, b: EventRecord(t, EventKind.TEMPO, {"bpm": b}), st.floats(0, 600),
              st.floats(150, 190)),
    st.builds(lambda t, on: EventRecord(t, EventKind.METRONOME, {"on": on}), st.floats(0, 600),
              st.booleans()),
    st.builds(lambda t, p: EventRecord(t, EventKind.PAUSE, {"paused": p}), st.floats(0, 600),
              st.booleans()),
), max_size=15)


@settings(max_examples=150, deadline=None)
@given(samples, events, st.floats(0, 700))
def test_summary_invariants(raw: list[Sample], evs: list[EventRecord], duration_s: float) -> None:
    info = SessionInfo(1, datetime(2026, 11, 1, tzinfo=UTC), None, duration_s, "p", "r", "c", 1,
                       None)
    data = SessionData(info, tuple(sorted(raw, key=lambda s: s.t_s)),
                       tuple(sorted(evs, key=lambda e: e.t_s)))
    s = summarize(data)
    eps = 1e-6
    assert s.duration_s >= duration_s
    parts = s.run_s + s.walk_s + s.warmup_s + s.cooldown_s + s.paused_s
    assert parts <= s.duration_s + eps
    assert 0 <= s.time_in_band_s <= s.cadence_s + eps
    assert abs(sum(b.seconds for b in s.histogram) - s.cadence_s) < 1e-6 * max(1, s.cadence_s)
    if s.avg_cadence_spm is not None:
        run_values = [x.cadence_spm for x in raw if x.cadence_spm]
        assert min(run_values) - eps <= s.avg_cadence_spm <= max(run_values) + eps
        assert s.time_in_band_pct is not None and 0 <= s.time_in_band_pct <= 100 + eps
    if s.compliance is not None:
        assert 0 <= s.compliance.within_2_spm_pct <= 100 + eps
    for row in s.intervals:
        assert row.duration_s > 0
    if s.distance_m is not None:
        assert s.distance_m >= 0
