"""``cadence metronome``: the sample-accurate click track on its own.

Useful to try a tempo before a run, to pick a click sound, and to check the
audio device. Ctrl-C is the normal way to stop an untimed metronome, so it
stops cleanly and exits 0. Exit 3 when there is no audio device (one line that
says how to pick one), 2 for bad input (unknown click sound).

Only the standard library is imported at module level; the audio stack
(numpy, sounddevice) loads inside ``run``.
"""

from __future__ import annotations

import argparse
import sys
import time

from cadence.commands._arg_types import checked

_bpm = checked(float, lambda v: 30 <= v <= 300, "tempo must be 30-300 steps per minute")
_volume = checked(float, lambda v: 0 <= v <= 1, "volume must be between 0 and 1")
_non_negative_int = checked(int, lambda v: v >= 0, "must be 0 or more")
_duration = checked(float, lambda v: v > 0, "must be more than 0 seconds")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bpm", type=_bpm, default=170.0,
                        help="tempo in steps (beats) per minute, 30-300; default 170")
    parser.add_argument("--duration", type=_duration, default=None, metavar="SECONDS",
                        help="stop after this many seconds (default: until Ctrl-C)")
    parser.add_argument("--device", default=None,
                        help="output device name (or part of it) or number; see --list-devices")
    parser.add_argument("--accent", type=_non_negative_int, default=4, metavar="N",
                        help="accent the first of every N beats; 0 for none (default 4)")
    parser.add_argument("--click", default="woodblock",
                        help="click sound: woodblock, cowbell or beep (default woodblock)")
    parser.add_argument("--volume", type=_volume, default=0.8, help="0-1 (default 0.8)")
    parser.add_argument("--list-devices", action="store_true",
                        help="list the audio output devices and exit")


def _device(text: str | None) -> str | int | None:
    if text is not None and text.isdigit():
        return int(text)
    return text


def run(args: argparse.Namespace) -> int:
    from cadence.audio.backend import AudioUnavailable, list_output_devices
    from cadence.audio.sounds import SoundError
    from cadence.audio.stream import Metronome

    try:
        if args.list_devices:
            names = list_output_devices()
            if not names:
                raise AudioUnavailable(
                    "no audio device: PortAudio finds no output (is a sound server running?)"
                )
            for name in names:
                print(name)
            return 0
        metronome = Metronome(
            _device(args.device), click=args.click, accent_every=args.accent,
            volume=args.volume, bpm=args.bpm, running=True,
        )
        metronome.start()
    except AudioUnavailable as exc:
        print(f"cadence metronome: {exc}", file=sys.stderr)
        return 3
    except SoundError as exc:
        print(f"cadence metronome: {exc}", file=sys.stderr)
        return 2

    until = "Ctrl-C" if args.duration is None else f"{args.duration:g} s or Ctrl-C"
    accent = f"accent every {args.accent}" if args.accent else "no accent"
    print(f"cadence metronome: {args.bpm:g} steps/min, {args.click}, {accent}, "
          f"volume {args.volume:g}, latency {1000 * metronome.latency_s:.0f} ms; "
          f"stops after {until}", flush=True)
    end = None if args.duration is None else time.monotonic() + args.duration
    try:
        while end is None or time.monotonic() < end:
            time.sleep(0.05)
            metronome.poll_beats()  # keep the report ring drained
        metronome.set_running(False)
        time.sleep(0.2)  # let the last click ring out before the stream closes
    except KeyboardInterrupt:
        print("cadence metronome: stopped", flush=True)
    finally:
        metronome.stop()
    return 0
