"""Pick an export format: one key each, from the one format list (``export.formats``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cadence.export.formats import FORMATS


class ExportModal(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ExportModal { align: center middle; background: $background 40%; }
    ExportModal > Vertical {
        width: 50; height: auto; padding: 1 2; border: thick $primary; background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(f.key, f"pick('{f.name}')", f.name.upper()) for f in FORMATS),
        Binding("escape", "pick('')", "cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export this session as:")
            yield Static("\n".join([*(f"{f.key}  {f.label}" for f in FORMATS),
                                    "Esc  cancel"]))

    def action_pick(self, fmt: str) -> None:
        self.dismiss(fmt or None)
