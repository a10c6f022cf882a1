"""``cadence export ID|last -o FILE [--format fit|tcx|csv|png] [--db PATH]``.

Writes one recorded session in a format other tools read: FIT for Garmin
Connect, Strava and GoldenCheetah; TCX for the same when FIT is not wanted;
CSV for spreadsheets; PNG to look at. The format comes from ``--format`` or,
failing that, from the output file's suffix.

Bad input (unknown format, missing session, a folder that does not exist or
can't be written, a target that exists but is not a regular file: a device
node, a FIFO, a folder) is one line on stderr and exit 2, and nothing is
touched. The file is written to a
temporary name beside the target and moved into place only when complete, so a
failed export leaves nothing behind and never spoils an earlier file.

Only the standard library and the format list (``export.formats``, itself
standard library only) are imported at module level; the store and the writers
(and with them matplotlib and the FIT SDK) load inside ``run``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cadence.commands._store_args import add_db_argument, fail, store_command
from cadence.export.files import not_regular_reason
from cadence.export.formats import FORMAT_NAMES, FORMATS, ExportFormat, format_for, format_named

_NAMES = "|".join(FORMAT_NAMES)
_SUFFIXES = "/".join(f.suffix for f in FORMATS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", metavar="ID", help="a session id, or 'last'")
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, type=Path, help="the file to write"
    )
    parser.add_argument(
        "--format",
        choices=sorted(FORMAT_NAMES),
        default=None,
        help=f"{', '.join(FORMAT_NAMES[:-1])} or {FORMAT_NAMES[-1]} "
        "(default: taken from FILE's suffix)",
    )
    add_db_argument(parser)


def infer_format(path: Path) -> str | None:
    """The export format named by ``path``'s suffix, or None."""
    fmt = format_for(path)
    return None if fmt is None else fmt.name


def _check_output(path: Path, fmt: ExportFormat) -> str | None:
    """A one-line reason ``path`` can't be an export target, or None if it looks fine."""
    parent = path.parent
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    for target in (path, *fmt.companions(path)):
        not_regular = not_regular_reason(target)
        if not_regular is not None:
            return not_regular
    if not parent.exists():
        return f"can't write {path}: folder {parent} does not exist"
    if not parent.is_dir():
        return f"can't write {path}: {parent} is not a folder"
    return None


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    fmt: ExportFormat | None = format_named(args.format) if args.format else format_for(output)
    if fmt is None:
        return fail(
            f"can't tell the format from {output.name!r}; "
            f"use --format {_NAMES} or a {_SUFFIXES} name"
        )
    problem = _check_output(output, fmt)
    if problem is not None:
        return fail(problem)

    return store_command(args.db, lambda: _export(args.db, args.session, fmt, output))


def _export(db: str | None, session: str, fmt: ExportFormat, output: Path) -> int:
    from cadence.store.store import Store

    with Store.open(db, create=False) as store:
        data = store.load_session(session)
    try:
        fmt.write(data, output)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return fail(f"can't write {output}: {reason}")
    print(f"wrote session {data.info.session_id} as {fmt.name.upper()} to {output}")
    for companion in fmt.companions(output):
        print(f"  and {companion}")
    return 0
