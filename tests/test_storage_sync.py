"""Deck sync: new facts add cards; wording edits keep history; answer edits bring cards back
due today, marked updated; vanished facts retire their cards, history kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ibdquiz.core.card import CardKind
from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from tests.helpers_storage import ask, clock_at, demo_deck

YES = "demo/alpha/yes-share/choice"


def answered_store(tmp_path: Path, *, advance: int = 1) -> tuple[Store, int]:
    clock = clock_at(2024, 3, 1)
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock)
    store.sync_decks([demo_deck()])
    session = StudySession(store, "default", SessionFilters(kinds=("choice",), new_limit=1))
    item = ask(session)
    assert item is not None and item.card.id == YES
    assert item.correct_index is not None
    session.answer_choice(item.correct_index)
    session.end()
    clock.advance(days=advance)
    return store, store.today()


def test_first_sync_adds_every_card(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    report = store.sync_decks([demo_deck()])
    assert len(report.added) == 13 and not report.retired
    again = store.sync_decks([demo_deck()])
    assert again.added == () and again.reworded == () and again.answer_changed == ()


def test_reworded_fact_keeps_history_and_schedule(tmp_path: Path) -> None:
    store, _ = answered_store(tmp_path)
    due_before = store.search_cards("default", text="answered yes")[0].due_day
    report = store.sync_decks([demo_deck(ask_suffix=" overall")])
    assert YES in report.reworded and YES not in report.answer_changed
    row = next(r for r in store.search_cards("default") if r.card_id == YES)
    assert row.prompt.endswith("yes overall?")
    assert row.due_day == due_before and not row.updated
    assert len(store.card_history("default", YES)) == 1


def test_changed_answer_keeps_history_due_today_marked_updated(tmp_path: Path) -> None:
    store, today = answered_store(tmp_path)
    again = StudySession(store, "default", SessionFilters(kinds=("choice",), new_limit=0))
    item = ask(again)
    assert item is not None and item.card.id == YES and item.phase == "review"
    assert item.correct_index is not None
    again.answer_choice(item.correct_index)
    again.end()
    store.clock.advance(days=1)  # type: ignore[attr-defined]
    today = store.today()
    row = next(r for r in store.search_cards("default") if r.card_id == YES)
    assert row.due_day == today + 5  # interval 6 from yesterday
    report = store.sync_decks([demo_deck(yes="55%")])
    assert YES in report.answer_changed
    row = next(r for r in store.search_cards("default") if r.card_id == YES)
    assert row.answer == "55%" and row.updated and row.due_day == today
    assert len(store.card_history("default", YES)) == 2
    session = StudySession(store, "default", SessionFilters(kinds=("choice",), new_limit=0))
    item = ask(session)
    assert item is not None and item.card.id == YES and item.updated
    assert "55%" in item.options
    session.answer_choice(0)
    assert next(r for r in store.search_cards("default") if r.card_id == YES).updated is False


def test_vanished_fact_retires_cards_and_keeps_history(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    store = Store.open(path)
    store.sync_decks([demo_deck(extra=True)])
    extra = "demo/alpha/extra/recall"
    session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=50))
    while ask(session) is not None and ask(session).card.id != extra:
        session.grade_recall(5)
    assert ask(session) is not None
    session.grade_recall(4)
    report = store.sync_decks([demo_deck()])
    assert extra in report.retired and "demo/alpha/extra/choice" in report.retired
    assert extra not in store.cards()
    assert store.search_cards("default", state="retired")[0].card_id.startswith("demo/alpha/extra")
    assert len(store.card_history("default", extra)) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT retired FROM cards WHERE id = ?", [extra]).fetchone() == (1,)
    conn.close()
    fresh = StudySession(store, "default", SessionFilters(new_limit=100))
    ids = [p.card_id for p in fresh.queue]
    assert not any(i.startswith("demo/alpha/extra") for i in ids)
    back = store.sync_decks([demo_deck(extra=True)])
    assert extra in back.restored


def test_cards_rebuild_from_the_database(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = Store.open(path)
    store.sync_decks([demo_deck()])
    synced = dict(store.cards())  # read now: cards() reads lazily
    store.close()
    reopened = Store.open(path)
    rebuilt = reopened.cards()
    assert list(rebuilt) == list(synced)
    for card_id, card in synced.items():
        other = rebuilt[card_id]
        assert (other.prompt, other.answer, other.pool, other.pool_tiers, other.tolerance) == (
            card.prompt, card.answer, card.pool, card.pool_tiers, card.tolerance
        )
    assert rebuilt[YES].kind is CardKind.CHOICE
