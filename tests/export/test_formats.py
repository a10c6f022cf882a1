"""The one list of export formats, as the CLI, the TUI and the live app see it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadence.commands import export as export_command
from cadence.export.formats import FORMATS, format_for, format_named
from cadence.live.recording import export_session
from cadence.model.session import SessionData
from cadence.tui.screens.export_modal import ExportModal


def test_names_suffixes_and_keys_are_unique() -> None:
    for attr in ("name", "suffix", "key"):
        values = [getattr(f, attr) for f in FORMATS]
        assert len(set(values)) == len(values), attr
    assert all(f.suffix == f".{f.name}" for f in FORMATS)


def test_every_writer_loads() -> None:
    for fmt in FORMATS:
        assert callable(fmt.load_writer())


def test_lookup_by_name_and_by_suffix() -> None:
    assert format_named("fit").suffix == ".fit"
    assert format_for(Path("Run.TCX")) is format_named("tcx")
    assert format_for(Path("run.gpx")) is None
    with pytest.raises(ValueError, match="unknown export format 'gpx'"):
        format_named("gpx")


def test_the_cli_offers_every_format() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    export_command.add_arguments(parser)
    action = next(a for a in parser._actions if a.dest == "format")
    assert sorted(action.choices or []) == sorted(f.name for f in FORMATS)
    for fmt in FORMATS:
        assert export_command.infer_format(Path(f"x{fmt.suffix}")) == fmt.name


def test_the_tui_menu_has_a_key_for_every_format() -> None:
    keys = {b.key for b in ExportModal.BINDINGS if not isinstance(b, tuple)}
    assert {f.key for f in FORMATS} <= keys


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_the_live_app_writes_every_format(
    run_walk_session: SessionData, tmp_path: Path, fmt: str
) -> None:
    path = export_session(run_walk_session, fmt, tmp_path)
    assert path.suffix == f".{fmt}" and path.stat().st_size > 1000
    expected = [path, *format_named(fmt).companions(path)]
    assert sorted(tmp_path.iterdir()) == sorted(expected)


def test_the_csv_events_file_is_named_where_the_writer_puts_it() -> None:
    from cadence.export.csv import events_path

    assert format_named("csv").companions(Path("a/run.csv")) == [events_path(Path("a/run.csv"))]
