"""Past sessions with their headline numbers (reached from the summary, key ``h``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from cadence.report.summary_model import SessionHeadline
from cadence.report.words import duration_text, end_reason_text

if TYPE_CHECKING:
    from cadence.store.store import Store


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b", "back", "back"),
        Binding("q", "quit_app", "quit"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[SessionHeadline]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static("Past sessions", id="history-title")
        yield DataTable(id="history-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def _load(self) -> None:
        from cadence.live.recording import load_headlines

        self.post_message(self.Loaded(load_headlines(self.store)))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(
            "#", "date", "time", "km", "run", "cadence", "in band", "max pain", "week", "ended"
        )
        for h in message.rows:
            table.add_row(
                str(h.session_id),
                f"{h.started_at.astimezone():%Y-%m-%d %H:%M}",
                duration_text(h.duration_s),
                "" if h.distance_m is None else f"{h.distance_m / 1000:.2f}",
                duration_text(h.run_s),
                "" if h.avg_cadence_spm is None else f"{h.avg_cadence_spm:.0f}",
                "" if h.time_in_band_pct is None else f"{h.time_in_band_pct:.0f} %",
                "" if h.max_pain is None else f"{h.max_pain}/10",
                f"{h.program} w{h.program_week}",
                end_reason_text(h.end_reason),
            )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_quit_app(self) -> None:
        self.app.exit(0)
