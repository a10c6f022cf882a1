"""Samples and events waiting to be written, held compactly in memory.

Normally this holds about a second of data between two flushes. When the disk
is full or another program locks the database it is what keeps the session
going: everything stays here until a later flush succeeds. Samples are kept as
packed columns (about 60 bytes a row instead of ~200 for ``Sample`` objects), so
the bound below is several hours of sensor data in a few tens of megabytes.
Past the bound the oldest samples are dropped (and counted), never the events:
events are few and carry the pain ratings.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator
from typing import Any

from cadence.model.sample import Sample

#: default bound on held samples: 6 hours of a 10 Hz footpod plus 1 Hz heart rate and treadmill
DEFAULT_MAX_SAMPLES = 6 * 3600 * 12
_NAN = math.nan

SampleRow = tuple[
    float, str, float | None, float | None, int | None, float | None, float | None,
    float | None, str,
]
EventRow = tuple[float, str, str]


def _f(value: float | None) -> float:
    return _NAN if value is None else float(value)


def _opt(value: float) -> float | None:
    return None if value != value else value  # NaN marks "not measured"


class PendingBuffer:
    """Columns of pending sample rows plus a list of pending event rows."""

    def __init__(self, max_samples: int = DEFAULT_MAX_SAMPLES) -> None:
        if max_samples < 1:
            raise ValueError("max_samples must be at least 1")
        self.max_samples = max_samples
        self.dropped_samples = 0
        self._labels: list[str] = []  # role and sensor_id strings, interned to small ints
        self._label_ix: dict[str, int] = {}
        self._t = array("d")
        self._cad = array("d")
        self._speed = array("d")
        self._dist = array("d")
        self._incline = array("d")
        self._stride = array("d")
        self._hr = array("i")  # -1: not measured
        self._role = array("H")
        self._sensor = array("H")
        self._events: list[EventRow] = []

    def _label(self, text: str) -> int:
        ix = self._label_ix.get(text)
        if ix is None:
            ix = len(self._labels)
            self._labels.append(text)
            self._label_ix[text] = ix
        return ix

    def _columns(self) -> tuple[array[Any], ...]:
        return (self._t, self._cad, self._speed, self._dist, self._incline, self._stride,
                self._hr, self._role, self._sensor)

    @property
    def sample_count(self) -> int:
        return len(self._t)

    @property
    def event_count(self) -> int:
        return len(self._events)

    def __len__(self) -> int:
        return self.sample_count + self.event_count

    def span_s(self) -> float:
        """Session seconds covered by the held samples (0 when fewer than two)."""
        return self._t[-1] - self._t[0] if len(self._t) > 1 else 0.0

    def add_sample(self, s: Sample) -> None:
        if len(self._t) >= self.max_samples:
            self._drop_oldest(max(1, self.max_samples // 10))
        self._t.append(float(s.t_s))
        self._cad.append(_f(s.cadence_spm))
        self._speed.append(_f(s.speed_mps))
        self._dist.append(_f(s.distance_m))
        self._incline.append(_f(s.incline_pct))
        self._stride.append(_f(s.stride_length_m))
        self._hr.append(-1 if s.hr_bpm is None else int(s.hr_bpm))
        self._role.append(self._label(str(s.role)))
        self._sensor.append(self._label(s.sensor_id))

    def _drop_oldest(self, n: int) -> None:
        n = min(n, len(self._t))
        for col in self._columns():
            del col[:n]
        self.dropped_samples += n

    def add_event(self, row: EventRow) -> None:
        self._events.append(row)

    def sample_rows(self) -> Iterator[SampleRow]:
        """Rows in the column order of the ``samples`` table (without session_id)."""
        labels = self._labels
        for t, cad, speed, dist, inc, stride, hr, role, sensor in zip(
            *self._columns(), strict=True
        ):
            yield (t, labels[role], _opt(cad), _opt(speed), None if hr < 0 else hr,
                   _opt(dist), _opt(inc), _opt(stride), labels[sensor])

    def event_rows(self) -> list[EventRow]:
        return list(self._events)

    def absorb(self, newer: PendingBuffer) -> None:
        """Append everything ``newer`` holds after this buffer's rows (same bound).

        Why: the recorder writes a swapped-out buffer outside its lock; if that
        write fails, the rows taken in meanwhile go back behind it, in order.
        """
        for t, role, cad, speed, hr, dist, inc, stride, sensor in newer.sample_rows():
            if len(self._t) >= self.max_samples:
                self._drop_oldest(max(1, self.max_samples // 10))
            self._t.append(t)
            self._cad.append(_f(cad))
            self._speed.append(_f(speed))
            self._dist.append(_f(dist))
            self._incline.append(_f(inc))
            self._stride.append(_f(stride))
            self._hr.append(-1 if hr is None else hr)
            self._role.append(self._label(role))
            self._sensor.append(self._label(sensor))
        self._events.extend(newer.event_rows())
        self.dropped_samples += newer.dropped_samples

    def clear(self) -> None:
        """Forget everything held (after it was committed)."""
        for col in self._columns():
            del col[:]
        self._events.clear()
