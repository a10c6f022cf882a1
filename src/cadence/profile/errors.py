"""Errors in a profile or program file, each pinned to file, line and field.

Profiles are hand-written YAML that runners copy and edit, so a vague "invalid
profile" is useless: every problem names the file, the 1-based line, the dotted
field path (``metronome.volume``, ``sensors[1].address``) and what is wrong,
in one grep-friendly line::

    profiles/x.yaml:12: metronome.volume: must be between 0 and 1 (got 1.5)

The validator keeps going after the first problem, so one ``ProfileError`` can
carry several ``ProfileIssue``; the first one also backs the convenience
attributes (``err.line``, ``err.field``...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProfileIssue:
    """One problem in one file.

    Attributes:
        file: the file as the user named it (or a resolved path).
        line: 1-based line, or ``None`` when the file could not be read at all.
        column: 1-based column, or ``None``.
        field: dotted field path, ``""`` for the whole document.
        message: what is wrong, in plain words, ideally with the value found.
    """

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ProfileError(Exception):
    """A profile or program file that cannot be used; ``str()`` is one line per issue."""

    def __init__(self, issues: Iterable[ProfileIssue]) -> None:
        self.issues: tuple[ProfileIssue, ...] = tuple(issues)
        if not self.issues:
            raise ValueError("ProfileError needs at least one issue")
        super().__init__("\n".join(str(i) for i in self.issues))

    @classmethod
    def one(
        cls,
        file: str | Path,
        line: int | None,
        field: str,
        message: str,
        column: int | None = None,
    ) -> ProfileError:
        """A ``ProfileError`` with a single issue."""
        return cls([ProfileIssue(str(file), line, column, field, message)])

    @property
    def file(self) -> str:
        return self.issues[0].file

    @property
    def line(self) -> int | None:
        return self.issues[0].line

    @property
    def column(self) -> int | None:
        return self.issues[0].column

    @property
    def field(self) -> str:
        return self.issues[0].field

    @property
    def message(self) -> str:
        return self.issues[0].message
