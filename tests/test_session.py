"""Study sessions on real SQLite files: recording, undo, re-drill, siblings, limits, practice."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from ibdquiz.core.card import CardKind
from ibdquiz.core.queue import SessionFilters
from ibdquiz.errors import UnparseableResponse
from ibdquiz.session.study import StudySession
from ibdquiz.storage.rows import Settings
from ibdquiz.storage.store import Store
from tests.helpers_storage import FakeClock, answer_right, ask, clock_at, demo_deck


def open_store(tmp_path: Path, clock: FakeClock | None = None) -> Store:
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock or clock_at(2024, 3, 1))
    store.sync_decks([demo_deck()])
    return store


def review_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def test_new_facts_start_with_choice_cards_one_per_fact(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    kinds = [store.cards()[p.card_id].kind for p in session.queue]
    facts = [p.card_id.rsplit("/", 1)[0] for p in session.queue]
    assert len(facts) == len(set(facts)) == 5
    assert kinds.count(CardKind.CHOICE) == 4  # the text fact has no choice card: its recall card
    assert session.queue[0].card_id == "demo/alpha/yes-share/choice"
    assert all(p.phase.value == "new" for p in session.queue)


def test_answer_is_visible_to_another_connection_at_once(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    answer_right(session)
    assert review_count(tmp_path / "ibdquiz.db") == 1
    conn = sqlite3.connect(tmp_path / "ibdquiz.db")
    row = conn.execute(
        "SELECT r.phase, r.quality, r.correct, o.options, r.seed, r.interval_days, r.due_day"
        " FROM reviews r JOIN option_sets o ON o.id = r.options_id"  # options stored once, by id
    ).fetchone()
    conn.close()
    assert row[0] == "new" and row[2] == 1 and row[4] == 0
    assert "54%" in row[3] and row[5] == 1 and row[6] == store.today() + 1


def test_choice_grades_by_time(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = open_store(tmp_path, clock)
    # choice cards only: new facts come interleaved across sources, not all as choices first
    session = StudySession(store, "default", SessionFilters(kinds=("choice",)), clock=clock)
    item = ask(session)
    assert item is not None and item.correct_index is not None
    clock.advance(seconds=3)
    assert session.answer_choice(item.correct_index).quality == 5
    item = ask(session)
    assert item is not None and item.correct_index is not None
    clock.advance(seconds=20)
    feedback = session.answer_choice(item.correct_index)
    assert feedback.quality == 4 and feedback.correct
    item = ask(session)
    assert item is not None and item.correct_index is not None
    wrong = (item.correct_index + 1) % len(item.options)
    feedback = session.answer_choice(wrong)
    assert feedback.quality == 1 and not feedback.correct
    assert feedback.response == item.options[wrong]


def test_redrill_until_four_logged_not_rescheduled(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=1))
    first = ask(session)
    assert first is not None
    feedback = session.grade_recall(3)  # correct, but below 4: re-drilled
    assert feedback.correct and feedback.interval_days == 1
    assert session.progress.redrill_left == 1
    again = ask(session)
    assert again is not None and again.card.id == first.card.id and again.phase == "redrill"
    state = store.search_cards("default", text=first.card.prompt)[0]
    redrill = session.grade_recall(2)
    assert redrill.phase == "redrill" and redrill.interval_days is None
    assert store.search_cards("default", text=first.card.prompt)[0] == state
    ask(session)
    session.grade_recall(4)
    assert ask(session) is None
    assert [r.phase for r in store.card_history("default", first.card.id)] == [
        "new", "redrill", "redrill"
    ]
    summary = session.end()
    assert summary.answered == 1 and summary.correct == 1


def test_pending_redrill_opens_the_next_session_that_day(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = open_store(tmp_path, clock)
    session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=1))
    item = ask(session)
    assert item is not None
    session.grade_recall(1)
    session.end()
    later = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=1))
    assert later.queue[0].card_id == item.card.id and later.queue[0].phase.value == "redrill"
    # the same fact's siblings wait; the new card is another fact
    assert later.queue[1].card_id.rsplit("/", 1)[0] != item.card.id.rsplit("/", 1)[0]
    clock.advance(days=1)
    tomorrow = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=0))
    assert [(p.card_id, p.phase.value) for p in tomorrow.queue] == [(item.card.id, "review")]


def undone_flags(path: Path) -> list[bool]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT undone_at FROM reviews ORDER BY id")
        return [row[0] is not None for row in rows]
    finally:
        conn.close()


def test_undo_is_a_stack_and_keeps_the_record(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    first = ask(session)
    assert first is not None
    answer_right(session)
    second = ask(session)
    assert second is not None
    answer_right(session)
    assert review_count(tmp_path / "ibdquiz.db") == 2
    back = session.undo()
    assert back is not None and back.card.id == second.card.id and back.reanswer
    assert session.current is not None and session.current.card.id == second.card.id
    back = session.undo()
    assert back is not None and back.card.id == first.card.id and back.options == first.options
    assert session.undo() is None
    # nothing is deleted: both answers stay, marked undone
    assert review_count(tmp_path / "ibdquiz.db") == 2
    assert undone_flags(tmp_path / "ibdquiz.db") == [True, True]
    row = store.search_cards("default", text=first.card.prompt)[0]
    assert row.state == "new" and row.due_day is None
    assert session.progress.done == 0 and session.progress.answered == 0


def test_a_reanswer_keeps_phase_and_options_and_is_capped_at_4(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    item = ask(session)
    assert item is not None and item.correct_index is not None
    wrong = (item.correct_index + 1) % len(item.options)
    assert not session.answer_choice(wrong).correct
    again = session.undo()
    assert again is not None and again.options == item.options and again.seed == item.seed
    assert again.phase == item.phase == "new"
    feedback = session.answer_choice(again.correct_index or 0)  # fast: would be a 5
    assert feedback.quality == 4 and feedback.reanswer
    conn = sqlite3.connect(tmp_path / "ibdquiz.db")
    rows = conn.execute("SELECT phase, quality, undone_at IS NOT NULL FROM reviews").fetchall()
    conn.close()
    assert rows == [("new", 1, 1), ("new", 4, 0)]
    summary = session.end()
    assert (summary.answered, summary.correct, summary.undone) == (1, 1, 1)


def test_undo_after_suspend_unsuspends_first(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    answer_right(session)
    second = ask(session)
    assert second is not None
    session.suspend()
    assert store.is_suspended("default", second.card.id)
    back = session.undo()  # the suspension, not the answer
    assert back is not None and back.card.id == second.card.id
    assert not store.is_suspended("default", second.card.id)
    assert undone_flags(tmp_path / "ibdquiz.db") == [False]
    assert session.current is not None and session.current.card.id == second.card.id


def test_numeric_unparseable_records_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default", SessionFilters(kinds=("numeric",), new_limit=1))
    assert session.current is None  # nothing drawn yet: reading draws nothing
    ask(session)
    with pytest.raises(UnparseableResponse):
        session.answer_numeric("abc")
    assert review_count(tmp_path / "ibdquiz.db") == 0
    feedback = session.answer_numeric("54")
    assert feedback.quality == 5 and feedback.response == "54"


def test_daily_new_limit_and_new_override(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_settings("default", Settings(new_per_day=2))
    session = StudySession(store, "default")
    assert len(session.queue) == 2
    answer_right(session)
    answer_right(session)
    session.end()
    assert StudySession(store, "default").queue == []
    more = StudySession(store, "default", SessionFilters(new_limit=2))
    assert [p.phase.value for p in more.queue] == ["new", "new"]


def test_filters_by_deck_source_tag_kind(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    by_source = StudySession(store, "default", SessionFilters(sources=("beta",)))
    assert [p.card_id for p in by_source.queue] == ["demo/beta/word/recall"]
    by_tag = StudySession(store, "default", SessionFilters(tags=("answers",)))
    assert [p.card_id for p in by_tag.queue] == ["demo/alpha/yes-share/choice"]
    by_kind = StudySession(store, "default", SessionFilters(kinds=("numeric",)))
    assert all(p.card_id.endswith("/numeric") for p in by_kind.queue) and len(by_kind.queue) == 4
    assert StudySession(store, "default", SessionFilters(decks=("other",))).queue == []


def test_suspend_and_flag(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    item = ask(session)
    assert item is not None
    session.flag("  wording unclear ")
    session.suspend()
    ask(session)
    assert ask(session) is not None and ask(session).card.id != item.card.id
    row = store.search_cards("default", state="suspended")[0]
    assert row.card_id == item.card.id and row.flagged and row.flag_reason == "wording unclear"
    assert item.card.id not in [p.card_id for p in StudySession(store, "default").queue]
    store.unsuspend("default", item.card.id)
    store.unflag("default", item.card.id)
    row = store.search_cards("default", text=item.card.prompt)[0]
    assert not row.suspended and not row.flagged


def test_lapses_and_leech(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = open_store(tmp_path, clock)
    card_id = "demo/beta/word/recall"
    for _ in range(9):
        session = StudySession(store, "default", SessionFilters(sources=("beta",), new_limit=1))
        assert ask(session) is not None and ask(session).card.id == card_id
        session.grade_recall(5)  # learned: repetitions ≥ 1
        session.end()
        clock.advance(days=1)
        session = StudySession(store, "default", SessionFilters(sources=("beta",)))
        assert ask(session) is not None
        session.grade_recall(0)  # a lapse
        ask(session)
        session.grade_recall(5)  # re-drill passes
        session.end()
        clock.advance(days=1)
    row = store.search_cards("default", state="leech")[0]
    assert row.card_id == card_id and row.lapses == 9 and row.leech


def test_practice_missed_does_not_reschedule(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = open_store(tmp_path, clock)
    session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=2))
    missed = ask(session)
    assert missed is not None
    session.grade_recall(1)
    ask(session)
    session.grade_recall(5)
    session.end()
    before = store.search_cards("default", text=missed.card.prompt)[0]
    practice = StudySession(store, "default", SessionFilters(missed_days=7))
    assert [(p.card_id, p.phase.value) for p in practice.queue] == [(missed.card.id, "practice")]
    ask(practice)
    feedback = practice.grade_recall(1)
    assert feedback.phase == "practice" and ask(practice) is None  # no re-drill in practice
    practice.end()
    assert store.search_cards("default", text=missed.card.prompt)[0] == before
    clock.advance(days=8)
    assert StudySession(store, "default", SessionFilters(missed_days=7)).queue == []
    assert StudySession(store, "default", SessionFilters(missed_days=7)).nothing_due_message()


def test_study_day_rolls_over_at_four(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1, 23, 30)
    store = open_store(tmp_path, clock)
    session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=1))
    ask(session)
    session.grade_recall(5)
    session.end()
    day = store.today()
    clock.advance(hours=4)  # 03:30 the next calendar day: the same study day
    assert store.today() == day
    reviews_only = SessionFilters(kinds=("recall",), new_limit=0)
    assert StudySession(store, "default", reviews_only).queue == []
    clock.advance(minutes=31)  # 04:01: the next study day, the card is due
    assert store.today() == day + 1
    assert len(StudySession(store, "default", reviews_only).queue) == 1
    store.save_settings("default", Settings(day_start_hour=5))
    assert store.today() == day  # 04:01 is before a 05:00 day start


def test_two_connections_record_at_once(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    errors: list[BaseException] = []

    def study(profile: str) -> None:
        try:
            store = Store.open(tmp_path / "ibdquiz.db")
            store.sync_decks([demo_deck()])
            session = StudySession(store, profile, SessionFilters(kinds=("recall",), new_limit=5))
            while ask(session) is not None:
                session.grade_recall(5)
            session.end()
            store.close()
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=study, args=(name,)) for name in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert review_count(tmp_path / "ibdquiz.db") == 10


def test_nothing_due_message_names_the_next_day(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.save_settings("default", Settings(new_per_day=1))
    session = StudySession(store, "default")
    assert session.nothing_due_message() is None
    answer_right(session)
    session.end()
    message = StudySession(store, "default").nothing_due_message()
    assert message is not None and "tomorrow" in message


def test_daily_review_limit_counts_todays_answers_and_carries_the_rest(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = open_store(tmp_path, clock)
    first = StudySession(store, "default")
    while ask(first) is not None:
        answer_right(first)
    first.end()  # five facts introduced, each due tomorrow
    clock.advance(days=1)
    store.save_settings("default", Settings(new_per_day=0, review_limit=2))
    limited = StudySession(store, "default")
    assert [p.phase.value for p in limited.queue] == ["review", "review"]
    assert limited.held_back == 3
    answer_right(limited)
    limited.end()
    again = StudySession(store, "default")  # one review already given today counts
    assert len(again.queue) == 1 and again.held_back == 3
    store.save_settings("default", Settings(new_per_day=0, review_limit=0))  # 0: no limit
    assert len(StudySession(store, "default").queue) == 4


def test_a_flag_keeps_what_the_fellow_saw(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    session = StudySession(store, "default")
    item = ask(session)
    assert item is not None and item.options
    session.flag("odd options", context="Example study A · Example Journal 2000; 1:1-2")
    session.flag("from elsewhere", card_id="demo/beta/word/recall")
    conn = sqlite3.connect(tmp_path / "ibdquiz.db")
    rows = conn.execute(
        "SELECT card_id, options, context, card_hash FROM flags ORDER BY id"
    ).fetchall()
    conn.close()
    assert rows[0][0] == item.card.id and json.loads(rows[0][1]) == list(item.options)
    assert rows[0][2].startswith("Example study A") and rows[0][3] == item.card.content_hash
    assert rows[1][1] is None and rows[1][3] == store.cards()["demo/beta/word/recall"].content_hash
    session.undo()  # the last flag is withdrawn, its row kept
    conn = sqlite3.connect(tmp_path / "ibdquiz.db")
    cleared = conn.execute("SELECT cleared_at IS NOT NULL FROM flags ORDER BY id").fetchall()
    conn.close()
    assert cleared == [(0,), (1,)]
