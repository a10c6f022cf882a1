"""A recording process for the full-disk tests: records, rates pain when told, until killed.

Run as ``python tests/support/pain_child.py DB FLAG [FSIZE]``. It records a 10 Hz
footpod through the real ``Store``/``SessionRecorder`` at ten times real time,
flushing every second of session time. Once the file ``FLAG`` exists (the
parent has filled the disk) it enters a pain rating every 0.2 s of wall time
and reports each after ``add_pain`` returned: ``P <t_s> <rating> <True|False>``,
so the parent knows what the screen would have shown as confirmed. Flushes are
reported as ``F <t_s> <ok>``. With ``FSIZE`` (the RLIMIT_FSIZE fallback where no
tmpfs can be mounted) the child caps its own file sizes instead, at the moment
``FLAG`` appears: no file of it can grow any more, as on a full disk.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from cadence.model.sample import Sample, SensorRole
from cadence.store.store import Store


def cap_file_sizes(db: Path) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
    sizes = [p.stat().st_size for p in db.parent.iterdir() if p.is_file()]
    resource.setrlimit(resource.RLIMIT_FSIZE, (max(sizes), resource.RLIM_INFINITY))


def main() -> int:
    db, flag = Path(sys.argv[1]), Path(sys.argv[2])
    rlimit = len(sys.argv) > 3
    store = Store.open(db)
    rec = store.begin_session(
        profile_name="full", runner_name="Test", program="continuous", program_week=1,
        started_at=datetime.now(UTC), treadmill=True, shoe_name="",
    )
    print(f"SESSION {rec.session_id}", flush=True)
    t0 = time.perf_counter()
    i = 0
    rating_at = None
    while True:
        t_s = i / 10
        wait = t0 + t_s / 10 - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        rec.add_sample(Sample(t_s, SensorRole.FOOTPOD, cadence_spm=172.0, speed_mps=3.0,
                              distance_m=0.3 * i, sensor_id="pod"))
        if i % 10 == 9:
            print(f"F {t_s:.1f} {rec.flush()}", flush=True)
        if rating_at is None and flag.exists():
            if rlimit:
                cap_file_sizes(db)
            rating_at = time.perf_counter()
        if rating_at is not None and time.perf_counter() >= rating_at:
            rating = int(t_s) % 10
            ok = rec.add_pain(t_s, rating, prompt_id=i)
            print(f"P {t_s:.1f} {rating} {ok}", flush=True)
            rating_at += 0.2
        i += 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
