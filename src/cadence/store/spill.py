"""What the database can't take yet, kept in a file that outlives the process.

When the session file is locked by another program or its disk is full, the
recorder holds samples and events in memory and retries. Memory does not
survive a kill or the runner quitting, so the held rows are also written here:
one JSON-lines file per session, rewritten whole (temporary file, fsync,
rename) so it is always either the previous or the new snapshot, never half of
one. It goes next to the database if that filesystem takes it, else into a
folder on another filesystem (``$CADENCE_SPILL_DIR``, else ``~/.cache/cadence``,
else the system's temporary folder). The next start's recovery reads every copy
back in (``recovery``), skipping rows that reached the database meanwhile, and
removes them. A successful flush removes them at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cadence.store.buffer import EventRow, SampleRow

ENV_SPILL_DIR = "CADENCE_SPILL_DIR"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class Spill:
    """One spill file read back."""

    path: Path
    samples: tuple[SampleRow, ...]
    events: tuple[EventRow, ...]
    end_reason: str | None  # set when the run had ended and only the write was missing
    duration_s: float | None


def _fallback_dirs() -> list[Path]:
    override = os.environ.get(ENV_SPILL_DIR, "").strip()
    dirs = [Path(override).expanduser()] if override else []
    dirs.append(Path.home() / ".cache" / "cadence" / "spill")
    dirs.append(Path(tempfile.gettempdir()) / "cadence-spill")
    return dirs


def candidates(db_path: Path, session_id: int) -> list[Path]:
    """Where a spill of ``session_id`` may be, in the order they are tried."""
    key = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:16]
    out = [db_path.with_name(f"{db_path.name}.spill-{session_id}.jsonl")]
    out += [d / f"{key}-{session_id}.jsonl" for d in _fallback_dirs()]
    return out


def write(db_path: Path, session_id: int, samples: Iterable[SampleRow],
          events: Iterable[EventRow], *, end_reason: str | None = None,
          duration_s: float | None = None) -> Path | None:
    """Write the snapshot to the first place that takes it; that path, or None if none did."""
    header = {"cadence_spill": FORMAT, "db": str(db_path), "session_id": session_id,
              "end_reason": end_reason, "duration_s": duration_s}
    lines = [json.dumps(header)]
    lines += [json.dumps({"s": list(row)}) for row in samples]
    lines += [json.dumps({"e": list(row)}) for row in events]
    data = ("\n".join(lines) + "\n").encode()
    for path in candidates(db_path, session_id):
        if _write_atomic(path, data):
            return path
    return None


def _write_atomic(path: Path, data: bytes) -> bool:
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def read(db_path: Path, session_id: int) -> list[Spill]:
    """Every readable spill of ``session_id`` (a damaged line is skipped, not fatal)."""
    out = []
    for path in candidates(db_path, session_id):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        spill = _parse(path, text, session_id)
        if spill is not None:
            out.append(spill)
    return out


def _parse(path: Path, text: str, session_id: int) -> Spill | None:
    lines = text.splitlines()
    try:
        header: dict[str, Any] = json.loads(lines[0]) if lines else {}
    except ValueError:
        return None
    if header.get("cadence_spill") != FORMAT or header.get("session_id") != session_id:
        return None
    samples: list[SampleRow] = []
    events: list[EventRow] = []
    for line in lines[1:]:
        try:
            item = json.loads(line)
            if "s" in item:
                t, role, cad, speed, hr, dist, inc, stride, sensor = item["s"]
                samples.append((float(t), str(role), cad, speed, hr, dist, inc, stride,
                                str(sensor)))
            elif "e" in item:
                t, kind, payload = item["e"]
                events.append((float(t), str(kind), str(payload)))
        except (ValueError, TypeError, KeyError):
            continue
    duration = header.get("duration_s")
    reason = header.get("end_reason")
    return Spill(path, tuple(samples), tuple(events), str(reason) if reason else None,
                 float(duration) if isinstance(duration, int | float) else None)


def discard(db_path: Path, session_id: int) -> None:
    """Remove every spill of ``session_id`` (its rows are in the database now)."""
    for path in candidates(db_path, session_id):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
