"""The sensor line tells the runner why a sensor is not connected."""

from __future__ import annotations

from textual.app import App, ComposeResult

from cadence.model.link import LinkState, SensorStatus
from cadence.model.sample import SensorRole
from cadence.tui.widgets.sensor_status import NO_ADAPTER_TEXT, SensorStatusLine

from .helpers import screen_text


class _OneLine(App[None]):
    def compose(self) -> ComposeResult:
        yield SensorStatusLine()


async def test_no_adapter_is_said_plainly_and_a_connected_sensor_shows_no_reason() -> None:
    app = _OneLine()
    async with app.run_test(size=(120, 4)):
        line = app.query_one(SensorStatusLine)
        line.links = (
            SensorStatus(1.0, SensorRole.FOOTPOD, "pod", LinkState.SEARCHING,
                         "No Bluetooth adapters found."),
            SensorStatus(1.0, SensorRole.HEART_RATE, "strap", LinkState.CONNECTED, "was lost"),
        )
        text = line.render().plain
    # no adapter means nothing is searched for: said plainly, never "searching"
    assert NO_ADAPTER_TEXT in text
    assert "searching" not in text
    assert "heart strap connected" in text
    assert "was lost" not in text


async def test_a_long_reason_is_cut_to_one_short_line() -> None:
    app = _OneLine()
    async with app.run_test(size=(120, 4)):
        line = app.query_one(SensorStatusLine)
        line.links = (
            SensorStatus(1.0, SensorRole.TREADMILL, "tm", LinkState.LOST, "x" * 200 + "\nmore"),
        )
        text = line.render().plain
    assert "…)" in text and "more" not in text
    assert len(text.splitlines()[0]) < 80


async def test_long_reasons_never_push_the_note_off_screen() -> None:
    app = _OneLine()
    async with app.run_test(size=(80, 4)) as pilot:
        line = app.query_one(SensorStatusLine)
        reason = "[Errno 2] No such file or directory"
        line.links = tuple(
            SensorStatus(1.0, role, role.value, LinkState.SEARCHING, reason)
            for role in (SensorRole.FOOTPOD, SensorRole.HEART_RATE, SensorRole.TREADMILL)
        )
        line.note = "Session file: disk full"
        await pilot.pause()
        shown = screen_text(app).splitlines()
    assert "Session file: disk full" in shown[1]
    assert shown[0].startswith("◌ footpod searching") and shown[0].endswith("…")


async def test_a_searching_sensor_with_another_reason_still_says_searching() -> None:
    app = _OneLine()
    async with app.run_test(size=(120, 4)):
        line = app.query_one(SensorStatusLine)
        line.links = (
            SensorStatus(1.0, SensorRole.FOOTPOD, "pod", LinkState.SEARCHING, "not advertising"),
            SensorStatus(1.0, SensorRole.TREADMILL, "tm", LinkState.SEARCHING,
                         "no Bluetooth service reachable (No such file or directory)"),
        )
        text = line.render().plain
    assert "footpod searching (not advertising)" in text
    assert NO_ADAPTER_TEXT in text and "treadmill" not in text


def _connected(role: SensorRole, maker: str, model: str) -> SensorStatus:
    from cadence.model.link import DeviceIdentity

    return SensorStatus(1.0, role, role.value, LinkState.CONNECTED,
                        device=DeviceIdentity(maker, model, "123", "1.0"))


async def test_a_connected_sensor_is_named_as_it_reported_itself_when_the_line_fits() -> None:
    app = _OneLine()
    links = (
        _connected(SensorRole.FOOTPOD, "Stryd", "Footpod"),
        _connected(SensorRole.HEART_RATE, "Polar", "Polar H10"),
        _connected(SensorRole.TREADMILL, "", "X22i"),
    )
    async with app.run_test(size=(120, 4)) as pilot:
        line = app.query_one(SensorStatusLine)
        line.links = links
        await pilot.pause()
        wide = screen_text(app).splitlines()[0]
    assert "footpod connected · Stryd Footpod" in wide
    assert "heart strap connected · Polar H10" in wide  # the maker once, not twice
    assert "treadmill connected · X22i" in wide
    app = _OneLine()
    async with app.run_test(size=(80, 4)) as pilot:
        line = app.query_one(SensorStatusLine)
        line.links = links
        await pilot.pause()
        narrow = screen_text(app).splitlines()[0]
    # too narrow for the names: every sensor's state stays whole instead
    assert "Stryd" not in narrow and "treadmill connected" in narrow
