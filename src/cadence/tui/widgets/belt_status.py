"""One line about the belt when cadence controls the treadmill: who sets it, speeds, what's next.

Hidden unless the profile turned treadmill control on. A warning the runner
must see (the belt not following, the console taking over, control refused,
the console's stop) is also raised as a notification, once per new message.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from cadence.live.belt import BeltView
from cadence.model.treadmill import ControlState

_WHO = {
    ControlState.IN_CONTROL: ("●", "green", "cadence sets the belt"),
    ControlState.TAKING_CONTROL: ("◌", "yellow", "taking control of the belt"),
    ControlState.NO_LINK: ("◌", "yellow", "waiting for the treadmill"),
    ControlState.RUNNER_IN_CHARGE: ("○", "cyan", "the belt is yours (b: give it back)"),
    ControlState.REFUSED: ("✕", "red", "the treadmill refused control: use its console"),
    ControlState.UNSUPPORTED: ("✕", "red", "this treadmill can't be set over Bluetooth"),
}


class BeltStatus(Widget):
    DEFAULT_CSS = (
        "BeltStatus { display: none; height: 1; margin: 0 1; text-wrap: nowrap; "
        "text-overflow: ellipsis; }"
    )

    # one fixed line: a new value repaints it, never the screen's layout
    view: reactive[BeltView | None] = reactive(None)
    #: said instead when control was asked for but cannot be had (no treadmill to set)
    note: reactive[str] = reactive("")

    def show(self, view: BeltView | None) -> None:
        """The session's belt now; a new warning is also notified."""
        old = self.view
        if view == old:
            return
        self.display = view is not None or bool(self.note)
        self.view = view
        if view is not None and view.alert and (old is None or old.message != view.message):
            self.app.notify(view.message, title="Treadmill", severity="warning", timeout=10)

    def watch_note(self, note: str) -> None:
        self.display = self.view is not None or bool(note)

    def render(self) -> Text:
        view = self.view
        out = Text()
        if view is None:
            if self.note:
                out.append("belt ✕ ", style="yellow")
                out.append(self.note)
            return out
        mark, colour, who = _WHO.get(view.state, ("?", "white", view.state.value))
        out.append(f"belt {mark} ", style=colour)
        out.append(who)
        speeds = _speeds(view)
        if speeds:
            out.append(f" · {speeds}")
        if view.holding:
            out.append(" · holding this speed for the next switch", style="bold")
        if view.ahead:
            out.append(f" · {view.ahead}", style="bold")
        elif view.message and view.alert:
            out.append(f" · {view.message}", style="bold yellow")
        return out


def _speeds(view: BeltView) -> str:
    """"7.2 → 9.0 km/h" on the way, "9.0 km/h" once there; the belt alone when not ours."""
    belt = view.belt_kmh
    if view.state is not ControlState.IN_CONTROL or view.target_kmh is None:
        return "" if belt is None else f"{belt:.1f} km/h"
    target = "stop" if view.stopped else f"{view.target_kmh:.1f} km/h"
    if belt is None or (not view.stopped and abs(belt - view.target_kmh) < 0.15):
        return target
    return f"{belt:.1f} → {target}"
