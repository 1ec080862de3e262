"""Whole-profile figures from two sequential scans (``cards``, then the profile's ``card_state``)
joined in Python, instead of one index lookup per card.

At 50k cards a join in SQL visits the ``cards`` index once per state row (and the table
behind it): measured 1.0–1.2 s per stats query on the benchmark workload, against ~0.1 s for
both scans together (``benchmarks/README.md``). The per-card counters (``answers``,
``first_answers``, ``first_correct``, ``last_answer_day``) make the review log unnecessary here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from ibdquiz.storage.connection import Database


@dataclass(frozen=True)
class CardFacts:
    """What the figures need of one stored card."""

    deck: str
    source: str
    label: str
    tags_json: str
    retired: bool

    @property
    def tags(self) -> list[str]:
        """The card's tags."""
        return [str(tag) for tag in json.loads(self.tags_json or "[]")]


@dataclass(frozen=True)
class StateRow:
    """One card's state for the profile (only cards ever touched have one)."""

    card_id: str
    repetitions: int
    interval_days: int
    due_day: int | None
    lapses: int
    leech: bool
    suspended: bool
    first_answers: int
    first_correct: int
    answers: int
    last_answer_day: int | None


def card_facts(db: Database) -> dict[str, CardFacts]:
    """Every stored card (retired too), by id, from one pass over ``cards``."""
    return {
        row[0]: CardFacts(row[1], row[2], row[3], row[4], bool(row[5]))
        for row in db.execute("SELECT id, deck, source, label, tags, retired FROM cards")
    }


def states(db: Database, profile: str) -> Iterator[StateRow]:
    """The profile's ``card_state`` rows, read in table order (``+profile``: no index)."""
    for row in db.execute(
        "SELECT card_id, repetitions, interval_days, due_day, lapses, leech, suspended,"
        " first_answers, first_correct, answers, last_answer_day FROM card_state"
        " WHERE +profile = ?",
        [profile],
    ):
        yield StateRow(row[0], row[1], row[2], row[3], row[4], bool(row[5]), bool(row[6]),
                       row[7], row[8], row[9], row[10])
