"""The latency figures both sides of ``review_latency.py`` report, computed one way.

A plain module with no imports from ibdquiz: ``anki_latency.py`` runs in Anki's interpreter.
"""

from __future__ import annotations

import statistics


def latency_figures(first_ms: float, timings: list[float]) -> dict[str, object]:
    """``first_queue_ms``, the answers' median and 99th percentile (ms), and how many."""
    ordered = sorted(timings)
    return {
        "first_queue_ms": round(first_ms, 1),
        "answer_p50_ms": round(statistics.median(ordered), 3) if ordered else None,
        "answer_p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)], 3)
        if ordered else None,
        "answered": len(ordered),
    }
