"""Advice worked out from the history, not only asked.

- **Professional first:** a rating of 4/10 or more (before, during, after a run
  or at a follow-up), or any warning sign at a readiness check, means no running
  until the runner confirms they have seen a physiotherapist or doctor after it.
- **Severe and not easing:** ratings of 6/10 or more with no lower rating in
  between, spanning 5 days or more: professional advice before any run.
- **No improvement by week 3:** two weeks or more since the first rating, and
  the last seven days' ratings average less than a point below the first seven
  days' (with pain still there): suggest a physiotherapist. This one advises;
  it does not stop a run.

The app coaches and never diagnoses, so every text points to a professional
and says what was seen, never what it might mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cadence.coach.warning_signs import is_emergency, warning_sign
from cadence.programme.records import ProgrammeHistory

PROFESSIONAL_PAIN = 4
SEVERE_PAIN = 6
SEVERE_DAYS = 5
NO_IMPROVEMENT_DAYS = 14  # "by week 3"
WINDOW_DAYS = 7
IMPROVED_BY = 1.0  # a point lower on average is an improvement; less is noise


@dataclass(frozen=True, slots=True)
class Advice:
    """One piece of advice for today.

    Attributes:
        kind: a stable id ("see_professional", "severe_not_easing", "no_improvement",
            "emergency", "flare", "followup_due").
        text: what to do, for the runner.
        reason: what in the history led to it.
        blocks_running: True when no running is allowed until it is dealt with.
    """

    kind: str
    text: str
    reason: str
    blocks_running: bool = False


def ratings(history: ProgrammeHistory) -> list[tuple[datetime, int]]:
    """Every pain rating recorded, with when it was given, oldest first."""
    out: list[tuple[datetime, int]] = []
    for r in history.readiness:
        if r.pain is not None:
            out.append((r.at, r.pain))
    for s in history.sessions:
        if s.max_pain_during is not None:
            out.append((s.started_at, s.max_pain_during))
        if s.post_run_pain is not None:
            out.append((s.end, s.post_run_pain))
        out.extend((f.at, f.pain) for f in s.followups)
    return sorted(out, key=lambda p: p[0])


def _seen_after(history: ProgrammeHistory, when: datetime) -> bool:
    return any(seen >= when for seen in history.professional_seen)


def professional_block(history: ProgrammeHistory) -> Advice | None:
    """The latest reason to see a professional that has not been confirmed yet."""
    triggers: list[tuple[datetime, str]] = [
        (at, f"you rated your pain {pain}/10 on {at:%Y-%m-%d}")
        for at, pain in ratings(history) if pain >= PROFESSIONAL_PAIN
    ]
    for r in history.readiness:
        if r.warning_signs:
            signs = "; ".join(warning_sign(s).label.lower() for s in r.warning_signs)
            triggers.append((r.at, f"on {r.at:%Y-%m-%d} you reported: {signs}"))
    open_triggers = [t for t in triggers if not _seen_after(history, t[0])]
    if not open_triggers:
        return None
    at, why = max(open_triggers, key=lambda t: t[0])
    emergency = any(r.at == at and is_emergency(r.warning_signs) for r in history.readiness)
    if emergency:
        return Advice("emergency", "Get urgent care at an emergency department, then let a "
                      "doctor clear you before any run.", why[0].upper() + why[1:] + ".", True)
    return Advice(
        "see_professional",
        "Please see a physiotherapist or doctor before you run again; then tell cadence "
        "(`cadence checkin --seen-professional`).",
        why[0].upper() + why[1:] + ".",
        True,
    )


def severe_not_easing(history: ProgrammeHistory, now: datetime) -> Advice | None:
    rows = ratings(history)
    start: datetime | None = None
    for at, pain in rows:
        start = (start or at) if pain >= SEVERE_PAIN else None
    if start is None or not rows or rows[-1][0] - start < timedelta(days=SEVERE_DAYS):
        return None
    last = rows[-1][0]
    if _seen_after(history, last):
        return None
    return Advice(
        "severe_not_easing",
        "Get professional advice before any run.",
        f"Your pain has stayed at {SEVERE_PAIN}/10 or more from {start:%Y-%m-%d} to "
        f"{last:%Y-%m-%d} without easing.",
        True,
    )


def no_improvement(history: ProgrammeHistory, now: datetime) -> Advice | None:
    rows = ratings(history)
    if not rows or now - rows[0][0] < timedelta(days=NO_IMPROVEMENT_DAYS):
        return None
    first = [p for at, p in rows if at < rows[0][0] + timedelta(days=WINDOW_DAYS)]
    recent = [p for at, p in rows if at >= now - timedelta(days=WINDOW_DAYS)]
    if not recent:
        return None
    first_avg, recent_avg = sum(first) / len(first), sum(recent) / len(recent)
    if recent_avg <= first_avg - IMPROVED_BY or recent_avg < 1:
        return None
    return Advice(
        "no_improvement",
        "A physiotherapist can look at why your back is not getting better; it is worth "
        "booking a visit.",
        f"Two weeks or more in, your pain ratings average {recent_avg:.1f}/10 over the last "
        f"week against {first_avg:.1f}/10 in the first.",
    )


def history_advice(history: ProgrammeHistory, now: datetime) -> list[Advice]:
    out = [a for a in (professional_block(history), severe_not_easing(history, now),
                       no_improvement(history, now)) if a is not None]
    return out

