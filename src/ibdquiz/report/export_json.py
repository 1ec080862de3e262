"""``export --format json``: the file a fellow sends (docs/rules.md), written as a stream.

Reviews are read from a cursor and written one ``json.dumps`` at a time, so memory does not
grow with the number of answers.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from ibdquiz import __version__
from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR
from ibdquiz.report.schema import EXPORT_FORMAT, EXPORT_VERSION
from ibdquiz.storage.history import History, Learner


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_list(out: TextIO, items: Any) -> int:
    out.write("[")
    count = 0
    for item in items:
        out.write(",\n  " if count else "\n  ")
        out.write(_dump(item))
        count += 1
    out.write("\n]" if count else "]")
    return count


def write_json_export(
    out: TextIO, history: History | None, learner: Learner | None, *, profile: str,
    exported_at: datetime, since: str | None,
) -> int:
    """Write the whole export; ``history`` ``None`` gives an empty export. Returns the reviews."""
    header: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "learner": learner.display_name if learner else None,
        "learner_id": learner.learner_id if learner else None,
        "profile": learner.profile if learner else profile,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "ibdquiz_version": __version__,
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{_dump(key)}: {_dump(value)},\n")
    decks = history.decks() if history else []
    out.write(f'"decks": {_dump(decks)},\n"cards": ')
    cards = _write_list(out, history.cards() if history else ())
    out.write(',\n"reviews": ')
    reviews = _write_list(out, history.reviews() if history else ())
    flags = history.flags() if history else []
    out.write(f',\n"flags": {_dump(flags)},\n')
    summary: dict[str, Any] = (
        history.summary() if history else {
            "reviews": 0, "counted_answers": 0, "counted_correct": 0, "study_days": 0,
            "first_day": None, "last_day": None,
        }
    )
    summary.update(
        since=since, decks=len(decks), cards=cards, flags=len(flags),
        day_start_hour=learner.day_start_hour if learner else DEFAULT_DAY_START_HOUR,
    )
    out.write(f'"summary": {_dump(summary)}\n}}\n')
    return reviews
