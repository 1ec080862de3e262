"""The pure queue logic: order, siblings, recognition before recall, allowance, filters."""

from __future__ import annotations

import pytest

from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.queue import CardStatus, Phase, SessionFilters, plan_queue
from tests.helpers_storage import demo_deck

CARDS = cards_for_deck(demo_deck())


def statuses(
    due: dict[str, int] | None = None, suspended: tuple[str, ...] = ()
) -> list[CardStatus]:
    due = due or {}
    return [
        CardStatus(card, position, due.get(card.id), card.id in suspended)
        for position, card in enumerate(CARDS)
    ]


def test_due_most_overdue_first_then_new_interleaved_across_sources() -> None:
    due = {"demo/alpha/no-share/recall": 10, "demo/alpha/follow-up/numeric": 8}
    plan = plan_queue(statuses(due), today=10, filters=SessionFilters(), new_allowance=2)
    assert [(p.card_id, p.phase) for p in plan[:2]] == [
        ("demo/alpha/follow-up/numeric", Phase.REVIEW), ("demo/alpha/no-share/recall", Phase.REVIEW)
    ]
    # new cards: facts not busy, choice first; no-share and follow-up have a card in the queue;
    # the sources alpha and beta take turns (issue 9)
    assert [(p.card_id, p.phase) for p in plan[2:]] == [
        ("demo/alpha/yes-share/choice", Phase.NEW), ("demo/beta/word/recall", Phase.NEW)
    ]


def test_future_due_cards_wait_and_siblings_are_next_new() -> None:
    due = {"demo/alpha/yes-share/choice": 12}
    plan = plan_queue(statuses(due), today=10, filters=SessionFilters(), new_allowance=1)
    # the fact's choice card is learned: its numeric card is the next new card of that fact
    assert [p.card_id for p in plan] == ["demo/alpha/yes-share/numeric"]


def test_busy_facts_and_redrills() -> None:
    busy = [("demo", "alpha", "yes-share")]
    plan = plan_queue(
        statuses(), today=10, filters=SessionFilters(), new_allowance=1, busy_facts=busy,
        redrills=["demo/beta/word/recall"],
    )
    assert [(p.card_id, p.phase) for p in plan] == [
        ("demo/beta/word/recall", Phase.REDRILL), ("demo/alpha/no-share/choice", Phase.NEW)
    ]


def test_kind_filter_overrides_recognition_first() -> None:
    plan = plan_queue(
        statuses(), today=0, filters=SessionFilters(kinds=("recall",)), new_allowance=2
    )
    assert [p.card_id for p in plan] == [
        "demo/alpha/yes-share/recall", "demo/alpha/no-share/recall"
    ]


def test_suspended_cards_never_come() -> None:
    plan = plan_queue(
        statuses(suspended=("demo/alpha/yes-share/choice",)), today=0,
        filters=SessionFilters(), new_allowance=1,
    )
    assert [p.card_id for p in plan] == ["demo/alpha/yes-share/numeric"]


def test_zero_allowance_gives_no_new_cards() -> None:
    assert plan_queue(statuses(), today=0, filters=SessionFilters(), new_allowance=0) == []


def test_filters_validate() -> None:
    with pytest.raises(ValueError, match="unknown card kind"):
        SessionFilters(kinds=("essay",))
    with pytest.raises(ValueError):
        SessionFilters(new_limit=-1)
    assert SessionFilters(sources=("demo/beta",)).matches(CARDS[-1])
    assert not SessionFilters(tags=("nope",)).matches(CARDS[0])
    assert SessionFilters(tags=("demo",)).matches(CARDS[0])  # deck tags are inherited
