"""PNG export: one picture of the session to look at or share.

Two panels over elapsed minutes. Top: cadence (steps per minute) against the
metronome's tempo, drawn as steps because the tempo changes in jumps and is
blank while the metronome is off, with the target band shaded and pain ratings
marked. Bottom: heart rate. Both panels shade the coach's intervals (warm-up,
runs, walk breaks, cool-down, each in the legend) so cadence drift can be read
against the run-walk pattern. Paused seconds are shaded grey and left out of
both lines, and so are seconds with no steps (a cadence of 0): a pause or a
standstill is a gap, not a dive to zero that would stretch the cadence axis
down to nothing and flatten the running part.

matplotlib is imported inside :func:`export_png` and used through its
object-oriented API on an Agg canvas, never pyplot: no global backend switch,
no GUI, safe to call from the TUI's worker thread and free for ``--help``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from cadence.export.common import (
    Lap,
    atomic_path,
    build_laps,
    build_pauses,
    build_track,
    session_end_s,
)
from cadence.model.session import EventKind, SessionData

#: Shading per phase, each in the legend.
PHASE_COLOURS: dict[str, str] = {
    "warmup": "#f6dfb5",
    "run": "#f7dcdc",
    "walk": "#cfe3f5",
    "cooldown": "#e3daf1",
}
PAUSE_COLOUR = "#9e9e9e"

WIDTH_PX = 1200
HEIGHT_PX = 700
DPI = 100


def tempo_steps(data: SessionData) -> tuple[list[float], list[float]]:
    """(t_s, bpm) corners of the metronome tempo, NaN while the metronome is off.

    Returns the points for a ``where="post"`` step plot running to the end.
    """
    times: list[float] = []
    values: list[float] = []
    bpm = math.nan
    on = True
    for event in data.events:
        if event.kind is EventKind.TEMPO and "bpm" in event.payload:
            bpm = float(event.payload["bpm"])
        elif event.kind is EventKind.METRONOME and "on" in event.payload:
            on = bool(event.payload["on"])
        else:
            continue
        times.append(event.t_s)
        values.append(bpm if on else math.nan)
    if times:
        times.append(session_end_s(data))
        values.append(values[-1])
    return times, values


def _shade_laps(ax: Any, laps: list[Lap]) -> None:
    for lap in laps:
        colour = PHASE_COLOURS.get(lap.phase)
        if colour is not None:
            ax.axvspan(lap.start_s / 60.0, lap.end_s / 60.0, color=colour, lw=0, zorder=0)


def _say_no_data(ax: Any, text: str) -> None:
    """Grey text in the middle of an empty panel, so a blank chart is not a mystery."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=11,
            color="#777777")


def _shade(axes: Any, laps: list[Lap], pauses: list[tuple[float, float]], end_min: float) -> None:
    """Both panels: the intervals and pauses behind, a light grid, the same time axis."""
    for ax in axes:
        _shade_laps(ax, laps)
        for a, b in pauses:
            ax.axvspan(a / 60.0, b / 60.0, color=PAUSE_COLOUR, alpha=0.5, lw=0, zorder=1)
        ax.grid(True, color="#dddddd", lw=0.6)
        ax.set_xlim(0.0, end_min)
        ax.tick_params(labelsize=10)


def _mark_pain(ax: Any, data: SessionData) -> None:
    for event in data.events:
        if event.kind is EventKind.PAIN and "rating" in event.payload:
            x = event.t_s / 60.0
            ax.axvline(x, color="#8c2d04", lw=0.8, ls=":", zorder=2)
            ax.annotate(
                f"pain {event.payload['rating']}",
                (x, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -12),
                textcoords="offset points",
                fontsize=8,
                color="#8c2d04",
            )


def _cadence_panel(
    ax: Any, data: SessionData, minutes: list[float], cadence: list[float],
    band: tuple[float, float],
) -> None:
    """Cadence against the metronome's tempo, the target band shaded, pain marked."""
    low, high = band
    tempo_t, tempo_bpm = tempo_steps(data)
    ax.axhspan(low, high, color="#2ca02c", alpha=0.15, lw=0, zorder=1)
    ax.plot(minutes, cadence, color="#1f4e9c", lw=1.3, zorder=3)
    if tempo_t:
        ax.step([t / 60.0 for t in tempo_t], tempo_bpm, where="post", color="#d62728", lw=1.6,
                ls="--", zorder=4)
    _mark_pain(ax, data)
    finite = [c for c in cadence if not math.isnan(c)] + [t for t in tempo_bpm if not math.isnan(t)]
    lo = min([low, *finite]) if finite else low
    hi = max([high, *finite]) if finite else high
    ax.set_ylim(lo - 10.0, hi + 12.0)
    ax.set_ylabel("cadence (steps/min)", fontsize=11)
    if all(math.isnan(v) for v in cadence):
        _say_no_data(ax, "no cadence data")


def _hr_panel(ax: Any, minutes: list[float], hr: list[float]) -> None:
    ax.plot(minutes, hr, color="#c0392b", lw=1.3, zorder=3)
    ax.set_ylabel("heart rate (bpm)", fontsize=11)
    ax.set_xlabel("time (min)", fontsize=11)
    if all(math.isnan(v) for v in hr):
        ax.set_yticks([])
        _say_no_data(ax, "no heart-rate data")


def _legend(ax: Any, laps: list[Lap], pauses: list[tuple[float, float]],
            band: tuple[float, float]) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(color="#1f4e9c", label="cadence"),
        Patch(color="#d62728", label="metronome tempo"),
        Patch(color="#2ca02c", alpha=0.3, label=f"target {band[0]:.0f}-{band[1]:.0f} spm"),
    ]
    present = {lap.phase for lap in laps}
    handles += [
        Patch(color=colour, label=phase)
        for phase, colour in PHASE_COLOURS.items()
        if phase in present
    ]
    if pauses:
        handles.append(Patch(color=PAUSE_COLOUR, alpha=0.5, label="paused"))
    ax.legend(handles=handles, loc="lower right", fontsize=9, ncol=min(len(handles), 5),
              framealpha=0.9)


def _title(data: SessionData) -> str:
    info = data.info
    title = f"Session {info.session_id} - {info.started_at:%Y-%m-%d %H:%M} UTC"
    if info.program:
        title += f" - {info.program} week {info.program_week}"
    if info.treadmill:
        title += " (treadmill)"
    return title


def build_figure(data: SessionData, target_band_spm: tuple[float, float] | None = None) -> Any:
    """The session's figure (a matplotlib ``Figure`` on an Agg canvas), not yet saved."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    band = target_band_spm or (data.info.band_low_spm, data.info.band_high_spm)
    track = build_track(data)
    laps = build_laps(data)
    pauses = build_pauses(data)
    shown = [p for p in track if not any(a < p.t_s <= b for a, b in pauses)]
    gaps = {p.t_s for p in track} - {p.t_s for p in shown}
    minutes = [p.t_s / 60.0 for p in track]
    cadence = [math.nan if p.t_s in gaps or not p.cadence_spm else p.cadence_spm for p in track]
    hr = [math.nan if p.t_s in gaps or p.hr_bpm is None else float(p.hr_bpm) for p in track]

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax_cad, ax_hr = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    _shade((ax_cad, ax_hr), laps, pauses, max(session_end_s(data) / 60.0, 1.0))
    _cadence_panel(ax_cad, data, minutes, cadence, band)
    _hr_panel(ax_hr, minutes, hr)
    _legend(ax_cad, laps, pauses, band)
    ax_cad.set_title(_title(data), fontsize=13)
    fig.tight_layout()
    return fig


def export_png(
    data: SessionData, path: Path, target_band_spm: tuple[float, float] | None = None
) -> None:
    """Plot cadence, tempo and heart rate of ``data`` into a PNG at ``path`` (atomically).

    ``target_band_spm`` is the (low, high) band to shade; by default the band
    the session was coached to (``SessionInfo.band_low_spm/band_high_spm``).

    Raises:
        OSError: the file or its folder cannot be written (or is not a regular file).
    """
    fig = build_figure(data, target_band_spm)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=DPI)
