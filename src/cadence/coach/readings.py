"""What the sensors and the tap key say: cadence, heart rate and distance.

Why its own object: the coach's rules want three plain answers ("what is the
runner's cadence now", "the heart rate, if fresh", "how far since last
time"), not the details of footpod jitter, tap bursts, stale straps or two
sensors both reporting distance. This gathers the samples of each tick and
answers those questions.

- Cadence: the footpod estimate (``CadenceEstimator``), else a tap-tempo result
  from the last ``TAP_VALID_S``, else None.
- Heart rate: the last reading, or None once it is ``HR_STALE_S`` old.
- Distance: from the first sensor that reported one (a footpod and a treadmill
  would otherwise count the same metres twice); jumps over 200 m or backwards
  are ignored (a reset sensor).
"""

from __future__ import annotations

from cadence.coach.cadence_estimate import CadenceEstimator, TapCollector
from cadence.model.sample import Sample, SensorRole

TAP_VALID_S = 90.0
HR_STALE_S = 10.0
DISTANCE_JUMP_M = 200.0

#: Why a finished tap burst was not used when the footpod already measures the cadence.
FOOTPOD_WINS = "the footpod is measuring your steps"


class Readings:
    """The sensor picture, fed every tick."""

    def __init__(self) -> None:
        self.estimator = CadenceEstimator()
        self.taps = TapCollector()
        self._tap: tuple[float, float] | None = None
        self._hr: tuple[float, int] | None = None
        self._distance_src: tuple[SensorRole, str] | None = None
        self._last_distance_m: float | None = None
        self._pending_dm: float | None = None

    def ingest(self, samples: tuple[Sample, ...], taps_s: tuple[float, ...]) -> None:
        for s in samples:
            if s.cadence_spm is not None and s.role is not SensorRole.HEART_RATE:
                self.estimator.add(s.t_s, s.cadence_spm)
            if s.hr_bpm is not None:
                self._hr = (s.t_s, s.hr_bpm)
            if s.distance_m is not None:
                self._take_distance((s.role, s.sensor_id), s.distance_m)
        if taps_s:
            self.taps.add(taps_s)

    def finished_taps(self, now_s: float) -> tuple[float | None, str]:
        """A finished burst of taps: ``(spm, "")``, or ``(None, why)`` when it is not used.

        A live footpod always wins: taps never override its reading. A burst
        too uneven to trust is refused. A used result counts as the cadence
        for ``TAP_VALID_S``. ``(None, "")`` while no burst has ended.
        """
        spm = self.taps.finished(now_s)
        if spm is None:
            return None, self.taps.refused
        if self.estimator.estimate(now_s) is not None:
            return None, FOOTPOD_WINS
        self._tap = (now_s, spm)
        return spm, ""

    def cadence(self, now_s: float) -> float | None:
        """Footpod estimate, else a recent tap-tempo result, else None."""
        est = self.estimator.estimate(now_s)
        if est is not None:
            return est
        if self._tap is not None and now_s - self._tap[0] <= TAP_VALID_S:
            return self._tap[1]
        return None

    def hr_bpm(self, now_s: float) -> int | None:
        if self._hr is None or now_s - self._hr[0] > HR_STALE_S:
            return None
        return self._hr[1]

    def take_distance_m(self) -> float | None:
        """Metres covered since the last call, or None when no sensor moved."""
        dm, self._pending_dm = self._pending_dm, None
        return dm

    def _take_distance(self, source: tuple[SensorRole, str], distance_m: float) -> None:
        if self._distance_src is None:
            self._distance_src = source
        if source != self._distance_src:
            return
        last = self._last_distance_m
        if last is not None and 0.0 <= distance_m - last < DISTANCE_JUMP_M:
            self._pending_dm = (self._pending_dm or 0.0) + distance_m - last
        self._last_distance_m = distance_m
