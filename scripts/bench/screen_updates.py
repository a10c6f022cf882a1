"""Benchmark: what one live-screen update costs, one kind of change at a time.

The real app (``CadenceApp``: coach, simulated runner, SQLite store, no audio)
runs headless at a fixed size on a virtual clock and is moved into the first
run. Each change is made ``--repeats`` times; for each, the time Textual spends
in ``Screen._compositor_refresh`` (deciding what to redraw, rendering the
widgets' lines, building the terminal output) is summed over the refreshes it
caused. The baseline, in the same run: a repaint of the whole screen.

    python scripts/bench/screen_updates.py [--size 120x40] [--repeats 60]

This times the compositor only; the whole process in a real terminal is
``scripts/bench/screen.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import textual.screen as textual_screen  # noqa: E402

from cadence.coach.actions import Phase  # noqa: E402
from cadence.live.clock import VirtualClock  # noqa: E402
from cadence.live.plan import SessionPlan  # noqa: E402
from cadence.live.wiring import coach_factory, load  # noqa: E402
from cadence.profile.loader import default_profile_path  # noqa: E402
from cadence.sensors.factory import simulated_source  # noqa: E402
from cadence.sim.readout import Readout  # noqa: E402
from cadence.sim.runner import SimulatedRunner  # noqa: E402
from cadence.store.store import Store  # noqa: E402
from cadence.tui.app import CadenceApp  # noqa: E402
from cadence.tui.screens.pain_modal import PainModal  # noqa: E402

_refresh_ns: list[int] = []
_original_refresh = textual_screen.Screen._compositor_refresh


def _timed_refresh(self: textual_screen.Screen[Any]) -> None:
    t0 = time.perf_counter_ns()
    _original_refresh(self)
    _refresh_ns.append(time.perf_counter_ns() - t0)


def _plan(folder: Path) -> SessionPlan:
    profile, program, name = load(str(default_profile_path().parent / "treadmill.yaml"))
    return SessionPlan(
        profile=profile,
        make_coach=coach_factory(profile, program),
        make_source=lambda status: simulated_source(
            Readout.following(SimulatedRunner(seed=3), status)
        ),
        clock=VirtualClock(),
        audio_note="",
        store=Store.open(folder / "sessions.sqlite3"),
        profile_name=name,
        title="cadence  ·  screen update bench",
        auto_tick=False,
        started_at=datetime(2026, 11, 21, 7, 30, tzinfo=UTC),
    )


async def _run(size: tuple[int, int], repeats: int) -> list[tuple[str, float, float, float]]:
    rows: list[tuple[str, float, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="cadence-bench-updates-") as tmp:
        app = CadenceApp(_plan(Path(tmp)))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            while not isinstance(app.screen, PainModal):
                app.advance(1.0)
            await pilot.press("1")
            assert app.session is not None
            while app.session.status.phase is not Phase.RUN:
                app.advance(1.0)
            app.advance(5.0)
            await pilot.pause()
            screen = app.live_screen
            assert screen is not None

            async def measure(label: str, change: Callable[[int], object], n: int) -> None:
                per_change: list[float] = []
                counts: list[int] = []
                for i in range(n):
                    await pilot.pause()
                    _refresh_ns.clear()
                    change(i)
                    await pilot.pause()
                    await pilot.pause()
                    per_change.append(sum(_refresh_ns) / 1e6)
                    counts.append(len(_refresh_ns))
                ordered = sorted(per_change)
                rows.append((label, statistics.median(per_change),
                             ordered[int(0.9 * (n - 1))], statistics.mean(counts)))

            # first, while the run lasts: one second of the session clock (four ticks)
            await measure("clock second (4 ticks: clock, progress, trend, digits)",
                          lambda i: app.advance(1.0, 0.25), min(repeats, 25))
            await measure("beat flash (a new beat)", lambda i: screen.show_beat(100 + i, True),
                          repeats)
            await measure("heart rate row", lambda i: screen._metrics.show(
                500.0, 2.5, 1.0, 120 + i % 30), repeats)
            await measure("cadence digits and gauge", lambda i: setattr(
                screen._gauge, "cadence_spm", 160.0 + (i % 2) * 5), repeats)
            await measure("baseline: the whole screen repainted", lambda i: screen.refresh(),
                          repeats)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="120x40", help="terminal size, COLSxROWS")
    ap.add_argument("--repeats", type=int, default=60)
    args = ap.parse_args()
    cols, lines = (int(v) for v in args.size.split("x"))
    textual_screen.Screen._compositor_refresh = _timed_refresh  # type: ignore[method-assign]
    rows = asyncio.run(_run((cols, lines), args.repeats))
    base = rows[-1][1]
    print(f"{'change':56s} {'median':>8s} {'p90':>8s} {'refreshes':>9s} {'of a full':>9s}")
    for label, median, p90, refreshes in rows:
        print(f"{label:56s} {median:6.2f}ms {p90:6.2f}ms {refreshes:9.2f} "
              f"{100 * median / base:8.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
