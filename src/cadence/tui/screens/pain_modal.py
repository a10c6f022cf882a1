"""The pain prompt: one key, 0 to 9 or t for 10, and the session keeps going underneath.

A modal screen so the digits go to it, but the app's timers keep ticking the
coach while it is open; the coach closes a prompt nobody answered.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class PainModal(ModalScreen[int | None]):
    DEFAULT_CSS = """
    PainModal { align: center middle; background: $background 40%; }
    PainModal > Vertical {
        width: 64; height: auto; padding: 1 2; border: thick $warning; background: $surface;
    }
    PainModal #pain-question { text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(d), f"rate({d})", show=False) for d in range(10)),
        Binding("t", "rate(10)", show=False),  # the scale is 0-10: one key for ten
        Binding("escape", "dismiss_prompt", "not now"),
    ]

    def __init__(self, prompt_id: int | None, reason: str = "", stop_at: int = 3) -> None:
        super().__init__()
        self.prompt_id = prompt_id
        self.reason = reason
        self.stop_at = stop_at  # the profile's real stop level, not always 3

    def compose(self) -> ComposeResult:
        question = "How is your back right now?"
        if self.prompt_id is None:
            question = "Rate your back pain now"
        elif self.reason == "post_run":
            question = "Session over. How is your back now?"
        with Vertical():
            yield Static(question, id="pain-question")
            if self.reason == "post_run":
                help_text = "Press 0-9, t for 10:  0 = no pain,  10 = the worst.\nEsc: skip."
            else:
                help_text = (
                    "Press 0-9, t for 10:  0 = no pain,  10 = the worst.\n"
                    f"{self.stop_at} or more stops running for today.\n"
                    "Esc: not now (the session carries on)."
                )
            yield Static(help_text, id="pain-help")

    def action_rate(self, rating: int) -> None:
        self.dismiss(rating)

    def action_dismiss_prompt(self) -> None:
        self.dismiss(None)
