"""``SessionMusic``: the profile's music in a live session, driven by the coach's actions.

Why an adapter in front of the metronome: while music plays, a tempo change
(the ramp, a fade's return, ``+``/``-``) must reach the clicks and the music on
the same beat, so it goes through the ``MusicPlayer`` (which picks the beat)
instead of straight to the stream. Everything else the session asks of the
metronome passes through unchanged. The session also shows it each tick's
actions and status (``on_tick``), and that is where the profile's rules live:

- the first run phase chooses the tracks: near today's tempo (as is, half or
  double) within the profile's stretch limit, closest to the session's target
  first; none that fit is one line on the screen and the clicks go on alone;
- walks (and warm-up, cool-down) follow ``music.walk``: ``off`` stops the
  music, ``quieter`` plays on at ``walk_volume``, ``walk_tempo`` keeps playing
  if the track fits the walking tempo too (else it rests until the next run);
- pause and mute silence it; spoken cues duck it (in the stream's callback);
- ``clicks: off``: the clicks are silent and the music is the beat.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cadence.audio.stream import Metronome
from cadence.coach.actions import Action, Phase, PhaseChange
from cadence.coach.status import CoachStatus
from cadence.model.music import TrackAnalysis
from cadence.music.choice import TrackFit, fit, within_limit
from cadence.music.player import MusicPlayer
from cadence.profile.model import MusicClicks, MusicSettings, MusicWalk


class SessionMusic:
    """Metronome commands for a ``LiveSession``, with the runner's music beat-locked in."""

    def __init__(
        self, metronome: Metronome, settings: MusicSettings, tracks: Sequence[TrackAnalysis]
    ) -> None:
        self.metronome = metronome
        self.settings = settings
        self.tracks = [t for t in tracks if t.usable]
        self.player: MusicPlayer | None = None
        self.note = ""  # one line for the screen (nothing fits, a track was skipped)
        self._fits: list[TrackFit] = []
        self._phase: Phase | None = None
        self._tempo: float | None = None
        self._resting = False  # the music waits (walk off, tempo out of reach, pause)
        self._clicks_volume = 0.0

    # ------------------------------------------------------------ MetronomeCommands
    def set_tempo(self, bpm: float) -> None:
        self._tempo = float(bpm)
        player = self.player
        if player is not None and not self._resting and not player.finished.is_set():
            if self._fits_now(bpm):
                player.set_tempo(bpm)  # clicks and music move together, on a beat
                return
            self._rest(True)
        self.metronome.set_tempo(bpm)

    def set_running(self, on: bool) -> None:
        self.metronome.set_running(on)

    def set_volume(self, v: float, fade_s: float = 0.0) -> None:
        self._clicks_volume = v
        if self.settings.clicks is MusicClicks.OFF:
            v = 0.0  # the music alone is the beat
        self.metronome.set_volume(v, fade_s=fade_s)

    def set_muted(self, m: bool) -> None:
        self.metronome.set_muted(m)
        self._apply_volume(muted=m)

    def play_cue(self, sound_id: str) -> None:
        self.metronome.play_cue(sound_id)  # the callback ducks the music under it

    # ------------------------------------------------------------ the session's tick
    def on_tick(self, actions: Iterable[Action], status: CoachStatus) -> None:
        for action in actions:
            if isinstance(action, PhaseChange):
                self._phase = action.phase
        if status.tempo_spm is not None:
            self._tempo = status.tempo_spm
        if self.player is None and self._phase is Phase.RUN and self._tempo is not None:
            self._start(self._tempo, status.target_spm)
        if self.player is None:
            return
        walking = self._phase is not Phase.RUN
        rest = status.paused or status.running_stopped or self._phase is Phase.DONE
        if walking and self.settings.walk is MusicWalk.OFF:
            rest = True
        if self._tempo is not None and not self._fits_now(self._tempo):
            rest = True
        self._rest(rest)
        self._apply_volume(muted=status.muted, walking=walking)

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()

    # ------------------------------------------------------------ inside
    def _start(self, tempo: float, target: float) -> None:
        limit = self.settings.stretch_limit_pct
        fits = [f for t in self.tracks if (f := fit(t, tempo)) is not None
                and within_limit(f, limit)]
        fits.sort(key=lambda f: abs(target / (f.track.tempo_bpm * f.clicks_per_beat) - 1.0))
        if not fits:
            self.note = (f"Music: nothing fits {tempo:.0f} steps/min within {limit:g} %; "
                         "the clicks alone.")
            self.player = None
            self.tracks = []  # do not try again every tick
            return
        self._fits = fits
        self.note = f"Music: {len(fits)} track{'s' if len(fits) != 1 else ''} near {tempo:.0f}."
        self.player = MusicPlayer(self.metronome, fits, volume=self.settings.volume)
        self.player.start()

    def _fits_now(self, bpm: float) -> bool:
        """Whether the track playing (or the next) can play at ``bpm`` within the limit."""
        f = self.player.current if self.player is not None else None
        if f is None:
            if not self._fits:
                return False
            f = self._fits[0]
        speed = bpm / (f.track.tempo_bpm * f.clicks_per_beat)
        return abs(speed - 1.0) * 100.0 <= self.settings.stretch_limit_pct + 1e-9

    def _rest(self, on: bool) -> None:
        if self.player is not None and on != self._resting:
            self._resting = on
            self.player.set_paused(on)

    def _apply_volume(self, *, muted: bool, walking: bool = False) -> None:
        if self.player is None:
            return
        s = self.settings
        volume = s.volume
        if walking and s.walk is MusicWalk.QUIETER:
            volume = s.walk_volume
        self.player.set_volume(0.0 if muted else volume)
