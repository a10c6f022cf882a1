"""The cadence estimate: accurate when steady, quick after a change, robust to junk."""

from __future__ import annotations

import random

import pytest

from cadence.coach.cadence_estimate import CadenceEstimator, TapCollector, tap_tempo_spm


def feed(est: CadenceEstimator, rng: random.Random, hz: float, t0: float, t1: float,
         truth: float, noise: float) -> list[tuple[float, float | None]]:
    """Readings every 1/hz s in [t0, t1); returns (t, |error|) after each."""
    out: list[tuple[float, float | None]] = []
    n = 0
    while (t := t0 + n / hz) < t1:
        est.add(t, truth + rng.gauss(0.0, noise))
        e = est.estimate(t)
        out.append((t, None if e is None else abs(e - truth)))
        n += 1
    return out


@pytest.mark.parametrize(("hz", "noise"), [(1.0, 1.0), (2.0, 1.5), (4.0, 1.5), (4.0, 2.0)])
def test_steady_state_within_1_spm(hz: float, noise: float) -> None:
    errors: list[float] = []
    for seed in range(20):
        est = CadenceEstimator()
        trace = feed(est, random.Random(seed), hz, 0.0, 120.0, 165.0, noise)
        errors += [e for t, e in trace if t >= 15.0 and e is not None]
    errors.sort()
    assert errors[int(0.95 * len(errors))] <= 1.0  # 95 % of ticks within 1 spm
    assert errors[len(errors) // 2] <= 0.4


@pytest.mark.parametrize(("hz", "noise"), [(2.0, 1.0), (4.0, 1.5)])
@pytest.mark.parametrize("step_spm", [12.0, -10.0, 50.0])
def test_settles_within_3_s_after_a_step(hz: float, noise: float, step_spm: float) -> None:
    for seed in range(20):
        rng = random.Random(seed)
        est = CadenceEstimator()
        feed(est, rng, hz, 0.0, 60.0, 160.0, noise)
        after = feed(est, rng, hz, 60.0, 80.0, 160.0 + step_spm, noise)
        settled = [e for t, e in after if t >= 63.0]
        assert all(e is not None and e <= 1.0 for e in settled), (seed, after[:12])


def test_a_single_wild_reading_changes_nothing() -> None:
    est = CadenceEstimator()
    for i in range(20):
        est.add(i * 0.5, 170.0)
    est.add(10.0, 240.0)  # a stumble or a radio glitch
    assert est.estimate(10.0) == pytest.approx(170.0)
    assert est.changes_detected == 0


def test_impossible_readings_are_dropped_and_counted() -> None:
    est = CadenceEstimator()
    for i, v in enumerate([170.0, float("nan"), -5.0, 999.0, 171.0]):
        est.add(float(i), v)
    assert est.dropped == 3
    assert est.estimate(4.0) == pytest.approx(170.5)


def test_out_of_order_readings_are_dropped() -> None:
    est = CadenceEstimator()
    est.add(5.0, 170.0)
    est.add(4.0, 120.0)
    assert est.dropped == 1
    assert est.estimate(5.0) == 170.0


def test_stale_data_means_no_cadence() -> None:
    est = CadenceEstimator()
    est.add(0.0, 170.0)
    assert est.estimate(4.9) == 170.0
    assert est.estimate(5.1) is None
    assert CadenceEstimator().estimate(0.0) is None


def test_tap_tempo_from_ten_seconds_of_taps() -> None:
    interval = 60.0 / 164.0
    taps = [1.0 + i * interval for i in range(27)]
    assert tap_tempo_spm(taps) == pytest.approx(164.0, abs=0.01)


def test_tap_tempo_survives_a_missed_and_a_doubled_tap() -> None:
    rng = random.Random(3)
    interval = 60.0 / 170.0
    taps = [i * interval + rng.gauss(0, 0.01) for i in range(30)]
    del taps[10]  # missed one: one interval doubles
    taps.append(taps[20] + 0.05)  # a bounce: one interval tiny
    assert tap_tempo_spm(taps) == pytest.approx(170.0, abs=1.5)


def test_too_few_taps_give_nothing() -> None:
    assert tap_tempo_spm([0.0, 0.35, 0.7]) is None
    assert tap_tempo_spm([1.0] * 10) is None  # all at the same instant


def test_tap_collector_waits_for_the_burst_to_end() -> None:
    c = TapCollector(gap_s=2.0)
    interval = 60.0 / 160.0
    taps = tuple(i * interval for i in range(26))
    c.add(taps[:13])
    assert c.finished(taps[12] + 0.1) is None
    c.add(taps[13:])
    assert c.finished(taps[-1] + 1.0) is None  # still inside the gap
    assert c.finished(taps[-1] + 2.5) == pytest.approx(160.0, abs=0.01)
    assert c.pending == 0
