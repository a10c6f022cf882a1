"""The live treadmill screen.

Attributes down: the app hands it each ``TickResult`` (``show_tick``), each
batch of sensor values (``show_readings``) and the beat to light
(``show_beat``). Messages up: every key the runner presses becomes a message
nested here (``LiveScreen.TempoNudged``...) that the app turns into a call on
the ``LiveSession``. The screen never touches the coach, the metronome or the
store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from cadence.coach.actions import (
    AskPain,
    Cue,
    CueKind,
    PainPromptClosed,
    Phase,
    PhaseChange,
    StopRun,
)
from cadence.coach.inputs import RedFlag
from cadence.coach.status import CoachStatus
from cadence.live.belt import BeltView
from cadence.live.session import Readings, TickResult
from cadence.model.link import SensorStatus
from cadence.model.treadmill import ControlState
from cadence.tui.safety_text import stop_advice
from cadence.tui.screens.confirm import ConfirmModal
from cadence.tui.screens.pain_modal import PainModal
from cadence.tui.screens.red_flag import RedFlagModal
from cadence.tui.widgets.beat_indicator import BeatIndicator
from cadence.tui.widgets.belt_status import BeltStatus
from cadence.tui.widgets.cadence_gauge import CadenceGauge
from cadence.tui.widgets.cadence_trend import CadenceTrend
from cadence.tui.widgets.cue_banner import CueBanner
from cadence.tui.widgets.phase_panel import Metrics, PhasePanel, PhaseView
from cadence.tui.widgets.sensor_status import SensorStatusLine
from cadence.tui.widgets.store_status import StoreStatusLine

#: a footpod reading older than this gives way to the coach's estimate (tap tempo)
READING_MAX_AGE_S = 5.0
#: terminals shorter than this get the compact layout (one-row cue and phase block)
COMPACT_BELOW_ROWS = 30


STILL_OPEN = "The pain question is still open: press 0-9 any time to answer."
CLOSED_NOW = "The pain question has closed. Press p whenever you want to rate your back."
#: The offer to walk the next run interval names its key on screen (not in speech).
WALK_NEXT_KEY: dict[str, str] = {"ease_off": " Press w to walk it."}

def phase_view(s: CoachStatus, label: str, belt: BeltView | None) -> PhaseView:
    """The phase panel's view of a status; the next belt speed only while cadence sets it."""
    in_control = belt is not None and belt.state is ControlState.IN_CONTROL
    return PhaseView(
        phase=s.phase,
        label=label,
        left_s=s.phase_left_s,
        round_index=s.round_index,
        rounds_total=s.rounds_total,
        paused=s.paused,
        next_phase=s.next_phase,
        next_duration_s=s.next_duration_s,
        next_speed_kmh=belt.next_kmh if in_control and belt is not None else None,
        elapsed_s=s.elapsed_s,
        session_left_s=s.session_left_s,
    )


class LiveScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short words: the whole footer fits 80 columns.
        Binding("p", "volunteer_pain", "pain"),
        Binding("r", "red_flag", "warning"),
        Binding("plus,equals_sign", "nudge(1)", "faster", key_display="+"),
        Binding("minus", "nudge(-1)", "slower", key_display="-"),
        Binding("m", "mute", "mute"),
        Binding("t", "tap", "tap"),
        Binding("space", "pause", "pause"),
        Binding("w", "walk_next", "walk next run", show=False),  # named when offered
        Binding("h", "hold_belt", "hold speed"),  # treadmill control only
        Binding("b", "belt_back", "belt to cadence"),
        Binding("q", "end", "end"),
        *(Binding(str(d), f"rate({d})", show=False) for d in range(10)),
    ]

    # ----- messages up ------------------------------------------------------------------------
    @dataclass
    class PainGiven(Message):
        rating: int
        prompt_id: int | None

    @dataclass
    class RedFlagGiven(Message):
        flag: RedFlag

    @dataclass
    class TempoNudged(Message):
        direction: int  # +1 or -1; the app knows the step size

    @dataclass
    class MuteToggled(Message):
        pass

    @dataclass
    class Tapped(Message):
        pass

    @dataclass
    class PauseToggled(Message):
        pass

    @dataclass
    class WalkNextRun(Message):
        """The runner takes the offer to walk the next run interval."""

    @dataclass
    class EndRequested(Message):
        pass

    @dataclass
    class BeltHeld(Message):
        """Keep the belt's speed through the next switch."""

    @dataclass
    class BeltGivenBack(Message):
        """cadence may set the belt again (after the console was used)."""

    def __init__(
        self, title: str, audio_note: str = "", accent_every: int = 4, *, belt_note: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.audio_note = audio_note
        self.belt_note = belt_note  # treadmill control asked for, but no treadmill to set
        self.accent_every = accent_every
        self._open_prompt: int | None = None
        self._pain_modal: PainModal | None = None
        self._stopped = False
        self._stop_tick = False
        self._still_open: int | None = None  # a prompt dismissed with Esc, still open
        self._status: CoachStatus | None = None
        self._readings = Readings()
        self._shown_second = -1
        self._phase_label = ""  # the current phase's name (from its PhaseChange)
        # Made here, not looked up per call: the timers may still fire while the
        # screen is being torn down, and a held reference is cheaper than a query.
        self._gauge = CadenceGauge(id="gauge")
        self._beat = BeatIndicator(id="beat")
        self._phase = PhasePanel(id="phase")
        self._metrics = Metrics(id="metrics")
        self._banner = CueBanner(id="cue")
        self._trend = CadenceTrend(minutes=5, id="trend")
        self._sensors = SensorStatusLine(id="sensors")
        self._store_line = StoreStatusLine(id="store-status")
        self._belt = BeltStatus(id="belt")

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="title")
        # Few containers: the compositor draws every layer under a changed cell.
        with Horizontal(id="top"):
            yield self._gauge
            yield self._phase
        yield self._beat
        yield self._banner
        with Horizontal(id="bottom"):
            yield self._trend
            yield self._metrics
        yield self._belt
        yield self._sensors
        yield self._store_line
        yield Footer()

    def on_mount(self) -> None:
        self._sensors.note = self.audio_note
        self._belt.note = self.belt_note
        beat = self._beat
        beat.accent_every = self.accent_every
        if self.audio_note:
            beat.state = "no-audio"
        self._banner.text = "Getting ready..."

    def on_resize(self) -> None:
        """On a short terminal (80x24) the cue and the phase block take one row each."""
        self.set_class(self.size.height < COMPACT_BELOW_ROWS, "-compact")

    # ----- attributes down ----------------------------------------------------------------------
    def show_store_problem(self, problem: str | None, held_s: float = 0.0) -> None:
        """Keep a write problem on screen while it lasts (the recorder holds the data)."""
        self._store_line.problem, self._store_line.held_s = problem or "", held_s

    def show_sound(self, message: str) -> None:
        """What the sound output is doing when it is not simply playing ("" when it is)."""
        self._sensors.note = message or self.audio_note

    def show_tick(self, result: TickResult) -> None:
        s = result.status
        self._status = s
        for action in result.actions:
            if isinstance(action, PhaseChange):
                self._phase_label = action.label
        self._phase.show(phase_view(s, self._phase_label, result.belt))
        # the trend takes a value when the clock shows a new second: one screen update for both
        second = int(s.elapsed_s + 0.5)
        new_second, self._shown_second = second != self._shown_second, second
        self.show_readings(result.readings, result.links, trend=new_second, now_s=result.now_s)
        gauge = self._gauge
        band = (s.band_low_spm, s.band_high_spm)
        target = s.target_spm if s.target_spm > 0 else None
        gauge.band, gauge.target_spm = band, target
        gauge.judged = s.phase is Phase.RUN
        gauge.tempo_spm = s.tempo_spm if s.metronome_on else None
        trend = self._trend
        trend.band = band
        trend.target_spm = None if target is None else round(target)
        beat = self._beat
        beat.tempo_spm = s.tempo_spm
        beat.running = s.metronome_on and not s.paused
        if not self.audio_note:
            beat.state = "muted" if s.muted else ("on" if s.metronome_on else "off")
            if s.metronome_on and not s.muted and s.volume < 0.05:
                beat.state = "faded"
        # the stop's own advice stays up; a later safety line (a warning sign after
        # a pain stop) is always shown
        self._stop_tick = any(isinstance(a, StopRun) for a in result.actions)
        if result.belt is not None or self._belt.view is not None:
            shown = self._belt.view is not None
            self._belt.show(result.belt)
            if shown != (result.belt is not None):
                self.refresh_bindings()  # the belt keys appear in the footer
        for action in result.actions:
            self._apply(action, s)
        modal_open = self._pain_modal is not None and self._open_prompt is not None
        if s.pain_prompt_id is None and modal_open:
            self._close_pain_modal()

    def show_readings(
        self,
        readings: Readings,
        links: tuple[SensorStatus, ...],
        *,
        trend: bool = False,
        now_s: float | None = None,
    ) -> None:
        """New sensor values; ``trend`` adds the cadence to the trend (once a second)."""
        self._readings = readings
        self._metrics.show(
            readings.distance_m, readings.speed_mps, readings.incline_pct, readings.hr_bpm
        )
        self._sensors.links = links
        when = now_s if now_s is not None else readings.cadence_t_s
        if when is not None:
            self._show_cadence(when, trend)

    def show_beat(self, index: int, lit: bool) -> None:
        beat = self._beat
        beat.beat_index = index
        beat.lit = lit

    def _show_cadence(self, now_s: float, trend: bool) -> None:
        r, s = self._readings, self._status
        gauge = self._gauge
        fresh = r.cadence_t_s is not None and now_s - r.cadence_t_s <= READING_MAX_AGE_S
        if fresh and r.cadence_spm is not None:
            cadence_spm, source = r.cadence_spm, "footpod"
        elif s is not None and s.cadence_spm is not None:
            cadence_spm, source = s.cadence_spm, "estimate"
        else:
            gauge.cadence_spm = None
            return
        gauge.cadence_spm, gauge.source = cadence_spm, source
        if trend:
            self._trend.add(now_s, cadence_spm)

    def _apply(self, action: object, s: CoachStatus) -> None:
        banner = self._banner
        match action:
            case Cue(text=text, kind=kind, topic=topic) if not self._stopped or (
                kind is CueKind.SAFETY and not self._stop_tick
            ):
                banner.text, banner.kind = text + WALK_NEXT_KEY.get(topic, ""), kind.value
            case StopRun(reason=reason, message=message):
                self._stopped = True
                banner.text = stop_advice(reason, s.last_pain_rating) or message
                banner.kind = "safety"
            case AskPain(prompt_id=prompt_id, reason=reason):
                self._open_pain_modal(prompt_id, reason)
            case PainPromptClosed(prompt_id=prompt_id) if prompt_id == self._open_prompt:
                self._close_pain_modal()
            case PainPromptClosed(prompt_id=prompt_id) if prompt_id == self._still_open:
                self._still_open = None
                if banner.text == STILL_OPEN:  # the digits no longer answer it: say so
                    banner.text = CLOSED_NOW
            case _:
                pass

    # ----- modals ------------------------------------------------------------------------------
    def _open_pain_modal(self, prompt_id: int | None, reason: str) -> None:
        if self._pain_modal is not None:
            return
        self._open_prompt = prompt_id
        stop_at = self._status.pain_stop_at if self._status is not None else 3
        modal = PainModal(prompt_id, reason, stop_at)
        self._pain_modal = modal

        def answered(rating: int | None) -> None:
            if self._pain_modal is modal:
                self._pain_modal = None
                self._open_prompt = None
            if rating is not None:
                self.post_message(self.PainGiven(rating, prompt_id))
            elif reason == "post_run":  # Esc means skip: end now, don't wait out the question
                self.post_message(self.EndRequested())
            elif prompt_id is not None and not self._stopped:
                banner = self._banner
                banner.text = STILL_OPEN
                banner.kind = "info"
                self._still_open = prompt_id

        self.app.push_screen(modal, answered)

    def _close_pain_modal(self) -> None:
        modal, self._pain_modal, self._open_prompt = self._pain_modal, None, None
        if modal is not None and modal.is_current:
            modal.dismiss(None)

    # ----- key actions: messages up ----------------------------------------------------------
    def action_rate(self, rating: int) -> None:
        prompt = self._status.pain_prompt_id if self._status is not None else None
        if prompt is not None:
            self.post_message(self.PainGiven(rating, prompt))

    def action_volunteer_pain(self) -> None:
        self._open_pain_modal(None, "volunteered")

    def action_red_flag(self) -> None:
        def chosen(flag: RedFlag | None) -> None:
            if flag is not None:
                self.post_message(self.RedFlagGiven(flag))

        self.app.push_screen(RedFlagModal(), chosen)

    def action_nudge(self, direction: int) -> None:
        self.post_message(self.TempoNudged(direction))

    def action_mute(self) -> None:
        self.post_message(self.MuteToggled())

    def action_tap(self) -> None:
        self.post_message(self.Tapped())

    def action_pause(self) -> None:
        self.post_message(self.PauseToggled())

    def action_walk_next(self) -> None:
        self.post_message(self.WalkNextRun())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The belt keys exist only when cadence controls the treadmill."""
        if action in ("hold_belt", "belt_back"):
            return self._belt.view is not None
        return True

    def action_hold_belt(self) -> None:
        self.post_message(self.BeltHeld())

    def action_belt_back(self) -> None:
        self.post_message(self.BeltGivenBack())

    def action_end(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(self.EndRequested())

        self.app.push_screen(
            ConfirmModal("End the session now?", "Your session so far is saved either way."),
            confirmed,
        )
