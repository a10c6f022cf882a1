"""PNG export: a real image of the right size with the lines actually drawn."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

from cadence.export.png import HEIGHT_PX, WIDTH_PX, export_png, tempo_steps
from cadence.model.session import SessionData, SessionInfo

from .conftest import DURATION_S, ROUNDS


def _pixels_near(img: np.ndarray, hex_colour: str, tol: float = 0.06) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
    return int((np.abs(img[..., :3] - rgb).max(axis=-1) < tol).sum())


@pytest.fixture(scope="module")
def png(run_walk_session: SessionData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("png") / "session.png"
    export_png(run_walk_session, path)
    return path


def test_a_png_of_the_declared_size(png: Path) -> None:
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = mpimg.imread(png)
    assert img.shape[:2] == (HEIGHT_PX, WIDTH_PX)


def test_not_blank_and_the_lines_are_drawn(png: Path) -> None:
    img = mpimg.imread(png)
    assert img[..., :3].std() > 0.1
    assert _pixels_near(img, "#1f4e9c") > 2000  # cadence line
    assert _pixels_near(img, "#d62728") > 300  # metronome tempo
    assert _pixels_near(img, "#c0392b") > 1000  # heart rate
    assert _pixels_near(img, "#cfe3f5", 0.02) > 10000  # walk breaks shaded


def test_tempo_is_a_step_line_blank_while_the_metronome_is_off(
    run_walk_session: SessionData,
) -> None:
    times, bpm = tempo_steps(run_walk_session)
    assert times[-1] == DURATION_S
    shown = [b for b in bpm if b == b]  # NaN while off
    assert sorted(set(shown)) == [168.0 + k for k in range(1, ROUNDS + 1)]
    assert any(b != b for b in bpm)


def test_an_empty_session_still_draws(tmp_path: Path) -> None:
    info = SessionInfo(7, datetime(2026, 3, 1, tzinfo=UTC), None, 0.0, "p", "r", "", 0, None)
    path = tmp_path / "empty.png"
    export_png(SessionData(info, (), ()), path)
    assert mpimg.imread(path).shape[:2] == (HEIGHT_PX, WIDTH_PX)


def test_a_missing_folder_raises_and_leaves_nothing(
    run_walk_session: SessionData, tmp_path: Path
) -> None:
    with pytest.raises(OSError):
        export_png(run_walk_session, tmp_path / "missing" / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_pauses_are_gaps_not_dives_to_zero_and_runs_are_shaded(
    run_walk_session: SessionData,
) -> None:
    from dataclasses import replace

    from cadence.export.png import build_figure
    from cadence.model.sample import Sample, SensorRole

    from .conftest import PAUSE

    # a footpod that keeps reporting 0 spm while the runner stands still, paused
    standing = tuple(Sample(PAUSE[0] + 0.5 + k / 2, SensorRole.FOOTPOD, cadence_spm=0.0,
                            speed_mps=0.0, sensor_id="pod-1")
                     for k in range(int(2 * (PAUSE[1] - PAUSE[0])) - 1))
    data = replace(run_walk_session, samples=tuple(sorted(
        run_walk_session.samples + standing, key=lambda s: s.t_s)))
    fig = build_figure(data)
    ax_cad, ax_hr = fig.axes[:2]
    assert ax_cad.get_ylim()[0] > 90.0  # the axis is not stretched down to zero
    cadence_line = ax_cad.get_lines()[0]
    x, y = cadence_line.get_xdata(), cadence_line.get_ydata()
    inside = (x > PAUSE[0] / 60.0) & (x <= PAUSE[1] / 60.0)
    assert inside.any() and np.isnan(y[inside]).all()
    assert np.nanmin(y) > 90.0
    hr_x, hr_y = ax_hr.get_lines()[0].get_xdata(), ax_hr.get_lines()[0].get_ydata()
    assert np.isnan(hr_y[(hr_x > PAUSE[0] / 60.0) & (hr_x <= PAUSE[1] / 60.0)]).all()
    labels = [t.get_text() for t in ax_cad.get_legend().get_texts()]
    assert {"warmup", "run", "walk", "cooldown", "paused"} <= set(labels)


def test_runs_are_shaded_in_the_picture(png: Path) -> None:
    from cadence.export.png import PHASE_COLOURS

    img = mpimg.imread(png)
    assert _pixels_near(img, PHASE_COLOURS["run"], 0.02) > 10000
