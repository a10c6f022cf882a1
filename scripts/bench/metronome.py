"""Benchmark: cadence's callback metronome against a naive sleep + ``sd.play`` one.

Everything goes through the real stack (sounddevice -> PortAudio -> ALSA pulse
plugin -> a private PulseAudio null sink) and is judged from what the sink's
monitor actually recorded (parecord), because PortAudio's underflow flags miss
server-side underruns. Conditions, one after another in the same daemon:

* ``callback``: ``cadence.audio.Metronome`` with its default settings.
* ``naive`` (the baseline): a thread that sleeps until each beat's wall-clock
  time and calls ``sd.play(click)`` (a new stream per click).
* each again with a "busy" Python thread beside it that holds the GIL in a
  tight loop (what a busy TUI or BLE stack does to the audio thread);
* ``callback, latency=low`` under the busy thread: why the default is 40 ms.

Figures: clicks captured vs expected (any click more than 2 ms off its grid
counts as lost), inter-onset error against the exact grid (mean/std/max, in
samples), worst cumulative drift, callback cost (median/p99/max µs vs the
block's real-time budget), reported output latency, PortAudio underflow flags.
Targets: 0 samples of error, 0 clicks lost, p99 < 5 % of budget, latency <= 50 ms.

    .venv/bin/python scripts/bench/metronome.py [--seconds 30] [--bpm 172.5] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the shared PulseAudio helper lives with the tests

from support.pulse import (  # noqa: E402
    Capture,
    PrivatePulse,
    detect_onsets,
    grid_errors,
    read_wav,
)

SR = 48000
TOLERANCE = int(0.002 * SR)  # further off than this: a lost click, not a late one


@dataclass
class Result:
    name: str
    expected: int
    captured: int
    on_grid: int
    err_mean: float
    err_std: float
    err_max: int
    drift_max: int
    cost: tuple[float, float, float] | None  # p50, p99, max in µs
    budget_us: float | None
    latency_ms: float | None
    underflow_flags: int | None


class Busy:
    """A Python thread that holds the GIL as much as it can."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._spin, daemon=True)

    def _spin(self) -> None:
        x = 0
        while not self._stop.is_set():
            for i in range(20000):
                x += i * i

    def __enter__(self) -> Busy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def analyse(wav: Path, period: Fraction, expected: int) -> tuple[int, int, float, float, int, int]:
    x, _ = read_wav(wav)
    onsets = detect_onsets(x)
    if onsets.size < 2:
        return int(onsets.size), 0, float("nan"), float("nan"), 0, 0
    errors = grid_errors(onsets, period)
    on_grid = int((np.abs(errors) <= TOLERANCE).sum())
    ioi_err = np.diff(errors)
    return (
        int(onsets.size), on_grid, float(ioi_err.mean()), float(ioi_err.std()),
        int(np.abs(ioi_err).max()), int(np.abs(errors).max()),
    )


def run_callback(pulse: PrivatePulse, tmp: Path, bpm: float, seconds: float, name: str,
                 busy: bool, **kwargs: object) -> Result:
    from cadence.audio.stream import Metronome

    m = Metronome("pulse", bpm=bpm, accent_every=0, **kwargs)  # type: ignore[arg-type]
    wav = tmp / f"{name}.wav"
    m.start()
    try:
        time.sleep(1.5)  # PulseAudio settles after a stream opens
        with Capture(wav, env=pulse.env):
            if busy:
                with Busy():
                    m.set_running(True)
                    time.sleep(seconds)
                    m.set_running(False)
            else:
                m.set_running(True)
                time.sleep(seconds)
                m.set_running(False)
            time.sleep(0.3)
        expected = len(m.poll_beats())
    finally:
        m.stop()
    st = m.stats
    got = analyse(wav, m._sched.period_samples, expected)
    return Result(name, expected, *got, (st.cost_p50_us, st.cost_p99_us, st.cost_max_us),
                  st.budget_us, 1000 * m.latency_s, st.underflows)


def run_naive(pulse: PrivatePulse, tmp: Path, bpm: float, seconds: float, name: str,
              busy: bool) -> Result:
    import sounddevice as sd

    from cadence.audio.sounds import load_click

    click = load_click("woodblock").normal * np.float32(0.8)
    period_s = 60.0 / bpm
    plays = 0
    wav = tmp / f"{name}.wav"

    def clicker(stop: threading.Event) -> None:
        nonlocal plays
        t0 = time.monotonic() + 0.2
        k = 0
        while not stop.is_set():
            delay = t0 + k * period_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sd.play(click, samplerate=SR, device="pulse")
            plays += 1
            k += 1

    stop = threading.Event()
    worker = threading.Thread(target=clicker, args=(stop,), daemon=True)
    with Capture(wav, env=pulse.env):
        if busy:
            with Busy():
                worker.start()
                time.sleep(seconds)
                stop.set()
                worker.join()
        else:
            worker.start()
            time.sleep(seconds)
            stop.set()
            worker.join()
        sd.wait()
        time.sleep(0.3)
    period = Fraction(60 * SR) / Fraction(bpm)
    return Result(name, plays, *analyse(wav, period, plays), None, None, None, None)


def fmt(r: Result) -> str:
    lost = r.expected - r.on_grid
    cost = "n/a" if r.cost is None else "{:.0f} / {:.0f} / {:.0f}".format(*r.cost)
    share = "" if r.cost is None or not r.budget_us else f" ({100 * r.cost[1] / r.budget_us:.1f} %)"
    budget = "n/a" if r.budget_us is None else f"{r.budget_us:.0f}"
    lat = "n/a" if r.latency_ms is None else f"{r.latency_ms:.1f}"
    flags = "n/a" if r.underflow_flags is None else str(r.underflow_flags)
    return (f"| {r.name} | {r.expected} | {r.captured} | {r.on_grid} | {lost} | "
            f"{r.err_mean:.2f} / {r.err_std:.2f} / {r.err_max} | {r.drift_max} | "
            f"{cost}{share} | {budget} | {lat} | {flags} |")


HEADER = (
    "| condition | clicks expected | onsets captured | on grid (±2 ms) | lost | "
    "IOI error mean / std / max (samples) | worst drift (samples) | "
    "callback p50 / p99 / max µs (p99 % of budget) | block budget µs | latency ms | "
    "underflow flags |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each condition")
    ap.add_argument("--bpm", type=float, default=172.5)
    ap.add_argument("--markdown", action="store_true", help="print only the markdown table")
    args = ap.parse_args()
    results: list[Result] = []
    with PrivatePulse() as pulse, tempfile.TemporaryDirectory() as tmp_name:
        pulse.activate()
        tmp = Path(tmp_name)
        plan = [
            ("callback", lambda: run_callback(pulse, tmp, args.bpm, args.seconds, "callback",
                                              False)),
            ("naive", lambda: run_naive(pulse, tmp, args.bpm, args.seconds, "naive", False)),
            ("callback + busy thread", lambda: run_callback(
                pulse, tmp, args.bpm, args.seconds, "callback + busy thread", True)),
            ("naive + busy thread", lambda: run_naive(
                pulse, tmp, args.bpm, args.seconds, "naive + busy thread", True)),
            ("callback, latency=low + busy", lambda: run_callback(
                pulse, tmp, args.bpm, args.seconds, "callback, latency='low' + busy thread",
                True, latency="low", blocksize=256)),
        ]
        for name, step in plan:
            if not args.markdown:
                print(f"running {name} for {args.seconds:g} s ...", file=sys.stderr, flush=True)
            results.append(step())
    print(f"{args.bpm:g} steps/min, {args.seconds:g} s per condition, 48 kHz, "
          "PortAudio -> ALSA pulse -> PulseAudio null sink, judged from the sink monitor\n")
    print(HEADER)
    for r in results:
        print(fmt(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
