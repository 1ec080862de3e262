"""Loader speed: a 1000-fact deck loads, validates (with author warnings) and generates its cards
in under 0.3 s (docs/deck-format.md; PyYAML's C loader when present).

Run: .venv/bin/python benchmarks/bench_loader.py

2026-12-01, idle machine: 2.8 s (main at aa9827e: 28.6 s, the option spacing then compared each
candidate with every taken value), over the target. Nearly all of it is the cards: each
choice card's seed-0 options must avoid the other 99 answers of its source, and this synthetic
deck's 100 facts per source cover every percent from 0 to 99, so generation walks a full
domain and then retries without avoiding them. A deck of ordinary sources (10-30 facts) is far
below it. Each run clears the option cache, so the time is the cold cost.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from ibdquiz.core import deckload
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.deckload import load_deck

TARGET_SECONDS = 0.3


def big_deck(facts: int) -> str:
    """A synthetic deck of ``facts`` facts in 10 sources (structure only, not study content)."""
    lines = ["deck: bench", "title: Benchmark deck", "tags: [bench]", "sources:"]
    per_source = facts // 10
    for s in range(10):
        lines += [f"  - id: source-{s}", f"    citation: Citation {s}", "    facts:"]
        for f in range(per_source):
            lines += [
                f"      - id: fact-{f}",
                f"        ask: Benchmark question {s}-{f}?",
                f"        answer: {f % 100}%",
                "        explain: Benchmark explanation.",
                "        tags: [bench-tag]",
            ]
    return "\n".join(lines) + "\n"


def best_of(path: Path, runs: int = 5, *, cards: bool = True) -> float:
    """The fastest of ``runs`` loads of ``path`` (and card generations), in seconds."""
    times = []
    for _ in range(runs):
        choice_options.cache_clear()  # options are cached per (card, seed): time them cold
        start = time.perf_counter()
        result = load_deck(path)
        if cards and result.deck is not None:
            cards_for_deck(result.deck)
        times.append(time.perf_counter() - start)
    if result.deck is None or len(result.deck.facts()) != 1000:
        raise SystemExit(f"the benchmark deck did not load: {result.diagnostics[:3]}")
    return min(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(big_deck(1000), encoding="utf-8")
        load_deck(path)  # warm imports
        full = best_of(path)
        loaded = best_of(path, cards=False)
        real_warnings = deckload.author_warnings
        deckload.author_warnings = lambda deck, name: []
        try:
            parse_and_validate = best_of(path, cards=False)
        finally:
            deckload.author_warnings = real_warnings
    print(f"1000-fact deck (C loader: {yaml.__with_libyaml__}), best of 5: "
          f"{full * 1000:.0f} ms to load, validate and generate the cards "
          f"(target < {TARGET_SECONDS * 1000:.0f} ms): "
          f"{parse_and_validate * 1000:.0f} ms parsing and validating, "
          f"{(loaded - parse_and_validate) * 1000:.0f} ms author warnings (building every "
          f"distractor pool), {(full - loaded) * 1000:.0f} ms the cards (pools reused)")
    return 0 if full < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
