"""What a session's queue needs from the database, handed to the pure ``core.queue`` logic."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from ibdquiz.core.cards import Card
from ibdquiz.core.queue import (
    CardStatus,
    Phase,
    Planned,
    SessionFilters,
    fact_key,
    needs_redrill,
    plan_queue,
)


def build_queue(
    db: Database, profile: str, cards: Mapping[str, Card], filters: SessionFilters, today: int,
    new_per_day: int,
) -> list[Planned]:
    """The session's queue: practice of missed cards, or today's study queue."""
    suspended = {
        row["card_id"]
        for row in db.query(
            "SELECT card_id FROM card_state WHERE profile = ? AND suspended = 1", [profile]
        )
    }
    if filters.missed_days is not None:
        return missed_queue(db, profile, cards, filters, today, suspended)
    states = {
        row["card_id"]: row["due_day"]
        for row in db.query("SELECT card_id, due_day FROM card_state WHERE profile = ?", [profile])
    }
    statuses = [
        CardStatus(card, position, states.get(card_id), card_id in suspended)
        for position, (card_id, card) in enumerate(cards.items())
    ]
    today_rows = list(
        db.query(
            "SELECT card_id, phase, quality FROM reviews WHERE profile = ? AND study_day = ?"
            " AND phase != 'practice' ORDER BY id",
            [profile, today],
        )
    )
    busy = {fact_key(cards[row["card_id"]]) for row in today_rows if row["card_id"] in cards}
    last_quality: dict[str, int] = {}
    for row in today_rows:
        last_quality.pop(row["card_id"], None)  # keep the order of each card's last answer
        last_quality[row["card_id"]] = row["quality"]
    redrills = [card_id for card_id, quality in last_quality.items() if needs_redrill(quality)]
    introduced = len({row["card_id"] for row in today_rows if row["phase"] == Phase.NEW.value})
    allowance = (
        filters.new_limit if filters.new_limit is not None else max(0, new_per_day - introduced)
    )
    new_today = {  # issue 9: no two leaking facts new on one day (core.queue.new_card_order)
        fact_key(cards[row["card_id"]]) for row in today_rows
        if row["phase"] == Phase.NEW.value and row["card_id"] in cards
    }
    return plan_queue(
        statuses, today=today, filters=filters, new_allowance=allowance, busy_facts=busy,
        redrills=redrills, new_today=new_today,
    )


def missed_queue(
    db: Database, profile: str, cards: Mapping[str, Card], filters: SessionFilters, today: int,
    suspended: set[str],
) -> list[Planned]:
    """Cards failed (quality < 3, first answers) in the last ``missed_days`` study days."""
    days = filters.missed_days or 0
    missed = {
        row["card_id"]
        for row in db.query(
            "SELECT DISTINCT card_id FROM reviews WHERE profile = ? AND quality < 3"
            " AND phase IN ('new', 'review') AND study_day > ?",
            [profile, today - days],
        )
    }
    return [
        Planned(card_id, Phase.PRACTICE)
        for card_id, card in cards.items()
        if card_id in missed and card_id not in suspended and filters.matches(card)
    ]


def past_reviews(db: Database, profile: str, card_id: str) -> int:
    """How many answers ``profile`` gave this card: the seed of its options (DESIGN §4)."""
    row = next(
        db.query(
            "SELECT COUNT(*) AS n FROM reviews WHERE profile = ? AND card_id = ?",
            [profile, card_id],
        )
    )
    return int(row["n"])


def is_updated(db: Database, profile: str, card_id: str) -> bool:
    """True when the card's answer changed since this learner last answered it."""
    row = next(
        db.query(
            "SELECT updated FROM card_state WHERE profile = ? AND card_id = ?", [profile, card_id]
        ),
        None,
    )
    return bool(row and row["updated"])
