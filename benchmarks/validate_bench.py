"""``ibdquiz validate`` of a 10,000-fact deck against a bare ``yaml.compose`` of the same file.

    python benchmarks/validate_bench.py [--facts 10000] [--runs 7]

The deck is built as ``review_latency.py`` builds its decks (sources of 20 facts, each a percent
answer with a citation and a label), written to a file once. Each run times, in this process,
alternating the two sides run by run:

- ``validate_ms``: ``core.deckload.load_deck`` on the file, what ``ibdquiz validate`` runs (read,
  compose from the C parser's events, every structural check, every author lint of the items
  issue: leaks, confusable answers, authored pools; Python's cycle collector paused while the
  deck is read, as ``load_deck`` does) — the card generation a sync adds is not part of it;
- ``compose_ms``: ``yaml.compose`` of the file's text with ``yaml.CSafeLoader``.

Prints one JSON line: both medians, their ratio (target: at most 1.5, issue 13), the warning
count (so a lint that stopped running shows), and the file's size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Build the deck, time both sides alternately, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from review_latency import _write_decks  # the latency benchmark's decks, 3 cards a fact

    from ibdquiz.core.deckload import load_deck

    folder = Path(tempfile.mkdtemp(prefix="ibdquiz-validate-",
                                   dir="/dev/shm" if Path("/dev/shm").is_dir() else None))
    _write_decks(folder, args.facts * 3)
    (path,) = sorted(folder.glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    ours: list[float] = []
    bare: list[float] = []
    warnings = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        result = load_deck(path)
        ours.append((time.perf_counter() - start) * 1000)
        if result.deck is None:
            raise SystemExit(f"the benchmark deck does not validate: {result.diagnostics[:3]}")
        warnings = len(result.diagnostics)
        start = time.perf_counter()
        yaml.compose(text, Loader=yaml.CSafeLoader)
        bare.append((time.perf_counter() - start) * 1000)
    validate_ms, compose_ms = statistics.median(ours), statistics.median(bare)
    print(json.dumps({
        "facts": args.facts, "bytes": path.stat().st_size, "runs": args.runs,
        "validate_ms": round(validate_ms, 1), "compose_ms": round(compose_ms, 1),
        "ratio": round(validate_ms / compose_ms, 2), "diagnostics": warnings,
    }))


if __name__ == "__main__":
    main()
