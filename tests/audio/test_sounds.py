"""The shipped sounds: present, in the format the stream expects, and shaped for exact onsets."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from cadence.audio.scheduler import MAX_CLICK_S
from cadence.audio.sounds import (
    SoundError,
    click_names,
    load_click,
    load_cue,
    load_wav,
    sounds_dir,
)
from cadence.coach.cue_library import BELT_SWITCH_CUES, SPOKEN_CUES

EARCONS = ("earcon_countdown", "earcon_phase", "earcon_pain_prompt", "earcon_stop")


def test_at_least_two_click_sounds_ship() -> None:
    assert {"woodblock", "beep", "cowbell"} <= set(click_names())


@pytest.mark.parametrize("name", ["woodblock", "beep", "cowbell"])
def test_click_starts_at_its_loudest_sample_and_accent_is_louder(name: str) -> None:
    click = load_click(name)
    for sound in (click.normal, click.accent):
        assert sound.dtype == np.float32 and sound.ndim == 1
        assert sound.size <= MAX_CLICK_S * 48000
        assert abs(sound[0]) == np.abs(sound).max()  # the onset is one exact sample
        assert abs(sound[-1]) < 0.01  # no step at the end
    assert np.abs(click.accent).max() > 1.5 * np.abs(click.normal).max()


def test_every_earcon_and_spoken_cue_is_there_mono_16bit_at_its_rate() -> None:
    """Earcons at 48 kHz; speech at 16 kHz, loaded as 48 kHz (exactly 3x the frames)."""
    ids = [*EARCONS, *SPOKEN_CUES]
    assert len(SPOKEN_CUES) > 0
    missing = [i for i in ids if not (sounds_dir() / f"{i}.wav").exists()]
    assert not missing, f"run scripts/make_sounds.py; missing: {missing}"
    for sound_id in ids:
        expected_rate = 48000 if sound_id in EARCONS else 16000
        with wave.open(str(sounds_dir() / f"{sound_id}.wav"), "rb") as w:
            fmt = (w.getframerate(), w.getnchannels(), w.getsampwidth())
            frames = w.getnframes()
        assert fmt == (expected_rate, 1, 2), sound_id
        sound = load_cue(sound_id)
        assert sound.size == frames * 48000 // expected_rate, sound_id
        assert 0.05 < np.abs(sound).max() <= 1.0, sound_id


def test_earcons_have_a_soft_attack_unlike_clicks() -> None:
    for sound_id in EARCONS:
        sound = load_cue(sound_id)
        assert np.abs(sound[:48]).max() < 0.3 * np.abs(sound).max(), sound_id


def test_missing_and_malformed_sounds_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SoundError, match="not found"):
        load_cue("no_such_cue")
    with pytest.raises(SoundError, match="not a sound id"):
        load_cue("../etc/passwd")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(SoundError, match="not a readable WAV"):
        load_wav(bad)
    with wave.open(str(tmp_path / "click_slow.wav"), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(44100)
        w.writeframes(b"\x00\x10" * 100)
    with pytest.raises(SoundError, match="44100 Hz"):
        load_click("slow", folder=tmp_path)
    with pytest.raises(SoundError, match="available: slow"):
        load_click("tuba", folder=tmp_path)


def test_sounds_dir_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CADENCE_SOUNDS_DIR", str(tmp_path))
    assert sounds_dir() == tmp_path
    assert click_names() == []


@pytest.mark.parametrize("phase", sorted(BELT_SWITCH_CUES))
def test_a_belt_switch_is_said_before_the_countdown_s_next_beep_is_due(phase: str) -> None:
    """"Walk in three" takes the 3's place; the 2 comes one second later, on time.

    Each cue waits for the one before it (plus the gap between cues), so a
    spoken switch longer than that second would push every beep after it late.
    """
    from cadence.audio.scheduler import ClickScheduler

    from .scheduler_helpers import CLICK, SR

    sched = ClickScheduler(CLICK, samplerate=SR, start_silence_s=0.0)  # no clicks: not running
    sched.queue_cue(load_cue(BELT_SWITCH_CUES[phase][0]))  # at 3 s left
    out = np.zeros(SR, np.float32)
    sched.render(out)  # the first second: the voice
    beep = load_cue("earcon_countdown")
    sched.queue_cue(beep)  # at 2 s left
    later = np.zeros(SR // 2, np.float32)
    sched.render(later)
    first = int(np.flatnonzero(np.abs(later) > 1e-4)[0])
    assert first == int(np.flatnonzero(np.abs(beep) > 1e-4)[0])  # the beep at once
