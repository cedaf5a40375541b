#!/usr/bin/env python3
"""The peer of the draw row in bench/run: a straightforward RFC 3797 implementation that removes
each pick from a Python list, on the same task as `cargo bench -p xinqiao-domain --bench draw`:
a pool of 1,000,000 enterprises in four risk classes of 250,000, 1% of each drawn (10,000
targets), then two of 2,000 inspectors for every target (20,000 inspector picks, each target's
pair drawn from the full list with the target's number appended to the key).

    python3 bench/draw-peer.py [--check FILE]

With --check FILE (the output of `xinqiao draw rfc3797 --pool-size 1000000 --count 10000
--source 9319 --source "2 5 12 8 10"`), first verifies that the bare procedure here picks the
same positions as Xinqiao. Prints a RESULT line (ms, best of 3).
"""

import hashlib
import sys
import time

KEY = b"9319./2.5.8.10.12./"
POOL, CLASSES, STAFF = 1_000_000, 4, 2_000


def pick_hash(key, i):
    c = i.to_bytes(2, "big") if i < 65536 else i.to_bytes(4, "big")
    return int.from_bytes(hashlib.md5(c + key + c).digest(), "big")


def select(key, pool, count):
    left = list(pool)
    return [left.pop(pick_hash(key, i) % len(left)) for i in range(count)]


def run():
    per = POOL // CLASSES
    targets = []
    for r in range(CLASSES):
        members = range(r, POOL, CLASSES)  # the pool's order within the class
        targets += select(KEY + f"{r}/".encode(), members, per // 100)
    staff = range(STAFF)
    picks = [select(KEY + f"t{t}/".encode(), staff, 2) for t in targets]
    return targets, picks


def main():
    if "--check" in sys.argv:
        with open(sys.argv[sys.argv.index("--check") + 1]) as f:
            xinqiao = [int(x) for x in f.read().split()]
        mine = select(KEY, range(1, POOL + 1), 10_000)  # 1-based positions, as the CLI prints them
        same = mine == xinqiao
        print(f"bare RFC 3797, 10,000 of 1,000,000: {'same picks as xinqiao draw rfc3797' if same else 'PICKS DIFFER'}")
        if not same:
            print("RESULT error=picks_differ")
            return 1
    bare = []
    for _ in range(3):
        t = time.perf_counter()
        select(KEY, range(POOL), 10_000)
        bare.append(time.perf_counter() - t)
    full = []
    for _ in range(3):
        t = time.perf_counter()
        targets, picks = run()
        full.append(time.perf_counter() - t)
    assert len(targets) == 10_000 and sum(len(p) for p in picks) == 20_000
    print(f"python list removal: bare 10,000 of 1,000,000 {min(bare) * 1e3:.1f} ms; strata + 20,000 inspector picks {min(full) * 1e3:.1f} ms (best of 3)")
    print(f"RESULT bare_ms={min(bare) * 1e3:.1f} run_ms={min(full) * 1e3:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
