"""Before the live screen: today's plan, and the readiness check.

Two small screens. ``ReadinessScreen`` shows the plan (the same text as
``cadence plan``), asks for back pain now (0-9 keys, ``t`` for 10) and then
which warning signs have appeared since the last session (letters toggle,
Enter confirms); it returns the answers, or ``None`` when the runner leaves.
``NoRunScreen`` shows why there is no running today and returns the choice:
an easy walk or rest (or, for the emergency, only closing the app).
"""

from __future__ import annotations

from string import ascii_lowercase
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from cadence.coach.warning_signs import CHECK_SIGNS, RedFlag, warning_sign
from cadence.programme.readiness import ReadinessAnswers, ReadinessOutcome, Verdict

SIGNS: tuple[RedFlag, ...] = tuple(s.flag for s in CHECK_SIGNS)
SIGN_KEYS: dict[str, RedFlag] = dict(zip(ascii_lowercase, SIGNS, strict=False))

PAIN_QUESTION = "How is your back right now? Press 0-9, or t for 10 (0 = no pain)."
SIGNS_QUESTION = ("Since your last session, has any of these appeared? Press its letter to "
                  "mark it, Enter when done (Enter alone: none of them).")


class ReadinessScreen(Screen[ReadinessAnswers | None]):
    DEFAULT_CSS = """
    ReadinessScreen { align: center middle; }
    ReadinessScreen > Vertical { width: 96; height: auto; padding: 1 2; border: round $accent; }
    ReadinessScreen #plan { margin-bottom: 1; }
    ReadinessScreen #question { text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(d), f"pain({d})", show=False) for d in range(10)),
        Binding("t", "pain(10)", show=False),
        *(Binding(k, f"mark('{k}')", show=False) for k in SIGN_KEYS),
        Binding("enter", "confirm", "done"),
        Binding("escape", "leave", "leave"),
    ]

    def __init__(self, plan_text: str) -> None:
        super().__init__()
        self.plan_text = plan_text
        self.pain: int | None = None
        self.marked: set[RedFlag] = set()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.plan_text, id="plan")
            yield Static(PAIN_QUESTION, id="question")
            yield Static("", id="signs")

    def _signs_text(self) -> str:
        return "\n".join(
            f"{'[x]' if sign in self.marked else '[ ]'} {key}  {warning_sign(sign).label}"
            for key, sign in SIGN_KEYS.items()
        )

    def action_pain(self, rating: int) -> None:
        if self.pain is not None:
            return
        self.pain = rating
        self.query_one("#question", Static).update(f"Back pain now: {rating}/10. {SIGNS_QUESTION}")
        self.query_one("#signs", Static).update(self._signs_text())

    def action_mark(self, key: str) -> None:
        if self.pain is None:
            return
        sign = SIGN_KEYS[key]
        self.marked ^= {sign}
        self.query_one("#signs", Static).update(self._signs_text())

    def action_confirm(self) -> None:
        if self.pain is None:
            return
        self.dismiss(ReadinessAnswers(self.pain, tuple(s for s in SIGNS if s in self.marked)))

    def action_leave(self) -> None:
        self.dismiss(None)


class NoRunScreen(Screen[str]):
    """Why there is no running today; returns "walk", "rest" or "close"."""

    DEFAULT_CSS = """
    NoRunScreen { align: center middle; }
    NoRunScreen > Vertical { width: 96; height: auto; padding: 1 2; border: thick $error; }
    NoRunScreen #title { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "choose('walk')", "easy walk"),
        Binding("r", "choose('rest')", "rest"),
        Binding("escape,q", "choose('close')", "close"),
    ]

    def __init__(self, outcome: ReadinessOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        emergency = self.outcome.verdict is Verdict.EMERGENCY
        with Vertical():
            yield Static("Get help now" if emergency else "No running today", id="title")
            yield Static("\n".join(self.outcome.reasons), id="reasons")
            if emergency:
                yield Static("q: close cadence")
            else:
                yield Static("w: an easy walk instead (flat, comfortable pace; stop if your "
                             "back gets worse)\nr: rest today")

    def action_choose(self, which: str) -> None:
        if self.outcome.verdict is Verdict.EMERGENCY and which != "close":
            return  # the emergency screen offers nothing else
        self.dismiss(which)
