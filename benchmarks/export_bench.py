"""Benchmark: ``ibdquiz export --format csv`` of about a million answers beside ``sqlite3 -csv``.

Builds the workload of ``review_latency.py`` (``--cards`` cards, ``--reviews-per-card`` past
answers each, 10% of cards new) on a RAM disk, then runs, alternating, ``--runs`` times each:

- ``ibdquiz --db DB --profile bench export --format csv --output FILE`` (the real CLI);
- ``sqlite3 -csv DB "<the same rows: every review joined to its card, in time order>"``.

Prints the medians of wall time and of peak memory (each child's own ``VmHWM``), their ratio,
and one JSON line. Targets (issue 13): ≤ 2× sqlite3's time, peak
memory < 50 MB.

    python benchmarks/export_bench.py [--cards 50000] [--reviews-per-card 22] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SAME_ROWS = (
    "SELECT r.reviewed_at, r.utc_offset_min, c.deck, c.source, c.fact, r.card_id, c.kind,"
    " r.quality, r.correct, r.response, r.duration_ms, r.easiness, r.interval_days, r.due_day,"
    " c.citation, c.tags, r.phase, c.prompt"
    " FROM reviews r JOIN cards c ON c.id = r.card_id"
    " WHERE r.profile = 'bench' ORDER BY r.reviewed_at, r.id"
)
"""What the CSV export holds, as one query: the reference a plain SQLite dump sets."""
TARGET_RATIO = 2.0
TARGET_MB = 50.0


def _hwm_kb(pid: int) -> int:
    """The process's peak RSS since its exec (``VmHWM``), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _run(command: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process writing ``out``.

    The peak is the child's own ``VmHWM`` sampled every 10 ms (``ru_maxrss`` of a child
    counts the parent's memory at the fork, which the build makes large).
    """
    peak = 0
    with out.open("wb") as handle:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=handle, stderr=subprocess.PIPE)
        while proc.poll() is None:
            peak = max(peak, _hwm_kb(proc.pid))
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{command[0]} failed: {err}")
    return seconds, peak / 1024


def main() -> int:
    """Build, time alternately, print; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50_000)
    parser.add_argument("--reviews-per-card", type=int, default=22)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="build (or reuse) here")
    args = parser.parse_args()
    from review_latency import build  # beside this file

    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench.db"
        if not db.exists():
            built = build(folder, args.cards, args.reviews_per_card)
            print(f"built {built['reviews']} reviews on {built['cards']} cards "
                  f"in {built['build_s']} s")
        ours = [sys.executable, "-m", "ibdquiz", "--db", str(db), "--profile", "bench",
                "export", "--format", "csv"]
        theirs = ["sqlite3", "-csv", "-header", str(db), SAME_ROWS]
        out = Path(temp) / "out.csv"
        times: dict[str, list[float]] = {"ibdquiz": [], "sqlite3": []}
        peaks: dict[str, list[float]] = {"ibdquiz": [], "sqlite3": []}
        rows = 0
        for _ in range(args.runs):
            for name, command in (("ibdquiz", ours), ("sqlite3", theirs)):
                seconds, peak = _run(command, out)
                times[name].append(seconds)
                peaks[name].append(peak)
                if name == "ibdquiz":
                    with out.open("rb") as handle:
                        rows = sum(1 for _ in handle) - 1
        med = {name: statistics.median(values) for name, values in times.items()}
        mem = {name: statistics.median(values) for name, values in peaks.items()}
        ratio = med["ibdquiz"] / med["sqlite3"]
        print(f"{rows} rows · ibdquiz {med['ibdquiz']:.2f} s, {mem['ibdquiz']:.0f} MB · "
              f"sqlite3 -csv {med['sqlite3']:.2f} s, {mem['sqlite3']:.0f} MB · ratio "
              f"{ratio:.2f} (target ≤ {TARGET_RATIO}) · memory target < {TARGET_MB:.0f} MB · "
              f"medians of {args.runs} alternating runs · load {os.getloadavg()[0]:.1f}")
        print(json.dumps({"rows": rows, "ibdquiz_s": round(med["ibdquiz"], 3),
                          "sqlite3_s": round(med["sqlite3"], 3), "ratio": round(ratio, 2),
                          "ibdquiz_peak_mb": round(mem["ibdquiz"], 1),
                          "sqlite3_peak_mb": round(mem["sqlite3"], 1)}))
        return 0 if ratio <= TARGET_RATIO and mem["ibdquiz"] < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
