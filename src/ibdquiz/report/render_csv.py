"""The cohort report as CSV: the fellow × study table, one row per fellow and study."""

from __future__ import annotations

import csv
from typing import TextIO

from ibdquiz.report.cohort import Cohort
from ibdquiz.report.tally import Tally

REPORT_CSV_HEADER = (
    "learner_id", "learner", "profile", "deck", "source", "study", "citation",
    "answers", "correct", "percent", "ci_low", "ci_high",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def write_report_csv(cohort: Cohort, out: TextIO) -> None:
    """Write every fellow × every study (a study a fellow never answered has 0 answers)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_CSV_HEADER)
    for fellow in cohort.fellows:
        for row in cohort.sources:
            tally = row.by_fellow.get(fellow.learner_id, Tally())
            interval = tally.interval
            deck, _, source = row.key.partition("/")
            writer.writerow([
                fellow.learner_id, fellow.learner, fellow.profile, deck, source, row.title,
                row.citation, tally.n, tally.correct, _number(tally.percent),
                _number(interval[0] if interval else None),
                _number(interval[1] if interval else None),
            ])
