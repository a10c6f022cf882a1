"""Benchmark: the whole app (TUI + BLE rig + coach + store + metronome) with the audio captured.

What it does, all in one run on a private PulseAudio null sink:

1. Baseline: the ``Metronome`` alone (no TUI, no BLE) at a fixed 170 bpm for
   ``--minutes``, captured from the sink's monitor.
2. The app: ``CadenceApp`` headless (Textual's own headless driver: the full
   compositor runs, the output goes nowhere), the virtual Bumble footpod /
   strap / treadmill read through the production bleak code, the real coach
   (treadmill profile, protocol A week 1, session clock ``--speed`` x faster so
   a short run sees warm-up, runs, walks, tempo ramps and cues), a real SQLite
   store, and the real metronome, for ``--minutes``, captured likewise.

With ``--belt-control`` the app's profile lets cadence set the virtual
treadmill's belt (FTMS through bleak, as ``cadence demo --belt-control``), so
the capture is taken with the control traffic running, and the belt figures
are added: from each planned phase change to the Set Target Speed the
treadmill received (real ms), and to the belt reported at its target
(session seconds: the belt ramps 0.5 km/h per session second).

With ``--music`` the session also plays the runner's music (synthetic kick
tracks at 160 and 176 bpm, analysed into the store first, then stretched beat
by beat onto the metronome's tempo): the clicks are then found by their sharp
first sample (``support.music_judge.click_onsets``: the tracks have nothing that
steep), so they are judged to the sample under the music too.

Figures for each: click timing from the capture (each captured onset against
the sample the metronome scheduled for that beat: inter-onset error in samples,
missing clicks), process RSS and CPU (from /proc/self, user+system time over
wall time), and for the app the sensor notification -> screen latency (from
the moment the BLE notification is stamped to the end of the next screen
refresh that shows it).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402

from support.pulse import Capture, PrivatePulse, detect_onsets, read_wav  # noqa: E402

if TYPE_CHECKING:
    from cadence.audio.stream import StreamStats

SR = 48000
ONSET_THRESHOLD = 0.02  # detect_onsets' defaults, spelled out
REFRACTORY_S = 0.1
CLICK_JUMP = 0.15  # a click's first sample over the one before (music_judge's default)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def match_clicks(x: np.ndarray, beats: list[Any], *, music: bool = False) -> dict[str, float]:
    """Captured onsets against the samples the metronome scheduled for its beats.

    The capture and the stream share one sample clock, so one offset (capture
    sample minus scheduled sample) should put every heard click exactly on an
    onset. The offset is the most common difference over the whole run (a shift
    by whole beats also fits a stretch of constant tempo, never the tempo
    changes). Each window of 32 beats is checked against it; if another offset
    fits the window much better, the stream slipped against the capture (a
    server-side underrun) and a ``break`` is counted. A click with no onset is
    ``masked_by_cue`` when the capture was not quiet in the 100 ms before it (a
    spoken cue playing): the click is in the mix, but an onset detector needs
    quiet before a click to see it. Any other is ``lost``. Onset and inter-onset
    errors are in samples; the target is 0.
    """
    if music:  # under music there is never quiet before a click: find its steep first sample
        from support.music_judge import click_onsets

        onsets = click_onsets(x, jump=CLICK_JUMP)
    else:
        onsets = detect_onsets(x, threshold=ONSET_THRESHOLD, refractory_s=REFRACTORY_S)
    audible = [b for b in beats if not b.muted]
    sched = np.array([b.sample for b in audible], dtype=np.int64)
    tol = int(0.005 * SR)
    if sched.size == 0:
        return {"beats": 0.0, "onsets": float(onsets.size)}
    span = 30 * SR
    diffs = []
    total: Counter[int] = Counter()
    for v in sched:
        lo, hi = np.searchsorted(onsets, [v - span, v + span])
        d = (onsets[lo:hi] - v).tolist()
        diffs.append(d)
        total.update(d)
    main = total.most_common(1)[0][0] if total else 0
    offsets = np.full(sched.size, main, dtype=np.int64)
    current, breaks = main, 0
    for w0 in range(0, sched.size, 32):
        window: Counter[int] = Counter()
        for d in diffs[w0 : w0 + 32]:
            window.update(d)
        best, n_best = window.most_common(1)[0] if window else (current, 0)
        if window[current] * 2 < n_best:
            new = main if window[main] * 2 >= n_best else best
            breaks += int(new != current)
            current = new
        offsets[w0 : w0 + 32] = current

    def near(target: int) -> int | None:
        k = int(np.searchsorted(onsets, target))
        found = [int(onsets[j]) - target for j in (k - 1, k) if 0 <= j < onsets.size]
        found = [e for e in found if abs(e) <= tol]
        return min(found, key=abs) if found else None

    used: set[int] = set()
    errors: list[int] = []
    ioi: list[int] = []
    unmatched: list[int] = []
    prev: tuple[int, int] | None = None  # (offset, error) of the previous matched beat
    for i, v in enumerate(sched):
        e = near(int(v + offsets[i]))
        if e is None:
            unmatched.append(i)
            prev = None
            continue
        used.add(int(v + offsets[i] + e))
        errors.append(e)
        if prev is not None and prev[0] == offsets[i]:
            ioi.append(e - prev[1])
        prev = (int(offsets[i]), e)
    others = np.array(sorted(set(onsets.tolist()) - used), dtype=np.int64)
    quiet = int(REFRACTORY_S * SR)
    masked = 0
    for i in unmatched:
        where = int(sched[i] + offsets[i])
        before = x[max(0, where - quiet) : max(0, where - tol)]
        if before.size and float(np.abs(before).max()) > ONSET_THRESHOLD:
            masked += 1
    # the strictest check, which needs no detector: the click's first (loudest) sample sits
    # exactly at its scheduled sample, silence (or the ducked cue) just before it
    exact = 0
    for i, v in enumerate(sched):
        at = int(v + offsets[i])
        if not 0 < at < x.size:
            continue
        if music:  # a jump no track makes, at that very sample
            exact += int(abs(float(x[at]) - float(x[at - 1])) > CLICK_JUMP)
        elif abs(x[at]) > ONSET_THRESHOLD and abs(x[at]) > 10 * abs(x[at - 1]):
            exact += 1
    err = np.array(errors or [0], dtype=np.int64)
    io = np.array(ioi or [0], dtype=np.int64)
    return {
        "beats": float(sched.size),
        "onsets": float(onsets.size),
        "matched": float(len(errors)),
        "masked_by_cue": float(masked),
        "lost": float(len(unmatched) - masked),
        "exact_first_sample": float(exact),
        "cue_onsets": float(others.size),
        "breaks": float(breaks),
        "onset_err_max_abs": float(np.abs(err).max()),
        "ioi_err_max_abs": float(np.abs(io).max()),
        "ioi_err_nonzero": float(np.count_nonzero(io)),
    }


def keep(tmp: Path, name: str, beats: list[Any]) -> None:
    """Save the beat log next to the WAV so ``--analyse`` can run the matching again."""
    rows = [{"index": b.index, "sample": b.sample, "muted": b.muted} for b in beats]
    (tmp / f"{name}.beats.json").write_text(json.dumps(rows))


def analyse(folder: Path, music: bool = False) -> None:
    for name in ("baseline", "app"):
        wav, log = folder / f"{name}.wav", folder / f"{name}.beats.json"
        if wav.exists() and log.exists():
            beats = [SimpleNamespace(**row) for row in json.loads(log.read_text())]
            x, _ = read_wav(wav)
            show(f"{name} (re-analysed)", match_clicks(x, beats, music=music and name == "app"))


def process_figures(
    stats: StreamStats, cpu_s_used: float, wall_s: float, rss: float, rss_start: float
) -> dict[str, float]:
    """CPU, memory and audio-callback figures, the same for the baseline and the app."""
    return {
        "cpu_pct": 100 * cpu_s_used / wall_s,
        "rss_mb": rss,
        "rss_start_mb": rss_start,
        "cb_p99_us": stats.cost_p99_us,
        "budget_us": stats.budget_us,
        "latency_ms": 1000 * stats.latency_s,
    }


def baseline(minutes: float, tmp: Path, env: dict[str, str]) -> dict[str, float]:
    from cadence.audio.stream import Metronome

    wav = tmp / "baseline.wav"
    m = Metronome(bpm=170.0, running=False)
    beats: list[Any] = []
    with Capture(wav, env=env):
        m.start()
        m.set_running(True)
        rss0, cpu0, t0 = rss_mb(), cpu_s(), time.monotonic()
        end = t0 + minutes * 60
        while time.monotonic() < end:
            time.sleep(0.1)
            beats.extend(m.poll_beats())
        wall = time.monotonic() - t0
        cpu = cpu_s() - cpu0
        m.set_running(False)
        time.sleep(0.3)
        beats.extend(m.poll_beats())
        stats = m.stats
        rss_end = rss_mb()
        m.stop()
    keep(tmp, "baseline", beats)
    x, _ = read_wav(wav)
    return match_clicks(x, beats) | process_figures(stats, cpu, wall, rss_end, rss0)


def belt_figures(app: Any, speed: float) -> dict[str, float]:
    """Planned phase change -> command at the treadmill, and -> belt at target."""
    from cadence.model.treadmill import TreadmillEventKind
    from cadence.sensors.gatt.ftms_control import ControlOp

    session = app.session
    belt = session.belt
    treadmill = session.source.rig.treadmill
    now_s = session.clock()
    # the coach's phase time, as of its last step, started at t0_s (its first step, once
    # the screen is up), not at 0
    t0_s = session.status.now_s - session.status.elapsed_s
    boundaries = [t0_s + b
                  for b in itertools.accumulate(s.duration_s or 0.0 for s in session.coach.plan)
                  if t0_s + b < now_s - 20.0]
    writes = [(t, r.speed_kmh) for t, r in treadmill.log.requests
              if r.op is ControlOp.SET_TARGET_SPEED]
    arrived = [(e.t_s, e.target_kmh) for e in belt.events
               if e.kind is TreadmillEventKind.BELT_AT_TARGET]
    written_ms, at_target_s = [], []
    for b in boundaries:  # (the session's first command waits for the connection)
        sent = [(t, k) for t, k in writes if b - 1e-6 <= t <= b + 2.0 * speed]
        if not sent:
            continue  # no speed change at this switch (e.g. between warm-up blocks)
        t_w, kmh = sent[0]
        written_ms.append(1000 * (t_w - b) / speed)
        there = [t for t, k in arrived if t >= t_w and k is not None and abs(k - kmh) < 0.05]
        if there:
            at_target_s.append(there[0] - b)
    out: dict[str, float] = {"belt_switches": float(len(written_ms))}
    if written_ms:
        out.update(cmd_p50_ms=statistics.median(written_ms), cmd_max_ms=max(written_ms))
    if at_target_s:
        out.update(at_target_n=float(len(at_target_s)),
                   at_target_p50_session_s=statistics.median(at_target_s),
                   at_target_max_session_s=max(at_target_s))
    kinds = Counter(e.kind.value for e in belt.events)
    out.update(not_following=float(kinds["belt_not_following"]),
               command_failed=float(kinds["command_failed"]))
    return out


async def run_app(minutes: float, speed: float, tmp: Path, env: dict[str, str],
                  belt_control: bool = False, music: bool = False) -> dict[str, float]:
    from cadence.live.clock import MonotonicClock
    from cadence.live.plan import SessionPlan
    from cadence.live.wiring import coach_factory, load, rig_sources, start_metronome
    from cadence.profile.model import FadeMode
    from cadence.store.store import Store
    from cadence.tui.app import CadenceApp

    profile, program, name = load(str(ROOT / "profiles" / "treadmill.yaml"))
    # Keep every click audible (no faded feedback) and start the metronome with the
    # first run, so all scheduled beats can be checked against the capture.
    profile = replace(
        profile,
        sensors=(),
        baseline_cadence_spm=160.0,
        tempo=replace(profile.tempo, fade_mode=FadeMode.NONE),
    )
    if belt_control:
        control = replace(profile.treadmill_control, control=True)
        profile = replace(profile, treadmill_control=control)
    if music:
        profile = replace(profile, music=music_settings(tmp))
    clock = MonotonicClock(speed=speed)
    wav = tmp / "app.wav"
    capture = Capture(wav, env=env)
    capture.start()
    metronome, note = start_metronome(profile, no_audio=False)
    if metronome is None:
        raise SystemExit(f"no audio: {note}")
    store = Store.open(tmp / "sessions.sqlite3")
    session_music = None
    if music:
        from cadence.live.wiring import prepare_music

        session_music, note = prepare_music(profile, metronome, store)
        if session_music is None:
            raise SystemExit(f"no music: {note}")
    underflows_before = metronome.stats.underflows  # while the tracks were analysed
    plan = SessionPlan(
        profile=profile,
        make_coach=coach_factory(profile, program),
        make_source=rig_sources(clock, seed=1),
        clock=clock,
        metronome=metronome,
        music=session_music,
        store=store,
        profile_name=name,
        title="bench",
        offer_recovery=False,
    )
    app = CadenceApp(plan)
    latencies: list[float] = []
    app.latency_probe = lambda t_s: latencies.append((clock() - t_s) / speed)
    beats: list[Any] = []
    app.beat_feed.log = beats
    try:
        async with app.run_test(headless=True, size=(120, 40)) as pilot:
            await pilot.pause()
            rss0, cpu0, t0 = rss_mb(), cpu_s(), time.monotonic()
            rss_peak = rss0
            end = t0 + minutes * 60
            underflows_before_clicks: int | None = None
            while time.monotonic() < end:
                await asyncio.sleep(1.0)
                rss_peak = max(rss_peak, rss_mb())
                if underflows_before_clicks is None and beats:  # the session's first click
                    underflows_before_clicks = metronome.stats.underflows
            wall = time.monotonic() - t0
            cpu = cpu_s() - cpu0
            session = app.session
            samples = session.sample_count if session else 0
            malformed = session.source.malformed_count if session and session.source else 0
            belt = belt_figures(app, speed) if belt_control else {}
            # the beats judged: those of the measured minutes (the session goes on while the
            # app closes, and its clicks may be cut by the stream stopping)
            judged = [*beats, *metronome.poll_beats()]
            metronome.set_running(False)
            await asyncio.sleep(0.5)
            stats = metronome.stats
            await pilot.press("q", "y")
            await asyncio.sleep(1.0)
            await pilot.press("0")
            await asyncio.sleep(1.0)
    finally:
        capture.stop()
    metronome.stop()
    store.close()
    keep(tmp, "app", judged)
    x, _ = read_wav(wav)
    out = match_clicks(x, judged, music=music) | process_figures(stats, cpu, wall, rss_peak, rss0)
    lat = sorted(latencies)
    out.update(
        underflows=float(stats.underflows - underflows_before),
        underflows_before_session=float(underflows_before),
        underflows_before_clicks=float(
            (underflows_before_clicks if underflows_before_clicks is not None
             else stats.underflows) - underflows_before),
        samples=float(samples),
        malformed=float(malformed),
        lat_n=float(len(lat)),
        lat_p50_ms=1000 * statistics.median(lat) if lat else float("nan"),
        lat_p99_ms=1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else float("nan"),
        lat_max_ms=1000 * lat[-1] if lat else float("nan"),
        tempos=float(len({round(60 * SR / max(1, b.sample - a.sample), 1)
                          for a, b in itertools.pairwise(judged) if b.index == a.index + 1})),
    )
    return out | belt


def music_settings(tmp: Path) -> Any:
    """A music folder of two synthetic kick tracks, long enough for the run, analysed."""
    from cadence.profile.model import MusicSettings
    from support.synth_tracks import write_track

    folder = tmp / "music"
    folder.mkdir(exist_ok=True)
    for bpm in (160.0, 176.0):
        write_track(folder, bpm, fmt="flac", duration_s=240.0, first_beat_s=0.4)
    # analysed ahead, as `cadence music add` does for a runner's library: the session then
    # reads tempo and beats from the store (analysing in the app's process would hold the
    # GIL and grow its memory before the session starts)
    subprocess.run([sys.executable, "-m", "cadence", "music", "add", str(folder),
                    "--db", str(tmp / "sessions.sqlite3")], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return MusicSettings(folder=str(folder))


def show(title: str, r: dict[str, float]) -> None:
    print(f"\n{title}")
    for k, v in r.items():
        print(f"  {k:20s} {v:12.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0, help="length of each run (default 10)")
    ap.add_argument("--speed", type=float, default=3.0, help="session clock speed-up for the app")
    ap.add_argument("--keep", type=Path, help="keep the captures and beat logs in this folder")
    ap.add_argument("--analyse", type=Path, help="only re-analyse a folder made with --keep")
    ap.add_argument("--music", action="store_true",
                    help="the app's session plays music (synthetic tracks) under the clicks")
    ap.add_argument("--belt-control", action="store_true",
                    help="cadence sets the virtual treadmill's belt (FTMS) during the app run")
    args = ap.parse_args()
    if args.analyse:
        analyse(args.analyse, args.music)
        return 0
    sys.setswitchinterval(0.001)  # what the app's commands do too (see docs/benchmarks.md)
    with tempfile.TemporaryDirectory(prefix="cadence-bench-demo-") as d, PrivatePulse() as pulse:
        tmp = args.keep or Path(d)
        tmp.mkdir(parents=True, exist_ok=True)
        pulse.activate()
        print(f"baseline: metronome alone, {args.minutes:g} min ...", flush=True)
        base = baseline(args.minutes, tmp, pulse.env)
        show("baseline: metronome alone (170 bpm)", base)
        what = "headless TUI + BLE rig + coach + store" + (" + music" if args.music else "")
        print(f"\napp: {what}, {args.minutes:g} min ...", flush=True)
        app = asyncio.run(run_app(args.minutes, args.speed, tmp, pulse.env, args.belt_control,
                                  args.music))
        show(f"app: demo session (session clock x{args.speed:g})", app)
        print("\ncomparison (app - baseline)")
        for k in ("cpu_pct", "rss_mb", "cb_p99_us", "ioi_err_max_abs", "lost", "breaks"):
            a, b = app.get(k, float("nan")), base.get(k, float("nan"))
            print(f"  {k:20s} {a - b:+12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
