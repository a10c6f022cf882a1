"""Tempo and beat positions of a track: librosa's onsets and tempo, refined from the attacks.

Why the refinement: librosa's tempo and beats are good enough to count the
beat, not to play to a click: on synthetic tracks of exactly known tempo its
beat tracker said 152.0 for 150.0 bpm and 86.1 for 85.0, with beats ~37 ms
after the kicks (its frames are ~11 ms and its beats are peaks of an onset
envelope, not attacks). So librosa only gives the starting point (a tempo
estimate and its onsets), and:

1. each onset is refined to its attack: in a 1 ms energy envelope, the first
   point where the energy rises a quarter of the way from the floor to the
   local peak (``_attack``);
2. for the tempo estimate, half and double it (60-200 bpm), a grid
   ``t = t0 + k * period`` is fitted to the attacks: the period from the
   attack-to-attack intervals near it, the phase from the attack with the most
   others on its grid, then least squares without the attacks more than
   ``OUTLIER_S`` off. The fastest level with attacks on at least
   ``MIN_ON_GRID`` of its beats is the beat (a kick on every beat of a 150 bpm
   track is 150, not 75); its slope is the tempo;
3. if the attacks sit on that line (rms under ``STEADY_RMS_S``) the beats are
   the line (a steady track: the best estimate of every beat); otherwise the
   attacks themselves, with any missing beat filled in between its
   neighbours (a live recording that drifts).

No clear beat (no level with enough attacks on its grid, or fewer than
``MIN_BEATS`` beats): ``MusicError`` says so in one line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from cadence.model.music import TrackAnalysis
from cadence.music.decode import MusicError, decode_mono

ANALYSIS_RATE = 48000  # analyse at the stream's rate, so beats are in its samples
ENVELOPE_S = 0.001
OUTLIER_S = 0.02
STEADY_RMS_S = 0.004
MIN_BEATS = 8
MIN_ON_GRID = 0.6
MIN_RISE = 3.0  # an attack's peak energy over the floor before it
ATTACK_BEFORE_S = 0.04  # librosa's onset frames sit up to this long after the attack
ATTACK_AFTER_S = 0.02
MIN_BPM = 60.0  # the beat levels considered (a runner's 150-190 steps is 75-95 or 150-190)
MAX_BPM = 200.0


def analyse_file(path: Path) -> TrackAnalysis:
    """Decode and analyse ``path``; ``MusicError`` (one line) if it can't be used."""
    stat = path.stat()
    audio = decode_mono(path, ANALYSIS_RATE)
    tempo_bpm, beats_s = analyse_samples(audio, ANALYSIS_RATE, label=str(path))
    return TrackAnalysis(
        path=str(path.resolve()), size_bytes=stat.st_size, mtime_ns=stat.st_mtime_ns,
        duration_s=audio.shape[0] / ANALYSIS_RATE, tempo_bpm=tempo_bpm,
        beats_s=tuple(float(b) for b in beats_s),
    )


def analyse_samples(
    audio: NDArray[np.float32], samplerate: int, *, label: str = "track"
) -> tuple[float, NDArray[np.float64]]:
    """``(tempo_bpm, beat times in s)`` of mono ``audio``; ``MusicError`` if no clear beat."""
    rough_bpm, onsets = _rough(audio, samplerate)
    energy = _envelope(audio, samplerate)
    attacks = _attacks(energy, samplerate, onsets)
    duration_s = audio.shape[0] / samplerate
    best: tuple[float, float, NDArray[np.int64], NDArray[np.bool_], float] | None = None
    for bpm in sorted(c for c in (rough_bpm / 2, rough_bpm, rough_bpm * 2)
                      if MIN_BPM <= c <= MAX_BPM):
        fit = _fit_grid(attacks, 60.0 / bpm)
        if fit is not None and _coverage(fit, attacks) >= MIN_ON_GRID:
            best = fit  # the fastest well-supported level wins (kept as the loop ends)
    if best is None:
        raise MusicError(f"{label}: no clear beat to run to")
    t0, period, index, inliers, rms = best
    if rms <= STEADY_RMS_S:
        k0 = int(np.ceil(-t0 / period))
        k1 = int(np.floor((duration_s - t0) / period))
        beats = t0 + period * np.arange(k0, k1 + 1)
    else:
        beats = _fill_gaps(index[inliers], attacks[inliers], period)
    beats = beats[(beats >= 0) & (beats < duration_s)]
    if beats.shape[0] < MIN_BEATS:
        raise MusicError(f"{label}: no clear beat to run to")
    return 60.0 / period, beats


def _rough(audio: NDArray[np.float32], samplerate: int) -> tuple[float, NDArray[np.float64]]:
    """librosa's tempo estimate and onset times: the starting point, not the answer."""
    import librosa  # heavy (numba); only when a track is analysed

    env = librosa.onset.onset_strength(y=audio, sr=samplerate, hop_length=256)
    tempo = librosa.feature.tempo(onset_envelope=env, sr=samplerate, hop_length=256)
    onsets = librosa.onset.onset_detect(
        onset_envelope=env, sr=samplerate, hop_length=256, units="time"
    )
    return float(np.asarray(tempo).reshape(-1)[0]), np.asarray(onsets, dtype=np.float64)


def _attacks(
    energy: NDArray[np.float64], samplerate: int, onsets: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each onset refined to its attack (see ``_attack``); unclear ones dropped."""
    found = []
    for i, t in enumerate(onsets):
        lo = t - ATTACK_BEFORE_S
        if i > 0:
            lo = max(lo, 0.5 * (onsets[i - 1] + t))
        hi = t + ATTACK_AFTER_S
        if i + 1 < onsets.shape[0]:
            hi = min(hi, 0.5 * (onsets[i + 1] + t))
        a = _attack(energy, samplerate, lo, hi)
        if a is not None:
            found.append(a)
    return np.array(sorted(set(found)), dtype=np.float64)


def _coverage(
    fit: tuple[float, float, NDArray[np.int64], NDArray[np.bool_], float],
    attacks: NDArray[np.float64],
) -> float:
    """Share of the grid's beats, first attack to last, that have an attack on them."""
    _, _, index, keep, _ = fit
    on = np.unique(index[keep])
    if on.size == 0:
        return 0.0
    return on.size / float(on[-1] - on[0] + 1)


def _envelope(audio: NDArray[np.float32], samplerate: int) -> NDArray[np.float64]:
    """Mean energy over the ``ENVELOPE_S`` ending at each sample."""
    w = max(1, round(ENVELOPE_S * samplerate))
    sq = np.concatenate(([0.0], np.cumsum(audio.astype(np.float64) ** 2)))
    out = np.empty(audio.shape[0], np.float64)
    out[w - 1 :] = (sq[w:] - sq[:-w]) / w
    out[: w - 1] = sq[1:w] / w
    return out


def _attack(
    energy: NDArray[np.float64], samplerate: int, lo_s: float, hi_s: float
) -> float | None:
    """The attack between ``lo_s`` and ``hi_s``, or None if no clear one is there."""
    a = max(0, int(lo_s * samplerate))
    b = min(energy.shape[0], int(hi_s * samplerate))
    if b - a < 16:
        return None
    win = energy[a:b]
    peak_i = int(np.argmax(win))
    if peak_i == 0:
        return None
    peak = float(win[peak_i])
    floor = float(np.percentile(win[:peak_i], 20))
    if peak <= 0 or peak < MIN_RISE * max(floor, 1e-12):
        return None
    level = floor + 0.25 * (peak - floor)
    if win[0] >= level:
        return None  # the window starts inside a sound: no attack of its own here
    # the first crossing, not the last one before the peak: a low note's energy
    # ripples (twice per cycle), and a later lobe can be the loudest
    i = int(np.argmax(win >= level)) - 1  # the crossing is between i and i+1
    e0, e1 = float(win[i]), float(win[i + 1])
    frac = (level - e0) / (e1 - e0) if e1 > e0 else 0.0
    # the envelope trails the signal by half its window
    lag = 0.5 * ENVELOPE_S * samplerate
    return (a + i + frac - lag) / samplerate


def _fit_grid(
    attacks: NDArray[np.float64], period_s: float
) -> tuple[float, float, NDArray[np.int64], NDArray[np.bool_], float] | None:
    """Least-squares ``t = t0 + k * period`` through the attacks near a ``period_s`` grid.

    The rough period is first made precise from the attack-to-attack intervals
    close to it (median over up to four beats apart), and the phase from the
    attack that has the most others on its grid, so the grid does not drift off the attacks
    over a long track before the least-squares fit takes over.
    """
    if attacks.shape[0] < MIN_BEATS:
        return None
    gaps = []
    for lag in range(1, 5):
        d = attacks[lag:] - attacks[:-lag]
        for m in range(1, 5):
            near = d[np.abs(d / m - period_s) < 0.06 * period_s] / m
            gaps.append(near)
    close = np.concatenate(gaps)
    if close.size < MIN_BEATS:
        return None
    period = float(np.median(close))
    t0 = _best_phase(attacks, period)
    keep = np.zeros(attacks.shape[0], np.bool_)
    index = np.zeros(attacks.shape[0], np.int64)
    for _ in range(4):
        index = np.round((attacks - t0) / period).astype(np.int64)
        keep = np.abs(attacks - (t0 + period * index)) <= OUTLIER_S
        if keep.sum() < MIN_BEATS or np.unique(index[keep]).size < 2:
            return None
        period, t0 = (float(v) for v in np.polyfit(index[keep], attacks[keep], 1))
    index = np.round((attacks - t0) / period).astype(np.int64)
    keep = np.abs(attacks - (t0 + period * index)) <= OUTLIER_S
    if keep.sum() < MIN_BEATS:
        return None
    resid = attacks[keep] - (t0 + period * index[keep])
    rms = float(np.sqrt(np.mean(resid**2)))
    return t0, period, index, keep, rms


def _best_phase(attacks: NDArray[np.float64], period_s: float) -> float:
    """The attack whose grid (``t + k * period``) has the most attacks on it.

    Better than a circular mean when some attacks are off the beat (an
    off-beat snare, a sound's abrupt end): those would pull a mean off every
    beat, but here they only fail to vote.
    """
    sample = attacks[:: max(1, attacks.shape[0] // 200)]  # anchors: enough, and O(n) each
    votes = []
    for t in sample:
        r = (attacks - t) / period_s
        off = np.abs(r - np.round(r)) * period_s
        votes.append(int((off <= OUTLIER_S / 2).sum()))
    return float(sample[int(np.argmax(votes))])


def _fill_gaps(
    index: NDArray[np.int64], times: NDArray[np.float64], period_s: float
) -> NDArray[np.float64]:
    """One time per beat index from the first to the last, missing ones interpolated."""
    order = np.argsort(index)
    index, times = index[order], times[order]
    _, first = np.unique(index, return_index=True)
    index, times = index[first], times[first]
    full = np.arange(int(index[0]), int(index[-1]) + 1)
    return np.interp(full, index, times)
