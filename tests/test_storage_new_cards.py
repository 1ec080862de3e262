"""Schema 5: ``new_cards``, each profile's new cards, kept by triggers, always equal to their
definition (``schema.NEW_CARDS_SQL``) after every kind of write: a profile added, decks synced
(cards added, changed, moved, retired, back), first answers, reviews, undo, suspension,
a whole deck retired; and every state carries its card's deck and position (the due walk's
order)."""

from __future__ import annotations

from pathlib import Path

from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.storage import schema
from ibdquiz.storage.store import Store
from tests.helpers_storage import answer_right, ask, clock_at, demo_deck


def assert_kept(store: Store) -> int:
    """``new_cards`` equals its definition, and every state carries its card's deck and
    position; returns how many rows ``new_cards`` holds."""
    with store.reading() as db:
        kept = set(db.execute("SELECT * FROM new_cards"))
        defined = set(db.execute(schema.NEW_CARDS_SQL))
        placed = db.execute(
            "SELECT count(*), sum(s.deck IS c.deck AND s.position IS c.position)"
            " FROM card_state s JOIN cards c ON c.id = s.card_id").fetchone()
    assert kept == defined
    assert placed[0] == (placed[1] or 0)
    return len(kept)


def test_new_cards_follow_every_write(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = Store.open(tmp_path / "x.db", clock=clock)
    store.sync_decks([demo_deck()])
    store.profile("default")
    total = assert_kept(store)
    assert total == len(store.cards())  # nothing answered: every card is new
    session = StudySession(store, "default")
    answer_right(session)  # a first answer: the card leaves
    assert assert_kept(store) == total - 1
    item = ask(session)
    assert item is not None
    session.grade_recall(1) if item.card.kind.value == "recall" else answer_right(session)
    assert_kept(store)
    session.undo()  # the state goes back: the card is new again
    assert assert_kept(store) == total - 1
    answer_right(session)
    with store.reading() as db:
        fresh, seen = (str(row[0]) for row in db.execute(
            "SELECT min(c.id) FROM cards c LEFT JOIN card_state s ON s.card_id = c.id"
            " GROUP BY s.due_day IS NULL ORDER BY s.due_day IS NULL DESC"))
    left = assert_kept(store)
    for card_id, change in ((fresh, 1), (seen, 0)):  # a new card and an answered one
        store.suspend("default", card_id)
        assert assert_kept(store) == left - change
        store.unsuspend("default", card_id)
        assert assert_kept(store) == left
    session.end()
    store.profile("second")  # a new learner: every active card is new for them
    assert assert_kept(store) >= total + total - 3
    clock.advance(days=2)
    store.sync_decks([demo_deck(yes="55%", extra=True, ask_suffix=" (reworded)")])  # changed
    assert_kept(store)
    again = StudySession(store, "default")
    for _ in range(6):  # reviews of cards due again (the changed answer) and new ones
        if ask(again) is None:
            break
        answer_right(again)
    again.end()
    assert_kept(store)
    store.sync_decks([demo_deck()])  # the extra fact leaves its deck: retired
    assert_kept(store)
    store.retire_deck("demo")
    assert assert_kept(store) == 0
    store.sync_decks([demo_deck(extra=True)])  # back
    assert assert_kept(store) > 0
    store.close()


def test_a_new_learner_and_a_deck_added_later(tmp_path: Path) -> None:
    """Cards added after the profile, and a profile added after the cards, both count; a
    profile not created yet (the home screen before any session) has every card new."""
    clock = clock_at(2024, 3, 1)
    with Store.open(tmp_path / "x.db", clock=clock) as store:
        store.sync_decks([demo_deck()])
        before = store.plan_today("nobody-yet", SessionFilters(new_limit=50), store.today())
        store.profile("nobody-yet")
        after = store.plan_today("nobody-yet", SessionFilters(new_limit=50), store.today())
        assert before == after and len(before.queue) > 3
    with Store.open(tmp_path / "y.db", clock=clock) as store:
        store.profile("default")
        store.sync_decks([demo_deck()])
        count = assert_kept(store)
        plan = store.plan_today("default", SessionFilters(new_limit=50), store.today())
        assert len(plan.queue) > 0
        assert count == len(store.cards())
