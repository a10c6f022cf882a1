"""The live screen read from the belt, at 80x24, 120x40 and 200x50.

The real app on a virtual clock (see conftest): each test reads widget
content and sizes, since a snapshot's SVG shows the layout but can't say
"at least 7 rows tall".
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import Color
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Footer

from cadence.coach.actions import Phase
from cadence.tui.app import CadenceApp
from cadence.tui.screens.live import LiveScreen
from cadence.tui.screens.pain_modal import PainModal
from cadence.tui.widgets.beat_indicator import BeatIndicator
from cadence.tui.widgets.big_text import BigText, cells_for
from cadence.tui.widgets.cadence_gauge import CadenceGauge, band_position
from cadence.tui.widgets.cadence_trend import CadenceTrend
from cadence.tui.widgets.phase_panel import PhasePanel

from .conftest import MakePlan
from .helpers import advance_until, in_phase, screen_text

SIZES = [(80, 24), (120, 40), (200, 50)]
FOOTER_KEYS = ("pain", "warning", "faster", "slower", "mute", "tap", "pause", "end")


async def _running(pilot: Pilot[Any], seconds: float = 30.0) -> CadenceApp:
    """Answer the first pain question, then run ``seconds`` into the first run."""
    app = pilot.app
    assert isinstance(app, CadenceApp)
    await pilot.pause()
    advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
    await pilot.press("1")
    advance_until(app, in_phase(app, Phase.RUN), 20 * 60)
    app.advance(seconds)
    await pilot.pause()
    return app


def _hex(colour: str) -> str:
    return Color.parse(colour).get_truecolor().hex


def _flash_colours(beat: BeatIndicator, x0: int, x1: int) -> set[str]:
    """The background colours of the cells in columns ``x0:x1`` of the flash bar."""
    found = set()
    for y in range(beat.size.height):
        x = 0
        for seg in beat.render_line(y):
            for _ in seg.text:
                if x0 <= x < x1:
                    assert seg.style is not None and seg.style.bgcolor is not None
                    found.add(seg.style.bgcolor.get_truecolor().hex)
                x += 1
    return found


def _ink(digits: BigText) -> str:
    """The foreground colour the digits are drawn in (from the rows actually painted)."""
    colours = {
        seg.style.color.get_truecolor().hex
        for y in range(digits.size.height)
        for seg in digits.render_line(y)
        if seg.text.strip() and seg.style is not None and seg.style.color is not None
    }
    assert len(colours) == 1
    return colours.pop()


def _digit_rows(app: CadenceApp) -> int:
    digits = app.screen.query_one("#cadence-digits", BigText)
    return cells_for(digits.text, digits.scale)[1]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_cadence_digits_grow_and_the_footer_stays_whole(
    make_plan: MakePlan, size: tuple[int, int]
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=size) as pilot:
        await _running(pilot)
        digits = app.screen.query_one("#cadence-digits", BigText)
        assert app.session is not None and app.session.readings.cadence_spm is not None
        assert digits.text == f"{app.session.readings.cadence_spm:.0f}"
        rows = _digit_rows(app)
        width, _ = cells_for(digits.text, digits.scale)
        assert width <= digits.size.width and rows <= digits.size.height  # never clipped
        assert app.screen.region.contains_region(digits.region)
        if size == (80, 24):
            assert rows >= 4
        elif size == (120, 40):
            assert rows >= 7
        else:
            assert rows >= 14
        lines = screen_text(app).splitlines()
        footer = app.screen.query_one(Footer)
        assert footer.region.y == size[1] - 1
        assert all(key in lines[-1] for key in FOOTER_KEYS), lines[-1]


async def test_bigger_terminals_draw_bigger_digits(make_plan: MakePlan) -> None:
    rows = []
    for size in SIZES:
        app = CadenceApp(make_plan())
        async with app.run_test(size=size) as pilot:
            await _running(pilot)
            rows.append(_digit_rows(app))
    assert rows == sorted(rows) and rows[0] < rows[1] < rows[2]


def test_the_colour_is_judged_against_todays_target() -> None:
    # a week-1 runner at 166 of a 166 target, band 170-180: on target, not "below"
    assert band_position(166, 170, 180, 166) == "in"
    assert band_position(164, 170, 180, 166) == "in"  # within the coach's hold margin
    assert band_position(163, 170, 180, 166) == "below"
    assert band_position(166, 170, 180) == "below"  # without a target: the band's floor
    assert band_position(182, 170, 180, 166) == "above"
    assert band_position(None, 170, 180, 166) == "none"


async def test_target_number_beside_the_band_and_the_colour_on_screen(
    make_plan: MakePlan,
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await _running(pilot)
        assert app.session is not None
        target = app.session.status.target_spm
        assert 150 < target < 180
        text = screen_text(app)
        assert f"target {target:.0f}   band 170-180" in text
        gauge = app.screen.query_one(CadenceGauge)
        gauge.cadence_spm = target  # exactly on today's target, below the band
        await pilot.pause()
        assert gauge.has_class("-in") and not gauge.has_class("-below")
        green = _ink(gauge.digits)
        gauge.cadence_spm = target - 6
        await pilot.pause()
        assert gauge.has_class("-below")
        assert _ink(gauge.digits) != green  # the digits themselves changed colour


async def test_phase_next_progress_and_a_3_2_1_before_the_switch(make_plan: MakePlan) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await _running(pilot, 10)
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        panel = screen.query_one(PhasePanel)
        session = app.session
        assert session is not None
        status = session.status
        assert status.next_phase is Phase.WALK and status.next_duration_s is not None
        text = screen_text(app)
        assert "next: WALK 3:00" in text
        assert status.session_left_s is not None
        assert f"{status.session_left_s // 60:.0f}:" in text and " left" in text
        clock = panel.clock
        assert clock.text == f"{int(status.phase_left_s or 0) // 60}:" + (
            f"{int((status.phase_left_s or 0) + 0.5) % 60:02d}"
        )
        assert cells_for(clock.text, clock.scale)[1] >= 7  # large at 120x40
        assert "km/h" not in panel.next_line.text  # no belt control: no belt speed promised
        seen = []
        while session.status.phase is Phase.RUN:
            app.advance(0.5, 0.5)
            await pilot.pause()
            left = session.status.phase_left_s
            if left is not None and left <= 3.0 and session.status.phase is Phase.RUN:
                seen.append(clock.text)
                assert clock.has_class("-countdown")
                assert panel.block.title == f"WALK in {clock.text}"
        assert [n for n in ("3", "2", "1") if n in seen] == ["3", "2", "1"]
        await pilot.pause()
        assert not clock.has_class("-countdown") and panel.block.title == "WALK"


async def test_the_beat_flash_is_a_wide_bar_that_changes_on_every_beat(
    make_plan: MakePlan,
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await _running(pilot)
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert app.session is not None and app.session.status.metronome_on
        beat = screen.query_one(BeatIndicator)
        assert beat.size.width >= 110 and beat.size.height == 2
        width = beat.size.width
        screen.show_beat(4, True)  # the first beat of a bar: accent, left half
        await pilot.pause()
        assert beat.colours == ("accent", "dark")
        assert _flash_colours(beat, 0, 40) == {_hex("red3")}  # the whole left half, both rows
        assert _flash_colours(beat, width - 40, width) == {_hex("grey19")}
        assert "● · · ·" in beat.text
        screen.show_beat(4, False)  # the same beat, no longer "just heard": no change
        await pilot.pause()
        assert beat.colours == ("accent", "dark")
        screen.show_beat(5, True)  # the next click lights the other half
        await pilot.pause()
        assert beat.colours == ("dark", "beat")
        assert _flash_colours(beat, width - 40, width) == {_hex("yellow3")}
        assert "· ● · ·" in beat.text
        await pilot.press("space")  # paused: no beat, a dark bar
        await pilot.pause()
        assert app.session.status.paused
        assert beat.colours == ("dark", "dark")


async def test_the_trend_has_a_fixed_five_minute_axis_and_labelled_band(
    make_plan: MakePlan,
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.advance(60)
        await pilot.pause()
        trend = app.screen.query_one(CadenceTrend)
        painted = trend.render()
        assert isinstance(painted, Text)
        rows = painted.plain.splitlines()
        assert "band 170-180" in rows[0]
        labels = [r[:5] for r in rows[1:-2]]
        assert " 180 ┤" in [" " + x for x in labels] and any("170 ┤" in x for x in labels)
        # one minute of readings fills about a fifth of the width, not all of it
        plot = [r[5:] for r in rows[1:-2]]
        cols = len(plot[0])
        used = {c for r in plot for c, ch in enumerate(r) if ch in "▀▄▁▔"}
        assert used and max(used) < cols * 0.25
        assert rows[-1].split()[:2] == ["0:00", "1:00"]
        app.advance(6 * 60)
        await pilot.pause()
        painted = trend.render()
        assert isinstance(painted, Text)
        plot = [r[5:] for r in painted.plain.splitlines()[1:-2]]
        used = {c for r in plot for c, ch in enumerate(r) if ch in "▀▄▁▔"}
        assert max(used) > cols * 0.95  # after 5 minutes the chart is full and scrolls
        assert "0:00" not in painted.plain.splitlines()[-1]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_pain_question_stays_on_top_and_readable(
    make_plan: MakePlan, size: tuple[int, int]
) -> None:
    app = CadenceApp(make_plan())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        advance_until(app, lambda: isinstance(app.screen, PainModal), 20 * 60)
        app.advance(3)  # the screen underneath keeps redrawing
        await pilot.pause()
        assert isinstance(app.screen, PainModal)
        text = screen_text(app)
        assert "How is your back right now?" in text
        assert "3 or more stops running for today." in text
        box = app.screen.query_one("Vertical")
        assert app.screen.region.contains_region(box.region)


async def test_the_trend_repaints_its_newest_column_only_when_that_column_looks_different(
) -> None:
    """A reading that leaves the column's mark where it was asks for no repaint at all."""
    from textual.app import App, ComposeResult
    from textual.geometry import Region

    class Recorded(CadenceTrend):
        def __init__(self) -> None:
            super().__init__(minutes=5)
            self.asked: list[tuple[Region, ...]] = []

        def refresh(self, *regions: Region, **kwargs: Any) -> Any:
            self.asked.append(regions)
            return super().refresh(*regions, **kwargs)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield Recorded()

    app = One()
    async with app.run_test(size=(85, 16)) as pilot:  # 80 columns: 3.75 s each
        trend = app.query_one(Recorded)
        trend.add(0.0, 175.0)
        await pilot.pause()
        trend.asked.clear()
        trend.add(1.0, 175.0)  # same column, same mean: the same mark
        assert trend.asked == []
        trend.add(2.0, 150.0)  # the mean falls far enough to move the mark
        assert len(trend.asked) == 1 and trend.asked[0][0].width == 1
        await pilot.pause()
        plain = trend.render().plain
        assert trend.values == [(0.0, 175.0), (1.0, 175.0), (2.0, 150.0)]
        assert any(ch in plain for ch in "▀▄")  # drawn from every value held
