"""``export --format csv``: one row per answer (long format), UTF-8 without BOM (docs/rules.md).

The rows stream from one query (``History.csv_rows``) that SQLite formats (times by integer
arithmetic, no datetime object per answer; each card's columns from a card map built once in the
query, no query per answer), and csv's C writer writes them in batches, so a million answers
cost no Python call each. Text cells are neutralised
against spreadsheet formulas (``ibdquiz.report.csvsafe``).
"""

from __future__ import annotations

import csv
from typing import TextIO

from ibdquiz.report.csvsafe import csv_text
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
    name = csv_text((learner.display_name if learner else None) or "")
    rows = 0
    write = writer.writerows
    cursor = history.csv_rows(csv_text, name, csv_text(profile))
    while batch := cursor.fetchmany(4096):  # type: ignore[attr-defined]
        write(batch)
        rows += len(batch)
    return rows
