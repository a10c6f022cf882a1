"""Send the metronome only what changed: on/off, tempo and volume.

Why reconcile rather than toggle: many things switch the beat (a walk break,
a pause, a fade, a mute, a safety stop) and several can happen in one step.
The engine works out the wanted state once at the end of each step; this
compares it with what was last sent and emits the differences, so the shell
never gets a duplicate ``MetronomeOn`` or a tempo it already has.
"""

from __future__ import annotations

from cadence.coach.actions import Action, MetronomeOff, MetronomeOn, MetronomeVolume, SetTempo


class MetronomeSync:
    """The last metronome state sent to the shell."""

    def __init__(self) -> None:
        self.on = False
        self.tempo_spm: float | None = None
        self.volume = -1.0  # nothing sent yet

    def stopped(self) -> MetronomeOff:
        """A safety stop switched the beat off at once (outside the reconcile)."""
        self.on = False
        return MetronomeOff(reason="stop")

    def reconcile(
        self,
        tempo_spm: float | None,
        volume: float,
        *,
        tempo_reason: str,
        off_reason: str,
        fade_s: float,
    ) -> list[Action]:
        """The actions that bring the metronome to ``tempo_spm`` (None: off) and ``volume``."""
        out: list[Action] = []
        on = tempo_spm is not None
        if tempo_spm is not None and tempo_spm != self.tempo_spm:
            out.append(SetTempo(tempo_spm, tempo_reason))
        if on and not self.on:
            out.append(MetronomeOn())
        if not on and self.on:
            out.append(MetronomeOff(reason=off_reason))
        if on and volume != self.volume:
            out.append(MetronomeVolume(volume, fade_s))
        if on:
            self.tempo_spm, self.volume = tempo_spm, volume
        self.on = on
        return out
