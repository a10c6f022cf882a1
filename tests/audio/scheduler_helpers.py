"""Drive a ClickScheduler offline: render in any chunking, with requests at exact samples."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from cadence.audio.scheduler import ClickPair, ClickScheduler

SR = 48000


def make_click(length: int = 240, peak: float = 0.5) -> NDArray[np.float32]:
    """A decaying click that starts at its loudest sample, like the shipped ones."""
    t = np.arange(length)
    return (peak * np.exp(-t / 40.0) * np.cos(2 * np.pi * t / 24.0)).astype(np.float32)


CLICK = ClickPair(normal=make_click(), accent=make_click(peak=0.9))


def new_scheduler(**kwargs: object) -> ClickScheduler:
    kwargs.setdefault("accent_every", 0)
    return ClickScheduler(CLICK, samplerate=SR, **kwargs)  # type: ignore[arg-type]


def fixed(size: int) -> Iterator[int]:
    while True:
        yield size


def random_sizes(seed: int, low: int = 1, high: int = 3000) -> Iterator[int]:
    rng = np.random.default_rng(seed)
    while True:
        yield int(rng.integers(low, high + 1))


def render(
    sched: ClickScheduler,
    total: int,
    sizes: Iterator[int],
    requests: dict[int, Callable[[ClickScheduler], None]] | None = None,
) -> NDArray[np.float32]:
    """``total`` samples rendered in chunks from ``sizes``; each request runs at its sample."""
    out = np.zeros(total, np.float32)
    todo = sorted((requests or {}).items())
    pos = 0
    while pos < total:
        while todo and todo[0][0] <= pos:
            todo.pop(0)[1](sched)
        stop = min(total, todo[0][0]) if todo else total
        size = min(next(sizes), stop - pos)
        sched.render(out[pos : pos + size], pos / SR)
        pos += size
    return out


def beat_samples(sched: ClickScheduler) -> list[int]:
    return [sched.beat(n).sample for n in range(sched.beat_count)]


def grid(first: int, period: Fraction, count: int) -> list[int]:
    """Exact ideal onsets: first + round(k * period), halves rounded up."""
    num, den = period.numerator, period.denominator
    return [first + (2 * k * num + den) // (2 * den) for k in range(count)]


def period_of(bpm: float) -> Fraction:
    return Fraction(60 * SR) / Fraction(bpm)
