"""The data behind the home screen, the stats screen and ``ibdquiz stats``, at scale.

    python benchmarks/screens_latency.py FOLDER [--runs 7]

FOLDER is one kept by ``review_latency.py --keep`` (``bench.db`` and ``decks/``). Each figure is
the median of ``--runs`` fresh processes: ``home_ms`` (what ``HomeScreen`` loads on a refresh:
deck counts, the next due day, today's queue counts overall and per deck), ``stats_screen_ms``
(``Store.study_stats``), ``stats_data_ms`` (``Store.stats`` as ``ibdquiz stats`` calls it, with
the decks' freshness check) and ``stats_command_ms`` (the whole ``ibdquiz stats --format json``
command, Python start-up included; the bundled deck synced first, as a fellow's first start
does). Prints one JSON line. Targets (issue 13): home ≤ 100 ms,
stats screen ≤ 300 ms (data load; the screens load it in Textual workers), ``ibdquiz stats``
≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def measure(folder: Path) -> dict[str, float]:
    """In this (fresh) process: each data load once, in milliseconds."""
    from ibdquiz.core.catalog import discover
    from ibdquiz.storage.store import Store
    from ibdquiz.tui.screens.home import read_home  # what the home screen's worker runs

    found: dict[str, float] = {}
    with Store.open(folder / "run.db", create=False) as store:
        start = time.perf_counter()
        decks = list(discover([("bench", folder / "decks")], known=store.known_deck)
                     .decks.values())
        store.stats("bench", decks)
        found["stats_data_ms"] = (time.perf_counter() - start) * 1000
        store.sync_decks(decks)
        start = time.perf_counter()
        read_home(store, "bench")
        found["home_ms"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        store.study_stats("bench")
        found["stats_screen_ms"] = (time.perf_counter() - start) * 1000
    return found


def _sync_bundled(db: Path) -> None:
    """Sync the bundled deck into the copy, as a fellow's first start does: ``ibdquiz stats``
    always looks at the bundled decks too, and one never synced is parsed as "not opened yet"
    on every run (~110 ms here), which no fellow's database has."""
    from ibdquiz.core.catalog import discover
    from ibdquiz.paths import bundled_decks_dir
    from ibdquiz.storage.store import Store

    with Store.open(db, create=False) as store:
        store.sync_decks(list(discover([("bundled", bundled_decks_dir())],
                                       known=store.known_deck).decks.values()))


def main() -> None:
    """Median of fresh runs of each figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.folder)))
        return
    shutil.copy2(args.folder / "bench.db", args.folder / "run.db")
    _sync_bundled(args.folder / "run.db")
    runs: list[dict[str, Any]] = []
    command: list[float] = []
    env = {**os.environ, "IBDQUIZ_PROFILE": "bench"}
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, __file__, str(args.folder), "--measure"],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ibdquiz", "--db", str(args.folder / "run.db"),
                        "--decks", str(args.folder / "decks"), "stats", "--format", "json"],
                       capture_output=True, check=True, env=env)
        command.append((time.perf_counter() - start) * 1000)
    result = {key: round(statistics.median(r[key] for r in runs), 1) for key in runs[0]}
    result["stats_command_ms"] = round(statistics.median(command), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
