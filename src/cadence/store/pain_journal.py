"""A pain rating must survive even when the database can't take it right now.

Normally ``add_pain`` commits the rating to SQLite at once. If that fails (the
file is locked by another program, the disk is full), the rating is written to
a small journal file and fsynced, so it is on disk the moment it was entered.
The next successful flush writes it to the database and clears the journal; if
the process dies first, recovery reads the journal back in.

Why space is reserved up front: on a full disk a journal created at the moment
of need gets an inode but no data block, and the rating is lost to a 0-byte
file. So ``reserve`` writes ``RESERVE_BYTES`` of zeros for the session's
journal when recording starts, and a rating is later written *into* that
space (at the first zero byte), which needs no new block. The reservation
goes beside the database; if even that fails (the disk was already full at
start), it goes to a fallback folder on another filesystem - ``$CADENCE_FALLBACK_DIR``,
else ``$XDG_RUNTIME_DIR/cadence``, else ``/dev/shm/cadence-<uid>``: memory-backed, it
survives a killed process but not a reboot, which is why it is second. A rating
goes to the first place that takes it; only if none does is ``append`` False,
and the caller must say so on screen at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from cadence.model.session import EventKind, EventRecord

#: room for about a thousand ratings (a line is ~60 bytes)
RESERVE_BYTES = 64 * 1024


def journal_path(db_path: Path, session_id: int) -> Path:
    return db_path.with_name(f"{db_path.name}.pain-{session_id}.jsonl")


def fallback_dir() -> Path:
    """Where a journal goes when the database's disk takes nothing (see the module doc)."""
    chosen = os.environ.get("CADENCE_FALLBACK_DIR")
    if chosen:
        return Path(chosen)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "cadence"
    uid = os.getuid() if hasattr(os, "getuid") else 0
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() else Path(tempfile.gettempdir())
    return base / f"cadence-{uid}"


def fallback_path(db_path: Path, session_id: int) -> Path:
    """The fallback journal of ``session_id``, named after the database it belongs to."""
    key = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:16]
    return fallback_dir() / f"{key}.pain-{session_id}.jsonl"


def _places(db_path: Path, session_id: int) -> tuple[Path, Path]:
    return journal_path(db_path, session_id), fallback_path(db_path, session_id)


def reserve(db_path: Path, session_id: int) -> Path | None:
    """Reserve journal space for a session about to record; where, or None if nowhere.

    Call when recording starts. Existing journals (ratings not yet in the
    database) are left as they are.
    """
    for place in _places(db_path, session_id):
        if place.exists():
            return place
        try:
            if place.parent != db_path.parent:
                place.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(place, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            continue
        try:
            try:
                _write_all(fd, bytes(RESERVE_BYTES), 0)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            place.unlink(missing_ok=True)  # a part-reserved file is no reservation
            continue
        return place
    return None


def append(db_path: Path, session_id: int, event: EventRecord) -> bool:
    """Write ``event`` (a PAIN event) to the session's journal and fsync it.

    Tries the reservation beside the database, then the fallback one; False only
    if neither place could take it (then the caller must say so at once).
    """
    line = (json.dumps({"t_s": event.t_s, **event.payload}) + "\n").encode()
    return any(_write_line(place, line) for place in _places(db_path, session_id))


def _write_line(path: Path, line: bytes) -> bool:
    """Into the reserved zeros if there is room, else at the end; True once fsynced."""
    size = 0
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        size = os.fstat(fd).st_size
        used = _used_bytes(os.pread(fd, size, 0)) if size else 0
        if used and os.pread(fd, 1, used - 1) != b"\n":
            line = b"\n" + line  # a torn line from a kill: start a fresh one
        _write_all(fd, line, used)
        os.fsync(fd)
    except OSError:
        if size == 0:  # created just now and nothing fitted: leave no 0-byte file
            with contextlib.suppress(OSError):
                path.unlink()
        return False
    finally:
        os.close(fd)
    return True


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, offset)
        view, offset = view[done:], offset + done


def _used_bytes(data: bytes) -> int:
    """Where the written lines end: the first zero byte of the reservation (or the end)."""
    end = data.find(b"\0")
    return len(data) if end < 0 else end


def read(db_path: Path, session_id: int) -> list[EventRecord]:
    """The ratings in the session's journals (a torn last line from a kill is skipped)."""
    out: list[EventRecord] = []
    seen: set[tuple[float, str]] = set()
    for place in _places(db_path, session_id):
        try:
            data = place.read_bytes()
        except OSError:
            continue
        text = data[: _used_bytes(data)].decode("utf-8", errors="replace")
        for line in text.splitlines():
            event = _parse(line)
            if event is not None:
                key = (event.t_s, json.dumps(event.payload, sort_keys=True))
                if key not in seen:
                    seen.add(key)
                    out.append(event)
    return out


def _parse(line: str) -> EventRecord | None:
    try:
        data: dict[str, Any] = json.loads(line)
        t_s = float(data.pop("t_s"))
        return EventRecord(t_s, EventKind.PAIN, {
            "rating": int(data["rating"]), "prompt_id": data.get("prompt_id"),
            "when": str(data.get("when", "during"))})
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def discard(db_path: Path, session_id: int) -> None:
    """The journal's ratings are in the database now: clear it.

    While the session is still recording (its live lock is held), the
    reservation is kept and only zeroed, so the next rating on a full disk
    still has room; otherwise the files are removed.
    """
    from cadence.store.live_lock import is_live

    keep = sys.platform != "win32" and is_live(db_path, session_id)
    for place in _places(db_path, session_id):
        if keep:
            _zero(place)
        else:
            place.unlink(missing_ok=True)


def release(db_path: Path, session_id: int) -> None:
    """The session finished and its ratings are in the database: remove its journals."""
    for place in _places(db_path, session_id):
        place.unlink(missing_ok=True)


def _zero(path: Path) -> None:
    """Overwrite the written lines with zeros in place (no new block needed)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDWR)
        try:
            size = os.fstat(fd).st_size
            used = _used_bytes(os.pread(fd, size, 0))
            if used:
                _write_all(fd, bytes(used), 0)
                os.fsync(fd)
        finally:
            os.close(fd)
