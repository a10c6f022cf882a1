"""The post-run summary: what the runner did with their cadence, from one session.

Pure: a session in, ``Summary`` out, no SQLite and no clock, so the same
numbers appear in ``cadence summary``, the TUI's end screen and history, and
tests can check them against hand-worked answers. The session is either
``SessionData`` (every sample as an object) or ``SessionColumns`` (only the
streams listed in ``SUMMARY_STREAMS``, read straight into numpy arrays, which
loads a 3-hour session about four times faster); both give identical figures.

Rules used throughout:
- Running figures (average, median, band, histogram, drift) use cadence readings
  inside RUN phases, not paused, above zero. A session with no phase events at
  all is treated as one run.
- Each reading counts for the time it held (until the next reading, at most
  ``MAX_HOLD_S``), so dropouts and bursts do not skew the averages.
- Which sensor each figure comes from, the phases and the pauses are the
  session timeline's (``report.session_timeline``), shared with the exports; the
  tempo is the metronome's, from TEMPO events, counted only while a METRONOME
  event says it is on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from cadence.model.session import EventKind, EventRecord, SessionData
from cadence.report.session_timeline import (
    CADENCE_STREAM,
    DISTANCE_STREAM,
    DONE_PHASE,
    HR_STREAM,
    NO_PHASE,
    SPEED_STREAM,
    PhaseSpan,
    has_phases,
    pause_spans,
    phase_spans,
    session_end_s,
)
from cadence.report.streams import SampleStreams, SessionColumns, Stream, StreamSource, StreamSpec
from cadence.report.summary_events import event_figures, session_target_spm
from cadence.report.summary_model import (
    AT_TARGET_TOLERANCE_SPM,
    CadenceDrift,
    Comparison,
    Compliance,
    HistogramBin,
    IntervalRow,
    SessionHeadline,
    Summary,
)
from cadence.report.timeline import (
    BoolArray,
    FloatArray,
    Span,
    hold_weights,
    in_spans,
    overlap_s,
    span_index,
    step_lookup,
    weighted_mean,
    weighted_median,
)

#: bump whenever the arithmetic below changes what ``summarize`` returns: cached
#: summaries and headlines written under another version are recomputed on read
#: (2: cadence prefers a tapped cadence over a treadmill's, as the coach and the
#: exports do; 3: time at today's target, and the safety log in plain words)
SUMMARY_VERSION = 3

HISTOGRAM_BIN_SPM = 5.0
COMPLIANCE_TOLERANCE_SPM = 2.0
_NAN = math.nan

__all__ = [
    "CADENCE_STREAM", "DISTANCE_STREAM", "HR_STREAM", "SPEED_STREAM", "SUMMARY_STREAMS",
    "SUMMARY_VERSION", "headline_of", "session_end_s", "summarize", "with_comparison",
]

#: the streams ``summarize`` reads, as fallback chains (see ``read.read_streams``)
SUMMARY_STREAMS: tuple[tuple[StreamSpec, ...], ...] = (
    (CADENCE_STREAM,), (DISTANCE_STREAM, SPEED_STREAM), (HR_STREAM,),
)


class _Stream:
    """One stream in time order, with the seconds each reading held."""

    def __init__(self, raw: Stream, end_s: float) -> None:
        t, v = raw.t, raw.v
        if t.size > 1 and bool(np.any(np.diff(t) < 0)):
            order = np.argsort(t, kind="stable")
            t, v = t[order], v[order]
        self.t = t
        self.v = v
        self.w = hold_weights(t, end_s)


def _get(source: StreamSource, spec: StreamSpec, end_s: float) -> _Stream:
    return _Stream(source.stream(*spec), end_s)


def _distance_m(source: StreamSource, end_s: float) -> float | None:
    """Sum of forward steps in the device's total distance; resets and wild jumps skipped."""
    s = _get(source, DISTANCE_STREAM, end_s)
    if s.t.size:
        if s.v.size < 2:
            return 0.0
        steps = np.diff(s.v)
        cap = np.maximum(50.0, 15.0 * np.diff(s.t))  # faster than 15 m/s is a device glitch
        return float(steps[(steps > 0) & (steps <= cap)].sum())
    speed = _get(source, SPEED_STREAM, end_s)
    if speed.t.size:
        return float((speed.v * speed.w).sum())
    return None


def _phase_spans(events: Sequence[EventRecord], end_s: float) -> list[PhaseSpan]:
    """The timeline's phases; a session the coach never announced a phase in is one run."""
    if not has_phases(events):
        return [PhaseSpan(0.0, end_s, "run")] if end_s > 0 else []
    return phase_spans(events, end_s)


#: tempo change times and values, metronome on/off change times and values
_Steps = tuple[FloatArray, FloatArray, FloatArray, FloatArray]


def _steps(events: Sequence[EventRecord]) -> _Steps:
    """Tempo changes and metronome on/off changes as two step functions."""
    tempo = [(e.t_s, float(e.payload["bpm"])) for e in events
             if e.kind is EventKind.TEMPO and "bpm" in e.payload]
    onoff = [(e.t_s, 1.0 if e.payload["on"] else 0.0) for e in events
             if e.kind is EventKind.METRONOME and "on" in e.payload]
    return (np.array([p[0] for p in tempo]), np.array([p[1] for p in tempo]),
            np.array([p[0] for p in onoff]), np.array([p[1] for p in onoff]))


def _tempo_over(tempo_t: FloatArray, tempo_v: FloatArray, on_t: FloatArray, on_v: FloatArray,
                start_s: float, end_s: float) -> float | None:
    """Time-weighted tempo over ``[start_s, end_s]`` while the metronome was on."""
    cuts = np.concatenate(([start_s, end_s], tempo_t, on_t))
    cuts = np.unique(cuts[(cuts >= start_s) & (cuts <= end_s)])
    if cuts.size < 2:
        return None
    mids = (cuts[:-1] + cuts[1:]) / 2.0
    lengths = np.diff(cuts)
    on = step_lookup(on_t, on_v, mids, 0.0) > 0.5
    tempo = step_lookup(tempo_t, tempo_v, mids, _NAN)
    ok = on & ~np.isnan(tempo)
    return weighted_mean(tempo[ok], lengths[ok])


def _mean_between(s: _Stream, start_s: float, end_s: float, keep: FloatArray) -> float | None:
    lo, hi = np.searchsorted(s.t, [start_s, end_s], side="left")
    w = s.w[lo:hi] * keep[lo:hi]
    return weighted_mean(s.v[lo:hi], w)


def _histogram(cad: FloatArray, w: FloatArray) -> tuple[HistogramBin, ...]:
    if cad.size == 0:
        return ()
    lo = math.floor(float(cad.min()) / HISTOGRAM_BIN_SPM) * HISTOGRAM_BIN_SPM
    hi = math.floor(float(cad.max()) / HISTOGRAM_BIN_SPM) * HISTOGRAM_BIN_SPM + HISTOGRAM_BIN_SPM
    edges = np.arange(lo, hi + HISTOGRAM_BIN_SPM / 2, HISTOGRAM_BIN_SPM)
    counts, _ = np.histogram(cad, bins=edges, weights=w)
    return tuple(HistogramBin(float(edges[i]), float(edges[i + 1]), float(counts[i]))
                 for i in range(counts.size))


def _drift(cad: FloatArray, w: FloatArray) -> CadenceDrift | None:
    if cad.size < 3 or float(w.sum()) <= 0:
        return None
    cum = np.cumsum(w) - w / 2.0  # the midpoint of each reading's time
    total = float(w.sum())
    first = cum < total / 3.0
    last = cum >= 2.0 * total / 3.0
    a, b = weighted_mean(cad[first], w[first]), weighted_mean(cad[last], w[last])
    return None if a is None or b is None else CadenceDrift(a, b)


def _mean_of(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _compare(avg: float | None, band_pct: float | None,
             previous: Sequence[SessionHeadline]) -> Comparison | None:
    if not previous:
        return None
    prev_avg = _mean_of([h.avg_cadence_spm for h in previous])
    prev_band = _mean_of([h.time_in_band_pct for h in previous])
    return Comparison(
        previous_sessions=len(previous),
        previous_avg_cadence_spm=prev_avg,
        delta_avg_cadence_spm=None if avg is None or prev_avg is None else avg - prev_avg,
        previous_time_in_band_pct=prev_band,
        delta_time_in_band_pct=None if band_pct is None or prev_band is None
        else band_pct - prev_band,
    )


def with_comparison(summary: Summary, previous: Sequence[SessionHeadline]) -> Summary:
    """``summary`` compared with ``previous``: what ``summarize(data, previous)`` returns.

    The summary cache stores summaries without a comparison (it depends on the
    sessions before, which can change); this adds it back on read.
    """
    return replace(summary, comparison=_compare(summary.avg_cadence_spm,
                                                summary.time_in_band_pct, previous))


@dataclass(frozen=True, slots=True)
class _Running:
    """Cadence while running: the readings counted and the seconds each held."""

    cadence: FloatArray
    weights: FloatArray
    in_band_s: float
    at_target_s: float

    @property
    def seconds(self) -> float:
        return float(self.weights.sum())

    @property
    def in_band_pct(self) -> float | None:
        return self.pct(self.in_band_s)

    def pct(self, part_s: float) -> float | None:
        return 100.0 * part_s / self.seconds if self.seconds > 0 else None


def _running(cad: _Stream, moving: BoolArray, phases: Sequence[PhaseSpan],
             band: tuple[float, float], target_spm: float | None) -> _Running:
    """Readings inside RUN phases, not paused, above zero (the base of the cadence figures)."""
    ix = span_index(cad.t, phases)
    is_run = np.array([s.phase == "run" for s in phases] + [False])  # ix -1: before any
    running = moving & is_run[ix]
    run_cad, run_w = cad.v[running], cad.w[running]
    band_mask = (run_cad >= band[0]) & (run_cad <= band[1])
    at_target = (np.zeros(run_cad.shape, dtype=bool) if target_spm is None
                 else np.abs(run_cad - target_spm) <= AT_TARGET_TOLERANCE_SPM)
    return _Running(run_cad, run_w, float(run_w[band_mask].sum()),
                    float(run_w[at_target].sum()))


def _compliance(cad: _Stream, moving: BoolArray, steps: _Steps) -> Compliance | None:
    """How closely cadence followed the metronome while it was on."""
    tempo_t, tempo_v, on_t, on_v = steps
    on = step_lookup(on_t, on_v, cad.t, 0.0) > 0.5
    tempo = step_lookup(tempo_t, tempo_v, cad.t, _NAN)
    follow = moving & on & ~np.isnan(tempo)
    if not follow.any() or float(cad.w[follow].sum()) <= 0:
        return None
    err = np.abs(cad.v[follow] - tempo[follow])
    fw = cad.w[follow]
    return Compliance(
        seconds=float(fw.sum()),
        mean_abs_error_spm=float((err * fw).sum() / fw.sum()),
        within_2_spm_pct=100.0 * float(fw[err <= COMPLIANCE_TOLERANCE_SPM].sum() / fw.sum()),
    )


def _intervals(phases: Sequence[PhaseSpan], cad: _Stream, cad_keep: FloatArray, hr: _Stream,
               hr_keep: FloatArray, steps: _Steps) -> tuple[IntervalRow, ...]:
    """One row per announced interval (not the time before the first, nor after "done")."""
    rows: list[IntervalRow] = []
    for span in phases:
        if span.phase in (NO_PHASE, DONE_PHASE) or span.duration_s <= 0:
            continue
        rows.append(IntervalRow(
            index=len(rows) + 1,
            phase=span.phase,
            round_index=span.round_index,
            start_s=span.start_s,
            duration_s=span.duration_s,
            avg_cadence_spm=_mean_between(cad, span.start_s, span.end_s, cad_keep),
            avg_tempo_spm=_tempo_over(*steps, span.start_s, span.end_s),
            avg_hr_bpm=_mean_between(hr, span.start_s, span.end_s, hr_keep),
        ))
    return tuple(rows)


def _phase_seconds(phases: Sequence[PhaseSpan], pauses: Sequence[Span], phase: str) -> float:
    """Seconds spent in ``phase``, pauses left out."""
    return sum((s.duration_s - overlap_s(pauses, s.start_s, s.end_s)
                for s in phases if s.phase == phase), 0.0)


def summarize(data: SessionData | SessionColumns,
              previous: Sequence[SessionHeadline] = ()) -> Summary:
    """Every post-run figure for ``data``; ``previous`` are earlier sessions to compare with.

    ``data`` is either the whole session as objects (``SessionData``) or its
    columns read for the summary (``SessionColumns``, from
    ``Store.load_session_columns``): the figures are the same, the columns are
    several times faster to load.
    """
    info, events = data.info, data.events
    end_s = session_end_s(data)
    source: StreamSource = (data.streams if isinstance(data, SessionColumns)
                            else SampleStreams(data.samples))
    phases = _phase_spans(events, end_s)
    pauses = pause_spans(events, end_s)
    cad = _get(source, CADENCE_STREAM, end_s)
    moving = (~in_spans(cad.t, pauses)) & (cad.v > 0)
    target = session_target_spm(events)
    run = _running(cad, moving, phases, (info.band_low_spm, info.band_high_spm), target)
    avg = weighted_mean(run.cadence, run.weights)
    steps = _steps(events)
    hr = _get(source, HR_STREAM, end_s)
    hr_keep = (~in_spans(hr.t, pauses)).astype(float)
    return Summary(
        session_id=info.session_id,
        started_at=info.started_at,
        finished=info.ended_at is not None,
        end_reason=info.end_reason,
        duration_s=end_s,
        distance_m=_distance_m(source, end_s),
        run_s=_phase_seconds(phases, pauses, "run"),
        walk_s=_phase_seconds(phases, pauses, "walk"),
        warmup_s=_phase_seconds(phases, pauses, "warmup"),
        cooldown_s=_phase_seconds(phases, pauses, "cooldown"),
        paused_s=sum((s.duration_s for s in pauses), 0.0),
        band_low_spm=info.band_low_spm,
        band_high_spm=info.band_high_spm,
        cadence_s=run.seconds,
        avg_cadence_spm=avg,
        median_cadence_spm=weighted_median(run.cadence, run.weights),
        time_in_band_s=run.in_band_s,
        time_in_band_pct=run.in_band_pct,
        target_spm=target,
        time_at_target_s=run.at_target_s,
        time_at_target_pct=run.pct(run.at_target_s) if target is not None else None,
        histogram=_histogram(run.cadence, run.weights),
        drift=_drift(run.cadence, run.weights),
        intervals=_intervals(phases, cad, moving.astype(float), hr, hr_keep, steps),
        compliance=_compliance(cad, moving, steps),
        avg_hr_bpm=weighted_mean(hr.v, hr.w * hr_keep),
        max_hr_bpm=int(hr.v.max()) if hr.v.size else None,
        comparison=_compare(avg, run.in_band_pct, previous),
        **event_figures(events),
    )


def headline_of(data: SessionData | SessionColumns, summary: Summary) -> SessionHeadline:
    """The one-row digest of a session that history lists and the store caches."""
    info = data.info
    return SessionHeadline(
        session_id=info.session_id,
        started_at=info.started_at,
        finished=info.ended_at is not None,
        end_reason=info.end_reason,
        recovered=info.recovered,
        duration_s=summary.duration_s,
        distance_m=summary.distance_m,
        run_s=summary.run_s,
        walk_s=summary.walk_s,
        avg_cadence_spm=summary.avg_cadence_spm,
        time_in_band_pct=summary.time_in_band_pct,
        max_pain=summary.max_pain,
        shoe_name=info.shoe_name,
        profile_name=info.profile_name,
        program=info.program,
        program_week=info.program_week,
    )
