"""Benchmark: music analysis, beat-locked rendering and the callback cost of mixing it.

Everything runs the real code on synthetic tracks (a kick on every beat over a
chord, ``tests/support/synth_tracks.py``):

* analysis: ``analyse_file`` on a 60 s WAV, the first call (librosa import and
  numba compilation, paid once per process) and the next ones, per minute of audio;
* render: ``BeatStretcher`` beat by beat for one minute of output at 160 -> 170
  bpm (+6.25 %), against real time (how much of one core the worker needs);
* callback: one ``Metronome`` stream into a private PulseAudio null sink,
  first clicks alone, then with a ``MusicPlayer`` mixing in, in the same run:
  callback cost median / p99 / max against the 10 ms block budget (target:
  p99 under 5 %), music blocks starved (worker late), PortAudio underflows;
* process: ``cadence metronome`` as a child for ``--seconds``, clicks only and
  with ``--music``: CPU time (user + system) per minute and peak RSS.

    .venv/bin/python scripts/bench/music.py [--seconds 60] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # synthetic tracks and the PulseAudio helper
sys.path.insert(0, str(ROOT / "src"))

from support.pulse import PrivatePulse  # noqa: E402
from support.synth_tracks import kick_track, write_track  # noqa: E402

SR = 48000


def bench_analysis(folder: Path) -> list[tuple[str, str]]:
    from cadence.music.analysis import analyse_file

    track = write_track(folder, 150.0, duration_s=60.0, name="bench_150")
    rows = []
    t0 = time.perf_counter()
    analyse_file(track.path)
    rows.append(("analysis, first in the process (imports, numba)",
                 f"{time.perf_counter() - t0:.2f} s per minute of audio"))
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        a = analyse_file(track.path)
        runs.append(time.perf_counter() - t0)
    rows.append(("analysis, warm (median of 3)",
                 f"{sorted(runs)[1]:.2f} s per minute of audio ({a.tempo_bpm:.3f} bpm found)"))
    return rows


def bench_render() -> list[tuple[str, str]]:
    from fractions import Fraction

    from cadence.music.stretch import BeatStretcher

    y = kick_track(160.0, duration_s=75.0, samplerate=SR, first_beat_s=0.3)
    beats = (0.3 + 0.375 * np.arange(190)) * SR
    period = Fraction(60 * SR, 170)

    def grid(k: int) -> int:
        return 10000 + (2 * k * period.numerator + period.denominator) // (2 * period.denominator)

    st = BeatStretcher(y, SR)
    out_samples = 0
    t0 = time.perf_counter()
    k = 0
    while out_samples < 60 * SR:
        piece = st.piece(float(beats[k]), float(beats[k + 1]), grid(k), grid(k + 1))
        out_samples += piece.samples.shape[0]
        k += 1
    dt = time.perf_counter() - t0
    minutes = out_samples / SR / 60
    return [("render 160 -> 170 bpm, beat by beat",
             f"{dt / minutes:.2f} s per minute of music = {100 * dt / (60 * minutes):.1f} % "
             f"of one core ({k} beats, {1000 * dt / k:.1f} ms each)")]


def bench_callback(folder: Path, seconds: float) -> list[tuple[str, str]]:
    from cadence.audio.stream import Metronome
    from cadence.music.choice import fit
    from cadence.music.library import analyse
    from cadence.music.player import MusicPlayer

    track = write_track(folder, 160.0, fmt="flac", duration_s=seconds + 30, name="cb_160")
    f = fit(analyse(track.path), 170.0)
    assert f is not None
    rows = []
    with PrivatePulse() as pulse:
        pulse.activate()
        m = Metronome("pulse", bpm=170.0, running=True)
        m.start()
        try:
            time.sleep(seconds)
            n0 = m._blocks
            plain = m._cost_ns[:n0].copy() / 1000.0
            player = MusicPlayer(m, [f])
            player.start()
            time.sleep(seconds)
            player.stop()
            n1 = m._blocks
            mixed = m._cost_ns[n0 + 300 : n1].copy() / 1000.0  # after the music has started
            stats = m.stats
        finally:
            m.stop()
    budget = stats.budget_us
    for label, costs in (("clicks only", plain), ("clicks + music", mixed)):
        p50, p99 = np.percentile(costs, [50, 99])
        rows.append((f"callback, {label} ({costs.size} blocks)",
                     f"median {p50:.0f} µs, p99 {p99:.0f} µs ({100 * p99 / budget:.1f} % of "
                     f"{budget / 1000:.0f} ms), max {costs.max():.0f} µs"))
    rows.append(("music blocks starved / PortAudio underflows",
                 f"{player.starved_blocks} / {stats.underflows}"))
    return rows


def _child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS (MB) of ``cadence ARGS`` run as a child.

    Peak RSS is the child's own ``VmHWM`` (read from /proc while it runs):
    ``ru_maxrss`` of a forked child counts the parent's pages from before exec.
    """
    proc = subprocess.Popen([sys.executable, "-m", "cadence", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hwm_kb = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm_kb = max(hwm_kb, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, args
    return usage.ru_utime + usage.ru_stime, hwm_kb / 1024.0


def bench_process(folder: Path, seconds: float) -> list[tuple[str, str]]:
    track = write_track(folder, 160.0, fmt="flac", duration_s=seconds + 30, name="proc_160")
    db = folder / "bench.sqlite"
    rows = []
    with PrivatePulse() as pulse:
        env = dict(pulse.env, PYTHONPATH=str(ROOT / "src"))
        # analyse once so the timed run reads the cache, as a session would
        _child(["music", "add", str(track.path), "--db", str(db)], env)
        base = ["metronome", "--bpm", "170", "--duration", f"{seconds:g}"]
        for label, extra in (("clicks only", []),
                             ("with music", ["--music", str(track.path), "--db", str(db)])):
            cpu_s, rss_mb = _child(base + extra, env)
            rows.append((f"cadence metronome {seconds:g} s, {label}",
                         f"CPU {60 * cpu_s / seconds:.1f} s per minute "
                         f"({100 * cpu_s / seconds:.1f} % of a core), peak RSS {rss_mb:.0f} MB"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = bench_analysis(folder) + bench_render()
        rows += bench_callback(folder, args.seconds / 2)
        rows += bench_process(folder, args.seconds)
    if args.markdown:
        print("| measure | result |\n| --- | --- |")
        for k, v in rows:
            print(f"| {k} | {v} |")
    else:
        for k, v in rows:
            print(f"{k:<52} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
