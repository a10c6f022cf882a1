"""Pick an export format: one key each."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

FORMATS = {"f": "fit", "t": "tcx", "c": "csv", "p": "png"}


class ExportModal(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ExportModal { align: center middle; background: $background 40%; }
    ExportModal > Vertical {
        width: 50; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"pick('{fmt}')", fmt.upper()) for key, fmt in FORMATS.items()),
        Binding("escape", "pick('')", "cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export this session as:")
            yield Static(
                "f  FIT (Garmin Connect, Strava)\n"
                "t  TCX\n"
                "c  CSV (spreadsheet)\n"
                "p  PNG (cadence plot)\n"
                "Esc  cancel"
            )

    def action_pick(self, fmt: str) -> None:
        self.dismiss(fmt or None)
