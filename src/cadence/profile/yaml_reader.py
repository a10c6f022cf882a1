"""A small typed reader over PyYAML nodes that reports file, line and field.

Why not ``yaml.safe_load`` plus checks on the dicts? Plain dicts forget where a
value came from, and silently keep the last of two duplicate keys. Composed
nodes (``yaml.compose``) keep a ``start_mark`` with the line of every key and
value, so each complaint can point at the exact line a runner has to edit.

Why not a schema library? The profile is small and flat, the messages matter
more than the machinery, and this keeps ``cadence.profile`` dependency-free
beyond PyYAML. ``MapReader`` reads one mapping: it rejects unknown keys (with a
"did you mean" hint), duplicate keys and missing required keys up front, then
hands out typed values with range checks. Problems are collected in ``Issues``
rather than raised, so one run of ``cadence profile check`` lists them all; a
bad value falls back to its default so reading can continue.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cadence.profile.errors import ProfileError, ProfileIssue

E = TypeVar("E", bound=StrEnum)

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"


class Issues:
    """Problems found so far in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[ProfileIssue] = []

    def add(self, node: Node | None, field: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        self.items.append(ProfileIssue(self.file, line, column, field, message))

    def raise_if_any(self) -> None:
        if self.items:
            own_first = sorted(
                self.items, key=lambda i: (i.file != self.file, i.line or 0, i.column or 0)
            )
            raise ProfileError(own_first)


def compose(text: str, file: str) -> Node | None:
    """Parse YAML text into a node tree; syntax errors become a ``ProfileError``."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise ProfileError.one(file, line, "", f"YAML syntax error: {problem}", column) from exc
    except yaml.YAMLError as exc:  # e.g. bytes that are not text
        raise ProfileError.one(file, None, "", f"not a readable YAML file: {exc}") from exc


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def fmt(value: float) -> str:
    """``5.0`` -> ``5``, ``0.8`` -> ``0.8``: numbers the way a runner wrote them."""
    return f"{value:g}"


def describe(node: Node) -> str:
    """A short phrase for what a node holds, used after "got"."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    if node.tag == _STR_TAG:
        return f"text {node.value!r}"
    return str(node.value)


def did_you_mean(word: str, choices: Sequence[str], *, list_all: bool = True) -> str:
    """``"; did you mean 'x'?"`` for a near miss, else the choices (or nothing)."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; expected one of: {', '.join(choices)}" if list_all else ""


def scalar(node: Node) -> object:
    """The Python value of a scalar node (int, float, bool, str, None...)."""
    return SafeConstructor().construct_object(node, deep=True)


class _Missing:
    pass


_MISSING = _Missing()


class MapReader:
    """Typed access to one YAML mapping, reporting problems into ``issues``."""

    def __init__(
        self,
        issues: Issues,
        node: Node | None,
        path: str,
        known: Sequence[str],
        required: Sequence[str] = (),
    ) -> None:
        self.issues = issues
        self.node = node
        self.path = path
        self._values: dict[str, Node] = {}
        if node is None:  # an absent optional section: everything takes its default
            return
        if not isinstance(node, MappingNode):
            if isinstance(node, ScalarNode) and node.tag == _NULL_TAG and not required:
                return  # "metronome:" with nothing after it: all defaults
            expected = ", ".join(known[:4]) + (", ..." if len(known) > 4 else "")
            issues.add(
                node, path, f"must be a mapping of fields ({expected}); got {describe(node)}"
            )
            return
        seen_at: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                issues.add(key_node, path, "field names must be plain words")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen_at:
                issues.add(
                    key_node, join(path, key), f"appears twice (first on line {seen_at[key]})"
                )
                continue
            seen_at[key] = line
            if key not in known:
                issues.add(key_node, join(path, key), "unknown field" + did_you_mean(key, known))
                continue
            self._values[key] = value_node
        for key in required:
            if key not in seen_at:
                issues.add(node, join(path, key), "is required but missing")

    # -- plumbing -------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self._values

    def value_node(self, key: str) -> Node | None:
        return self._values.get(key)

    def field(self, key: str) -> str:
        return join(self.path, key)

    def error(self, key: str, message: str) -> None:
        """Report ``message`` against ``key``'s value (or the mapping when absent)."""
        self.issues.add(self._values.get(key, self.node), self.field(key), message)

    def _present(self, key: str, allow_null: bool) -> Node | None:
        node = self._values.get(key)
        if node is None:
            return None
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG and not allow_null:
            self.error(key, "is empty; give a value or delete the line")
            return None
        return node

    # -- typed values ---------------------------------------------------------

    def _number(
        self, key: str, lo: float, hi: float, integer: bool, lo_open: bool, why: str
    ) -> float | _Missing | None:
        node = self._present(key, allow_null=True)
        if node is None:
            return _MISSING
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return None
        kind = "a whole number" if integer else "a number"
        if not isinstance(node, ScalarNode) or node.tag not in (_INT_TAG, _FLOAT_TAG):
            self.error(key, f"must be {kind} (got {describe(node)})")
            return _MISSING
        if ":" in str(node.value):  # YAML 1.1 reads 1:30 as the base-60 number 90
            self.error(
                key, f"write a plain number such as 1.5, not a clock time (got {node.value})"
            )
            return _MISSING
        value = scalar(node)
        assert isinstance(value, int | float)
        if integer and node.tag != _INT_TAG:
            self.error(key, f"must be {kind} (got {node.value})")
            return _MISSING
        too_low = value <= lo if lo_open else value < lo
        if not math.isfinite(value) or too_low or value > hi:
            low_word = f"more than {fmt(lo)} and at most" if lo_open else f"between {fmt(lo)} and"
            note = f"; {why}" if why else ""
            self.error(key, f"must be {low_word} {fmt(hi)} (got {node.value}){note}")
            return _MISSING
        return float(value)

    def number(
        self,
        key: str,
        default: float,
        lo: float,
        hi: float,
        *,
        lo_open: bool = False,
        why: str = "",
    ) -> float:
        """A number in ``[lo, hi]`` (``(lo, hi]`` with ``lo_open``); ``default`` if absent."""
        value = self._number(key, lo, hi, False, lo_open, why)
        if value is None:
            self.error(key, "is empty; give a number or delete the line")
            return float(default)
        return float(default) if isinstance(value, _Missing) else value

    def optional_number(
        self, key: str, default: float | None, lo: float, hi: float
    ) -> float | None:
        """Like ``number`` but an empty value (``key:`` or ``null``) means "not set"."""
        value = self._number(key, lo, hi, False, False, "")
        return default if isinstance(value, _Missing) else value

    def whole(self, key: str, default: int, lo: int, hi: int, *, why: str = "") -> int:
        """A whole number in ``[lo, hi]``; ``default`` if absent."""
        value = self._number(key, lo, hi, True, False, why)
        if value is None:
            self.error(key, "is empty; give a whole number or delete the line")
            return default
        return default if isinstance(value, _Missing) else int(value)

    def optional_whole(self, key: str, default: int | None, lo: int, hi: int) -> int | None:
        value = self._number(key, lo, hi, True, False, "")
        return default if isinstance(value, _Missing) or value is None else int(value)

    def text(self, key: str, default: str, *, allow_blank: bool = False) -> str:
        """Any plain scalar as written (``runner: 42`` is the name "42")."""
        node = self._present(key, allow_null=allow_blank)
        if node is None:
            return default
        if not isinstance(node, ScalarNode):
            self.error(key, f"must be text (got {describe(node)})")
            return default
        value = "" if node.tag == _NULL_TAG else str(node.value).strip()
        if not value and not allow_blank:
            self.error(key, "must not be blank")
            return default
        return value

    def optional_text(self, key: str) -> str | None:
        node = self._present(key, allow_null=True)
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
            return None
        return self.text(key, "") or None

    def boolean(self, key: str, default: bool) -> bool:
        node = self._present(key, allow_null=False)
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag != _BOOL_TAG:
            self.error(key, f"must be true or false (got {describe(node)})")
            return default
        return bool(scalar(node))

    def choice(self, key: str, enum: type[E], default: E) -> E:
        """One of an enum's values; ``off``/``no`` are taken as written, not as booleans."""
        node = self._present(key, allow_null=False)
        if node is None:
            return default
        options = [str(member.value) for member in enum]
        if not isinstance(node, ScalarNode):
            self.error(key, f"must be one of {', '.join(options)} (got {describe(node)})")
            return default
        raw = str(node.value).strip().lower()
        if raw not in options:
            hint = did_you_mean(raw, options, list_all=False)
            self.error(key, f"must be one of {', '.join(options)} (got {node.value!r}){hint}")
            return default
        return enum(raw)

    def items(self, key: str) -> list[Node]:
        """The entries of a list (an absent or empty key gives ``[]``)."""
        node = self._present(key, allow_null=True)
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL_TAG):
            return []
        if not isinstance(node, SequenceNode):
            self.error(key, f"must be a list (got {describe(node)})")
            return []
        return list(node.value)

    def text_list(self, key: str) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self.items(key)):
            if not isinstance(item, ScalarNode) or item.tag == _NULL_TAG or not str(item.value):
                self.issues.add(
                    item, f"{self.field(key)}[{i}]", f"must be text (got {describe(item)})"
                )
                continue
            out.append(str(item.value).strip())
        return tuple(out)

    def section(self, key: str, known: Sequence[str], required: Sequence[str] = ()) -> MapReader:
        """A nested mapping; absent sections read as empty (all defaults)."""
        return MapReader(self.issues, self._values.get(key), self.field(key), known, required)
