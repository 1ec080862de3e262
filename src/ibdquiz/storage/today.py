"""What a session would ask right now, counted without starting one (the home screen's figures).

The counts come from the same queue planning a ``StudySession`` uses, so the home screen says
exactly what pressing ``enter`` (one deck) or ``a`` (every deck) will ask: due reviews (one card
per fact per day), new cards within the day's remaining allowance, and today's pending re-drills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ibdquiz.core.queue import Phase, SessionFilters
from ibdquiz.storage import planning
from ibdquiz.storage.store import Store


@dataclass(frozen=True)
class TodayCounts:
    """What a session would ask right now, by phase."""

    review: int
    new: int
    redrill: int

    @property
    def total(self) -> int:
        """Every card the session would ask."""
        return self.review + self.new + self.redrill


def today_counts(
    store: Store, profile: str, filters: SessionFilters | None = None
) -> TodayCounts:
    """Count the queue a session with ``filters`` would ask now (read-only: nothing is written)."""
    settings = store.settings(profile)
    today = store.today(profile)
    with store.reading() as db:
        queue = planning.build_queue(
            db, profile, store.deck_scope(), filters or SessionFilters(), today,
            settings.new_per_day,
        )
    phases = [planned.phase for planned in queue]
    return TodayCounts(
        review=phases.count(Phase.REVIEW),
        new=phases.count(Phase.NEW),
        redrill=phases.count(Phase.REDRILL),
    )


def today_by_deck(store: Store, profile: str, deck_ids: Sequence[str]) -> dict[str, TodayCounts]:
    """``today_counts`` of a one-deck session, for each deck (the home table's rows)."""
    return {deck: today_counts(store, profile, SessionFilters(decks=(deck,))) for deck in deck_ids}
