"""Pick an export format: one key each, from the one format list (``export.formats``).

The folder is shown before the choice so the runner can find the file (or
quit and set ``CADENCE_DATA_DIR``) without exporting first to find out.
"""

from __future__ import annotations

from pathlib import Path
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
        width: 70; max-width: 100%; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ExportModal #export-folder { margin-top: 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(f.key, f"pick('{f.name}')", f.name.upper()) for f in FORMATS),
        Binding("escape", "pick('')", "cancel"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export this session as:")
            yield Static("\n".join([*(f"{f.key}  {f.label}" for f in FORMATS),
                                    "Esc  cancel"]))
            yield Static(f"Files are written to {self.folder}", id="export-folder")

    def action_pick(self, fmt: str) -> None:
        self.dismiss(fmt or None)
