"""No answer a fellow saw acknowledged is lost: two processes at once, failures mid-way, undo
after the card changed."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ibdquiz.core.queue import Phase
from ibdquiz.errors import DatabaseError, UndoError
from ibdquiz.session.study import StudySession
from ibdquiz.storage.reviews import Answered, record_answer
from ibdquiz.storage.store import Store
from tests.helpers_storage import REPO, clock_at, demo_deck, demo_session

ANSWERS = 200


def test_two_processes_record_200_answers_each(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    with Store.open(db, clock=clock_at(2024, 3, 1)) as store:
        store.sync_decks([demo_deck()])
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [
                sys.executable, "-c",
                "import sys; from tests.helpers_storage import record_many;"
                " record_many(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])",
                str(db), str(ANSWERS), tag, str(go),
            ],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in ("p1", "p2")
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    go.touch()  # both start recording at the same moment
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert err == ""
    conn = sqlite3.connect(db)
    try:
        responses = [r[0] for r in conn.execute("SELECT response FROM reviews ORDER BY id")]
        chains = conn.execute(
            "SELECT card_id, repetitions_before, easiness_before, interval_before,"
            " repetitions, easiness, interval_days FROM reviews ORDER BY card_id, id"
        ).fetchall()
        states = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT card_id, repetitions, easiness, interval_days FROM card_state"
            )
        }
    finally:
        conn.close()
    assert len(responses) == 2 * ANSWERS
    switches = sum(1 for a, b in itertools.pairwise(responses) if a[:2] != b[:2])
    assert switches >= 2  # the two processes really wrote in turns, not one after the other
    for tag in ("p1", "p2"):
        assert sorted(r for r in responses if r.startswith(tag)) == sorted(
            f"{tag}-{i}" for i in range(ANSWERS)
        )
    # No lost update: every answer was scheduled from the state the previous one left.
    last: dict[str, tuple[object, ...]] = {}
    for card_id, *values in chains:
        before, after = tuple(values[:3]), tuple(values[3:])
        if card_id in last:
            assert before == last[card_id], card_id
        last[card_id] = after
    assert {card: tuple(state) for card, state in states.items()} == last


def test_a_failure_mid_answer_rolls_back_and_the_card_stays(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    store, session, item = demo_session(path, clock_at(2024, 3, 1))
    # The state update succeeds, then the review row cannot be written.
    store._db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    with pytest.raises(DatabaseError) as info:
        session.answer_choice(item.correct_index)
    assert "\n" not in str(info.value)
    assert not store._db.conn.in_transaction
    check = sqlite3.connect(path)
    assert check.execute("SELECT count(*) FROM card_state").fetchone() == (0,)
    check.close()
    assert session.current is item and session.progress.done == 0
    store._db.execute("DROP TRIGGER refuse")
    feedback = session.answer_choice(item.correct_index)  # the same card, answered again
    assert feedback.correct and feedback.interval_days == 1
    assert store._db.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    store.close()


def test_undo_after_the_cards_answer_changed_keeps_it_due_and_marked(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store, first, item = demo_session(tmp_path / "ibdquiz.db", clock)
    first.answer_choice(item.correct_index)
    first.end()
    clock.advance(days=1)
    session = StudySession(store, "default")
    assert session.show() is not None
    assert session.current is not None and session.current.card.id == item.card.id
    assert session.current.correct_index is not None
    session.answer_choice(session.current.correct_index)  # a review: due in 6 days
    state = store._db.execute(
        "SELECT due_day, updated FROM card_state WHERE card_id = ?", [item.card.id]
    ).fetchone()
    assert state == (store.today() + 6, 0)
    store.sync_decks([demo_deck(yes="55%")])  # the director corrects the answer meanwhile
    session.undo()
    state = store._db.execute(
        "SELECT repetitions, due_day, updated FROM card_state WHERE card_id = ?", [item.card.id]
    ).fetchone()
    assert state == (1, store.today(), 1)  # the first answer's state, still due today, marked
    store.close()


def test_undo_of_an_answer_given_again_elsewhere_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    store, session, item = demo_session(path, clock_at(2024, 3, 1))
    session.answer_choice(item.correct_index)
    # A second ibdquiz on the same file answers the same card (a re-drill of it, say).
    with Store.open(path, clock=clock_at(2024, 3, 1)) as other:
        record_answer(
            other._db, "default",
            Answered(card=item.card, phase=Phase.REDRILL, quality=5, response="x", duration_ms=1),
            reviewed_at_ms=1_709_301_700_000, offset_min=-300, today=other.today(),
        )
    before = store._db.execute("SELECT count(*) FROM reviews").fetchone()
    with pytest.raises(UndoError, match="answered again since"):
        session.undo()
    assert store._db.execute("SELECT count(*) FROM reviews").fetchone() == before
    assert session.undo() is None  # the refused entry left the stack; nothing else to undo
    store.close()


def test_undo_refused_by_a_lock_can_be_retried(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    store, session, item = demo_session(path, clock_at(2024, 3, 1))
    session.answer_choice(item.correct_index)
    store._db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="database is locked by another ibdquiz"):
            session.undo()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not store._db.conn.in_transaction
    returned = session.undo()  # the entry stayed on the stack
    assert returned is not None and returned.card.id == item.card.id
    # the undone answer keeps its row, marked undone (issue 10)
    assert store._db.execute("SELECT count(*) FROM reviews WHERE undone_at IS NULL").fetchone() == (
        0,
    )
    assert store._db.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
    store.close()
