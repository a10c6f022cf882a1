"""Benchmark: SIGKILL a live session at random moments; what was lost, what was doubled.

Each round starts a child process that runs the real live loop - ``LiveSession``
with the real coach (treadmill profile), a simulated runner's footpod, strap and
treadmill at 10 Hz, and the real SQLite store through ``open_recorder`` - in
real time, ticking every 0.25 s and flushing every 1 s like the TUI's timers.
The runner rates pain at random moments (a key press: ``answer_pain``) and
answers the coach's pain questions. The child prints each tick's session time
after the tick returned and each rating after ``answer_pain`` returned (the
moment the screen shows it as taken). The parent SIGKILLs it at a uniformly
random moment, then does what the next start does: finds the cut-off session
and recovers it. Per round:

- seconds lost: the last tick's session time minus the last footpod sample on
  disk (target: at most 2 s);
- ratings lost: ratings confirmed on screen and not in the recovered session
  (target 0);
- ratings duplicated: ratings stored more than once (target 0).

Every session goes into one database, one after the other, as a runner's would.

Run: ``.venv/bin/python scripts/bench/kills.py [--kills N] [--seed S]``
(exit 1 if a target is missed). ``--child DB SEED`` is the child's own mode.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

TARGET_LOST_S = 2.0
TICK_S = 0.25  # the TUI's coach tick (live.plan.SessionPlan.tick_s)
FLUSH_S = 1.0  # the TUI's recorder flush (SessionPlan.flush_s)
SENSOR_PERIOD_S = 0.1  # 10 Hz, like a footpod
#: wall seconds between pain keys: often enough that kills land just after one,
#: rarely enough that most kills land between flushes with nothing rated
KEY_GAP_S = (0.5, 5.0)


def child(db: Path, seed: int) -> int:
    """One live session in real time until killed (see the module docstring)."""
    import asyncio

    from cadence.live.sources import SimulatedSensorSource

    from cadence.coach.actions import AskPain
    from cadence.live.clock import MonotonicClock
    from cadence.live.recording import open_recorder
    from cadence.live.session import LiveSession
    from cadence.live.wiring import coach_factory, load
    from cadence.sim.runner import SimulatedRunner
    from cadence.store.store import Store

    rng = random.Random(seed)
    profile, program, name = load(str(ROOT / "profiles" / "treadmill.yaml"))
    store = Store.open(db)
    recorder = open_recorder(store, profile, name)
    clock = MonotonicClock()
    session = LiveSession(coach_factory(profile, program)(0.0), None, clock, recorder=recorder)
    session.source = SimulatedSensorSource(SimulatedRunner(seed=seed), session.heard_tempo,
                                           session.gait, period_s=SENSOR_PERIOD_S)
    asyncio.run(session.source.start(session.feed))
    print(f"SESSION {recorder.session_id}", flush=True)
    next_tick = next_flush = time.monotonic()
    next_key = next_tick + rng.uniform(*KEY_GAP_S)
    while True:
        now = time.monotonic()
        wake = min(next_tick, next_flush, next_key)
        if wake > now:
            time.sleep(wake - now)
            now = time.monotonic()
        if now >= next_tick:
            result = session.tick()
            print(f"T {result.now_s:.3f}", flush=True)
            for action in result.actions:
                if isinstance(action, AskPain):  # the runner answers the question
                    rating = rng.randrange(0, 3)
                    session.answer_pain(rating, action.prompt_id)
                    print(f"P {action.prompt_id} {rating}", flush=True)
            next_tick += TICK_S
        if now >= next_flush:
            recorder.flush()
            next_flush += FLUSH_S
        if now >= next_key:  # a pain key pressed without a question
            rating = rng.randrange(0, 4)
            session.answer_pain(rating, None)
            print(f"K {clock():.3f} {rating}", flush=True)
            next_key += rng.uniform(*KEY_GAP_S)


@dataclass(frozen=True, slots=True)
class Round:
    kill_after_s: float
    lost_s: float
    confirmed: int
    lost: int
    duplicated: int
    recovered: bool


def one_round(db: Path, seed: int, kill_after_s: float) -> Round:
    from cadence.model.sample import SensorRole
    from cadence.model.session import EventKind
    from cadence.store.store import Store

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, __file__, "--child", str(db), str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    if not first.startswith("SESSION"):
        raise RuntimeError(f"the child did not start: {proc.stderr.read()}")
    session_id = int(first.split()[1])
    time.sleep(kill_after_s)
    os.kill(proc.pid, signal.SIGKILL)
    out = proc.stdout.read()
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    last_tick = 0.0
    confirmed: list[tuple[str, int, int | float]] = []  # (kind, rating, prompt id or time)
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "T":
            last_tick = float(parts[1])
        elif len(parts) == 3 and parts[0] == "P":
            confirmed.append(("prompt", int(parts[2]), int(parts[1])))
        elif len(parts) == 3 and parts[0] == "K":
            confirmed.append(("key", int(parts[2]), float(parts[1])))
    with Store.open(db) as store:
        cut = [i for i in store.unfinished_sessions() if i.session_id == session_id]
        if cut:
            store.recover(session_id)
        data = store.load_session(session_id)
    pod = [s.t_s for s in data.samples if s.role is SensorRole.FOOTPOD]
    pains = [e for e in data.events if e.kind is EventKind.PAIN]
    stored = Counter((int(e.payload["rating"]), e.payload.get("prompt_id"), round(e.t_s, 3))
                     for e in pains)
    lost = 0
    for kind, rating, key in confirmed:
        if kind == "prompt":
            found = any(r == rating and p == key for r, p, _t in stored)
        else:
            found = any(r == rating and p is None and abs(t - float(key)) < 0.05
                        for r, p, t in stored)
        lost += not found
    duplicated = sum(n - 1 for n in stored.values())
    prompts = Counter(p for _r, p, _t in stored if p is not None)
    duplicated += sum(n - 1 for n in prompts.values())
    lost_s = max(0.0, last_tick - (pod[-1] if pod else 0.0))
    return Round(kill_after_s, lost_s, len(confirmed), lost, duplicated, bool(cut))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=40, help="rounds (default 40)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    parser.add_argument("--min-s", type=float, default=1.0, help="earliest kill (default 1 s)")
    parser.add_argument("--max-s", type=float, default=8.0, help="latest kill (default 8 s)")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON too")
    parser.add_argument("--child", nargs=2, metavar=("DB", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), int(args.child[1]))

    rng = random.Random(args.seed)
    rounds: list[Round] = []
    with tempfile.TemporaryDirectory(prefix="cadence-kills-") as tmp:
        db = Path(tmp) / "sessions.sqlite3"
        for k in range(args.kills):
            r = one_round(db, args.seed * 1000 + k, rng.uniform(args.min_s, args.max_s))
            rounds.append(r)
            print(f"kill {k + 1:3d} after {r.kill_after_s:4.2f} s: lost {r.lost_s:4.2f} s, "
                  f"ratings confirmed {r.confirmed:2d}, lost {r.lost}, doubled {r.duplicated}"
                  f"{'' if r.recovered else ', NOT OFFERED FOR RECOVERY'}", flush=True)
    lost_s = [r.lost_s for r in rounds]
    worst = max(lost_s)
    ratings = sum(r.confirmed for r in rounds)
    lost = sum(r.lost for r in rounds)
    doubled = sum(r.duplicated for r in rounds)
    offered = sum(r.recovered for r in rounds)
    ok = worst <= TARGET_LOST_S and lost == 0 and doubled == 0 and offered == len(rounds)
    print()
    print(f"{len(rounds)} SIGKILLs of a live session (real time, 10 Hz sensors, tick "
          f"{TICK_S} s, flush {FLUSH_S} s)")
    print(f"seconds lost: worst {worst:.2f} s (target <= {TARGET_LOST_S:g} s), "
          f"median {statistics.median(lost_s):.2f} s, mean {statistics.mean(lost_s):.2f} s")
    print(f"ratings confirmed {ratings}: lost {lost} (target 0), duplicated {doubled} "
          f"(target 0)")
    print(f"recovery offered after {offered} of {len(rounds)} kills")
    print("all targets met" if ok else "TARGET MISSED")
    if args.json:
        print(json.dumps([asdict(r) for r in rounds]))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
