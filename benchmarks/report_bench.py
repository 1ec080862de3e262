"""Benchmark: the cohort report over 100 fellows' exports of 20,000 answers each.

Builds the exports (realistic shape, from ``tests/helpers_report.py``) in a temporary folder,
then runs ``ibdquiz report DIR --output report.html`` in a subprocess and prints its wall time
and peak RSS: ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single process),
and, because the report reads files with a small process pool, the peak of the whole process
tree's summed RSS sampled from /proc every 20 ms (Linux). Targets: under 10 s and 500 MB.

    python benchmarks/report_bench.py [--fellows 100] [--answers 20000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.helpers_report import SEED_FACTS, SeedFact, card_entries, make_export  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 500.0


def bench_cards(copies: int = 8) -> list[dict[str, object]]:
    """The seed facts repeated under several deck ids: a larger catalogue, no new content."""
    facts = [
        SeedFact(f"{f.deck}-{i}", *(getattr(f, name) for name in
                 ("source", "label", "citation", "fact", "ask", "answer", "tags")))
        for i in range(copies) for f in SEED_FACTS
    ]
    return card_entries(facts)


def build(folder: Path, fellows: int, answers: int) -> int:
    """Write the exports; returns their total size in bytes."""
    cards = bench_cards()
    size = 0
    for i in range(fellows):
        doc = make_export(f"00000000-0000-4000-8000-{i:012d}", f"Fellow {i:03d}",
                          n_reviews=answers, seed=i, accuracy=0.55 + (i % 40) / 100, cards=cards)
        path = folder / f"fellow-{i:03d}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        size += path.stat().st_size
    return size


def _tree_rss_kb(pid: int) -> int:
    """Summed VmRSS of ``pid`` and all its descendants (0 once it is gone)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


cpu = [0.0]
"""CPU seconds (user + system) of the report's processes, set by ``run_report``."""


def run_report(folder: Path, out: Path) -> tuple[float, float, float, int, str]:
    """Run the report; (seconds, largest process MB, process tree MB, exit code, stderr)."""
    peak = [0]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ibdquiz", "report", str(folder), "--output", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest_kb = usage.ru_maxrss  # KiB on Linux
    cpu[0] = usage.ru_utime + usage.ru_stime  # the report and its reader processes
    return seconds, largest_kb / 1024, peak[0] / 1024, proc.returncode, err


def main() -> int:
    """Build, time, print; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fellows", type=int, default=100)
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, default=None, help="build the exports here, keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp) / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        size = build(folder, args.fellows, args.answers)
        print(f"built {args.fellows} exports x {args.answers} answers "
              f"({size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
        out = Path(temp) / "report.html"
        seconds, largest_mb, tree_mb, code, err = run_report(folder, out)
        if code != 0:
            print(err, file=sys.stderr)
            return 1
        print(f"report: {seconds:.2f} s wall (target < {TARGET_SECONDS:.0f} s); peak RSS "
              f"{largest_mb:.0f} MB largest process (ru_maxrss), {tree_mb:.0f} MB whole process "
              f"tree (target < {TARGET_MB:.0f} MB); HTML {out.stat().st_size / 1e6:.1f} MB; "
              f"{cpu[0]:.1f} CPU s; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}")
        ok = seconds < TARGET_SECONDS and max(largest_mb, tree_mb) < TARGET_MB
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
