"""Feed a million random packets to every GATT parser; only GattParseError may escape.

Hypothesis is too slow for a million examples in CI, so this drives the
parsers with ``random.randbytes`` directly: lengths 0-40 (every layout here
is shorter), and half the packets start from a valid flags byte pattern so
deep fields get exercised, not just the length checks.

    .venv/bin/python scripts/fuzz_gatt.py [--count N] [--seed S]

Exit 0 when only GattParseError was raised, 1 (with the offending packet in
hex) otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from cadence.sensors.gatt import PARSERS, GattParseError


def packets(count: int, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(count):
        data = rng.randbytes(rng.randint(0, 40))
        if data and rng.random() < 0.5:  # plausible flags: few bits, often no reserved ones
            flags = rng.getrandbits(16) & rng.getrandbits(16)
            data = flags.to_bytes(2, "little") + data[2:]
        out.append(data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    batch = 50_000
    ok = dict.fromkeys(PARSERS, 0)
    rejected = dict.fromkeys(PARSERS, 0)
    started = time.perf_counter()
    done = 0
    while done < args.count:
        chunk = packets(min(batch, args.count - done), rng)
        for name, parse in PARSERS.items():
            for data in chunk:
                try:
                    parse(data)
                    ok[name] += 1
                except GattParseError:
                    rejected[name] += 1
                except Exception as exc:  # the bug this script exists to find
                    print(f"{name}: {type(exc).__name__}: {exc} on {data.hex()}")
                    return 1
        done += len(chunk)
    elapsed = time.perf_counter() - started
    print(f"{done} random packets x {len(PARSERS)} parsers in {elapsed:.1f} s, seed {args.seed}")
    for name in PARSERS:
        print(f"  {name:13s} parsed {ok[name]:8d}  rejected (GattParseError) {rejected[name]:8d}")
    print("only GattParseError escaped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
