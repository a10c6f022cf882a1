"""Judging captured music against the click grid: clicks by their sharp onsets, kicks below 250 Hz.

The synthetic tracks (``synth_tracks``) have nothing above ~400 Hz and no
steps; cadence's clicks start at their loudest sample. So in a capture of both:

- a click onset is a jump in the first difference far larger than any the
  music can make (``click_onsets``), exact to the sample;
- a kick onset is where the energy below 250 Hz (zero-phase low-pass, so no
  delay) rises a quarter of the way from its floor to its peak
  (``kick_onsets``), the same definition the analysis uses, so a kick found
  here at the click's sample means it was placed on the click.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.signal import butter, sosfiltfilt

SR = 48000


def click_onsets(x: NDArray[np.float32], *, jump: float = 0.15) -> NDArray[np.int64]:
    """Samples where a click starts: a first-difference jump over ``jump``, 100 ms apart."""
    d = np.abs(np.diff(x.astype(np.float64)))
    above = np.flatnonzero(d > jump) + 1
    if above.size == 0:
        return above.astype(np.int64)
    keep = np.concatenate(([True], np.diff(above) > int(0.1 * SR)))
    return above[keep].astype(np.int64)


def kick_onsets(x: NDArray[np.float32], *, cutoff_hz: float = 250.0) -> NDArray[np.float64]:
    """Kick attacks (fractional samples) in ``x``: low band energy rising past a quarter."""
    sos = butter(4, cutoff_hz, btype="low", fs=SR, output="sos")
    low = sosfiltfilt(sos, x.astype(np.float64))
    w = 48
    sq = np.concatenate(([0.0], np.cumsum(low**2)))
    env = np.zeros(low.shape[0])
    env[w - 1 :] = (sq[w:] - sq[:-w]) / w
    peak = float(env.max())
    if peak <= 0:
        return np.zeros(0)
    # candidate kicks: envelope local peaks over a third of the loudest, 150 ms apart
    hot = np.flatnonzero(env > 0.3 * peak)
    if hot.size == 0:
        return np.zeros(0)
    starts = hot[np.concatenate(([True], np.diff(hot) > int(0.15 * SR)))]
    out = []
    for s in starts:
        a, b = max(0, s - int(0.03 * SR)), min(env.shape[0], s + int(0.03 * SR))
        win = env[a:b]
        pi = int(np.argmax(win))
        if pi == 0:
            continue
        floor = float(np.percentile(win[:pi], 20))
        level = floor + 0.25 * (float(win[pi]) - floor)
        if win[0] >= level:
            continue
        i = int(np.argmax(win >= level)) - 1  # first crossing (a low note's energy ripples)
        e0, e1 = win[i], win[i + 1]
        frac = (level - e0) / (e1 - e0) if e1 > e0 else 0.0
        out.append(a + i + frac - w / 2)
    return np.array(out)


def kick_errors_ms(kicks: NDArray[np.float64], clicks: NDArray[np.int64]) -> NDArray[np.float64]:
    """Each kick's distance to its nearest click, in ms."""
    if kicks.size == 0 or clicks.size == 0:
        return np.zeros(0)
    idx = np.clip(np.searchsorted(clicks, kicks), 1, clicks.size - 1)
    left, right = clicks[idx - 1], clicks[idx]
    nearest = np.where(np.abs(kicks - left) < np.abs(kicks - right), left, right)
    return (kicks - nearest) * 1000.0 / SR
