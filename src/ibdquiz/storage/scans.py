"""Per-deck figures in SQL: one key range of the clustered ``card_state`` per deck (schema 4).

The per-card counters (``answers``, ``first_answers``, ``first_correct``, ``last_answer_day``)
make the review log unnecessary here, and no row reaches Python: at 50k cards the Python scans
this replaced (every ``cards`` row and every state, joined in a dict) took 0.2–0.4 s a load.
"""

from __future__ import annotations

from typing import NamedTuple

from ibdquiz.core.rules import LEARNED_REPETITIONS, LEECH_LAPSES, MATURE_DAYS
from ibdquiz.storage.connection import Database


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
    answered: int = 0
    """Counted first answers to any of its cards, retired ones included (the all-time score)."""
    correct: int = 0
    """Of those, the correct ones."""


_FIGURES = """max(s.last_answer_day) AS last_day,
    sum(s.due_day IS NOT NULL OR s.suspended) AS started,
    sum(NOT s.suspended AND s.due_day IS NOT NULL AND s.due_day <= :today) AS due,
    sum(s.repetitions >= :learned) AS learned, sum(s.interval_days >= :mature) AS mature,
    sum(s.lapses >= :leech) AS leeches, sum(s.suspended) AS suspended,
    sum(s.first_answers) AS answered, sum(s.first_correct) AS correct"""

_DECK_STATES = f"""SELECT {_FIGURES} FROM card_state s WHERE s.profile = :profile
    AND s.card_id >= :deck || '/' AND s.card_id < :deck || '0'"""
"""A deck's states: one range of the clustered ``card_state`` key (a card id is
``deck/source/fact/kind``, a deck id a slug without '/', and '0' follows '/')."""

_RETIRED_STATES = f"""SELECT {_FIGURES} FROM cards c JOIN card_state s ON s.profile = :profile
    AND s.card_id = c.id WHERE c.retired = 1 AND c.deck = :deck"""
"""The same figures over a deck's retired cards (``cards_retired``: usually none)."""

_COUNTS = ("started", "due", "learned", "mature", "leeches", "suspended")


def deck_figures(db: Database, profile: str, today: int | None) -> dict[str, DeckFigures]:
    """Per stored deck, its card counts on study day ``today`` (``None``: no day, so ``due`` is
    0), in SQL: the active cards from the ``cards_walk`` index, the states as one key range per
    deck minus those of retired cards (the all-time answers keep them); no row reaches Python
    (issue 13: the home screen, the stats screen and ``ibdquiz stats``)."""
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
            total=totals.get(deck, 0), last_day=every["last_day"], **counts,
            answered=int(every["answered"] or 0), correct=int(every["correct"] or 0),
        )
    return found
