"""Limits on what a profile or program file may be, checked before and while it is parsed.

Why: profiles are files a runner edits, copies and points at, and the parser
must not be the thing that breaks. Without limits, ``program: /dev/zero``
reads forever (gigabytes in seconds), a FIFO blocks the open for good, a
20 MB file takes tens of seconds to parse, 3,000 nested brackets blow
Python's recursion limit and a 400-digit number overflows the float
conversion of every range check. Each of these becomes one ``ProfileError``
naming file, line and field, like any other mistake in a profile:

- only regular files (no FIFO, device, socket or folder), opened without
  blocking and read no further than ``MAX_FILE_BYTES``;
- nesting at most ``MAX_DEPTH`` levels (a real profile uses four);
- whole numbers at most ``MAX_DIGITS`` digits long.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cadence.profile.errors import ProfileError
from cadence.profile.yaml_reader import Issues, join

MAX_FILE_BYTES = 256 * 1024  # the largest shipped profile is ~3 kB
MAX_DEPTH = 32
MAX_DIGITS = 15  # beyond a double's exact integers; no setting needs a tenth of it

_INT_TAG = "tag:yaml.org,2002:int"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_profile_text(path: Path) -> str:
    """The text of a profile or program file, refused unless it is a small regular file."""
    def refuse(message: str) -> ProfileError:
        return ProfileError.one(path, None, "", message)

    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise refuse("file not found") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise refuse(f"is {kind}, not a file" if kind.startswith("a ") else kind)
        if info.st_size > MAX_FILE_BYTES:
            raise refuse(f"is {_size(info.st_size)}; a profile or program is at most "
                         f"{_size(MAX_FILE_BYTES)}")
        data = _read_at_most(fd, MAX_FILE_BYTES + 1)  # it may grow while we read
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise refuse(f"is more than {_size(MAX_FILE_BYTES)}; a profile or program is at most that")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text ({exc.reason})") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < limit:
        chunk = os.read(fd, min(65536, limit - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


class _TooDeep(yaml.composer.ComposerError):
    pass


class DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing nesting deeper than ``MAX_DEPTH`` (its composer recurses)."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeep(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1


def compose_profile(text: str, file: str) -> Node | None:
    """Parse YAML text into a node tree within the limits; every problem a ``ProfileError``."""
    try:
        root: Node | None = yaml.compose(text, Loader=DepthLimitedLoader)
    except _TooDeep as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ProfileError.one(file, line, "", f"{exc.problem}; a profile needs four",
                               mark.column + 1 if mark is not None else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise ProfileError.one(file, line, "", f"YAML syntax error: {problem}", column) from exc
    except yaml.YAMLError as exc:  # e.g. bytes that are not text
        raise ProfileError.one(file, None, "", f"not a readable YAML file: {exc}") from exc
    issues = Issues(file)
    _check_numbers(root, "", issues)
    issues.raise_if_any()
    return root


def _check_numbers(node: Node | None, path: str, issues: Issues) -> None:
    """Whole numbers longer than ``MAX_DIGITS`` digits, each reported where it is."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            _check_numbers(value, join(path, str(name)), issues)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _check_numbers(item, f"{path}[{i}]", issues)
    elif isinstance(node, ScalarNode) and node.tag == _INT_TAG:
        digits = sum(ch.isdigit() for ch in node.value)
        if digits > MAX_DIGITS:
            issues.add(node, path, f"a {digits}-digit number is far out of range for any setting")


def compose_file(path: Path) -> Node | None:
    """``read_profile_text`` then ``compose_profile``: what the loader calls for every file."""
    return compose_profile(read_profile_text(path), str(path))
