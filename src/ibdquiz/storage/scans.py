"""Whole-profile figures from two sequential scans (``cards``, then the profile's ``card_state``)
joined in Python, instead of one index lookup per card; per-deck counts (``deck_figures``) as
two SQL aggregates.

At 50k cards a join in SQL visits the ``cards`` index once per state row (and the table
behind it): measured 1.0–1.2 s per stats query on the benchmark workload, against ~0.1 s for
both scans together (``benchmarks/README.md``). The per-card counters (``answers``,
``first_answers``, ``first_correct``, ``last_answer_day``) make the review log unnecessary here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import NamedTuple

from ibdquiz.core.rules import LEARNED_REPETITIONS, LEECH_LAPSES, MATURE_DAYS
from ibdquiz.storage.connection import Database


@functools.lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[str, ...]:
    """A ``tags`` column parsed (cards share a few tag lists: each is parsed once)."""
    return tuple(str(tag) for tag in json.loads(text))


class CardFacts(NamedTuple):
    """What the figures need of one stored card (a tuple: tens of thousands are made)."""

    deck: str
    source: str
    label: str
    tags_json: str
    retired: int

    @property
    def tags(self) -> tuple[str, ...]:
        """The card's tags."""
        return _tags(self.tags_json or "[]")


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


class DeckFigures(NamedTuple):
    """One deck's card counts for a profile (``deck_figures``)."""

    total: int
    """Active cards."""
    started: int
    """Active cards with a due day or suspended (not new)."""
    due: int
    """Active, unsuspended cards due on or before the day (held back ones included)."""
    learned: int
    mature: int
    leeches: int
    suspended: int
    last_day: int | None
    """The latest study day of an answer to any of its cards, retired ones included."""


_FIGURES = """max(s.last_answer_day) AS last_day,
    sum(s.due_day IS NOT NULL OR s.suspended) AS started,
    sum(NOT s.suspended AND s.due_day IS NOT NULL AND s.due_day <= :today) AS due,
    sum(s.repetitions >= :learned) AS learned, sum(s.interval_days >= :mature) AS mature,
    sum(s.lapses >= :leech) AS leeches, sum(s.suspended) AS suspended"""

_DECK_STATES = f"""SELECT {_FIGURES} FROM card_state s WHERE s.profile = :profile
    AND s.card_id >= :deck || '/' AND s.card_id < :deck || '0'"""
"""A deck's states: one range of the clustered ``card_state`` key (a card id is
``deck/source/fact/kind``, a deck id a slug without '/', and '0' follows '/')."""

_RETIRED_STATES = f"""SELECT {_FIGURES} FROM cards c JOIN card_state s ON s.profile = :profile
    AND s.card_id = c.id WHERE c.retired = 1 AND c.deck = :deck"""
"""The same figures over a deck's retired cards (``cards_retired``: usually none)."""

_COUNTS = ("started", "due", "learned", "mature", "leeches", "suspended")


def deck_figures(db: Database, profile: str, today: int) -> dict[str, DeckFigures]:
    """Per stored deck, its card counts on study day ``today``, in SQL: the active cards from
    the ``cards_walk`` index, the states as one key range per deck minus those of retired
    cards; no row reaches Python (issue 13: the home screen and ``ibdquiz stats``)."""
    totals = {
        str(deck): int(count)
        for deck, count in db.execute(
            "SELECT deck, count(*) FROM cards WHERE retired = 0 GROUP BY deck"
        )
    }
    found: dict[str, DeckFigures] = {}
    for (deck,) in db.execute("SELECT id FROM decks").fetchall():
        params = {"profile": profile, "today": today, "deck": deck,
                  "learned": LEARNED_REPETITIONS, "mature": MATURE_DAYS, "leech": LEECH_LAPSES}
        every = next(db.query(_DECK_STATES, params))
        retired = next(db.query(_RETIRED_STATES, params))
        counts = {key: int(every[key] or 0) - int(retired[key] or 0) for key in _COUNTS}
        found[str(deck)] = DeckFigures(
            total=totals.get(deck, 0), last_day=every["last_day"], **counts
        )
    return found
