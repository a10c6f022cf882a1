"""Writing an export safely: whole or not at all, and only ever onto a regular file.

Files are written to a temporary file in the target's own folder and then
moved over the target with ``os.replace``: a failed export never leaves a
half-written file behind and never truncates an older good one.

That move replaces whatever the name points at, so a target that exists and
is not a regular file (a device node such as ``/dev/null``, a FIFO, a socket,
a folder) is refused first: as root, ``-o /dev/null`` would otherwise swap the
device node for a plain file. A symlink is judged by what it points to.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


class NotARegularFile(OSError):
    """The export target exists and is not a regular file."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular_reason(path: Path) -> str | None:
    """Why ``path`` can't be written over (it exists and is not a regular file), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError:
        return None  # unreadable: the write itself will say why
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{path} is {kind}, not a regular file; give a file name"


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it over ``path``.

    On any error the temporary file is removed and ``path`` is left as it was.
    Raises ``NotARegularFile`` (an ``OSError``) if ``path`` exists and is not a
    regular file, and ``OSError`` (e.g. ``FileNotFoundError``) if the folder is
    missing or not writable.
    """
    target = Path(path)
    reason = not_regular_reason(target)
    if reason is not None:
        raise NotARegularFile(reason)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent if str(target.parent) else "."
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(payload)
