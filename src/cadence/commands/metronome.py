"""``cadence metronome``: the sample-accurate click track on its own.

Useful to try a tempo before a run, to pick a click sound, and to check the
audio device. Ctrl-C is the normal way to stop an untimed metronome, so it
stops cleanly and exits 0. Exit 3 when there is no audio device (one line that
says how to pick one) or when the sound output went away and was still gone
when it stopped (while it is away, stderr says so once; when the sound server is
back the clicks resume on the same beat), 2 for bad input (unknown click sound).

With ``--music``, the runner's tracks play at the metronome's tempo, their
beats on the clicks (``--volume 0``: the music alone is the beat). A track that
can't be used is one line on stderr and the metronome plays on without it.

Only the standard library (and the stdlib-only ``audio.supervisor``) is imported
at module level; the audio stack (numpy, sounddevice) loads inside ``run``, the
music stack (pedalboard, librosa) only with ``--music``.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from cadence.audio.supervisor import SoundState, SoundStatus
from cadence.commands._arg_types import checked
from cadence.commands._store_args import add_db_argument

_bpm = checked(float, lambda v: 30 <= v <= 300, "tempo must be 30-300 steps per minute")
_volume = checked(float, lambda v: 0 <= v <= 1, "volume must be between 0 and 1")
_non_negative_int = checked(int, lambda v: v >= 0, "must be 0 or more")
_duration = checked(float, lambda v: v > 0, "must be more than 0 seconds")
_limit = checked(float, lambda v: 0 <= v <= 25, "stretch limit must be 0-25 %")


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
    parser.add_argument("--music", action="append", default=None, metavar="PATH",
                        help="play this track, folder or .m3u playlist at the tempo, beats on "
                             "the clicks (repeatable; --volume 0 for the music alone)")
    parser.add_argument("--music-volume", type=_volume, default=0.7, metavar="V",
                        help="music volume 0-1 (default 0.7)")
    parser.add_argument("--stretch-limit", type=_limit, default=8.0, metavar="PCT",
                        help="use only tracks within this many %% of the tempo, or of half or "
                             "double it (default 8)")
    add_db_argument(parser)


def _device(text: str | None) -> str | int | None:
    if text is not None and text.isdigit():
        return int(text)
    return text


def run(args: argparse.Namespace) -> int:
    from cadence.audio.backend import AudioUnavailable, list_output_devices
    from cadence.audio.sounds import SoundError
    from cadence.audio.stream import DEFAULT_LATENCY_S, MUSIC_LATENCY_S, Metronome

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
        fits = _music(args) if args.music else []
        metronome = Metronome(
            _device(args.device), click=args.click, accent_every=args.accent,
            volume=args.volume, bpm=args.bpm, running=True,
            latency=MUSIC_LATENCY_S if fits else DEFAULT_LATENCY_S,
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
    player = _start_music(metronome, fits, args.music_volume) if fits else None
    end = None if args.duration is None else time.monotonic() + args.duration
    said = 0
    playing = None
    watch = _SoundWatch()
    try:
        while end is None or time.monotonic() < end:
            time.sleep(0.05)
            metronome.poll_beats()  # keep the report ring drained
            if player is not None:
                for line in player.problems[said:]:
                    print(f"cadence metronome: {line}", file=sys.stderr, flush=True)
                said = len(player.problems)
                if player.now_playing != playing and player.now_playing is not None:
                    print(f"cadence metronome: playing {player.now_playing}", flush=True)
                playing = player.now_playing
            watch.show(metronome.sound)
        metronome.set_running(False)
        time.sleep(0.2)  # let the last click ring out before the stream closes
        watch.show(metronome.sound)
    except KeyboardInterrupt:
        print("cadence metronome: stopped", flush=True)
    finally:
        if player is not None:
            player.stop()
        sound = metronome.sound
        metronome.stop()
    if watch.silent(sound):
        print("cadence metronome: could not play: the audio output was gone when it stopped; "
              "check the sound server, or pick a device with --device", file=sys.stderr)
        return 3
    return 0


def _music(args: argparse.Namespace) -> list[Any]:
    """The tracks to play, analysed (cached in the store); [] plays the clicks alone."""
    from cadence.commands._music_setup import analyse_all, playable, say

    prog = "cadence metronome"
    fits = playable(prog, analyse_all(prog, args.music, args.db), args.bpm, args.stretch_limit)
    if not fits:
        say(prog, "no usable music; playing the metronome alone")
    for f in fits:
        say(prog, f"{f.track.name}: {f.track.tempo_bpm:.1f} bpm, played at "
                  f"{f.stretch_pct:+.1f} %")
    return fits


def _start_music(metronome: Any, fits: list[Any], volume: float) -> Any:
    from cadence.music.player import MusicPlayer

    player = MusicPlayer(metronome, fits, volume=volume)
    player.start()
    return player


class _SoundWatch:
    """Says on stderr, once per change, when the sound output goes away and comes back."""

    def __init__(self) -> None:
        self._shown = ""

    def show(self, sound: SoundStatus) -> None:
        if sound.state is SoundState.RESUMING:
            return  # a second or two: not worth a line of its own
        if sound.state is SoundState.PLAYING:
            text = "" if not self._shown else (
                f"cadence metronome: sound back after {sound.lost_s:.1f} s without it; "
                "the clicks are on the same beat")
        else:
            text = f"cadence metronome: {sound.message}" if sound.message else ""
        if text and text != self._shown:
            print(text, file=sys.stderr, flush=True)
        self._shown = "" if sound.state is SoundState.PLAYING else text

    @staticmethod
    def silent(sound: SoundStatus) -> bool:
        return sound.state in (SoundState.LOST, SoundState.RESUMING)
