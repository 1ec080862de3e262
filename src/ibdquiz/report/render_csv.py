"""The cohort report as CSV (fellow × study × kind of evidence) and the item table (CSV, JSON).

Text cells are neutralised against spreadsheet formulas (``ibdquiz.report.csvsafe``); the
JSON item table keeps every text exact.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from ibdquiz.report.cohort import Cohort
from ibdquiz.report.csvsafe import csv_cell
from ibdquiz.report.estimate import EMPTY, Estimate
from ibdquiz.report.items import ItemStats

REPORT_CSV_HEADER = (
    "learner_id", "learner", "profile", "deck", "source", "study", "citation", "evidence",
    "answers", "correct", "percent", "ci_low", "ci_high", "facts",
)
ITEMS_CSV_HEADER = (
    "card_id", "deck", "source", "fact", "kind", "card_hash", "location", "prompt", "answer",
    "n", "correct", "p", "discrimination", "upper_lower", "options", "flagged_by", "review",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _row(writer: Any, cells: list[object]) -> None:
    writer.writerow([csv_cell(c) for c in cells])


def write_report_csv(cohort: Cohort, out: TextIO) -> None:
    """Every fellow × study × evidence (objective, self-graded); 0 answers where none."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_CSV_HEADER)
    for fellow in cohort.fellows:
        for row in cohort.sources:
            objective, self_graded = row.by_fellow.get(fellow.learner_id, (EMPTY, EMPTY))
            deck, _, source = row.key.partition("/")
            for evidence, est in (("objective", objective), ("self-graded", self_graded)):
                _row(writer, [
                    fellow.learner_id, fellow.learner, fellow.profile, deck, source, row.title,
                    row.citation, evidence, *_estimate_cells(est),
                ])


def _estimate_cells(est: Estimate) -> list[object]:
    interval = est.interval
    correct = round(est.value * est.n) if est.value is not None else 0
    return [est.n, correct, _number(est.percent), _number(interval[0] if interval else None),
            _number(interval[1] if interval else None), est.clusters]


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def item_record(item: ItemStats) -> dict[str, Any]:
    """One item as a JSON object (the same fields as a CSV row, options as a list)."""
    card = item.card
    return {
        "card_id": card.card_id, "deck": card.deck, "source": card.source, "fact": card.fact,
        "kind": card.kind, "card_hash": item.card_hash, "location": item.location or None,
        "prompt": card.prompt, "answer": card.answer, "n": item.n, "correct": item.correct,
        "p": _rounded(item.p), "discrimination": _rounded(item.discrimination),
        "upper_lower": _rounded(item.upper_lower),
        "options": [{"text": o.text, "key": o.key, "offered": o.offered, "chosen": o.chosen}
                    for o in item.options],
        "flagged_by": item.flagged_by, "review": item.reasons,
    }


def write_items_csv(items: list[ItemStats], out: TextIO) -> None:
    """The item table, one row per item; options as ``text=chosen/offered`` joined by ``|``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ITEMS_CSV_HEADER)
    for item in items:
        record = item_record(item)
        record["options"] = " | ".join(
            f"{'*' if o['key'] else ''}{o['text']}={o['chosen']}/{o['offered']}"
            for o in record["options"]
        )
        record["review"] = "; ".join(record["review"])
        _row(writer, ["" if record[k] is None else record[k] for k in ITEMS_CSV_HEADER])


def write_items_json(items: list[ItemStats], out: TextIO) -> None:
    """The item table as one JSON object (exact texts)."""
    doc = {"format": "ibdquiz-items", "version": 1, "items": [item_record(i) for i in items]}
    out.write(json.dumps(doc, ensure_ascii=False, indent=1))
    out.write("\n")
