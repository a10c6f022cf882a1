"""``cadence history`` as text and JSON.

Text is for a glance: the session list, weeks with the 10 % rule marked, the
cadence trend in one line, and shoes against their replacement distance.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from cadence.report.history import History
from cadence.report.summary_render import fmt_km, fmt_spm
from cadence.report.words import UNFINISHED, duration_text

SHOE_WORDS = {
    "ok": "",
    "wearing": "  <- getting worn: think about new shoes",
    "replace": "  <- past the replacement distance",
}


def history_to_json(history: History) -> dict[str, Any]:
    return {
        "sessions": [h.to_json() for h in history.sessions],
        "weeks": [{**asdict(w), "week_start": w.week_start.isoformat()} for w in history.weeks],
        "max_increase_pct": history.max_increase_pct,
        "cadence_trend": {
            "points": [{"session_id": sid, "date": day.isoformat(), "avg_cadence_spm": spm}
                       for sid, day, spm in history.trend.points],
            "first_avg_spm": history.trend.first_avg_spm,
            "last_avg_spm": history.trend.last_avg_spm,
            "slope_spm_per_week": history.trend.slope_spm_per_week,
        },
        "shoes": [{**asdict(s), "status": s.status} for s in history.shoes],
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} %"


def render_history(history: History) -> str:
    if not history.sessions and not history.weeks:
        return "No sessions recorded yet."
    lines = ["Sessions:",
             "    id  date              duration  distance  cadence  in band  pain  end"]
    for h in history.sessions:
        pain = "-" if h.max_pain is None else f"{h.max_pain}/10"
        lines.append(
            f"  {h.session_id:4d}  {h.started_at:%Y-%m-%d %H:%M}  {duration_text(h.duration_s):>8}"
            f"  {fmt_km(h.distance_m):>8}  {fmt_spm(h.avg_cadence_spm):>7}"
            f"  {_pct(h.time_in_band_pct):>7}  {pain:>4}  {h.end_reason or UNFINISHED}"
        )
    lines += ["", f"Weekly running (flag: more than {history.max_increase_pct:.0f} % up on the "
              "week before):",
              "  week      sessions  running   distance  change"]
    for w in history.weeks:
        change = "-" if w.run_change_pct is None else f"{w.run_change_pct:+.0f} % time"
        if w.distance_change_pct is not None:
            change += f", {w.distance_change_pct:+.0f} % distance"
        flag = "  <- more than the 10 % rule" if w.flagged else ""
        if not w.rule_applies and w.run_change_pct is not None:
            flag = "  (a set step of the program: the 10 % rule starts later)"
        lines.append(f"  {w.iso_year}-W{w.iso_week:02d}  {w.sessions:8d}  "
                     f"{duration_text(w.run_s):>8}  {fmt_km(w.distance_m):>8}  {change}{flag}")
    t = history.trend
    lines.append("")
    if t.first_avg_spm is None or t.last_avg_spm is None:
        lines.append("Cadence trend: no running cadence recorded yet")
    else:
        slope = ("" if t.slope_spm_per_week is None
                 else f", {t.slope_spm_per_week:+.1f} spm per week")
        lines.append(f"Cadence trend: {t.first_avg_spm:.0f} spm -> {t.last_avg_spm:.0f} spm over "
                     f"{len(t.points)} sessions{slope}")
    if history.shoes:
        lines.append("Shoes:")
        for s in history.shoes:
            name = s.shoe_name or "(no shoe set)"
            lines.append(f"  {name}: {s.distance_km:.0f} km of {s.replace_km:.0f} km"
                         f"{SHOE_WORDS[s.status]}")
    return "\n".join(lines)
