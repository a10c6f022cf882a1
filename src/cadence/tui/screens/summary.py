"""After the run: the session summary from the store, with export and history keys.

Loading and exporting touch SQLite and files, so both run in thread workers
and post their result back as a message; the screen only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from cadence.coach.actions import StopReason
from cadence.model.session import SessionData
from cadence.report.summary_model import Summary
from cadence.report.summary_words import safety_lines
from cadence.report.words import duration_text
from cadence.tui.safety_text import stop_advice
from cadence.tui.screens.export_modal import ExportModal
from cadence.tui.summary_text import cadence_series, headline_lines, histogram_lines, pain_line

if TYPE_CHECKING:
    from cadence.store.store import Store


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export", "export"),
        Binding("h", "history", "history"),
        Binding("q", "quit_app", "quit"),
    ]

    @dataclass
    class Loaded(Message):
        data: SessionData
        summary: Summary
        checks: str = ""  # the readiness check and the follow-ups, as ``cadence summary``

    @dataclass
    class Exported(Message):
        path: Path

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, store: Store, session_id: int) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id
        self.data: SessionData | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-body"):
            yield Static(f"Session {self.session_id}: summary", id="summary-title")
            yield Static("loading...", id="summary-headline")
            yield Static("cadence over the session", classes="section")
            yield Sparkline([], id="summary-spark", summary_function=max)
            yield Static("", id="summary-histogram")
            yield Static("intervals", classes="section")
            yield DataTable(id="summary-intervals", show_cursor=False)
            yield Static("pain", classes="section")
            yield Static("", id="summary-pain")
            yield Static("", id="summary-status")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def _load(self) -> None:
        from cadence.live.recording import load_summary
        from cadence.programme.render import render_checks
        from cadence.store.programme import session_checks

        try:
            data, summary = load_summary(self.store, self.session_id)
        except Exception as exc:  # shown to the runner, never a crash at the end of a run
            self.post_message(self.Failed(f"could not read the session: {exc}"))
            return
        try:
            checks = render_checks(*session_checks(self.store, self.session_id))
        except Exception as exc:  # the summary still shows without them
            checks = f"could not read the check and follow-ups: {exc}"
        self.post_message(self.Loaded(data, summary, checks))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self.data = message.data
        s = message.summary
        if s.end_reason == StopReason.EMERGENCY.value:  # the instruction stays on top
            title = self.query_one("#summary-title", Static)
            advice = stop_advice(StopReason.EMERGENCY)
            title.update(f"{advice}\n\nSession {self.session_id}: summary")
        self.query_one("#summary-headline", Static).update("\n".join(headline_lines(s)))
        spark = self.query_one("#summary-spark", Sparkline)
        spark.data = cadence_series(message.data.samples)
        hist = ["cadence while running (time per band)", *histogram_lines(s.histogram)]
        self.query_one("#summary-histogram", Static).update("\n".join(hist))
        table = self.query_one("#summary-intervals", DataTable)
        table.clear(columns=True)
        table.add_columns("#", "phase", "round", "start", "time", "cadence", "tempo", "HR")
        for row in s.intervals:
            table.add_row(
                str(row.index),
                row.phase,
                str(row.round_index or ""),
                duration_text(row.start_s),
                duration_text(row.duration_s),
                _num(row.avg_cadence_spm),
                _num(row.avg_tempo_spm),
                _num(row.avg_hr_bpm),
            )
        # the ratings, the safety log (plain words, in time order), then the check
        # before the run and the follow-ups after it (1 h, next morning)
        pain = [pain_line(s.pain), *safety_lines(s.safety), message.checks]
        self.query_one("#summary-pain", Static).update("\n".join(p for p in pain if p))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#summary-status", Static).update(message.text)

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.query_one("#summary-status", Static).update(f"written: {message.path}")

    def action_export(self) -> None:
        def chosen(fmt: str | None) -> None:
            if fmt is not None and self.data is not None:
                self._export(fmt, self.data)

        self.app.push_screen(ExportModal(), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, fmt: str, data: SessionData) -> None:
        from cadence.live.recording import export_session

        try:
            path = export_session(data, fmt)
        except (OSError, ValueError) as exc:
            self.post_message(self.Failed(f"export failed: {exc}"))
            return
        self.post_message(self.Exported(path))

    def action_history(self) -> None:
        from cadence.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.store))

    def action_quit_app(self) -> None:
        self.app.exit(0)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"
