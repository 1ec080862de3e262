"""The study session driven by hypothesis: random answer/undo/suspend/flag/next/end sequences.

After every step, on the real SQLite file: each card's SM-2 state is the replay of its answers
not undone (``core.rules.replay``); every answer ever acknowledged is still in the log (undo
marks, never deletes); no card has two scheduled answers standing on one study day.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ibdquiz.core.card import CardKind
from ibdquiz.core.queue import SessionFilters
from ibdquiz.core.rules import LoggedAnswer, replay
from ibdquiz.errors import UnparseableResponse
from ibdquiz.session.machine import SessionMachine, SessionStateError
from ibdquiz.session.results import Stage
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from tests.helpers_storage import clock_at, demo_deck


class SessionRecord(RuleBasedStateMachine):
    """One fellow studying the demo deck over a few days."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ibdquiz-machine-"))
        self.path = self.folder / "ibdquiz.db"
        self.clock = clock_at(2024, 3, 1)
        self.store = Store.open(self.path, clock=self.clock)
        self.store.sync_decks([demo_deck()])
        self.session: StudySession | None = None
        self.acknowledged: set[int] = set()
        self.undone_seen: set[int] = set()

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------------

    def _open(self) -> bool:
        return self.session is not None and self.session.stage is not Stage.ENDED

    def _asking(self) -> bool:
        return self._open() and self.session is not None and self.session.stage in (
            Stage.ASKING, Stage.REVEALED
        )

    def _rows(self) -> list[sqlite3.Row]:
        conn = sqlite3.connect(self.path)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(
                "SELECT id, card_id, study_day, phase, quality, undone_at FROM reviews ORDER BY id"
            ).fetchall()
        finally:
            conn.close()

    # -- rules ----------------------------------------------------------------------------------

    @precondition(lambda self: not self._open())
    @rule(new=st.integers(0, 3), practice=st.booleans())
    def start(self, new: int, practice: bool) -> None:
        filters = SessionFilters(missed_days=3) if practice else SessionFilters(new_limit=new)
        self.session = StudySession(self.store, "default", filters)
        self.session.show()

    @precondition(lambda self: self._asking())
    @rule(right=st.booleans(), grade=st.integers(0, 5), seconds=st.integers(0, 30))
    def answer(self, right: bool, grade: int, seconds: int) -> None:
        session = self.session
        assert session is not None
        item = session.current
        assert item is not None
        self.clock.advance(seconds=seconds)
        if item.card.kind is CardKind.CHOICE:
            assert item.correct_index is not None
            index = item.correct_index if right else (item.correct_index + 1) % len(item.options)
            feedback = session.answer_choice(index)
        elif item.card.kind is CardKind.NUMERIC:
            answer = item.card.answer
            text = answer.text if right else f"{(answer.value or 0) * 3 + 7:g}"
            try:
                feedback = session.answer_numeric(text)
            except UnparseableResponse:
                return
        else:
            feedback = session.grade_recall(grade)
        if item.reanswer:
            assert feedback.quality <= 4
        self.acknowledged.add(feedback.review_id)

    @precondition(lambda self: self._open())
    @rule()
    def undo(self) -> None:
        assert self.session is not None
        self.session.undo()

    @precondition(lambda self: self._open() and self.session is not None
                  and self.session.current is not None)
    @rule()
    def suspend(self) -> None:
        assert self.session is not None
        self.session.suspend()

    @precondition(lambda self: self._open() and self.session is not None
                  and self.session.current is not None)
    @rule(reason=st.sampled_from(["", "typo", "wrong answer"]))
    def flag(self, reason: str) -> None:
        assert self.session is not None
        self.session.flag(reason, context="header")

    @precondition(lambda self: self._open() and self.session is not None
                  and self.session.stage is Stage.ANSWERED)
    @rule()
    def next(self) -> None:
        assert self.session is not None
        self.session.next()

    @precondition(lambda self: self._open())
    @rule()
    def end(self) -> None:
        assert self.session is not None
        summary = self.session.end()
        assert summary.answered >= summary.correct >= 0

    @precondition(lambda self: not self._open())
    @rule(days=st.integers(1, 7))
    def later(self, days: int) -> None:
        self.clock.advance(days=days)

    @precondition(lambda self: self._open())
    @rule()
    def answering_out_of_turn_records_nothing(self) -> None:
        session = self.session
        assert session is not None
        if session.stage in (Stage.ASKING, Stage.REVEALED):
            return
        before = len(self._rows())
        try:
            session.grade_recall(5)
        except (SessionStateError, ValueError):
            pass
        else:
            raise AssertionError("an answer was taken with no card waiting")
        assert len(self._rows()) == before

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def state_is_the_replay_of_answers_standing(self) -> None:
        rows = self._rows()
        by_card: dict[str, list[LoggedAnswer]] = {}
        for row in rows:
            by_card.setdefault(row["card_id"], []).append(
                LoggedAnswer(row["study_day"], row["phase"], row["quality"],
                             row["undone_at"] is not None)
            )
        conn = sqlite3.connect(self.path)
        try:
            states = {
                card: (reps, ease, interval, due, lapses, leech)
                for card, reps, ease, interval, due, lapses, leech in conn.execute(
                    "SELECT card_id, repetitions, easiness, interval_days, due_day, lapses, leech"
                    " FROM card_state"
                )
            }
        finally:
            conn.close()
        for card in set(by_card) | set(states):
            expected = replay(by_card.get(card, []))
            found = states.get(card, (0, 2.5, 0, None, 0, 0))
            assert found == (
                expected.state.repetitions, expected.state.easiness, expected.state.interval,
                expected.due_day, expected.lapses, int(expected.leech),
            ), card

    @invariant()
    def every_acknowledged_answer_is_in_the_log(self) -> None:
        rows = self._rows()
        ids = {row["id"] for row in rows}
        assert self.acknowledged <= ids
        undone = {row["id"] for row in rows if row["undone_at"] is not None}
        assert self.undone_seen <= undone  # an undone mark is never lifted
        self.undone_seen = undone

    @invariant()
    def no_card_has_two_scheduled_answers_standing_on_one_day(self) -> None:
        seen: set[tuple[str, int]] = set()
        for row in self._rows():
            if row["undone_at"] is None and row["phase"] in ("new", "review"):
                key = (row["card_id"], row["study_day"])
                assert key not in seen, key
                seen.add(key)

    @invariant()
    def the_header_counts_what_the_summary_will(self) -> None:
        session = self.session
        if session is None or session.session_id is None or session.stage is Stage.ENDED:
            return
        standing = [
            row for row in self._rows()
            if row["phase"] != "redrill" and row["undone_at"] is None
        ]
        answers = self.store.session_reviews(session.session_id)
        counted = [a for a in answers if a.phase != "redrill" and not a.undone]
        assert session.progress.answered == len(counted)
        assert session.progress.correct == sum(a.correct for a in counted)
        assert len(standing) >= len(counted)


TestSessionRecord = SessionRecord.TestCase
TestSessionRecord.settings = settings(
    max_examples=40, stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_machine_refuses_to_draw_anything_but_the_head() -> None:
    machine = SessionMachine([])
    assert machine.head is None and machine.last_action() is None
    machine.end()
    assert machine.stage is Stage.ENDED
