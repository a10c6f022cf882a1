"""Which warning sign: leg symptoms or the ones that need urgent care."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cadence.coach.inputs import RedFlag
from cadence.tui.safety_text import EMERGENCY_CHOICE, LEG_SYMPTOMS_CHOICE, RED_FLAG_QUESTION


class RedFlagModal(ModalScreen[RedFlag | None]):
    DEFAULT_CSS = """
    RedFlagModal { align: center middle; background: $background 40%; }
    RedFlagModal > Vertical {
        width: 76; height: auto; padding: 1 2; border: thick $error; background: $surface;
    }
    RedFlagModal Static { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose('leg')", "leg symptoms"),
        Binding("2", "choose('emergency')", "urgent symptoms"),
        Binding("escape", "choose('none')", "none of these"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(RED_FLAG_QUESTION, classes="question")
            yield Static(f"1  {LEG_SYMPTOMS_CHOICE}")
            yield Static(f"2  {EMERGENCY_CHOICE}")
            yield Static("Esc  none of these: back to the session")

    def action_choose(self, which: str) -> None:
        flags = {"leg": RedFlag.LEG_SYMPTOMS, "emergency": RedFlag.EMERGENCY}
        self.dismiss(flags.get(which))
