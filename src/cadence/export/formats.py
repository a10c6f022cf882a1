"""Every export format, listed once: the CLI, the TUI and the live app all read ``FORMATS``.

Adding a format is one ``ExportFormat`` entry here plus one writer module in
this package with a ``write(data, path)``-shaped function. The writer is named
as ``"module:function"`` and imported only when a file is written, so listing
the formats (``cadence export --help``, the TUI's export menu) loads neither
matplotlib nor the FIT SDK.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from cadence.model.session import SessionData

Writer = Callable[["SessionData", Path], None]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One file format a session can be written as."""

    name: str  # what ``--format`` takes, e.g. "fit"
    suffix: str  # the file name ending, with its dot
    key: str  # the TUI export menu's key
    label: str  # a few words for the menu
    writer: str  # "cadence.export.<module>:<function>", imported on first use
    #: name endings of the files written beside the main one ("-events.csv": run-events.csv)
    also_writes: tuple[str, ...] = ()

    def companions(self, path: Path) -> list[Path]:
        """The other files a write at ``path`` creates beside it."""
        return [path.with_name(f"{path.stem}{ending}") for ending in self.also_writes]

    def load_writer(self) -> Writer:
        module, _, function = self.writer.partition(":")
        return cast(Writer, getattr(importlib.import_module(module), function))

    def write(self, data: SessionData, path: Path) -> None:
        """Write ``data`` at ``path`` (atomically). Raises ``OSError`` if it can't."""
        self.load_writer()(data, path)


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("fit", ".fit", "f", "FIT (Garmin Connect, Strava)",
                 "cadence.export.fit:export_fit"),
    ExportFormat("tcx", ".tcx", "t", "TCX", "cadence.export.tcx:export_tcx"),
    ExportFormat("csv", ".csv", "c", "CSV (spreadsheet) + events", "cadence.export.csv:export_csv",
                 also_writes=("-events.csv",)),
    ExportFormat("png", ".png", "p", "PNG (cadence plot)", "cadence.export.png:export_png"),
)

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)


def format_named(name: str) -> ExportFormat:
    """The format called ``name``. Raises ``ValueError`` for an unknown one."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise ValueError(f"unknown export format {name!r}")


def format_for(path: Path) -> ExportFormat | None:
    """The format ``path``'s suffix names (any case), or None."""
    suffix = path.suffix.lower()
    return next((f for f in FORMATS if f.suffix == suffix), None)
