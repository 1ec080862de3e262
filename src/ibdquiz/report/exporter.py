"""Running an export: open the database read-only in spirit, take one snapshot, stream it out.

A missing database (or a profile never created) gives an empty export of the valid shape, and
no file is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from ibdquiz.core.clock import Clock, date_to_day, system_clock
from ibdquiz.report.export_csv import write_csv_export
from ibdquiz.report.export_json import write_json_export
from ibdquiz.storage.history import History, Learner
from ibdquiz.storage.store import Store

EXPORT_FORMATS = ("json", "csv")


@dataclass(frozen=True)
class ExportOutcome:
    """What was written: the number of answers and whom they belong to (``None``: no profile)."""

    reviews: int
    learner: Learner | None


def _write(
    fmt: str, out: TextIO, history: History | None, learner: Learner | None, *, profile: str,
    clock: Clock, since: date | None,
) -> int:
    if fmt == "csv":
        return write_csv_export(out, history, learner, profile=profile)
    return write_json_export(
        out, history, learner, profile=profile, exported_at=clock(),
        since=since.isoformat() if since else None,
    )


def run_export(
    db_path: Path, profile: str, fmt: str, out: TextIO, *, since: date | None = None,
    clock: Clock = system_clock,
) -> ExportOutcome:
    """Write ``profile``'s export in ``fmt`` (``json`` or ``csv``) to ``out``."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    store = Store.open_existing(db_path, clock=clock)
    if store is None:
        reviews = _write(fmt, out, None, None, profile=profile, clock=clock, since=since)
        return ExportOutcome(reviews, None)
    with store, store.snapshot() as conn:  # one read transaction, errors as one line
        history = History(conn, profile, date_to_day(since) if since else None)
        learner = history.learner()
        source = history if learner is not None else None
        reviews = _write(fmt, out, source, learner, profile=profile, clock=clock, since=since)
    return ExportOutcome(reviews, learner)
