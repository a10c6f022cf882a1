"""Samples as numpy (time, value) streams: the fast way to read a session for its summary.

Why this exists: a 3-hour session holds ~130k samples. Reading them back as
``Sample`` objects costs 300+ ms (a Python float for each of nine columns of
every row, then an object per row), three times the whole budget of
``cadence summary``. The summary only ever looks at a few streams — cadence
from one sensor, distance (or speed) from one, heart rate from one — so
``read.load_session_columns`` asks SQLite for exactly those rows and columns
and lands them straight in float arrays: no object per sample, two values a row.

Both representations answer the same question, ``stream(field, roles)``: the
readings of ``field`` from the first of ``roles`` that reported it, in time
order (ties kept in recording order), missing values left out. ``SampleStreams``
answers it from ``Sample`` objects (``SessionData``, the in-memory path the live
app and the exporters use); ``LoadedStreams`` holds the answers that
``read.load_session_columns`` read from SQLite. The summary is the same
arithmetic over either. No SQL here: ``read`` stays the only reader of the tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

import numpy as np

from cadence.model.sample import Sample, SensorRole
from cadence.model.session import EventRecord, SessionInfo
from cadence.report.timeline import FloatArray, IntArray, no_gc

#: sample columns that hold numbers and can be read as a stream
NUMERIC_FIELDS = frozenset(
    {"cadence_spm", "speed_mps", "hr_bpm", "distance_m", "incline_pct", "stride_length_m"}
)

#: ``(field, roles in order of preference)``: which readings of a field to use
StreamSpec = tuple[str, tuple[SensorRole, ...]]

_ROLE_CODE = {role: i for i, role in enumerate(SensorRole)}
_GET_T = attrgetter("t_s")
_GET_ROLE = attrgetter("role")


@dataclass(frozen=True, slots=True)
class Stream:
    """One field's readings from one sensor role: times and values, in time order."""

    t: FloatArray
    v: FloatArray

    @classmethod
    def empty(cls) -> Stream:
        return cls(np.zeros(0), np.zeros(0))


class StreamSource(Protocol):
    """Anything the summary can read streams from."""

    def stream(self, field: str, roles: Sequence[SensorRole]) -> Stream:
        """``field`` from the first of ``roles`` that reported it (empty if none did)."""
        ...


def _floats(items: Sequence[Sample], field: str) -> FloatArray:
    values = list(map(attrgetter(field), items))
    try:
        return np.fromiter(values, float, len(values))  # fast path: nothing missing
    except TypeError:
        return np.array(values, dtype=float)  # None becomes NaN


class SampleStreams:
    """Streams pulled lazily out of ``Sample`` objects, per (role, field).

    Only the times and roles are read for every sample; a field is read only for
    the role it is taken from (cadence from the footpod's samples, and so on).
    """

    def __init__(self, samples: Sequence[Sample]) -> None:
        self.samples = samples
        n = len(samples)
        with no_gc():
            self.t = np.fromiter(map(_GET_T, samples), float, n)
            self.role = np.fromiter(map(_ROLE_CODE.__getitem__, map(_GET_ROLE, samples)),
                                    np.int8, n)
        self._members: dict[SensorRole, tuple[IntArray, list[Sample]]] = {}

    def _of(self, role: SensorRole) -> tuple[IntArray, list[Sample]]:
        if role not in self._members:
            idx = np.flatnonzero(self.role == _ROLE_CODE[role])
            self._members[role] = (idx, list(map(self.samples.__getitem__, idx.tolist())))
        return self._members[role]

    def stream(self, field: str, roles: Sequence[SensorRole]) -> Stream:
        for role in roles:
            idx, items = self._of(role)
            if not items:
                continue
            with no_gc():
                values = _floats(items, field)
            has = ~np.isnan(values)
            if has.any():
                return Stream(self.t[idx][has], values[has])
        return Stream.empty()


class LoadedStreams:
    """Streams already read from SQLite; asking for one that was not loaded is a bug."""

    def __init__(self, streams: Mapping[StreamSpec, Stream]) -> None:
        self._streams = dict(streams)

    def stream(self, field: str, roles: Sequence[SensorRole]) -> Stream:
        try:
            return self._streams[(field, tuple(roles))]
        except KeyError:
            raise KeyError(
                f"stream {field} from {[r.value for r in roles]} was not loaded "
                f"(loaded: {sorted(f for f, _ in self._streams)})"
            ) from None

    @property
    def specs(self) -> tuple[StreamSpec, ...]:
        return tuple(self._streams)


@dataclass(frozen=True, slots=True)
class SessionColumns:
    """A session read for summarising: its info and events, and only the streams asked for.

    ``last_sample_t_s`` is the time of the latest sample of any role (None if
    there are none), which the session's length depends on.
    """

    info: SessionInfo
    streams: LoadedStreams
    events: tuple[EventRecord, ...]
    last_sample_t_s: float | None
