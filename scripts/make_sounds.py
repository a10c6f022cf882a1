#!/usr/bin/env python3
"""Generate every sound cadence ships in ``sounds/`` (mono, 16-bit WAV).

Clicks and earcons are 48 kHz; spoken cues are 16 kHz (the loader upsamples them
by 3), which keeps the repository a third the size with no loss a listener hears
in espeak-ng's voice.

Why generated: the sounds are then ours (no third-party samples, no licence
questions) and reproducible. Clicks and earcons are synthesised with numpy;
spoken cues are rendered with espeak-ng and resampled with sox, from the texts
in ``cadence.coach.cue_library.SPOKEN_CUES`` (sound_id -> text).

Click design: every click starts at its loudest sample (cosine-phase partials
with an instant attack and exponential decay), so its onset is one exact
sample, whatever the volume; the accented variant is higher and louder.
Earcons have soft 5 ms attacks so they are never mistaken for a click.

Usage: ``.venv/bin/python scripts/make_sounds.py [--out DIR] [--no-speech]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

SR = 48000
SPEECH_SR = 16000
ROOT = Path(__file__).resolve().parents[1]
Float = NDArray[np.float64]


def write_wav(path: Path, x: Float) -> None:
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def percussive(partials: list[tuple[float, float, float]], dur_s: float, peak: float) -> Float:
    """Sum of cos-phase partials (freq_hz, amplitude, decay_s); loudest at sample 0."""
    t = np.arange(int(dur_s * SR)) / SR
    x = np.zeros_like(t)
    for freq, amp, decay in partials:
        x += amp * np.exp(-t / decay) * np.cos(2 * np.pi * freq * t)
    fade = min(len(t), int(0.004 * SR))
    x[-fade:] *= np.linspace(1.0, 0.0, fade)
    return peak * x / x[0]


def tone(freqs: list[float], dur_s: float, amp: float = 1.0) -> Float:
    """A soft-edged note: a few harmonics, 5 ms attack, gentle exponential release."""
    t = np.arange(int(dur_s * SR)) / SR
    x = np.zeros_like(t)
    for f in freqs:
        x += np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)
    env = np.minimum(1.0, t / 0.005) * np.exp(-t / (0.6 * dur_s))
    tail = int(0.01 * SR)
    env[-tail:] *= np.linspace(1.0, 0.0, tail)
    return amp * x * env / np.max(np.abs(x))


def seq(*parts: Float, gap_s: float = 0.03) -> Float:
    gap = np.zeros(int(gap_s * SR))
    out: list[Float] = []
    for p in parts:
        out += [p, gap]
    return np.concatenate(out[:-1])


def normalise(x: Float, peak: float) -> Float:
    return peak * x / np.max(np.abs(x))


def clicks() -> dict[str, Float]:
    normal, accent = 0.5, 0.9
    wood = [(1050.0, 1.0, 0.012), (2350.0, 0.5, 0.006), (3700.0, 0.25, 0.004)]
    wood_hi = [(f * 1.25, a, d) for f, a, d in wood]
    bell = [(562.0, 1.0, 0.04), (845.0, 0.8, 0.035), (1690.0, 0.3, 0.02), (2535.0, 0.2, 0.015)]
    bell_hi = [(f * 1.19, a, d) for f, a, d in bell]
    beep = [(1000.0, 1.0, 0.02)]
    beep_hi = [(1500.0, 1.0, 0.02)]
    return {
        "click_woodblock": percussive(wood, 0.05, normal),
        "click_woodblock_accent": percussive(wood_hi, 0.05, accent),
        "click_cowbell": percussive(bell, 0.09, normal),
        "click_cowbell_accent": percussive(bell_hi, 0.09, accent),
        "click_beep": percussive(beep, 0.04, normal),
        "click_beep_accent": percussive(beep_hi, 0.04, accent),
    }


def earcons() -> dict[str, Float]:
    peak = 0.6
    return {
        # one short beep per second of a 3-2-1 countdown
        "earcon_countdown": normalise(tone([880.0], 0.15), peak),
        # rising fifth: a new phase (run, walk, cool-down) starts now
        "earcon_phase": normalise(seq(tone([523.25], 0.18), tone([783.99], 0.3)), peak),
        # three gentle notes: please rate your pain (0-10)
        "earcon_pain_prompt": normalise(
            seq(tone([587.33], 0.15), tone([880.0], 0.15), tone([739.99], 0.3)), peak
        ),
        # falling pair, twice: the running part is over
        "earcon_stop": normalise(
            seq(tone([880.0], 0.16), tone([440.0], 0.22), tone([880.0], 0.16), tone([440.0], 0.3)),
            peak,
        ),
    }


def spoken_cues() -> dict[str, str]:
    """``SPOKEN_CUES`` from the coach's cue library, or {} when it is not there yet."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from cadence.coach import cue_library
    except ImportError:
        return {}
    cues = getattr(cue_library, "SPOKEN_CUES", {})
    return {str(k): str(v) for k, v in dict(cues).items()}


def timed_cues() -> set[str]:
    """The cues said in a countdown's place ("walk in three" before a belt switch).

    Why apart: the next beep of the 3-2-1 waits for the voice to finish, so
    these must end within 0.9 s (a second, less the gap between cues). They are
    spoken a little faster, and the silence espeak-ng leaves after the words is cut.
    """
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from cadence.coach import cue_library
    except ImportError:
        return set()
    return {sound_id for sound_id, _ in getattr(cue_library, "BELT_SWITCH_CUES", {}).values()}


def speak(text: str, path: Path, tmp: Path, *, timed: bool = False) -> None:
    raw = tmp / "raw.wav"
    rate = "190" if timed else "165"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", rate, "-w", str(raw), text], check=True)
    trim = ["reverse", "silence", "1", "0.02", "0.5%", "reverse"] if timed else []
    # -D: no dither, so the files are byte-for-byte reproducible
    subprocess.run(
        ["sox", "-V1", "-D", str(raw), "-r", str(SPEECH_SR), "-c", "1", "-b", "16", str(path),
         *trim, "pad", "0.01", "0.02", "gain", "-n", "-3"],
        check=True,
    )


README = """\
# sounds

Every file here is generated by `scripts/make_sounds.py` (mono, 16-bit WAV; clicks
and earcons at 48 kHz, spoken cues at 16 kHz):

- `click_<name>.wav` / `click_<name>_accent.wav`: metronome clicks, synthesised with numpy.
- `earcon_*.wav`: countdown beep, phase-change chime, pain-prompt chime, stop alert (numpy).
- every other `*.wav`: spoken cues rendered with espeak-ng from the texts in
  `src/cadence/coach/cue_library.py`, resampled with sox.

They contain no third-party recordings or samples; they are released under the
project's licence (see ../LICENSE). Re-create them with
`.venv/bin/python scripts/make_sounds.py`. The app finds this folder relative to
the package (editable install) or through `CADENCE_SOUNDS_DIR`.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "sounds", help="output folder")
    ap.add_argument("--no-speech", action="store_true", help="skip the espeak-ng cues")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    made = 0
    for name, x in {**clicks(), **earcons()}.items():
        write_wav(out / f"{name}.wav", x)
        made += 1
    cues = {} if args.no_speech else spoken_cues()
    if cues and not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("make_sounds: espeak-ng and sox are needed for spoken cues", file=sys.stderr)
        return 1
    timed = timed_cues()
    with tempfile.TemporaryDirectory() as tmp:
        for sound_id, text in sorted(cues.items()):
            speak(text, out / f"{sound_id}.wav", Path(tmp), timed=sound_id in timed)
            made += 1
    keep = {*clicks(), *earcons(), *cues}
    if cues:  # only prune when the spoken list is known
        for stale in out.glob("*.wav"):
            if stale.stem not in keep:
                stale.unlink()
    (out / "README.md").write_text(README)
    print(f"make_sounds: wrote {made} sounds to {out} ({len(cues)} spoken)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
