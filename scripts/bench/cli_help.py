"""Benchmark: how long `cadence --help` takes, against a bare interpreter start.

Target (design.md): under 0.3 s. The baseline, `python -c pass`, is measured in
the same run so the figure can be read on any machine: what matters is the
time cadence adds on top of starting Python.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def time_command(cmd: list[str], runs: int) -> list[float]:
    times_s = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times_s.append(time.perf_counter() - t0)
    return times_s


def describe(label: str, times_s: list[float]) -> str:
    ms = sorted(t * 1000 for t in times_s)
    return (
        f"{label:<24} median {statistics.median(ms):7.1f} ms   "
        f"min {ms[0]:7.1f} ms   max {ms[-1]:7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    baseline = time_command([sys.executable, "-c", "pass"], args.runs)
    helps = time_command([sys.executable, "-m", "cadence", "--help"], args.runs)
    print(describe("python -c pass", baseline))
    print(describe("cadence --help", helps))
    added_ms = (statistics.median(helps) - statistics.median(baseline)) * 1000
    print(f"cadence adds {added_ms:.1f} ms over the bare interpreter")
    verdict = "PASS" if statistics.median(helps) < 0.3 else "FAIL"
    print(f"target: under 300 ms -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
