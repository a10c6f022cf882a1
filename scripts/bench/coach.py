"""Benchmark: the coach engine, the cadence estimator and `cadence simulate`.

Figures, each next to a baseline measured in the same run:

1. Whole sessions through ``cadence.live.headless`` (LiveSession + simulated runner +
   JSON encoding, as ``cadence simulate`` does), 30 min and 3 h at 0.5 s ticks.
   Baseline: the simulated runner alone on the same clock (what the coach and
   the records add on top). Target: a 30-minute session in under 2 s.
2. ``Coach.step`` cost per call over a 30-minute session (median, p99, max in
   microseconds). Baseline: a do-nothing step (``return []``) timed the same
   way, i.e. the timer and call overhead.
3. Cadence estimate accuracy: steady-state error (p50/p95) and settling after
   a 12 spm step change, for 1/2/4 Hz footpods and noise 1.0/1.5/2.0 spm, over
   50 seeds. Baselines: "latest reading" and a plain 10 s moving average.
   Targets (design.md): within 1 spm steady state, settled within 3 s.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from cadence.coach.cadence_estimate import CadenceEstimator
from cadence.coach.engine import Coach
from cadence.coach.inputs import Inputs
from cadence.live.headless import simulate
from cadence.model.sample import Sample, SensorRole
from cadence.profile.model import Profile, ProgramWeek
from cadence.sim.runner import Gait, SimulatedRunner
from cadence.sim.session import SimConfig


def week_of(run_s: float) -> ProgramWeek:
    return ProgramWeek(week=1, run_s=run_s, walk_s=0.0, rounds=1, sessions=1, cooldown_s=0.0)


def time_session(run_s: float, repeats: int) -> tuple[float, int]:
    best = float("inf")
    lines = 0
    for seed in range(repeats):
        out = io.StringIO()
        t0 = time.perf_counter()
        for record in simulate(Profile(), week_of(run_s), seed=seed, config=SimConfig()):
            out.write(json.dumps(record, separators=(",", ":")))
            out.write("\n")
        best = min(best, time.perf_counter() - t0)
        lines = out.getvalue().count("\n")
    return best, lines


def time_runner_only(run_s: float, repeats: int) -> float:
    best = float("inf")
    for seed in range(repeats):
        runner = SimulatedRunner(seed=seed)
        t0 = time.perf_counter()
        t = 0.0
        while t <= run_s:
            runner.step(t, 160.0, Gait.RUN)
            t += 0.5
        best = min(best, time.perf_counter() - t0)
    return best


def step_costs(step: Callable[[float, Inputs], object], run_s: float) -> list[float]:
    rng = random.Random(1)
    costs = []
    t = 0.0
    while t < run_s:
        t += 0.5
        reading = Sample(t, SensorRole.FOOTPOD, cadence_spm=162 + rng.gauss(0, 1.5))
        inputs = Inputs(samples=(reading,))
        t0 = time.perf_counter_ns()
        step(t, inputs)
        costs.append((time.perf_counter_ns() - t0) / 1000.0)
    return costs


def describe_costs(label: str, costs: list[float]) -> str:
    c = sorted(costs)
    return (f"  {label:<22} median {statistics.median(c):6.1f} us   "
            f"p99 {c[int(0.99 * len(c))]:6.1f} us   max {c[-1]:7.1f} us")


class Latest:
    def __init__(self) -> None:
        self.v: float | None = None

    def add(self, t: float, v: float) -> None:
        self.v = v

    def estimate(self, t: float) -> float | None:
        return self.v


class MovingAverage:
    def __init__(self, window_s: float = 10.0) -> None:
        self.window_s = window_s
        self.q: deque[tuple[float, float]] = deque()

    def add(self, t: float, v: float) -> None:
        self.q.append((t, v))
        while self.q[0][0] < t - self.window_s:
            self.q.popleft()

    def estimate(self, t: float) -> float | None:
        return sum(v for _, v in self.q) / len(self.q) if self.q else None


class Estimator(Protocol):
    def add(self, t: float, v: float) -> None: ...
    def estimate(self, t: float) -> float | None: ...


def accuracy(
    make: Callable[[], Estimator], hz: float, noise: float, seeds: int
) -> dict[str, float]:
    steady: list[float] = []
    settle: list[float] = []
    at3: list[float] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        est = make()
        n = 0
        first_ok: float | None = None
        err_at3: float | None = None
        while (t := n / hz) < 90.0:
            truth = 160.0 if t < 60.0 else 172.0
            est.add(t, truth + rng.gauss(0, noise))
            e = est.estimate(t)
            err = abs(e - truth) if e is not None else float("inf")
            if 15.0 <= t < 60.0:
                steady.append(err)
            if t >= 60.0 and first_ok is None and err <= 1.0:
                first_ok = t - 60.0
            if t >= 63.0 and err_at3 is None:
                err_at3 = err
            n += 1
        at3.append(err_at3 if err_at3 is not None else float("inf"))
        settle.append(first_ok if first_ok is not None else 30.0)
    steady.sort()
    settle.sort()
    return {
        "p50": steady[len(steady) // 2],
        "p95": steady[int(0.95 * len(steady))],
        "settle_med": statistics.median(settle),
        "settle_max": settle[-1],
        "ok_at_3s": sum(e <= 1.0 for e in at3) / len(at3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()

    print("1. whole sessions (coach + runner + JSON lines), tick 0.5 s, best of", args.repeats)
    for label, run_s in (("30 min", 1800.0), ("3 h", 10800.0)):
        sim_s, lines = time_session(run_s, args.repeats)
        base_s = time_runner_only(run_s, args.repeats)
        print(f"  {label:<6} simulate {sim_s * 1000:8.1f} ms ({lines} lines, "
              f"{run_s / sim_s:,.0f}x real time)   runner alone {base_s * 1000:6.1f} ms")
        if run_s == 1800.0:
            print(f"  target: 30 min in under 2 s -> {'PASS' if sim_s < 2.0 else 'FAIL'}")

    print("2. Coach.step per call over a 30-min session at 0.5 s ticks")
    coach = Coach(Profile(baseline_cadence_spm=160.0), week_of(1800.0))
    costs = step_costs(coach.step, 1800.0)
    base = step_costs(lambda now, inputs: [], 1800.0)
    print(describe_costs("Coach.step", costs))
    print(describe_costs("baseline: return []", base))
    extra = statistics.median(costs) - statistics.median(base)
    print(f"  the coach adds {extra:.1f} us a tick (tick budget 250 000 us at 4 Hz): "
          f"{extra / 250_000 * 100:.3f} % of one core")

    print(f"3. cadence estimate, {args.seeds} seeds, step 160 -> 172 spm at t=60 s")
    print("  estimator        Hz  noise  steady p50  p95   settle med  max   within 1 at +3 s")
    estimators: list[tuple[str, Callable[[], Estimator]]] = [
        ("robust (ours)", CadenceEstimator), ("latest reading", Latest),
        ("10 s mean", MovingAverage),
    ]
    for hz in (1.0, 2.0, 4.0):
        for noise in (1.0, 1.5, 2.0):
            for name, make in estimators:
                r = accuracy(make, hz, noise, args.seeds)
                print(f"  {name:<15} {hz:3.0f} {noise:6.1f}  {r['p50']:9.2f} {r['p95']:5.2f}"
                      f"  {r['settle_med']:9.1f} s {r['settle_max']:4.1f} s  {r['ok_at_3s']:6.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
