"""History across sessions: weekly volume, the 10 % rule, cadence trend, shoe wear.

Pure: a list of ``SessionHeadline`` rows in (the store caches one per session,
see ``headlines.load_headlines`` for the query), a ``History`` out. Weeks are ISO
weeks of the session start in UTC. A week is flagged when its running time or
its distance grew by more than the allowed percentage (10 % by default, from the
coaching facts) over the calendar week before it; a week after an empty week
is not flagged, as there is nothing to compare with. The rule only applies
where the program says it does (``volume_cap_from_week``): a week whose
sessions include one of a program's prescribed early steps (protocol A's weeks
1-3 grow faster on purpose) is never a violation. Empty weeks between sessions
are listed, so a gap is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cadence.report.summary_model import SessionHeadline

DEFAULT_MAX_INCREASE_PCT = 10.0
TREND_ENDS = 3  # sessions averaged at each end of the trend


@dataclass(frozen=True, slots=True)
class ShoeThresholds:
    """From the profile's ``ShoeSettings``; defaults are 300 and 500 miles."""

    name: str = ""
    start_km: float = 0.0
    replace_warn_km: float = 480.0
    replace_km: float = 800.0


@dataclass(frozen=True, slots=True)
class WeekVolume:
    iso_year: int
    iso_week: int
    week_start: date  # the Monday
    sessions: int
    run_s: float
    distance_m: float
    run_change_pct: float | None  # against the week before; None if that week was empty
    distance_change_pct: float | None
    flagged: bool  # grew more than the allowed percentage, where the rule applies
    rule_applies: bool = True  # False: a program's prescribed early step was run this week


@dataclass(frozen=True, slots=True)
class CadenceTrend:
    points: tuple[tuple[int, date, float], ...]  # (session_id, day, average running cadence)
    first_avg_spm: float | None  # mean of the first few sessions
    last_avg_spm: float | None  # mean of the last few sessions
    slope_spm_per_week: float | None  # least-squares line through the points


@dataclass(frozen=True, slots=True)
class ShoeUse:
    shoe_name: str
    distance_km: float
    replace_warn_km: float
    replace_km: float

    @property
    def status(self) -> str:
        if self.distance_km >= self.replace_km:
            return "replace"
        if self.distance_km >= self.replace_warn_km:
            return "wearing"
        return "ok"


@dataclass(frozen=True, slots=True)
class History:
    sessions: tuple[SessionHeadline, ...]  # oldest first, within the window
    weeks: tuple[WeekVolume, ...]  # oldest first, within the window
    trend: CadenceTrend
    shoes: tuple[ShoeUse, ...]
    max_increase_pct: float


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _change_pct(now: float, before: float) -> float | None:
    return None if before <= 0 else 100.0 * (now - before) / before


#: whether the 10 % rule applies to a session (its program week is at or past the
#: program's ``volume_cap_from_week``); the default says it always does
RuleApplies = Callable[[SessionHeadline], bool]


def weekly_volume(
    headlines: Sequence[SessionHeadline], max_increase_pct: float = DEFAULT_MAX_INCREASE_PCT,
    until: date | None = None, rule_applies: RuleApplies | None = None,
) -> list[WeekVolume]:
    """Every ISO week from the first session's to ``until``'s (or the last session's)."""
    if not headlines:
        return []
    totals: dict[date, list[float]] = {}
    exempt: set[date] = set()
    for h in headlines:
        monday = _monday(h.started_at.date())
        row = totals.setdefault(monday, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += h.run_s
        row[2] += h.distance_m or 0.0
        if rule_applies is not None and not rule_applies(h):
            exempt.add(monday)
    week = min(totals)
    last = max(max(totals), _monday(until) if until else week)
    out: list[WeekVolume] = []
    prev_run = prev_dist = 0.0
    while week <= last:
        n, run_s, dist_m = totals.get(week, [0, 0.0, 0.0])
        run_pct, dist_pct = _change_pct(run_s, prev_run), _change_pct(dist_m, prev_dist)
        applies = week not in exempt
        flagged = applies and any(
            p is not None and p > max_increase_pct for p in (run_pct, dist_pct))
        iso = week.isocalendar()
        out.append(WeekVolume(iso.year, iso.week, week, int(n), run_s, dist_m,
                              run_pct, dist_pct, flagged, applies))
        prev_run, prev_dist = run_s, dist_m
        week += timedelta(days=7)
    return out


def cadence_trend(headlines: Sequence[SessionHeadline]) -> CadenceTrend:
    points = tuple((h.session_id, h.started_at.date(), h.avg_cadence_spm) for h in headlines
                   if h.avg_cadence_spm is not None)
    if not points:
        return CadenceTrend((), None, None, None)
    values = [p[2] for p in points]
    ends = min(TREND_ENDS, len(values))
    first, last = sum(values[:ends]) / ends, sum(values[-ends:]) / ends
    slope = None
    weeks = [(p[1] - points[0][1]).days / 7.0 for p in points]
    mean_x, mean_y = sum(weeks) / len(weeks), sum(values) / len(values)
    sxx = sum((x - mean_x) ** 2 for x in weeks)
    if len(points) >= 2 and sxx > 0:
        sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(weeks, values, strict=True))
        slope = sxy / sxx
    return CadenceTrend(points, first, last, slope)


def shoe_use(headlines: Sequence[SessionHeadline], shoe: ShoeThresholds) -> list[ShoeUse]:
    """Distance per shoe; the profile's shoe also counts its distance from before cadence."""
    km: dict[str, float] = {}
    if shoe.name:
        km[shoe.name] = shoe.start_km
    for h in headlines:
        km[h.shoe_name] = km.get(h.shoe_name, 0.0) + (h.distance_m or 0.0) / 1000.0
    return [ShoeUse(name, total, shoe.replace_warn_km, shoe.replace_km)
            for name, total in sorted(km.items())]


def build_history(
    headlines: Sequence[SessionHeadline],
    *,
    weeks: int | None = None,
    today: date | None = None,
    shoe: ShoeThresholds | None = None,
    max_increase_pct: float = DEFAULT_MAX_INCREASE_PCT,
    rule_applies: RuleApplies | None = None,
) -> History:
    """History over ``headlines`` (any order); ``weeks`` limits the lists to the last N weeks.

    Weekly changes and shoe totals are computed over everything, so the first week
    shown is still compared with the week before it, and shoes keep their full wear.
    """
    ordered = sorted(headlines, key=lambda h: (h.started_at, h.session_id))
    until = today or (ordered[-1].started_at.date() if ordered else None)
    all_weeks = weekly_volume(ordered, max_increase_pct, until, rule_applies)
    shown = ordered
    if weeks is not None and until is not None:
        first_monday = _monday(until) - timedelta(days=7 * (max(weeks, 1) - 1))
        all_weeks = [w for w in all_weeks if w.week_start >= first_monday]
        shown = [h for h in ordered if h.started_at.date() >= first_monday]
    return History(
        sessions=tuple(shown),
        weeks=tuple(all_weeks),
        trend=cadence_trend(shown),
        shoes=tuple(shoe_use(ordered, shoe or ShoeThresholds())),
        max_increase_pct=max_increase_pct,
    )
