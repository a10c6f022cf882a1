"""The summary as text for a terminal and as JSON for scripts.

Plain words and units a runner reads at a glance; numbers rounded to what the
sensors can honestly tell (whole spm, tenths of a km). The JSON keeps full
precision and every field, with units in the key names.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from cadence.report.summary_model import Summary
from cadence.report.summary_words import AT_TARGET_TOLERANCE_SPM, safety_lines, target_line
from cadence.report.words import duration_text, end_reason_text

BAR_WIDTH = 30


def fmt_spm(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} spm"


def fmt_km(metres: float | None) -> str:
    return "-" if metres is None else f"{metres / 1000:.2f} km"


def _signed(value: float | None, unit: str, digits: int = 0) -> str:
    return "-" if value is None else f"{value:+.{digits}f}{unit}"


def summary_to_json(summary: Summary) -> dict[str, Any]:
    out = asdict(summary)
    out["started_at"] = summary.started_at.isoformat()
    out["cues_by_topic"] = dict(summary.cues_by_topic)
    out["cues_total"] = summary.cues_total
    out["drift"] = None if summary.drift is None else {
        **asdict(summary.drift), "drift_spm": summary.drift.drift_spm}
    out["stops"] = [{"t_s": t, "reason": r} for t, r in summary.stops]
    out["red_flags"] = [{"t_s": t, "flag": f} for t, f in summary.red_flags]
    out["at_target_tolerance_spm"] = AT_TARGET_TOLERANCE_SPM
    return out


def _histogram_lines(summary: Summary) -> list[str]:
    if not summary.histogram:
        return []
    peak = max(b.seconds for b in summary.histogram) or 1.0
    lines = ["", "Cadence while running (time per 5 spm):"]
    for b in summary.histogram:
        bar = "#" * round(BAR_WIDTH * b.seconds / peak)
        in_band = b.low_spm >= summary.band_low_spm and b.high_spm <= summary.band_high_spm + 1
        mark = "*" if in_band else " "
        span = f"{b.low_spm:5.0f}-{b.high_spm:<4.0f}{mark}"
        lines.append(f"  {span} {duration_text(b.seconds):>8}  {bar}")
    lines.append("  (* inside the target band)")
    return lines


def _interval_lines(summary: Summary) -> list[str]:
    if not summary.intervals:
        return []
    lines = ["", "Intervals:",
             "    #  phase      start   length  cadence    tempo   heart rate"]
    for row in summary.intervals:
        phase = row.phase + (f" {row.round_index}" if row.round_index else "")
        hr = "-" if row.avg_hr_bpm is None else f"{row.avg_hr_bpm:.0f} bpm"
        lines.append(
            f"  {row.index:3d}  {phase:<9} {duration_text(row.start_s):>7} "
            f"{duration_text(row.duration_s):>8} {fmt_spm(row.avg_cadence_spm):>8} "
            f"{fmt_spm(row.avg_tempo_spm):>8} {hr:>12}"
        )
    return lines


def render_text(summary: Summary) -> str:
    s = summary
    state = end_reason_text(s.end_reason)
    lines = [
        f"Session {s.session_id}  {s.started_at:%Y-%m-%d %H:%M} UTC  ({state})",
        f"  Duration      {duration_text(s.duration_s)}   distance {fmt_km(s.distance_m)}",
        f"  Running       {duration_text(s.run_s)}   walking {duration_text(s.walk_s)}"
        f"   warm-up {duration_text(s.warmup_s)}   cool-down {duration_text(s.cooldown_s)}"
        + (f"   paused {duration_text(s.paused_s)}" if s.paused_s else ""),
        f"  Cadence       average {fmt_spm(s.avg_cadence_spm)}, "
        f"median {fmt_spm(s.median_cadence_spm)} (running)",
    ]
    band = f"{s.band_low_spm:.0f}-{s.band_high_spm:.0f} spm"
    if s.time_in_band_pct is None:
        lines.append(f"  Target band   {band}: no running cadence recorded")
    else:
        lines.append(f"  Target band   {band}: {duration_text(s.time_in_band_s)} "
                     f"({s.time_in_band_pct:.0f} % of running time)")
    target = target_line(s)
    if target:
        lines.append(f"  Today's target {target}")
    if s.drift is not None:
        lines.append(f"  Drift         first third {s.drift.first_third_spm:.0f} spm -> last third "
                     f"{s.drift.last_third_spm:.0f} spm ({_signed(s.drift.drift_spm, ' spm')})")
    if s.compliance is not None:
        comp = s.compliance
        lines.append(f"  Metronome     off the tempo by {comp.mean_abs_error_spm:.1f} spm on "
                     f"average; within 2 spm {comp.within_2_spm_pct:.0f} % of "
                     f"{duration_text(comp.seconds)}")
    if s.avg_hr_bpm is not None:
        lines.append(f"  Heart rate    average {s.avg_hr_bpm:.0f} bpm, max {s.max_hr_bpm} bpm")
    lines += _histogram_lines(s) + _interval_lines(s)
    lines.append("")
    if s.pain:
        points = ", ".join(f"{p.rating}/10 at {duration_text(p.t_s)}"
                           + (" (after)" if p.when == "post_run" else "") for p in s.pain)
        lines.append(f"Pain ratings: {points}")
    else:
        lines.append("Pain ratings: none entered")
    if s.safety:  # warning signs, stops and rising pain, in plain words and time order
        lines += ["Safety log:", *(f"  {line}" for line in safety_lines(s.safety))]
    if s.cues_by_topic:
        cues = ", ".join(f"{topic} {n}" for topic, n in s.cues_by_topic)
        lines.append(f"Cues given: {s.cues_total} ({cues})")
    if s.sensor_drops:
        lines.append(f"Sensor dropouts: {s.sensor_drops}")
    if s.comparison is not None:
        cmp = s.comparison
        lines.append(
            f"Against the previous {cmp.previous_sessions} session(s): average cadence "
            f"{_signed(cmp.delta_avg_cadence_spm, ' spm')}, time in band "
            f"{_signed(cmp.delta_time_in_band_pct, ' points')}"
        )
    return "\n".join(lines)
