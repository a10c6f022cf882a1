"""The pain question is spoken, not only chimed (issue 11: pain_ask.wav was never played)."""

from __future__ import annotations

from cadence.audio.sounds import sounds_dir
from cadence.coach.actions import AskPain, Cue, CueKind
from cadence.live.actions_apply import (
    PAIN_PROMPT_SOUND,
    PAIN_QUESTION_SOUND,
    apply_to_metronome,
)


class SoundLog:
    """The metronome's command seam (``MetronomeCommands``), keeping what was asked of it."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def set_tempo(self, bpm: float) -> None: ...

    def set_running(self, on: bool) -> None: ...

    def set_volume(self, v: float, fade_s: float = 0.0) -> None: ...

    def set_muted(self, m: bool) -> None: ...

    def play_cue(self, sound_id: str) -> None:
        self.played.append(sound_id)


def test_a_pain_prompt_plays_the_chime_then_the_spoken_question() -> None:
    log = SoundLog()
    apply_to_metronome(log, [AskPain(1, "walk_break"), Cue("Noted", CueKind.INFO, "pain_noted_2")])
    assert log.played == [PAIN_PROMPT_SOUND, PAIN_QUESTION_SOUND, "pain_noted_2"]
    assert (sounds_dir() / f"{PAIN_QUESTION_SOUND}.wav").is_file()
