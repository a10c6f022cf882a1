"""Each sensor's link (connected, searching, reconnecting, lost), plus a one-line note.

A connected sensor that said what it is (Device Information: maker and model)
is named, "● footpod connected · Stryd Footpod", so the runner sees the right
device was paired; when the names would not fit the width, they are left out
and every sensor's state stays on the line.

With no Bluetooth adapter (or no Bluetooth service at all) nothing is being
searched for, so "searching" would mislead: the line says plainly that
cadence can't look for sensors, once, instead of one "searching" per sensor.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from cadence.model.link import LinkState, SensorStatus

_STYLE = {
    LinkState.CONNECTED: ("●", "green"),
    LinkState.SEARCHING: ("◌", "yellow"),
    LinkState.RECONNECTING: ("◌", "yellow"),
    LinkState.LOST: ("✕", "red"),
}

_DETAIL_MAX_CHARS = 48

NO_ADAPTER_TEXT = "no Bluetooth adapter found: cadence can't look for sensors"

# What bleak (BlueZ) and the hub say when there is no radio to scan with.
_NO_ADAPTER_MARKS = ("no bluetooth adapter", "bluetooth adapter not found",
                     "no bluetooth service reachable", "org.bluez was not provided")


def means_no_adapter(detail: str) -> bool:
    """Whether a link's reason says there is no adapter (so no search is happening)."""
    low = detail.lower()
    return any(mark in low for mark in _NO_ADAPTER_MARKS)


_NAMES = {"footpod": "footpod", "hr": "heart strap", "treadmill": "treadmill", "tap": "tap"}


class SensorStatusLine(Widget):
    # One line each for the links and the note: a long reason is cut, never wrapped,
    # so it cannot push the note (no audio, a failing disk) out of sight.
    DEFAULT_CSS = "SensorStatusLine { height: 2; text-wrap: nowrap; text-overflow: ellipsis; }"

    links: reactive[tuple[SensorStatus, ...]] = reactive(())
    """The latest status of each sensor."""
    note: reactive[str] = reactive("")
    """A one-line note shown after the sensors (e.g. no audio device)."""

    def render(self) -> Text:
        out = Text()
        if not self.links:
            out.append("sensors: none yet", style="grey62")
        blind = [s for s in self.links if s.state is not LinkState.CONNECTED
                 and means_no_adapter(s.detail)]
        if blind:
            out.append("✕ " + NO_ADAPTER_TEXT, style="bold red")
            out.append("   ")
        shown = [s for s in sorted(self.links, key=lambda s: s.role.value) if s not in blind]
        parts = [link_part(s, named=True) for s in shown]
        if out.cell_len + sum(p.cell_len + 3 for p in parts) > self.size.width:
            parts = [link_part(s, named=False) for s in shown]  # the names don't fit: states
        for part in parts:
            out.append_text(part)
            out.append("   ")
        if self.note:
            out.append("\n" + self.note, style="bold yellow")
        return out


def device_name(status: SensorStatus) -> str:
    """Maker and model as the sensor reported them ("" when it said nothing)."""
    device = status.device
    if status.state is not LinkState.CONNECTED or device is None:
        return ""
    maker, model = device.manufacturer, device.model
    if maker and model.lower().startswith(maker.lower()):
        maker = ""  # "Polar" + "Polar H10" reads as "Polar H10"
    return _shorten(" ".join(part for part in (maker, model) if part))


def link_part(status: SensorStatus, *, named: bool) -> Text:
    """One sensor's part of the line: its mark, its state, and why or what it is."""
    mark, colour = _STYLE.get(status.state, ("?", "white"))
    out = Text()
    out.append(mark + " ", style=colour)
    out.append(f"{_NAMES.get(status.role.value, status.role.value)} {status.state.value}")
    if status.state is not LinkState.CONNECTED and status.detail:
        # Why it isn't connected (e.g. no Bluetooth adapter), kept short.
        out.append(f" ({_shorten(status.detail)})", style="grey62")
    elif named and device_name(status):
        out.append(f" · {device_name(status)}", style="grey62")
    return out


def _shorten(detail: str) -> str:
    line = detail.splitlines()[0] if detail else ""
    if len(line) <= _DETAIL_MAX_CHARS:
        return line
    return line[: _DETAIL_MAX_CHARS - 1] + "…"
