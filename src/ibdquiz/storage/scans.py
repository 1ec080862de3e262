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
from typing import NamedTuple

from ibdquiz.storage.connection import Database


class CardFacts(NamedTuple):
    """What the figures need of one stored card (a tuple: tens of thousands are made)."""

    deck: str
    source: str
    label: str
    tags_json: str
    retired: int

    @property
    def tags(self) -> list[str]:
        """The card's tags."""
        return [str(tag) for tag in json.loads(self.tags_json or "[]")]


class StateRow(NamedTuple):
    """One card's state for the profile (only cards ever touched have one)."""

    card_id: str
    repetitions: int
    interval_days: int
    due_day: int | None
    lapses: int
    leech: int
    suspended: int
    first_answers: int
    first_correct: int
    answers: int
    last_answer_day: int | None


def card_facts(db: Database) -> dict[str, CardFacts]:
    """Every stored card (retired too), by id, from one pass over ``cards``."""
    make = CardFacts._make
    return {
        row[0]: make(row[1:])
        for row in db.execute("SELECT id, deck, source, label, tags, retired FROM cards")
    }


def states(db: Database, profile: str) -> Iterator[StateRow]:
    """The profile's ``card_state`` rows, read in table order (``+profile``: no index)."""
    make = StateRow._make
    for row in db.execute(
        "SELECT card_id, repetitions, interval_days, due_day, lapses, leech, suspended,"
        " first_answers, first_correct, answers, last_answer_day FROM card_state"
        " WHERE +profile = ?",
        [profile],
    ):
        yield make(row)
