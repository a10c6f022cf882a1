"""The summary lists every interval, and the export menu says where files go first.

A long run-walk session (protocol A week 2 has 20 switches) is written
through the real recorder into a real SQLite file; the summary screen reads
it back in its own thread worker, as after a run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import DataTable, Static

from cadence.coach.actions import MetronomeOff, MetronomeOn, Phase, PhaseChange, SetTempo
from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store
from cadence.tui.screens.export_modal import ExportModal
from cadence.tui.screens.summary import SummaryScreen

from .conftest import STARTED_AT
from .helpers import screen_text

ROUNDS = 10  # 10 runs and 10 walks, between a warm-up and a cool-down: 22 intervals
RUN_S, WALK_S = 60, 90


def _record_long_session(store: Store) -> int:
    rec = store.begin_session(
        profile_name="treadmill", runner_name="Ana", program="protocol-a", program_week=2,
        started_at=STARTED_AT, treadmill=True, shoe_name="",
    )
    t = 0
    rec.add_action(0.0, PhaseChange(Phase.WARMUP, 0, ROUNDS, 120.0, "Walk"))
    for _ in range(120):
        rec.add_sample(Sample(float(t), SensorRole.TREADMILL, cadence_spm=118.0,
                              speed_mps=1.4, distance_m=1.4 * t))
        t += 1
    for n in range(1, ROUNDS + 1):
        rec.add_action(float(t), PhaseChange(Phase.RUN, n, ROUNDS, float(RUN_S), "Run"))
        rec.add_action(float(t), SetTempo(166.0, "start"))
        rec.add_action(float(t), MetronomeOn())
        for _ in range(RUN_S):
            rec.add_sample(Sample(float(t), SensorRole.TREADMILL, cadence_spm=160.0 + n,
                                  speed_mps=2.5, distance_m=2.0 * t))
            t += 1
        rec.add_action(float(t), PhaseChange(Phase.WALK, n, ROUNDS, float(WALK_S), "Walk"))
        rec.add_action(float(t), MetronomeOff("walk"))
        for _ in range(WALK_S):
            rec.add_sample(Sample(float(t), SensorRole.TREADMILL, cadence_spm=120.0,
                                  speed_mps=1.4, distance_m=2.0 * t))
            t += 1
        rec.flush()
    rec.add_action(float(t), PhaseChange(Phase.COOLDOWN, 0, ROUNDS, 120.0, "Cool-down"))
    for _ in range(120):
        rec.add_sample(Sample(float(t), SensorRole.TREADMILL, cadence_spm=115.0,
                              speed_mps=1.3, distance_m=2.0 * t))
        t += 1
    assert rec.finish("program_done", float(t))
    return rec.session_id


class _Summary(App[None]):
    def __init__(self, store: Store, session_id: int) -> None:
        super().__init__()
        self.store, self.session_id = store, session_id

    def on_mount(self) -> None:
        self.push_screen(SummaryScreen(self.store, self.session_id))


async def test_the_summary_shows_every_interval(store: Store) -> None:
    session_id = _record_long_session(store)
    app = _Summary(store, session_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#summary-intervals", DataTable)
        assert table.row_count == 2 * ROUNDS + 2
        # tall enough for the header and every row: nothing is cut, the page scrolls
        assert table.size.height >= table.row_count + 1
        phases = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert phases.count("run") == ROUNDS and phases.count("walk") == ROUNDS
        last = table.get_row_at(table.row_count - 1)
        assert last[1] == "cooldown"


async def test_the_export_menu_names_the_folder_before_the_choice(
    store: Store, tmp_path: Path
) -> None:
    session_id = _record_long_session(store)
    app = _Summary(store, session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportModal)
        folder = tmp_path / "data" / "exports"
        line = app.screen.query_one("#export-folder", Static)
        assert str(line.render()) == f"Files are written to {folder}"
        assert "Files are written to" in screen_text(app)
        # the whole path is on screen: the line wraps inside the box, never cut
        assert line.region.height * line.region.width >= len(str(line.render()))
        assert app.screen.region.contains_region(line.region)
        assert not folder.exists() or not any(folder.iterdir())  # nothing written yet
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written: list[Any] = [p for p in folder.glob("*.csv") if not p.stem.endswith("-events")]
        assert len(written) == 1
        assert (folder / f"{written[0].stem}-events.csv").exists()  # its events beside it
