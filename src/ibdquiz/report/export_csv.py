"""``export --format csv``: one row per answer (long format), UTF-8 without BOM (DESIGN §9)."""

from __future__ import annotations

import csv
from typing import TextIO

from ibdquiz.storage.history import History, Learner

CSV_HEADER = (
    "learner", "profile", "reviewed_at", "deck", "source", "fact", "card_id", "kind", "quality",
    "correct", "response", "duration_ms", "easiness", "interval_days", "due", "citation", "tags",
    "phase", "prompt",
)


def write_csv_export(
    out: TextIO, history: History | None, learner: Learner | None, *, profile: str
) -> int:
    """Write the header and one row per answer (streamed); returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    if history is None:
        return 0
    name = (learner.display_name if learner else None) or ""
    rows = 0
    for r in history.reviews():
        writer.writerow((
            name, profile, r.reviewed_at, r.deck, r.source, r.fact, r.card_id, r.kind, r.quality,
            1 if r.correct else 0, r.response, r.duration_ms, f"{r.easiness:.2f}",
            r.interval_days, r.due or "", r.citation, ";".join(r.tags), r.phase, r.prompt,
        ))
        rows += 1
    return rows
