"""Plain-text pieces of the summary and history screens (no Textual, easy to test).

The store does the arithmetic (``cadence.report.summary.summarize``); this
module only words and shapes it for a terminal: a cadence series for the
sparkline, histogram bars, the pain timeline, headline lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from cadence.model.sample import Sample, SensorRole
from cadence.report.summary_model import HistogramBin, PainPoint, Summary
from cadence.report.summary_words import target_line
from cadence.report.words import duration_text, end_reason_text


def cadence_series(samples: Sequence[Sample], bucket_s: float = 15.0) -> list[float]:
    """Mean footpod cadence per ``bucket_s`` (running and walking), for a sparkline."""
    buckets: dict[int, list[float]] = {}
    for s in samples:
        if s.role is SensorRole.FOOTPOD and s.cadence_spm and s.cadence_spm > 0:
            buckets.setdefault(int(s.t_s // bucket_s), []).append(s.cadence_spm)
    if not buckets:
        return []
    last = max(buckets)
    out: list[float] = []
    for i in range(last + 1):
        values = buckets.get(i)
        out.append(sum(values) / len(values) if values else 0.0)
    return out


def histogram_lines(bins: Sequence[HistogramBin], width: int = 40) -> list[str]:
    """One bar per bin: ``170-175 ████████ 4:10``."""
    shown = [b for b in bins if b.seconds > 0]
    if not shown:
        return ["no running cadence recorded"]
    peak = max(b.seconds for b in shown)
    lines = []
    for b in shown:
        bar = "█" * max(1, round(b.seconds / peak * width))
        lines.append(f"{b.low_spm:3.0f}-{b.high_spm:3.0f} {bar} {duration_text(b.seconds)}")
    return lines


def pain_line(points: Sequence[PainPoint]) -> str:
    if not points:
        return "no pain ratings"
    parts = []
    for p in points:
        how = "asked" if p.prompt_id is not None else "you said"
        when = " after" if p.when == "post_run" else ""
        parts.append(f"{duration_text(p.t_s)} {p.rating}/10 ({how}{when})")
    return "  ·  ".join(parts)


def headline_lines(s: Summary) -> list[str]:
    avg = "--" if s.avg_cadence_spm is None else f"{s.avg_cadence_spm:.0f} spm"
    band = "--" if s.time_in_band_pct is None else f"{s.time_in_band_pct:.0f} %"
    dist = "--" if s.distance_m is None else f"{s.distance_m / 1000:.2f} km"
    reason = end_reason_text(s.end_reason)
    started = f"{s.started_at.astimezone():%Y-%m-%d %H:%M}"
    lines = [
        f"{started}   {duration_text(s.duration_s)}   {dist}   ({reason})",
        f"average running cadence {avg}   "
        f"time in band {s.band_low_spm:.0f}-{s.band_high_spm:.0f}: {band}",
        *([f"at today's target {target}"] if (target := target_line(s)) else []),
        f"run {duration_text(s.run_s)}   walk {duration_text(s.walk_s)}   "
        f"warm-up {duration_text(s.warmup_s)}   cool-down {duration_text(s.cooldown_s)}",
    ]
    if s.avg_hr_bpm is not None:
        lines.append(f"heart rate average {s.avg_hr_bpm:.0f} bpm, max {s.max_hr_bpm}")
    if s.comparison is not None and s.comparison.delta_avg_cadence_spm is not None:
        lines.append(
            f"vs your last {s.comparison.previous_sessions} sessions: "
            f"{s.comparison.delta_avg_cadence_spm:+.1f} spm"
        )
    return lines
