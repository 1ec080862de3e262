"""What a session would ask right now, counted without starting one (home, stats, summary).

The counts come from the same queue planning a ``StudySession`` uses (``Store.plan_today``: the
SQL walk of ``storage.planning`` under the rules of ``core.queue``), so the home screen says
exactly what pressing ``enter`` (one deck) or ``a`` (every deck) will ask: due reviews (one card
per fact, within the daily review limit), new cards within the day's remaining allowance,
today's pending re-drills, and the due cards held back for a later day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ibdquiz.core.queue import Phase, SessionFilters, TodayPlan
from ibdquiz.storage.store import Store


@dataclass(frozen=True)
class TodayCounts:
    """What a session would ask right now, by phase; ``held_back``: due but not asked today."""

    review: int
    new: int
    redrill: int
    held_back: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        """Every card the session would ask."""
        return self.review + self.new + self.redrill


def today_counts(
    store: Store, profile: str, filters: SessionFilters | None = None, *, day: int | None = None
) -> TodayCounts:
    """Count the queue a session with ``filters`` would ask on ``day`` (default today); reads."""
    today = store.today(profile) if day is None else day
    return _counts(store.plan_today(profile, filters or SessionFilters(), today))


def home_counts(
    store: Store, profile: str, deck_ids: Sequence[str]
) -> tuple[TodayCounts, dict[str, TodayCounts]]:
    """``today_counts`` of every deck together, and of a one-deck session for each deck (the
    home table's rows), from one walk of the due cards (``Store.home_plans``)."""
    every, by_deck = store.home_plans(profile, deck_ids, store.today(profile))
    return _counts(every), {deck: _counts(plan) for deck, plan in by_deck.items()}


def _counts(plan: TodayPlan) -> TodayCounts:
    """A planned queue counted by phase, with what it holds back."""
    return TodayCounts(
        review=plan.count(Phase.REVIEW), new=plan.count(Phase.NEW),
        redrill=plan.count(Phase.REDRILL), held_back=plan.held_back, due=plan.due,
    )
