"""A recording process for the crash tests: records until it is killed.

Run as ``python tests/support/store_child.py DB PACE``. It records a 10 Hz footpod
(and 1 Hz heart rate) through the real ``SessionRecorder``, flushing after every
second of session time, like the live app. ``PACE`` is how many session seconds
pass per wall second (1 = real time). Every sample is reported on stdout *after*
``add_sample`` returned (``S <t_s>``), every pain rating after ``add_pain``
returned True (``P <t_s> <rating>``), each flush after it committed (``F <t_s>``),
so the parent, which SIGKILLs it at a random moment, knows exactly what had been
handed to the store and what had been confirmed on disk.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store

SAMPLE_HZ = 10
PAIN_EVERY_S = 3.7


def main() -> int:
    db_path, pace = Path(sys.argv[1]), float(sys.argv[2])
    store = Store.open(db_path)
    rec = store.begin_session(
        profile_name="crash", runner_name="Test", program="continuous", program_week=1,
        started_at=datetime.now(UTC), treadmill=True, shoe_name="",
    )
    print(f"SESSION {rec.session_id}", flush=True)
    t0 = time.perf_counter()
    i = 0
    next_pain = PAIN_EVERY_S
    while True:
        t_s = i / SAMPLE_HZ
        wait = t0 + t_s / pace - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        rec.add_sample(Sample(t_s, SensorRole.FOOTPOD, cadence_spm=170.0 + i % 7,
                              speed_mps=3.0, distance_m=0.3 * i, sensor_id="pod"))
        if i % SAMPLE_HZ == 0:
            rec.add_sample(Sample(t_s, SensorRole.HEART_RATE, hr_bpm=140 + i % 5,
                                  sensor_id="strap"))
        print(f"S {t_s:.1f}", flush=True)
        if t_s >= next_pain:
            rating = int(t_s) % 3
            if rec.add_pain(t_s, rating, prompt_id=int(t_s * 10)):
                print(f"P {t_s:.1f} {rating}", flush=True)
            next_pain += PAIN_EVERY_S
        # one second of session time held: flush, like the live app
        if i % SAMPLE_HZ == SAMPLE_HZ - 1 and rec.flush():
            print(f"F {t_s:.1f}", flush=True)
        i += 1


if __name__ == "__main__":
    raise SystemExit(main())
