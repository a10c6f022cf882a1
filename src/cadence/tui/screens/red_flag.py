"""Which warning sign: the signs ``coach.warning_signs`` offers during a run, most urgent first."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from cadence.coach.inputs import RedFlag
from cadence.coach.warning_signs import SESSION_SIGNS
from cadence.tui.safety_text import RED_FLAG_QUESTION


class RedFlagModal(ModalScreen[RedFlag | None]):
    DEFAULT_CSS = """
    RedFlagModal { align: center middle; background: $background 40%; }
    RedFlagModal > Vertical {
        width: 76; height: auto; padding: 1 2; border: thick $error; background: $surface;
    }
    RedFlagModal .question { margin-bottom: 1; }
    RedFlagModal .last { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"choose({n})", sign.flag.value, show=False)
          for n, sign in enumerate(SESSION_SIGNS, start=1)),
        Binding("escape", "choose(0)", "none of these"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(RED_FLAG_QUESTION, classes="question")
            for n, sign in enumerate(SESSION_SIGNS, start=1):
                yield Static(f"{n}  {sign.label}")
            yield Static("Esc  none of these: back to the session", classes="last")

    def action_choose(self, number: int) -> None:
        chosen = SESSION_SIGNS[number - 1].flag if 1 <= number <= len(SESSION_SIGNS) else None
        self.dismiss(chosen)
