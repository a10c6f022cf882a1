"""Summary lines the terminal summary and the TUI's summary screen share.

Why shared: ``cadence summary`` and the screen after a run must say the same
thing about safety and about today's target, in the same words.
"""

from __future__ import annotations

from collections.abc import Sequence

from cadence.coach.safety_log import SafetyEntry
from cadence.report.summary_model import AT_TARGET_TOLERANCE_SPM, Summary
from cadence.report.words import duration_text

__all__ = ["AT_TARGET_TOLERANCE_SPM", "safety_lines", "target_line"]


def safety_lines(entries: Sequence[SafetyEntry]) -> list[str]:
    """One line per safety-log entry: when, what, and the advice given."""
    return [f"{duration_text(e.t_s)} {e.what}" + (f": {e.advice}" if e.advice else "")
            for e in entries]


def target_line(summary: Summary) -> str:
    """Time at today's target tempo, or "" when the coach never set one.

    Shown next to the band's figure: a runner on a first stage (say 166 of a
    166 target) is doing what was asked even with 0 % in the 170-180 band.
    """
    s = summary
    if s.target_spm is None:
        return ""
    head = f"{s.target_spm:.0f} spm (within {AT_TARGET_TOLERANCE_SPM:.0f} spm)"
    if s.time_at_target_pct is None:
        return f"{head}: no running cadence recorded"
    return (f"{head}: {duration_text(s.time_at_target_s)} "
            f"({s.time_at_target_pct:.0f} % of running time)")
