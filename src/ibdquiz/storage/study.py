"""``StudySession``: today's queue (pure logic in ``core.queue``), answers, re-drills and undo.

Every answer goes through ``storage.reviews.record_answer`` and is committed before the
``Feedback`` is returned. Cards graded below 4 come back at the end of the session (phase
``redrill``, logged, not rescheduled) until they score 4 or more; re-drills still pending when a
session ends open the next session of the same study day. Practice (``missed_days``) re-asks
cards failed in the last N study days without rescheduling them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from ibdquiz.core.cards import CardKind, choice_options
from ibdquiz.core.clock import Clock, day_to_date, study_day
from ibdquiz.core.grading import grade_choice, grade_numeric, grade_recall
from ibdquiz.core.queue import (
    Phase,
    Planned,
    QueueItem,
    SessionFilters,
    needs_redrill,
)
from ibdquiz.errors import UndoError
from ibdquiz.storage import planning
from ibdquiz.storage.reviews import Answered, record_answer, undo_answer
from ibdquiz.storage.rows import Feedback, Progress, Summary
from ibdquiz.storage.session_summary import summarize
from ibdquiz.storage.store import Store, StoredCards, offset_minutes, utc_ms


@dataclass(frozen=True)
class _Undo:
    review_id: int
    item: QueueItem
    queue: tuple[Planned, ...]
    correct: bool


class StudySession:
    """One study (or practice) session of ``profile`` over the cards that pass ``filters``."""

    def __init__(
        self, store: Store, profile: str, filters: SessionFilters | None = None, *,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.profile = profile
        self.filters = filters or SessionFilters()
        self.clock: Clock = clock or store.clock
        self.practice = self.filters.missed_days is not None
        store.profile(profile)
        self.settings = store.settings(profile)
        self.started_at: datetime = store.now()
        self.today = study_day(self.started_at, self.settings.day_start_hour)
        self.cards: StoredCards = store.cards()
        self.session_id = self._start_row()
        with store.reading() as db:
            self.queue: list[Planned] = planning.build_queue(
                db, profile, self.cards.scope, self.filters, self.today,
                self.settings.new_per_day,
            )
        self._seeds: dict[str, int] = {}
        self._undo: list[_Undo] = []
        self._done = 0
        self._correct = 0
        self._current: QueueItem | None = None
        self._ended: Summary | None = None

    # -- the card on screen ---------------------------------------------------------------------

    def _start_row(self) -> int:
        moment = self.clock()
        with self.store.writing() as db:  # the profile exists: __init__ made sure
            cursor = db.execute(
                "INSERT INTO sessions (profile, mode, filters, started_at, utc_offset_min,"
                " study_day) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    self.profile, "practice" if self.practice else "study",
                    json.dumps(asdict(self.filters)), utc_ms(moment), offset_minutes(moment),
                    self.today,
                ],
            )
        return int(cursor.lastrowid or 0)

    @property
    def current(self) -> QueueItem | None:
        """The card to ask now; ``None`` when the session is over."""
        if self._current is None and self.queue and self._ended is None:
            self._current = self._item(self.queue[0])
        return self._current

    def _item(self, planned: Planned) -> QueueItem:
        card = self.cards[planned.card_id]
        with self.store.reading() as db:
            seed = planning.past_reviews(db, self.profile, card.id)
            updated = planning.is_updated(db, self.profile, card.id)
        options: tuple[str, ...] = ()
        correct_index: int | None = None
        if card.kind is CardKind.CHOICE:
            choice = choice_options(card, seed)
            options, correct_index = choice.options, choice.correct_index
        return QueueItem(
            card=card, phase=planned.phase.value, options=options, correct_index=correct_index,
            seed=seed, updated=updated, shown_at=self.clock(),
        )

    @property
    def progress(self) -> Progress:
        """Answers given, cards left (re-drills included), correct answers, re-drills left."""
        redrills = sum(1 for p in self.queue if p.phase is Phase.REDRILL)
        return Progress(
            done=self._done, left=len(self.queue), correct=self._correct,
            redrill_left=redrills, total=self._done + len(self.queue),
        )

    # -- answering ----------------------------------------------------------------------------

    def _require(self, kind: CardKind) -> QueueItem:
        item = self.current
        if item is None:
            raise ValueError("the session has no card to answer")
        if item.card.kind is not kind:
            raise ValueError(f"the current card is a {item.card.kind.value} card, not {kind.value}")
        return item

    def _elapsed_ms(self, item: QueueItem) -> int:
        return max(0, utc_ms(self.clock()) - utc_ms(item.shown_at))

    def answer_choice(self, index: int) -> Feedback:
        """Answer the current choice card with option ``index`` (0-based)."""
        item = self._require(CardKind.CHOICE)
        if not 0 <= index < len(item.options):
            raise ValueError(f"there is no option {index + 1}")
        elapsed = self._elapsed_ms(item)
        quality = grade_choice(index, choice_options(item.card, item.seed), elapsed)
        return self._record(item, quality, item.options[index], elapsed, response_index=index)

    def answer_numeric(self, text: str) -> Feedback:
        """Answer the current numeric card; raises ``UnparseableResponse`` and records nothing."""
        item = self._require(CardKind.NUMERIC)
        result = grade_numeric(item.card, text)
        return self._record(item, result.quality, text.strip(), self._elapsed_ms(item))

    def grade_recall(self, quality: int) -> Feedback:
        """Grade the current flashcard 0–5 (SM-2's own scale)."""
        item = self._require(CardKind.RECALL)
        return self._record(item, grade_recall(quality), "", self._elapsed_ms(item))

    def _record(
        self, item: QueueItem, quality: int, response: str, elapsed_ms: int, *,
        response_index: int | None = None,
    ) -> Feedback:
        moment = self.clock()
        phase = Phase(item.phase)
        with self.store.writing() as db:
            recorded = record_answer(
                db, self.profile,
                Answered(
                    card=item.card, phase=phase, quality=quality, response=response,
                    duration_ms=elapsed_ms, seed=item.seed, options=item.options,
                    correct_index=item.correct_index,
                    response_index=response_index, session_id=self.session_id,
                ),
                reviewed_at_ms=utc_ms(moment), offset_min=offset_minutes(moment), today=self.today,
            )
        correct = quality >= 3
        self._undo.append(_Undo(recorded.review_id, item, tuple(self.queue), correct))
        self.queue.pop(0)
        if phase is not Phase.PRACTICE and needs_redrill(quality):
            self.queue.append(Planned(item.card.id, Phase.REDRILL))
        self._done += 1
        self._correct += correct
        self._current = None
        schedules = phase.schedules
        return Feedback(
            correct=correct, quality=quality, correct_answer=item.card.answer.text,
            correct_index=item.correct_index, response=response, explain=item.card.explain,
            citation=item.card.citation,
            interval_days=recorded.state.interval if schedules else None,
            due_day=recorded.due_day if schedules else None, phase=phase.value,
            review_id=recorded.review_id,
        )

    # -- undo, flag, suspend ------------------------------------------------------------------

    def undo(self) -> QueueItem | None:
        """Take back the last answer of this session; its card returns unanswered.

        Raises ``UndoError`` when the card was answered again since (another ibdquiz).
        """
        if not self._undo:
            return None
        last = self._undo[-1]
        try:
            with self.store.writing() as db:
                undo_answer(db, last.review_id)
        except UndoError:
            self._undo.pop()  # it can never be undone; earlier answers still can
            raise
        # A DatabaseError (say, locked) leaves the entry on the stack: undo can be retried.
        self._undo.pop()
        self.queue = list(last.queue)
        self._done -= 1
        self._correct -= last.correct
        self._current = replace(last.item, shown_at=self.clock())
        return self._current

    def flag(self, reason: str = "", card_id: str | None = None) -> None:
        """Flag a card with a reason: ``card_id``, or else the current card."""
        target = card_id or (self.current.card.id if self.current else None)
        if target is not None:
            self.store.flag(self.profile, target, reason)

    def suspend(self, card_id: str | None = None) -> None:
        """Suspend a card (``card_id``, or else the current one); it leaves this session too.

        Pass the id of a card just answered (its feedback still on screen) to drop its
        pending re-drill as well.
        """
        target = card_id or (self.current.card.id if self.current else None)
        if target is None:
            return
        self.store.suspend(self.profile, target)
        self.queue = [p for p in self.queue if p.card_id != target]
        if self._current is not None and self._current.card.id == target:
            self._current = None

    # -- the end ------------------------------------------------------------------------------

    def end(self) -> Summary:
        """Close the session (everything is already saved) and sum it up."""
        if self._ended is not None:
            return self._ended
        moment = self.clock()
        with self.store.writing() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ?", [utc_ms(moment), self.session_id]
            )
        with self.store.reading() as db:
            self._ended = summarize(
                db, self.profile, self.session_id, self.cards, self.today,
                seconds=max(0, (utc_ms(moment) - utc_ms(self.started_at)) // 1000),
            )
        self._current = None
        return self._ended

    def nothing_due_message(self) -> str | None:
        """With an empty queue: when the next card is due (``None`` while there is a card)."""
        if self.queue:
            return None
        if self.practice:
            return f"No cards were missed in the last {self.filters.missed_days} days."
        day = self.store.next_due_day(self.profile)
        if day is None or day <= self.today:
            if not self.cards:
                return "No cards yet: add a deck, then study."
            return "Nothing due and no new cards left for today. Practise missed cards?"
        when = _when(day - self.today, day)
        return f"Nothing due. The next card is due {when}. Practise missed cards or more new cards?"


def _when(days: int, day: int) -> str:
    if days == 1:
        return "tomorrow"
    return f"in {days} days ({day_to_date(day).isoformat()})"

