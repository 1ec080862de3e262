"""The long crash soak: many more SIGKILLs than CI runs, on one database, with several profiles.

Not part of the test suite (it runs for minutes). Run it from the repository root:

    python -m tests.soak.soak --kills 2000 --seed 7 --folder /dev/shm/ibdquiz-soak

Each round forks a child that studies the bundled deck headless through the session API
(``tests/fault_driver.py``), kills it with SIGKILL after a random delay, then checks that every
answer it acknowledged is in the file and that ``PRAGMA integrity_check`` is ok. Every
``--fresh-every`` rounds the file is deleted so first creation is hit too. It prints one line
per 100 kills and exits 1 at the first lost answer or damaged file.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from tests.fault_driver import acknowledged, check_database, fork_driver, kill_at


def main(argv: list[str] | None = None) -> int:
    """Run the soak; 0 when nothing was lost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/ibdquiz-soak"))
    parser.add_argument("--fresh-every", type=int, default=50)
    parser.add_argument("--max-delay", type=float, default=1.5)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    args.folder.mkdir(parents=True, exist_ok=True)
    db = args.folder / "ibdquiz.db"
    acked: set[int] = set()
    answered = 0
    started = time.monotonic()
    for round_no in range(args.kills):
        if round_no % args.fresh_every == 0:
            for leftover in args.folder.glob("ibdquiz.db*"):
                leftover.unlink()
            acked = set()
        profile = rng.choice(["default", "b", "c"])
        child = fork_driver(db, profile, seed=args.seed * 100_003 + round_no)
        lines = kill_at(child, rng.uniform(0, args.max_delay))
        errors = [line for line in lines if line.startswith("error ")]
        if errors:
            print(f"round {round_no}: the child failed: {errors}", file=sys.stderr)
            return 1
        new = acknowledged(lines)
        answered += len(new)
        acked |= new
        try:
            check_database(db, acked)
        except AssertionError as exc:
            print(f"round {round_no}: {exc}", file=sys.stderr)
            return 1
        if (round_no + 1) % 100 == 0:
            print(f"{round_no + 1} kills, {answered} acknowledged answers, none lost, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
    print(f"done: {args.kills} kills, {answered} acknowledged answers, none lost")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
