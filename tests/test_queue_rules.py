"""docs/rules.md end to end, day after day on a real file: choice first, numeric on a later day,
recall after that; one card per fact per day; due reviews most overdue first, then new cards in
deck order up to the daily limit; ``--kind`` overrides the introduction order."""

from __future__ import annotations

from pathlib import Path

from ibdquiz.core.queue import Phase, SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.storage.rows import Settings
from ibdquiz.storage.store import Store
from tests.helpers_storage import FakeClock, answer_right, ask, clock_at, demo_deck

FACT = "demo/alpha/yes-share"  # a percent: it has a choice, a numeric and a recall card


def answer_all_right(session: StudySession) -> list[tuple[str, str]]:
    """Answer every card of the session correctly; the (card id, phase) pairs asked."""
    asked: list[tuple[str, str]] = []
    while (item := ask(session)) is not None:
        asked.append((item.card.id, item.phase))
        answer_right(session)
    return asked


def study_days(store: Store, clock: FakeClock, days: int) -> dict[int, list[tuple[str, str]]]:
    """Study every day for ``days`` days; what was asked of FACT each day."""
    seen: dict[int, list[tuple[str, str]]] = {}
    for day in range(1, days + 1):
        asked = answer_all_right(StudySession(store, "default"))
        seen[day] = [(card.rsplit("/", 1)[1], phase) for card, phase in asked
                     if card.startswith(FACT + "/")]
        clock.advance(days=1)
    return seen


def test_recognition_before_recall_one_card_per_fact_per_day(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock)
    store.sync_decks([demo_deck()])
    assert study_days(store, clock, 8) == {
        1: [("choice", "new")],
        2: [("choice", "review")],  # due again (interval 1): the numeric card waits
        3: [("numeric", "new")],  # a later day than the choice card
        4: [("numeric", "review")],  # the recall card waits for a day free of siblings
        5: [("recall", "new")],
        6: [("recall", "review")],
        7: [],
        8: [("choice", "review")],  # interval 6 after day 2
    }
    store.close()


def test_kind_overrides_the_introduction_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock_at(2024, 3, 1))
    store.sync_decks([demo_deck()])
    session = StudySession(store, "default", SessionFilters(kinds=("numeric",), new_limit=1))
    assert [(p.card_id, p.phase) for p in session.queue] == [(f"{FACT}/numeric", Phase.NEW)]
    answer_all_right(session)
    # the fact has had its card today: its choice card waits even when asked for by kind
    assert StudySession(store, "default", SessionFilters(kinds=("choice",))).queue[0].card_id \
        != f"{FACT}/choice"
    store.close()


def test_overdue_first_then_new_in_deck_order_up_to_the_limit(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock)
    store.sync_decks([demo_deck(extra=True)])
    store.save_settings("default", Settings(new_per_day=2))
    answer_all_right(StudySession(store, "default"))  # day 1: two of the six facts introduced
    clock.advance(days=1)
    answer_all_right(StudySession(store, "default"))  # day 2: their reviews, two new facts
    clock.advance(days=20)  # away for three weeks: everything learned is overdue
    session = StudySession(store, "default")
    planned = session.queue
    reviews = [p for p in planned if p.phase is Phase.REVIEW]
    fresh = [p for p in planned if p.phase is Phase.NEW]
    assert [p.phase for p in planned] == [Phase.REVIEW] * len(reviews) + [Phase.NEW] * len(fresh)
    due = {
        row["card_id"]: row["due_day"]
        for row in store._db.query("SELECT card_id, due_day FROM card_state")
    }
    assert [due[p.card_id] for p in reviews] == sorted(due[p.card_id] for p in reviews)
    assert due[reviews[0].card_id] < due[reviews[-1].card_id]  # some are more overdue
    assert len(fresh) == 2  # the two facts never seen, up to the daily limit
    positions = store.positions()
    assert [positions[p.card_id] for p in fresh] == sorted(positions[p.card_id] for p in fresh)
    facts = [p.card_id.rsplit("/", 1)[0] for p in planned]
    assert len(facts) == len(set(facts))  # one card per fact
    store.close()


def test_new_facts_interleave_in_exact_proportion_across_sources() -> None:
    """``order_new_facts`` merges sources at shares (i + ½)/m; its floating-point shares give
    the order exact fractions give (ties between sources broken by source order)."""
    from fractions import Fraction

    from ibdquiz.core.queue import NewFact, order_new_facts

    sizes = [1, 2, 3, 4, 6, 7, 9, 12, 18, 27, 36, 49, 60, 97, 120]
    facts = []
    position = 0
    for number, size in enumerate(sizes):
        for index in range(size):
            facts.append(NewFact(("d", f"s{number}", f"f{index}"), f"d/s{number}/f{index}/c",
                                 position))
            position += 1
    got = [fact.key for fact in order_new_facts(facts, allowance=len(facts))]
    exact = sorted(
        ((Fraction(2 * index + 1, 2 * size), number, ("d", f"s{number}", f"f{index}"))
         for number, size in enumerate(sizes) for index in range(size)),
    )
    assert got == [key for _share, _number, key in exact]
