"""``export --format csv``: one row per answer (long format), UTF-8 without BOM (docs/rules.md).

The rows stream from the plain review table; each card's columns (deck, source, prompt,
citation, tags) come from a map read once, and times are formatted with integer arithmetic, so
a million answers cost neither a query nor a datetime object each. Text cells are neutralised
against spreadsheet formulas (``ibdquiz.report.csvsafe``).
"""

from __future__ import annotations

import csv
from typing import TextIO

from ibdquiz.report.csvsafe import csv_text
from ibdquiz.storage.history import History, Learner, iso_day, iso_moment

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
    who = csv_text(profile)
    # per card: (deck, source, fact, card_id, kind) and (citation, tags, phase-less prompt)
    heads: dict[str, tuple[str, str, str, str, str]] = {}
    tails: dict[str, tuple[str, str, str]] = {}
    for card_id, card in history.card_facts().items():
        heads[card_id] = (csv_text(card.deck), csv_text(card.source), csv_text(card.fact),
                          csv_text(card_id), card.kind)
        tails[card_id] = (csv_text(card.citation), csv_text(";".join(card.tags)),
                          csv_text(card.prompt))
    days: dict[int | None, str] = {}
    write = writer.writerow
    rows = 0
    for card_id, at, offset, phase, quality, correct, response, duration, ease, interval, due in (
        history.review_rows()
    ):
        head = heads.get(card_id)
        if head is None:  # a card row gone from the database: what its id tells
            parts = [*card_id.split("/"), "", "", ""][:4]
            head = heads[card_id] = (csv_text(parts[0]), csv_text(parts[1]), csv_text(parts[2]),
                                     csv_text(card_id), parts[3])
            tails[card_id] = ("", "", "")
        tail = tails[card_id]
        due_text = days.get(due)
        if due_text is None:
            due_text = days[due] = iso_day(due) or ""
        write((
            name, who, iso_moment(at, offset), *head, quality, correct,
            csv_text(response) if response else "", duration, f"{ease:.2f}", interval, due_text,
            tail[0], tail[1], phase, tail[2],
        ))
        rows += 1
    return rows
