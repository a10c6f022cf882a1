"""Benchmark: the session store, the post-run summary and history.

1. Recording: a 3-hour session at 10 Hz (footpod) + 1 Hz (heart rate, treadmill)
   written through ``SessionRecorder`` with a flush every second of session time,
   as the live app does. Reports throughput and flush latency (p50/p99/max);
   baseline in the same run: committing every sample on its own. Also what
   ``finish()`` costs (it summarises the session once from its columns and caches
   the headline and the summary), against the object-path summary + headline
   that ``finish()`` used to compute.
2. Summary of that 3-hour session, end to end as ``cadence summary`` does it
   (``Store.open`` + ``Store.summary``: the summary cached at finish, plus the
   previous headlines), against, in the same run, the columnar path it falls
   back to without a cache row (``load_session_columns`` + ``summarize``) and
   the object path (``load_session``, every sample a ``Sample``). Target: < 100
   ms. Also the whole
   ``cadence summary last`` process against ``python -c pass``, and the parts:
   loading either way, ``summarize`` either way, a pure-Python loop baseline.
3. History over 1500 sessions: from the headline cache, against rebuilding the
   headlines from the samples (what history would cost without the cache).
4. The in-memory hold when writes fail: bytes per held sample and the bound.

Run: ``.venv/bin/python scripts/bench/store.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from cadence.coach.actions import (
    Cue,
    CueKind,
    MetronomeOff,
    MetronomeOn,
    Phase,
    PhaseChange,
    SetTempo,
)
from cadence.model.sample import Sample, SensorRole
from cadence.model.session import SessionData
from cadence.report.history import build_history
from cadence.report.history_render import render_history
from cadence.report.summary import headline_of, summarize
from cadence.report.summary_render import render_text
from cadence.store.buffer import DEFAULT_MAX_SAMPLES, PendingBuffer
from cadence.store.store import Store

START = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
RUN_S, WALK_S = 240, 60


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def phase_actions(t: int) -> list[object]:
    k, r = divmod(t, RUN_S + WALK_S)
    if r == 0:
        return [PhaseChange(Phase.RUN, k + 1, 0, RUN_S), SetTempo(170.0 + k % 8), MetronomeOn()]
    if r == RUN_S:
        return [PhaseChange(Phase.WALK, k + 1, 0, WALK_S), MetronomeOff("walk"),
                Cue("Run tall", CueKind.FORM, topic="run_tall")]
    return []


def record(store: Store, hours: float, started_at: datetime = START,
           timings: list[float] | None = None, finish_ms: list[float] | None = None) -> int:
    rec = store.begin_session(profile_name="bench", runner_name="Bench", program="run-walk",
                              program_week=3, started_at=started_at, treadmill=True,
                              shoe_name="Bench shoe")
    ticks = int(hours * 3600 * 10)
    for i in range(ticks):
        t = i / 10
        if i % 10 == 0:
            for action in phase_actions(i // 10):
                rec.add_action(t, action)  # type: ignore[arg-type]
            rec.add_sample(Sample(t, SensorRole.HEART_RATE, hr_bpm=140 + (i // 10) % 20))
            rec.add_sample(Sample(t, SensorRole.TREADMILL, speed_mps=3.0, incline_pct=1.0,
                                  distance_m=0.3 * i))
        running = (i // 10) % (RUN_S + WALK_S) < RUN_S
        rec.add_sample(Sample(t, SensorRole.FOOTPOD, cadence_spm=(172.0 + (i % 9) - 4)
                              if running else 118.0, speed_mps=3.0, distance_m=0.3 * i))
        if i % 10 == 9:
            t0 = time.perf_counter()
            assert rec.flush()
            if timings is not None:
                timings.append(time.perf_counter() - t0)
        if i % 6000 == 3000:
            rec.add_pain(t, 1, prompt_id=i)
    t0 = time.perf_counter()
    assert rec.finish("program_done", ticks / 10)
    if finish_ms is not None:
        finish_ms.append((time.perf_counter() - t0) * 1000)
    return rec.session_id


def bench_recording(folder: Path, hours: float) -> int:
    store = Store.open(folder / "record.sqlite3")
    timings: list[float] = []
    finish_ms: list[float] = []
    t0 = time.perf_counter()
    sid = record(store, hours, timings=timings, finish_ms=finish_ms)
    total_s = time.perf_counter() - t0
    rows = store.connection.execute("SELECT count(*) FROM samples").fetchone()[0]
    ms = [x * 1000 for x in timings]
    print(f"[record] {hours:g} h session: {rows} sample rows, {len(timings)} flushes "
          f"in {total_s:.2f} s ({rows / total_s:,.0f} rows/s, "
          f"{hours * 3600 / total_s:,.0f}x real time)")
    print(f"[record] flush (1 s of data, one transaction, synchronous=FULL): "
          f"p50 {statistics.median(ms):.2f} ms  p99 {pct(ms, 99):.2f} ms  max {max(ms):.2f} ms")

    base = Store.open(folder / "baseline.sqlite3")
    rec = base.begin_session(profile_name="b", runner_name="b", program="c", program_week=1,
                             started_at=START, treadmill=True, shoe_name="")
    n = 600
    t0 = time.perf_counter()
    for i in range(n):
        rec.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=172.0))
        rec.flush()  # baseline: a commit per sample
    per_sample_ms = (time.perf_counter() - t0) / n * 1000
    batched_ms = sum(ms) / (len(ms) * 12)  # ~12 rows per 1 s flush
    print(f"[record] baseline, one commit per sample: {per_sample_ms:.2f} ms/sample vs "
          f"{batched_ms:.3f} ms/sample batched ({per_sample_ms / batched_ms:.0f}x)")
    base.close()

    def old_finish_work() -> object:  # what finish() computed before the summary cache
        data = store.load_session(sid)
        return headline_of(data, summarize(data))

    old_ms = timed(old_finish_work, 3)
    print(f"[record] finish() (flush + end + summary from columns + headline and summary "
          f"cache rows, one transaction): {finish_ms[0]:.0f} ms; baseline, the object-path "
          f"summary + headline finish() used to compute: median "
          f"{statistics.median(old_ms):.0f} ms")
    store.close()
    return sid


def timed(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
          ) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = clock()
        fn()
        out.append((clock() - t0) * 1000)
    return out


def python_loop_summary(data: SessionData) -> tuple[float, float, dict[int, int]]:
    """Baseline: a plain loop for a few of the figures (footpod only, no phases or weights)."""
    total = n = in_band = 0.0
    hist: dict[int, int] = {}
    for s in data.samples:
        if s.role is SensorRole.FOOTPOD and s.cadence_spm and s.cadence_spm > 140:
            total += s.cadence_spm
            n += 1
            in_band += 170 <= s.cadence_spm <= 180
            key = int(s.cadence_spm // 5 * 5)
            hist[key] = hist.get(key, 0) + 1
    return total / n, in_band / n, hist


def bench_summary(folder: Path, sid: int, runs: int) -> None:
    path = folder / "record.sqlite3"
    store = Store.open(path)
    obj_load_ms = timed(lambda: store.load_session(sid), max(3, runs // 3))
    col_load_ms = timed(lambda: store.load_session_columns(sid), runs)
    data = store.load_session(sid)
    cols = store.load_session_columns(sid)
    assert summarize(cols) == summarize(data)  # same figures both ways (also warms numpy)
    sum_ms = timed(lambda: summarize(data), runs)
    col_sum_ms = timed(lambda: summarize(cols), runs)
    col_sum_cpu_ms = timed(lambda: summarize(cols), runs, time.process_time)
    loop_ms = timed(lambda: python_loop_summary(data), runs)
    store.close()

    def end_to_end(columns: bool) -> Callable[[], object]:
        def run() -> object:  # what `cadence summary` does between its imports and printing
            with Store.open(path, create=False) as opened:
                loaded = (opened.load_session_columns("last") if columns
                          else opened.load_session("last"))
                previous = opened.previous_headlines(loaded.info.session_id)
            return summarize(loaded, previous)
        return run

    def cached_end_to_end() -> object:  # what `cadence summary` does now
        with Store.open(path, create=False) as opened:
            return opened.summary("last")

    with Store.open(path, create=False) as opened:  # same figures as the columns
        previous = opened.previous_headlines(sid)
        assert opened.summary(sid) == summarize(cols, previous)
        cache_bytes = len(opened.connection.execute(
            "SELECT summary FROM session_summary WHERE session_id = ?", (sid,)).fetchone()[0])
    e2e_cached_ms = timed(cached_end_to_end, runs)
    e2e_cached_cpu_ms = timed(cached_end_to_end, runs, time.process_time)
    e2e_cols_ms = timed(end_to_end(True), runs)
    e2e_cols_cpu_ms = timed(end_to_end(True), runs, time.process_time)
    e2e_obj_ms = timed(end_to_end(False), max(3, runs // 3))
    text_ms = timed(lambda: render_text(summarize(cols)), runs)
    summary = summarize(cols)
    med = statistics.median
    print(f"[summary] {len(data.samples)} samples, {len(data.events)} events, "
          f"{len(summary.intervals)} intervals")
    print(f"[summary] load, columns (3 streams into numpy): median {med(col_load_ms):.1f} ms  "
          f"min {min(col_load_ms):.1f} ms; baseline, Sample objects: "
          f"median {med(obj_load_ms):.1f} ms  min {min(obj_load_ms):.1f} ms")
    print(f"[summary] summarize from columns: median {med(col_sum_ms):.1f} ms "
          f"(CPU {med(col_sum_cpu_ms):.1f} ms); from Sample objects: median "
          f"{med(sum_ms):.1f} ms  max {max(sum_ms):.1f} ms")
    print(f"[summary] baseline pure-Python loop (3 figures only, objects already loaded): "
          f"median {med(loop_ms):.1f} ms")
    print(f"[summary] END TO END open + Store.summary (cached at finish, {cache_bytes} bytes of "
          f"JSON) + previous headlines: median {med(e2e_cached_ms):.1f} ms  "
          f"min {min(e2e_cached_ms):.1f} ms  max {max(e2e_cached_ms):.1f} ms "
          f"(CPU median {med(e2e_cached_cpu_ms):.1f} ms) "
          f"-> target < 100 ms: {'PASS' if med(e2e_cached_ms) < 100 else 'FAIL'}")
    print(f"[summary] same run, no cache row (the fallback): open + load columns + previous "
          f"headlines + summarize: median {med(e2e_cols_ms):.1f} ms  min {min(e2e_cols_ms):.1f} ms"
          f"  max {max(e2e_cols_ms):.1f} ms (CPU median {med(e2e_cols_cpu_ms):.1f} ms), "
          f"{med(e2e_cols_ms) / med(e2e_cached_ms):.0f}x the cached")
    print(f"[summary] baseline in the same run, the object path: median {med(e2e_obj_ms):.1f} ms"
          f"  min {min(e2e_obj_ms):.1f} ms ({med(e2e_obj_ms) / med(e2e_cached_ms):.0f}x the "
          f"cached, {med(e2e_obj_ms) / med(e2e_cols_ms):.1f}x the columns)")
    print(f"[summary] summarize + render text: median {med(text_ms):.1f} ms")
    bench_summary_command(path, max(3, runs // 3))


def bench_summary_command(path: Path, runs: int) -> None:
    """The whole `cadence summary last` process, against an empty interpreter."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    env.pop("CADENCE_DATA_DIR", None)

    def proc(*argv: str) -> Callable[[], object]:
        def run() -> object:
            return subprocess.run([sys.executable, *argv], env=env, check=True,
                                  stdout=subprocess.DEVNULL)
        return run

    imports = ("import cadence.cli, cadence.commands.summary, cadence.store.store, "
               "cadence.report.summary, cadence.store.summary_cache, cadence.report.summary_render")
    proc("-c", "pass")()  # warm the OS file cache
    bare = statistics.median(timed(proc("-c", "pass"), runs))
    imported = statistics.median(timed(proc("-c", imports), runs))
    whole = statistics.median(timed(proc("-m", "cadence", "summary", "last", "--db", str(path)),
                                    runs))
    print(f"[summary] `cadence summary last` as a process: median {whole:.0f} ms; "
          f"`python -c pass` {bare:.0f} ms; interpreter + imports of the summary path "
          f"(numpy included) {imported:.0f} ms, so imports {imported - bare:.0f} ms and "
          f"the command's own work ~{whole - imported:.0f} ms")


def bench_history(folder: Path, sessions: int, minutes: float) -> None:
    store = Store.open(folder / "history.sqlite3")
    t0 = time.perf_counter()
    for k in range(sessions):
        rec = store.begin_session(profile_name="h", runner_name="H", program="c", program_week=1,
                                  started_at=START - timedelta(days=2 * (sessions - k)),
                                  treadmill=True, shoe_name=f"shoe {k // 300}")
        for t in range(int(minutes * 60)):  # 1 Hz: history needs volume, not 10 Hz detail
            rec.add_sample(Sample(float(t), SensorRole.FOOTPOD, cadence_spm=160.0 + k % 20,
                                  distance_m=2.8 * t))
        assert rec.finish("user", minutes * 60)
    build_s = time.perf_counter() - t0
    print(f"[history] built {sessions} sessions of {minutes:g} min at 1 Hz in {build_s:.1f} s")

    def cached() -> str:
        return render_history(build_history(store.headlines()))

    cached()
    cached_ms = timed(cached, 5)
    store.connection.execute("DELETE FROM session_headline")
    t0 = time.perf_counter()
    rows = store.headlines()  # no cache: summarise every session again (then caches)
    uncached_ms = (time.perf_counter() - t0) * 1000
    assert len(rows) == sessions
    print(f"[history] {sessions} sessions from the headline cache (query + weeks + render): "
          f"median {statistics.median(cached_ms):.1f} ms")
    print(f"[history] baseline without the cache (re-summarise every session): "
          f"{uncached_ms:.0f} ms ({uncached_ms / statistics.median(cached_ms):.0f}x)")
    store.close()


def bench_hold() -> None:
    n = 100_000
    tracemalloc.start()
    buf = PendingBuffer(max_samples=n)
    for i in range(n):
        buf.add_sample(Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=172.0, speed_mps=3.0,
                              distance_m=0.3 * i, sensor_id="pod"))
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per = current / n
    objects = [Sample(i / 10, SensorRole.FOOTPOD, cadence_spm=172.0 + i % 3, speed_mps=3.0,
                      distance_m=0.3 * i) for i in range(1000)]
    tracemalloc.start()
    kept = [Sample(s.t_s, s.role, s.cadence_spm + 0.5, s.speed_mps, None, s.distance_m + 0.5)
            for s in objects]
    obj_per = tracemalloc.get_traced_memory()[0] / len(kept)
    tracemalloc.stop()
    print(f"[hold] {per:.0f} bytes per held sample (baseline: ~{obj_per:.0f} bytes as Sample "
          f"objects); bound {DEFAULT_MAX_SAMPLES:,} samples = 6 h of 10 Hz + 2 x 1 Hz "
          f"= {DEFAULT_MAX_SAMPLES * per / 1e6:.0f} MB")


def bench_kills(folder: Path, kills: int) -> None:
    """SIGKILL the recording child (tests/support/store_child.py) at random moments."""
    import os
    import random
    import signal
    import subprocess

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root / "src"), str(root / "tests")]))
    rng = random.Random(7)
    losses = []
    for k in range(kills):
        db = folder / f"kill{k}.sqlite3"
        proc = subprocess.Popen([sys.executable, str(root / "tests/support/store_child.py"),
                                 str(db), "10"], stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.3, 2.0))
        os.kill(proc.pid, signal.SIGKILL)
        handed = [float(line.split()[1]) for line in proc.stdout.read().splitlines()
                  if line.startswith("S ")]
        proc.wait()
        with Store.open(db) as store:
            stored = store.connection.execute(
                "SELECT max(t_s) FROM samples WHERE role = 'footpod'").fetchone()[0] or 0.0
        losses.append(handed[-1] - stored)
    print(f"[kill] {kills} SIGKILLs at random moments (10 Hz, flush every 1 s): session time "
          f"lost median {statistics.median(losses):.1f} s, max {max(losses):.1f} s "
          f"(promise: at most 2 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    hours, sessions, minutes, runs = (0.1, 50, 5, 3) if args.quick else (3.0, 1500, 30, 15)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sid = bench_recording(folder, hours)
        bench_summary(folder, sid, runs)
        bench_history(folder, sessions, minutes)
        bench_hold()
        bench_kills(folder, 5 if args.quick else 30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
