"""A pain rating must survive even when the database can't take it right now.

Normally ``add_pain`` commits the rating to SQLite at once. If that fails (the
file is locked by another program, say), the rating is appended to a small
journal file next to the database and fsynced, so it is on disk the moment it
was entered. The next successful flush writes it to the database and removes the
journal; if the process dies first, recovery reads the journal back in. (On a
full disk the journal write may fail too; then the rating is held in memory
like the samples, and the screen says so.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cadence.model.session import EventKind, EventRecord


def journal_path(db_path: Path, session_id: int) -> Path:
    return db_path.with_name(f"{db_path.name}.pain-{session_id}.jsonl")


def append(db_path: Path, session_id: int, event: EventRecord) -> bool:
    """Append ``event`` (a PAIN event) and fsync; False if even that can't be written."""
    line = json.dumps({"t_s": event.t_s, **event.payload}) + "\n"
    try:
        fd = os.open(journal_path(db_path, session_id), os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                     0o600)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        return False
    return True


def read(db_path: Path, session_id: int) -> list[EventRecord]:
    """The ratings in the journal (a torn last line from a crash is skipped)."""
    path = journal_path(db_path, session_id)
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        try:
            data: dict[str, Any] = json.loads(line)
            t_s = float(data.pop("t_s"))
            out.append(EventRecord(t_s, EventKind.PAIN, {
                "rating": int(data["rating"]), "prompt_id": data.get("prompt_id"),
                "when": str(data.get("when", "during"))}))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def discard(db_path: Path, session_id: int) -> None:
    journal_path(db_path, session_id).unlink(missing_ok=True)
