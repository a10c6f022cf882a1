"""Carry out the coach's actions on the metronome.

The coach says *what* (``SetTempo``, ``MetronomeOff``, a ``Cue`` with a sound);
this module says *how* with the metronome's command methods, which only hand
values to the audio callback (no locks, no I/O on the audio thread). The UI
thread never talks to the audio stream any other way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from cadence.coach.actions import (
    Action,
    AskPain,
    Countdown,
    Cue,
    MetronomeOff,
    MetronomeOn,
    MetronomeVolume,
    SetTempo,
)

logger = logging.getLogger(__name__)

#: the short beep the shell plays for the 3-2-1 before a phase change
COUNTDOWN_SOUND = "earcon_countdown"
#: the sound that tells the runner a pain question is on screen
PAIN_PROMPT_SOUND = "earcon_pain_prompt"
#: the spoken question that follows the chime ("How is your back right now?...")
PAIN_QUESTION_SOUND = "pain_ask"


class MetronomeCommands(Protocol):
    """The part of ``cadence.audio.stream.Metronome`` a session uses."""

    def set_tempo(self, bpm: float) -> None: ...

    def set_running(self, on: bool) -> None: ...

    def set_volume(self, v: float, fade_s: float = 0.0) -> None: ...

    def set_muted(self, m: bool) -> None: ...

    def play_cue(self, sound_id: str) -> None: ...


def apply_to_metronome(metronome: MetronomeCommands, actions: Iterable[Action]) -> None:
    """Send every audio-relevant action to the metronome, in order."""
    for action in actions:
        match action:
            case SetTempo(tempo_spm=tempo_spm):
                metronome.set_tempo(tempo_spm)
            case MetronomeOn():
                metronome.set_running(True)
            case MetronomeOff():
                metronome.set_running(False)
            case MetronomeVolume(volume=volume, fade_s=fade_s):
                metronome.set_volume(volume, fade_s=fade_s)
            case Cue(sound_id=sound_id) if sound_id:
                play_cue(metronome, sound_id)
            case Countdown():
                play_cue(metronome, COUNTDOWN_SOUND)
            case AskPain():
                play_cue(metronome, PAIN_PROMPT_SOUND)  # the chime, then the spoken question
                play_cue(metronome, PAIN_QUESTION_SOUND)
            case _:
                pass


def play_cue(metronome: MetronomeCommands, sound_id: str) -> None:
    # A missing cue sound must never end a session: the banner still shows the text.
    try:
        metronome.play_cue(sound_id)
    except Exception as exc:  # SoundError, a bad file: the banner still shows the words
        logger.warning("cue sound %r not played: %s", sound_id, exc)
