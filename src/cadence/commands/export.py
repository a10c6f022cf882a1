"""``cadence export ID|last -o FILE [--format fit|tcx|csv|png] [--db PATH]``.

Writes one recorded session in a format other tools read: FIT for Garmin
Connect, Strava and GoldenCheetah; TCX for the same when FIT is not wanted;
CSV for spreadsheets; PNG to look at. The format comes from ``--format`` or,
failing that, from the output file's suffix.

Bad input (unknown format, missing session, a folder that does not exist or
can't be written) is one line on stderr and exit 2. The file is written to a
temporary name beside the target and moved into place only when complete, so a
failed export leaves nothing behind and never spoils an earlier file.

Only the standard library is imported at module level; the store and the
exporters (and with them matplotlib and the FIT SDK) load inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from cadence.commands._store_args import add_db_argument, fail, store_command

#: format -> (module under cadence.export, function name)
EXPORTERS: dict[str, tuple[str, str]] = {
    "fit": ("fit", "export_fit"),
    "tcx": ("tcx", "export_tcx"),
    "csv": ("csv", "export_csv"),
    "png": ("png", "export_png"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", metavar="ID", help="a session id, or 'last'")
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, type=Path, help="the file to write"
    )
    parser.add_argument(
        "--format",
        choices=sorted(EXPORTERS),
        default=None,
        help="fit, tcx, csv or png (default: taken from FILE's suffix)",
    )
    add_db_argument(parser)


def infer_format(path: Path) -> str | None:
    """The export format named by ``path``'s suffix, or None."""
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in EXPORTERS else None


def _check_output(path: Path) -> str | None:
    """A one-line reason ``path`` can't be an export target, or None if it looks fine."""
    parent = path.parent
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    if not parent.exists():
        return f"can't write {path}: folder {parent} does not exist"
    if not parent.is_dir():
        return f"can't write {path}: {parent} is not a folder"
    return None


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    fmt: str | None = args.format or infer_format(output)
    if fmt is None:
        return fail(
            f"can't tell the format from {output.name!r}; "
            "use --format fit|tcx|csv|png or a .fit/.tcx/.csv/.png name"
        )
    problem = _check_output(output)
    if problem is not None:
        return fail(problem)

    return store_command(args.db, lambda: _export(args.db, args.session, fmt, output))


def _export(db: str | None, session: str, fmt: str, output: Path) -> int:
    from cadence.store.store import Store

    with Store.open(db, create=False) as store:
        data = store.load_session(session)
    module_name, function_name = EXPORTERS[fmt]
    exporter = getattr(importlib.import_module(f"cadence.export.{module_name}"), function_name)
    try:
        exporter(data, output)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return fail(f"can't write {output}: {reason}")
    print(f"wrote session {data.info.session_id} as {fmt.upper()} to {output}")
    return 0
