"""Which tracks suit a target tempo: as is, half or double, within the stretch limit."""

from __future__ import annotations

import pytest

from cadence.model.music import TrackAnalysis
from cadence.music.choice import choose, fit, why_not


def _track(tempo: float, name: str = "t.flac", problem: str = "") -> TrackAnalysis:
    beats = () if problem else (0.0, 60 / tempo, 120 / tempo)
    return TrackAnalysis(f"/m/{name}", 1, 1, 200.0, tempo if not problem else 0.0, beats, problem)


@pytest.mark.parametrize(
    ("tempo", "target", "clicks", "pct"),
    [(170.0, 170.0, 1.0, 0.0), (85.0, 170.0, 2.0, 0.0), (160.0, 170.0, 1.0, 6.25),
     (150.0, 75.0, 0.5, 0.0), (90.0, 172.0, 2.0, -4.44)],
)
def test_fit_picks_the_closest_of_as_is_half_and_double(
    tempo: float, target: float, clicks: float, pct: float
) -> None:
    f = fit(_track(tempo), target)
    assert f is not None
    assert f.clicks_per_beat == clicks
    assert f.stretch_pct == pytest.approx(pct, abs=0.01)


def test_choose_keeps_the_order_and_drops_tracks_beyond_the_limit() -> None:
    tracks = [_track(165.0, "a"), _track(150.0, "b"), _track(0, "c", "c: no clear beat"),
              _track(88.0, "d")]
    chosen = choose(tracks, 170.0, 8.0)
    assert [f.track.name for f in chosen] == ["a", "d"]
    assert [f.track.name for f in choose(tracks, 170.0, 15.0)] == ["a", "b", "d"]


def test_why_not_is_one_line_with_the_numbers() -> None:
    t = _track(150.0, "b")
    line = why_not(fit(t, 170.0), t, 170.0, 8.0)
    assert "150.0 bpm" in line and "+13.3 %" in line and "8 %" in line and "\n" not in line
    bad = _track(0, "c", "/m/c: no clear beat to run to")
    assert why_not(fit(bad, 170.0), bad, 170.0, 8.0) == "/m/c: no clear beat to run to"
