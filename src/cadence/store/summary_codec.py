"""A ``Summary`` as JSON and back, exactly: the form of the per-session summary cache.

Why a codec of its own rather than ``summary_render.summary_to_json``: that one
is for people and scripts (cue counts as an object, the drift's difference
added, stops as objects) and can't be read back. The cache needs the opposite:
reading a row back must give a ``Summary`` equal to the one written, field for
field, or ``cadence summary`` would print something different for a cached
session than for a fresh one. JSON floats round-trip exactly (Python writes the
shortest text that reads back to the same float), ints stay ints, and the start
time is ISO-8601 with its UTC offset.

The decoder is driven by the dataclasses' own type hints and checks every value
against them: a row that parses as JSON but has the wrong shape (a damaged
file, a hand edit, a field renamed without a ``SUMMARY_VERSION`` bump) raises
``ValueError`` and the caller recomputes, instead of showing wrong numbers or
crashing in the renderer. ``comparison`` is left out: it depends on the
sessions before this one and is recomputed from their headlines on every read.

Pure: no SQLite, no numpy.
"""

from __future__ import annotations

import dataclasses
import json
import types
from datetime import datetime
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from cadence.report.summary_model import Summary

#: fields of ``Summary`` the cache does not hold (recomputed on read)
NOT_CACHED = frozenset({"comparison"})


class CorruptSummary(ValueError):
    """A cached summary that does not read back as a ``Summary``."""


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def summary_to_cache(summary: Summary) -> str:
    """``summary`` (without ``comparison``) as compact JSON text."""
    out = {f.name: _encode(getattr(summary, f.name)) for f in dataclasses.fields(summary)
           if f.name not in NOT_CACHED}
    return json.dumps(out, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _fail(where: str, expected: str, value: Any) -> CorruptSummary:
    shown = repr(value)
    return CorruptSummary(f"{where}: expected {expected}, found {shown[:40]}")


def _decode_dataclass(cls: type, value: Any, where: str, skip: frozenset[str] = frozenset()
                      ) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    names = [f.name for f in dataclasses.fields(cls) if f.name not in skip]
    if set(value) != set(names):
        raise CorruptSummary(f"{where}: fields {sorted(value)} are not {sorted(names)}")
    hints = _hints(cls)
    return {name: _decode(hints[name], value[name], f"{where}.{name}") for name in names}


def _decode(tp: Any, value: Any, where: str) -> Any:
    origin, args = get_origin(tp), get_args(tp)
    if origin is Union or origin is types.UnionType:
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"{where}: unsupported union {tp}")  # a bug in this codec
        return _decode(options[0], value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise _fail(where, "a list", value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise _fail(where, f"{len(args)} items", value)
        return tuple(_decode(a, v, f"{where}[{i}]")
                     for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp(**_decode_dataclass(tp, value, where))
    if tp is datetime:
        if not isinstance(value, str):
            raise _fail(where, "a time", value)
        when = datetime.fromisoformat(value)  # ValueError if it is not one
        if when.tzinfo is None:
            raise _fail(where, "a time with its UTC offset", value)
        return when
    if tp is bool:
        if not isinstance(value, bool):
            raise _fail(where, "true or false", value)
        return value
    if tp is int or tp is float:
        ok = (int,) if tp is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok):
            raise _fail(where, tp.__name__, value)
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _fail(where, "text", value)
        return value
    raise TypeError(f"{where}: no decoder for {tp}")  # a field type this codec doesn't know


def summary_from_cache(text: str | bytes) -> Summary:
    """The ``Summary`` written by ``summary_to_cache`` (``comparison`` is None).

    Raises:
        CorruptSummary: ``text`` is not JSON or not the shape of a ``Summary``.
    """
    try:
        data = json.loads(text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise CorruptSummary(f"not JSON ({exc})") from exc
    fields = _decode_dataclass(Summary, data, "summary", NOT_CACHED)
    return Summary(**fields, comparison=None)
