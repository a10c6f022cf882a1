"""The click scheduler: pure, sample-exact rendering of the metronome stream.

Why it exists: a runner matches footfalls to the click, so the click must not
wander. Sleeping threads and ``sd.play`` per click drift by tens of ms; here
every click is placed at an exact sample position inside whatever block the
audio callback asks for, so the output is identical for any block size.

Timing rules (all positions are integer sample counts since the stream began):

* Beat grid: after a tempo change at beat onset ``o``, beat ``k`` of the new
  segment sounds at ``o + round(k * P)`` with ``P = 60 * samplerate / bpm`` held
  as an exact fraction ``num / den`` (integer arithmetic only), so 172.5 spm
  alternates floor/ceil of the fractional period and never drifts, even after
  hours.
* Tempo, volume, mute, accent pattern and click sound are *requested* at any
  time and applied at the next beat onset: the next click keeps its scheduled
  time and the interval after it uses the new tempo. A click is never cut or
  changed part-way.
* Running on starts a new grid ``lead`` samples later (and never before
  ``start_silence`` samples into the stream, because PulseAudio drops the first
  tens of ms). Running off stops scheduling new clicks; a sounding click ends
  naturally.
* Volume fades are linear in time from the beat where the request lands; each
  click takes the ramp's value at its own onset (a per-beat ramp), so a click is
  never reshaped mid-way.
* Mute silences clicks but keeps the grid and the beat reports going.
* Accent: with ``accent_every = n > 0`` the first beat of each group of ``n``
  uses the accent sound (louder); changing ``n`` restarts the group at the next
  beat. ``n = 0`` means no accent.
* Cues (earcons, spoken words) share the stream. A cue never sounds over a
  click onset: it starts just after a click window (``onset + duck_post``) when
  clicks are audible, and while it plays it is ducked to silence from
  ``duck_pre`` before each audible onset to ``duck_post`` after it, with
  ``duck_ramp``-long linear ramps outside that window. Cues queue; each starts
  ``cue_gap`` after the previous one ends. Mute and volume do not affect cues
  (a stop alert must still be heard).

Nothing in ``render`` allocates a buffer: it writes into the caller's array and
preallocated scratch arrays; the ``request_*`` methods only store references.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

MIN_BPM = 30.0
MAX_BPM = 300.0
MAX_CLICK_S = 0.1  # shorter than the shortest period, so one click sounds at a time
BEAT_RING = 1024  # beat reports kept for poll(); older ones are overwritten

Mono = NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ClickPair:
    """A click sound: the normal beat and the (louder) accented beat, mono float32."""

    normal: Mono
    accent: Mono


@dataclass(frozen=True, slots=True)
class BeatRecord:
    """One rendered beat: its index since running started and where it sounds."""

    index: int
    sample: int  # onset, in samples since the stream began
    accented: bool
    muted: bool
    t_s: float  # onset on the caller's clock (the ``t0_s`` given to ``render``)


def period_fraction(bpm: float, samplerate: int) -> tuple[int, int]:
    """The beat period ``60 * samplerate / bpm`` as an exact ``(num, den)`` pair.

    The tempo is rounded to the nearest 1/1000 bpm first, so 172.5 and 176.3 are
    exact and the integers stay small.
    """
    if not MIN_BPM <= bpm <= MAX_BPM:
        raise ValueError(f"tempo {bpm:g} is outside {MIN_BPM:g}-{MAX_BPM:g} beats per minute")
    period = Fraction(60 * samplerate) / Fraction(bpm).limit_denominator(1000)
    return period.numerator, period.denominator


class ClickScheduler:
    """Renders clicks and cues into caller-supplied float32 blocks.

    Only one thread may call ``render`` (the audio callback). The ``request_*``
    methods must be called from that same thread too; the stream shell hands
    them over through a lock-free queue drained at the start of each block.
    """

    def __init__(
        self,
        click: ClickPair,
        *,
        samplerate: int = 48000,
        bpm: float = 170.0,
        volume: float = 0.8,
        accent_every: int = 4,
        cue_volume: float = 1.0,
        start_silence_s: float = 0.1,
        max_frames: int = 8192,
    ) -> None:
        self.samplerate = samplerate
        self.lead = int(0.005 * samplerate)
        self.min_first_onset = int(start_silence_s * samplerate)
        self.cue_gap = int(0.1 * samplerate)
        self.duck_pre = int(0.002 * samplerate)
        self.duck_post = int(0.02 * samplerate)
        self.duck_ramp = int(0.001 * samplerate)
        r, pre, post = self.duck_ramp, self.duck_pre, self.duck_post
        self._duck = np.concatenate(
            [
                np.linspace(1.0, 0.0, r, endpoint=False),
                np.zeros(pre + post),
                np.linspace(0.0, 1.0, r, endpoint=False),
            ]
        ).astype(np.float32)
        self._max_frames = max_frames
        self._cue_buf = np.zeros(max_frames, np.float32)
        self._tmp = np.zeros(max_frames, np.float32)
        self.cue_gain = float(cue_volume)
        self.pos = 0
        # active settings
        self._check_click(click)
        self._click = click
        self._num, self._den = period_fraction(bpm, samplerate)
        self._accent_every = max(0, int(accent_every))
        self._bar_pos = 0
        self._muted = False
        self._fade_from = self._fade_to = float(volume)
        self._fade_start = 0
        self._fade_len = 0
        # pending settings, applied at the next onset
        self._p_tempo: tuple[int, int] | None = None
        self._p_tempo_at = 0  # the pending tempo waits for a beat at or after this sample
        self._p_volume: tuple[float, int] | None = None
        self._p_muted: bool | None = None
        self._p_accent: int | None = None
        self._p_click: ClickPair | None = None
        # grid
        self._running = False
        self._next_onset = 0
        self._seg_origin = 0
        self._seg_k = 0
        self._beat_index = 0
        self._new_segment = True
        #: (segment origin, num, den): beat k of the segment sounds at
        #: origin + round(k * num / den). One tuple, so another thread reads it whole.
        self.grid = (0, self._num, self._den)
        # sounding click
        self._voice: Mono | None = None
        self._voice_on = 0
        self._voice_gain = 0.0
        self._last_audible_onset = -(10**12)
        # cues: one playing, a small ring of queued ones
        self._cue: Mono | None = None
        self._cue_start = 0
        self._cue_ring: list[Mono | None] = [None] * 8
        self._cue_head = 0
        self._cue_count = 0
        self._cue_free_at = 0  # earliest start for the next queued cue
        self.cues_dropped = 0
        # beat reports
        self.beat_count = 0
        self._b_index = np.zeros(BEAT_RING, np.int64)
        self._b_sample = np.zeros(BEAT_RING, np.int64)
        self._b_accent = np.zeros(BEAT_RING, np.bool_)
        self._b_muted = np.zeros(BEAT_RING, np.bool_)
        self._b_time = np.zeros(BEAT_RING, np.float64)

    # ------------------------------------------------------------ requests
    def _check_click(self, click: ClickPair) -> None:
        limit = int(MAX_CLICK_S * self.samplerate)
        for arr in (click.normal, click.accent):
            if arr.dtype != np.float32 or arr.ndim != 1 or not 0 < arr.shape[0] <= limit:
                raise ValueError(f"a click must be mono float32, 1 to {limit} samples")

    def request_tempo(self, num: int, den: int, at_sample: int = 0) -> None:
        """New period ``num / den`` samples (see ``period_fraction``), from the next beat.

        With ``at_sample``, from the first beat at or after that sample instead
        (music that was rendered ahead changes tempo on the beat it chose).
        """
        self._p_tempo = (num, den)
        self._p_tempo_at = at_sample

    def request_volume(self, volume: float, fade_samples: int = 0) -> None:
        """Ramp the click volume to ``volume`` over ``fade_samples``, from the next beat."""
        self._p_volume = (volume, fade_samples)

    def request_muted(self, muted: bool) -> None:
        self._p_muted = muted

    def request_accent_every(self, n: int) -> None:
        self._p_accent = n

    def request_click(self, click: ClickPair) -> None:
        self._p_click = click

    def request_running(self, on: bool) -> None:
        """Start a new beat grid shortly (``lead``) or stop scheduling clicks."""
        if on and not self._running:
            self._running = True
            ringing = self._voice_on + self._voice.shape[0] if self._voice is not None else 0
            self._next_onset = max(self.pos + self.lead, self.min_first_onset, ringing)
            self._new_segment = True
            self._beat_index = 0
            self._bar_pos = 0
        elif not on:
            self._running = False

    def hold_silence(self, seconds: float) -> None:
        """Nothing sounds for ``seconds`` from now (a new stream drops its start)."""
        self.min_first_onset = self.pos + int(seconds * self.samplerate)
        if self._running:
            self._next_onset = max(self._next_onset, self.min_first_onset)
            self._new_segment = True

    def skip(self, samples: int) -> None:
        """Let ``samples`` pass unheard, keeping the beat grid (the output was gone).

        Why: when the sound server restarts, the runner's feet keep the old
        beat. The beats that fell in the gap are skipped (no reports; the
        accent pattern counts them) and the next one lands where the old grid
        puts it. A sounding click or cue is dropped; queued cues still play.
        """
        if samples <= 0:
            return
        target = self.pos + samples
        self.pos = target
        self._voice = None
        self._cue = None
        self._cue_free_at = max(self._cue_free_at, target)
        self.min_first_onset = max(self.min_first_onset, target)
        if not self._running or self._next_onset >= target:
            return
        if self._new_segment:  # no grid yet: it starts at the first onset
            self._next_onset = target
            return
        span = target - self._seg_origin  # first k with origin + round(k * P) >= target
        k = max(self._seg_k, -(-(2 * self._den * span - self._den) // (2 * self._num)))
        skipped = k - self._seg_k  # the pending onset is one of them
        self._seg_k = k
        self._next_onset = self._seg_origin + (2 * k * self._num + self._den) // (2 * self._den)
        self._beat_index += skipped
        every = self._accent_every
        self._bar_pos = (self._bar_pos + skipped) % every if every > 0 else 0

    def queue_cue(self, sound: Mono) -> None:
        """Play ``sound`` after any cue already playing; dropped if 8 are waiting."""
        if self._cue_count == len(self._cue_ring):
            self.cues_dropped += 1
            return
        self._cue_ring[(self._cue_head + self._cue_count) % len(self._cue_ring)] = sound
        self._cue_count += 1

    # ------------------------------------------------------------ queries
    @property
    def running(self) -> bool:
        return self._running

    @property
    def cue_playing(self) -> bool:
        """A cue is sounding or waiting (music is ducked under it)."""
        return self._cue is not None or self._cue_count > 0

    @property
    def period_samples(self) -> Fraction:
        """The active beat period (a pending change is not yet included)."""
        return Fraction(self._num, self._den)

    def beat(self, n: int) -> BeatRecord:
        """Beat report number ``n`` (0-based over all beats ever rendered)."""
        i = n % BEAT_RING
        return BeatRecord(
            index=int(self._b_index[i]),
            sample=int(self._b_sample[i]),
            accented=bool(self._b_accent[i]),
            muted=bool(self._b_muted[i]),
            t_s=float(self._b_time[i]),
        )

    # ------------------------------------------------------------ render
    def render(self, out: Mono, t0_s: float = 0.0) -> None:
        """Fill ``out`` (1-D float32, any length) with the next samples of the stream.

        ``t0_s`` is when ``out[0]`` will be heard on the caller's clock; beat
        reports get times derived from it.
        """
        n = out.shape[0]
        done = 0
        while done < n:
            step = min(self._max_frames, n - done)
            self._render_chunk(out[done : done + step], t0_s + done / self.samplerate)
            done += step

    def _render_chunk(self, out: Mono, t0_s: float) -> None:
        n = out.shape[0]
        pos = self.pos
        end = pos + n
        out.fill(0.0)
        have_cue = self._render_cues(pos, end)
        if have_cue:
            self._duck_at(self._last_audible_onset, pos, end)
        if self._voice is not None:
            self._add_voice(out, pos, end)
        while self._running and self._next_onset < end:
            o = self._next_onset
            self._begin_beat(o, t0_s + (o - pos) / self.samplerate)
            if self._voice is not None and self._voice_on == o:
                if have_cue:
                    self._duck_at(o, pos, end)
                self._add_voice(out, pos, end)
        if have_cue:
            if self._next_click_audible():
                self._duck_at(self._next_onset, pos, end)
            out += self._cue_buf[:n]
        np.minimum(out, 1.0, out=out)  # ufuncs: cheaper than np.clip's Python wrapper
        np.maximum(out, -1.0, out=out)
        self.pos = end

    def _next_click_audible(self) -> bool:
        """Whether a click will sound at ``_next_onset`` (a pending mute counts)."""
        return self._running and not (self._muted if self._p_muted is None else self._p_muted)

    def _gain_at(self, sample: int) -> float:
        if self._fade_len <= 0 or sample >= self._fade_start + self._fade_len:
            return self._fade_to
        frac = (sample - self._fade_start) / self._fade_len
        return self._fade_from + (self._fade_to - self._fade_from) * frac

    def _begin_beat(self, o: int, t_s: float) -> None:
        if self._p_tempo is not None and o >= self._p_tempo_at:
            self._num, self._den = self._p_tempo
            self._p_tempo = None
            self._new_segment = True
        if self._p_volume is not None:
            target, fade_len = self._p_volume
            self._fade_from = self._gain_at(o)
            self._fade_to = target
            self._fade_start = o
            self._fade_len = fade_len
            self._p_volume = None
        if self._p_muted is not None:
            self._muted = self._p_muted
            self._p_muted = None
        if self._p_accent is not None:
            self._accent_every = max(0, self._p_accent)
            self._bar_pos = 0
            self._p_accent = None
        if self._p_click is not None:
            self._click = self._p_click
            self._p_click = None
        every = self._accent_every
        accented = every > 0 and self._bar_pos == 0
        self._bar_pos = (self._bar_pos + 1) % every if every > 0 else 0
        gain = self._gain_at(o)
        i = self.beat_count % BEAT_RING
        self._b_index[i] = self._beat_index
        self._b_sample[i] = o
        self._b_accent[i] = accented
        self._b_muted[i] = self._muted
        self._b_time[i] = t_s
        self.beat_count += 1
        self._beat_index += 1
        if not self._muted and gain > 0.0:
            self._voice = self._click.accent if accented else self._click.normal
            self._voice_on = o
            self._voice_gain = gain
            self._last_audible_onset = o
        if self._new_segment:
            self._seg_origin = o
            self._seg_k = 0
            self._new_segment = False
            self.grid = (o, self._num, self._den)
        self._seg_k += 1
        num2 = 2 * self._seg_k * self._num
        self._next_onset = self._seg_origin + (num2 + self._den) // (2 * self._den)

    def _mix(self, dst: Mono, sound: Mono, on: int, gain: float, pos: int, end: int) -> bool:
        """Add ``sound * gain``, sounding from sample ``on``, to ``dst`` (samples ``pos..end``).

        Returns True once the sound has ended by ``end``.
        """
        stop = on + len(sound)
        s = max(on, pos)
        e = min(stop, end)
        if e > s:
            tmp = self._tmp[: e - s]
            np.multiply(sound[s - on : e - on], gain, out=tmp)
            dst[s - pos : e - pos] += tmp
        return stop <= end

    def _add_voice(self, out: Mono, pos: int, end: int) -> None:
        voice = self._voice
        assert voice is not None
        if self._mix(out, voice, self._voice_on, self._voice_gain, pos, end):
            self._voice = None

    def _duck_at(self, onset: int, pos: int, end: int) -> None:
        w0 = onset - self.duck_pre - self.duck_ramp
        s = max(w0, pos)
        e = min(w0 + self._duck.shape[0], end)
        if e > s:
            self._cue_buf[s - pos : e - pos] *= self._duck[s - w0 : e - w0]

    def _cue_start_for(self, at: int) -> int:
        """``at``, or just after the click window it falls in (best effort).

        Only the last audible onset and the next scheduled one are known here;
        ducking in ``_render_chunk`` is what guarantees no cue over any onset.
        """
        start = max(at, self.min_first_onset)
        pre = self.duck_pre + self.duck_ramp
        post = self.duck_post + self.duck_ramp
        last = self._last_audible_onset
        if last - pre <= start < last + post:
            start = last + post
        nxt = self._next_onset
        if self._next_click_audible() and nxt - pre <= start < nxt + post:
            start = nxt + post
        return start

    def _render_cues(self, pos: int, end: int) -> bool:
        """Mix the playing (and next queued) cues into the cue buffer; True if any sound."""
        wrote = False
        while True:
            if self._cue is None:
                if self._cue_count == 0:
                    return wrote
                self._cue = self._cue_ring[self._cue_head]
                self._cue_ring[self._cue_head] = None
                self._cue_head = (self._cue_head + 1) % len(self._cue_ring)
                self._cue_count -= 1
                self._cue_start = self._cue_start_for(max(pos, self._cue_free_at))
            cue = self._cue
            assert cue is not None
            if not wrote:
                self._cue_buf[: end - pos].fill(0.0)
                wrote = True
            on = self._cue_start
            if self._mix(self._cue_buf, cue, on, self.cue_gain, pos, end):
                self._cue = None
                self._cue_free_at = on + cue.shape[0] + self.cue_gap
                if self._cue_free_at >= end:
                    return wrote
            else:
                return wrote
