"""``StudySession``: one study (or practice) session over a ``Store``, driving ``SessionMachine``.

Every answer goes through ``Store.record_answer`` and is committed before its ``Feedback`` is
returned. The session row is written when the first card is drawn (``show()``), never for a
session with nothing to ask. Only one session per store is open at a time: opening a second one
raises ``SessionOpenError`` until the first has ended. Cards graded below 4 come back at the end
(phase ``redrill``, logged, not rescheduled) until they score 4 or more; re-drills still pending
when a session ends open the next session of the same study day. Practice (``missed_days``)
re-asks cards failed in the last N study days without rescheduling them.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, timedelta

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import choice_options
from ibdquiz.core.clock import Clock, day_to_date, study_day
from ibdquiz.core.grading import grade_choice, grade_numeric, grade_recall
from ibdquiz.core.queue import Phase, Planned, QueueItem, SessionFilters
from ibdquiz.core.rules import is_correct, reanswer_quality
from ibdquiz.core.sm2 import review
from ibdquiz.errors import IbdquizError, UndoError
from ibdquiz.session.machine import (
    Action,
    AnswerAction,
    FlagAction,
    SessionMachine,
    SessionStateError,
    SuspendAction,
)
from ibdquiz.session.results import (
    Feedback,
    MissedFact,
    Progress,
    SessionState,
    SourceScore,
    Stage,
    Summary,
)
from ibdquiz.storage.reviews import Answered
from ibdquiz.storage.rows import SessionReview
from ibdquiz.storage.store import Store, StoredCards

PREFETCH = 8
"""Cards of the queue read together when the next one is not read yet."""


class SessionOpenError(IbdquizError):
    """Another session is open on this store: end it first."""


_OPEN: weakref.WeakKeyDictionary[Store, weakref.ref[StudySession]] = weakref.WeakKeyDictionary()


def open_session(store: Store) -> StudySession | None:
    """The session open (started, not ended) on ``store``, if any."""
    ref = _OPEN.get(store)
    session = ref() if ref is not None else None
    if session is None or session.stage is Stage.ENDED or session.session_id is None:
        return None
    return session


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
        self.started_at: datetime = self.clock()
        store.profile(profile)
        self.today = study_day(self.started_at, store.settings(profile).day_start_hour)
        self.cards: Mapping[str, Card] = store.cards()
        plan = store.plan_today(profile, self.filters, self.today)
        self.held_back = plan.held_back
        self.session_id: int | None = None
        self._machine = SessionMachine(list(plan.queue))
        self._summary: Summary | None = None

    # -- what a screen draws --------------------------------------------------------------------

    @property
    def stage(self) -> Stage:
        """Where the session stands."""
        return self._machine.stage

    @property
    def state(self) -> SessionState:
        """A snapshot for the screen: stage, card on screen, feedback, progress, undo."""
        machine = self._machine
        return SessionState(
            machine.stage, machine.item, machine.feedback, machine.progress,
            machine.last_action() is not None,
        )

    @property
    def current(self) -> QueueItem | None:
        """The card drawn (asking, revealed or answered); ``None`` otherwise. Reads nothing."""
        return self._machine.item

    @property
    def queue(self) -> list[Planned]:
        """The cards still to ask, in order (a copy)."""
        return list(self._machine.queue)

    @property
    def progress(self) -> Progress:
        """Answered (as the summary counts), left (re-drills included), correct, re-drills left."""
        return self._machine.progress

    @property
    def has_cards(self) -> bool:
        """True while there is a card to ask (the queue is not empty)."""
        return self._machine.head is not None

    # -- events ---------------------------------------------------------------------------------

    def show(self) -> QueueItem | None:
        """Draw the next card (its timer starts now); ``None`` when nothing is left.

        Showing again while a card is up returns it unchanged (the timer keeps running).
        """
        machine = self._machine
        if machine.stage in (Stage.ASKING, Stage.REVEALED, Stage.ANSWERED):
            return machine.item
        head = machine.head
        if head is None:
            return None
        self._ensure_started()
        machine.draw(self._item(head))
        return machine.item

    def reveal(self) -> None:
        """Show a flashcard's answer (``asking`` → ``revealed``)."""
        item = self._machine.item
        if item is None or item.card.kind is not CardKind.RECALL:
            raise SessionStateError("only a flashcard on screen can be revealed")
        self._machine.reveal()

    def next(self) -> QueueItem | None:
        """After the feedback of an answer, draw the next card (``None``: the queue is done)."""
        self._machine.next()
        return self.show()

    def answer_choice(self, index: int) -> Feedback:
        """Answer the current choice card with option ``index`` (0-based)."""
        item = self._asking(CardKind.CHOICE)
        if not 0 <= index < len(item.options):
            raise ValueError(f"there is no option {index + 1}")
        elapsed = self._elapsed_ms(item)
        quality = grade_choice(index, choice_options(item.card, item.seed), elapsed)
        return self._record(item, quality, item.options[index], elapsed, response_index=index)

    def answer_numeric(self, text: str) -> Feedback:
        """Answer the current numeric card; raises ``UnparseableResponse`` and records nothing."""
        item = self._asking(CardKind.NUMERIC)
        result = grade_numeric(item.card, text)
        return self._record(item, result.quality, text.strip(), self._elapsed_ms(item))

    def grade_recall(self, quality: int) -> Feedback:
        """Grade the current flashcard 0–5 (SM-2's own scale); it need not be revealed first."""
        item = self._asking(CardKind.RECALL, revealed_ok=True)
        return self._record(item, grade_recall(quality), "", self._elapsed_ms(item))

    def suspend(self, card_id: str | None = None) -> None:
        """Suspend a card (``card_id``, or else the one on screen): it leaves this session too.

        During the feedback of an answer, this suspends the card just answered (and drops its
        pending re-drill). ``undo`` unsuspends it and puts it back where it was.
        """
        target = card_id or (self._machine.item.card.id if self._machine.item else None)
        if target is None:
            return
        self._not_ended()
        was = self.store.is_suspended(self.profile, target)
        self.store.suspend(self.profile, target)
        self._machine.suspended(target, was_suspended=was)

    def flag(
        self, reason: str = "", card_id: str | None = None, *, context: str | None = None
    ) -> None:
        """Flag a card with a reason: ``card_id``, or else the one on screen.

        The options shown (a choice card on screen), ``context`` (the header line shown) and the
        card's content hash are kept with the flag.
        """
        item = self._machine.item
        target = card_id or (item.card.id if item else None)
        if target is None:
            return
        self._not_ended()
        on_screen = item is not None and item.card.id == target
        card = self.cards.get(target)
        flag_id = self.store.flag(
            self.profile, target, reason,
            options=item.options if on_screen and item is not None and item.options else None,
            context=context, card_hash=card.content_hash if card is not None else None,
        )
        self._machine.flagged(flag_id, target)

    def last_action(self) -> Action | None:
        """What ``undo()`` would take back (``None``: nothing)."""
        return self._machine.last_action()

    def undo(self) -> QueueItem | None:
        """Take back the last action (answer, suspend or flag) of this session.

        An undone answer stays in the review log, marked undone; its card returns unanswered,
        with the same phase and options, and is graded at most 4 when answered again. Returns the
        card on screen again (if any). Raises ``UndoError`` when the card was answered again since
        (another ibdquiz); a ``DatabaseError`` (say, locked) leaves the action for a retry.
        """
        action = self._machine.last_action()
        if action is None:
            return None
        if isinstance(action, AnswerAction):
            try:
                self.store.mark_undone(action.review_id)
            except UndoError:
                self._machine.drop_last()  # it can never be undone; earlier actions still can
                raise
        elif isinstance(action, SuspendAction):
            if not action.was_suspended:
                self.store.unsuspend(self.profile, action.card_id)
        elif isinstance(action, FlagAction):
            self.store.clear_flag(action.flag_id)
        return self._machine.undone(self.clock())

    def end(self) -> Summary:
        """End the session (everything is already saved) and sum it up; ending twice is fine."""
        if self._summary is not None:
            return self._summary
        moment = self.clock()
        answers: list[SessionReview] = []
        if self.session_id is not None:
            self.store.end_session(self.session_id)
            answers = self.store.session_reviews(self.session_id)
        tomorrow = self.store.plan_today(self.profile, SessionFilters(), self.today + 1)
        self._machine.end()
        seconds = max(0, int((moment - self.started_at) / timedelta(seconds=1)))
        self._summary = summarize(
            answers, self.cards, seconds=seconds, due_tomorrow=tomorrow.count(Phase.REVIEW),
            held_back_tomorrow=tomorrow.held_back,
        )
        return self._summary

    def nothing_due_message(self) -> str | None:
        """With an empty queue: when the next card is due (``None`` while there is a card)."""
        if self.has_cards or self.stage is not Stage.WAITING:
            return None
        if self.practice:
            return f"No cards were missed in the last {self.filters.missed_days} days."
        if self.held_back:
            return (
                f"Today's review limit is reached: {self.held_back} due card"
                f"{'s' if self.held_back != 1 else ''} held back until tomorrow "
                "(change the limit in settings)."
            )
        day = self.store.next_due_day(self.profile)
        if day is None or day <= self.today:
            if not self.cards:
                return "No cards yet: add a deck, then study."
            return "Nothing due and no new cards left for today. Practise missed cards?"
        when = _when(day - self.today, day)
        return f"Nothing due. The next card is due {when}. Practise missed cards or more new cards?"

    # -- inside ---------------------------------------------------------------------------------

    def _ensure_started(self) -> None:
        if self.session_id is not None:
            return
        other = open_session(self.store)
        if other is not None and other is not self:
            raise SessionOpenError("a study session is already open; end it first (q)")
        self.session_id = self.store.start_session(
            self.profile, practice=self.practice, filters=asdict(self.filters), day=self.today
        )
        _OPEN[self.store] = weakref.ref(self)

    def _not_ended(self) -> None:
        if self.stage is Stage.ENDED:
            raise SessionStateError("the session has ended; nothing was recorded")

    def _item(self, planned: Planned) -> QueueItem:
        cards = self.cards
        if isinstance(cards, StoredCards) and not cards.has(planned.card_id):
            # One read for the next few cards of the queue, not two statements per card.
            cards.load([p.card_id for p in self._machine.queue[:PREFETCH]] + [planned.card_id])
        card = cards[planned.card_id]
        draw = self.store.card_draw(self.profile, card.id)
        options: tuple[str, ...] = ()
        correct_index: int | None = None
        if card.kind is CardKind.CHOICE:
            choice = choice_options(card, draw.seed)
            options, correct_index = choice.options, choice.correct_index
        intervals = (
            tuple(review(draw.state, q).interval for q in range(6))
            if planned.phase.schedules else ()
        )
        return QueueItem(
            card=card, phase=planned.phase.value, options=options, correct_index=correct_index,
            seed=draw.seed, updated=draw.updated, shown_at=self.clock(), intervals=intervals,
        )

    def _asking(self, kind: CardKind, *, revealed_ok: bool = False) -> QueueItem:
        machine = self._machine
        allowed = (Stage.ASKING, Stage.REVEALED) if revealed_ok else (Stage.ASKING,)
        if machine.stage not in allowed or machine.item is None:
            raise SessionStateError(
                f"no card is waiting for an answer (the session is {machine.stage.value}); "
                "nothing was recorded"
            )
        item = machine.item
        if item.card.kind is not kind:
            raise ValueError(f"the current card is a {item.card.kind.value} card, not {kind.value}")
        return item

    def _elapsed_ms(self, item: QueueItem) -> int:
        return max(0, int((self.clock() - item.shown_at) / timedelta(milliseconds=1)))

    def _record(
        self, item: QueueItem, quality: int, response: str, elapsed_ms: int, *,
        response_index: int | None = None,
    ) -> Feedback:
        if item.reanswer:
            quality = reanswer_quality(quality)
        phase = Phase(item.phase)
        recorded = self.store.record_answer(
            self.profile,
            Answered(
                card=item.card, phase=phase, quality=quality, response=response,
                duration_ms=elapsed_ms, seed=item.seed, options=item.options,
                correct_index=item.correct_index, response_index=response_index,
                session_id=self.session_id,
            ),
            self.today,
        )
        schedules = phase.schedules
        feedback = Feedback(
            correct=is_correct(quality), quality=quality, correct_answer=item.card.answer.text,
            correct_index=item.correct_index, response=response, explain=item.card.explain,
            citation=item.card.citation,
            interval_days=recorded.state.interval if schedules else None,
            due_day=recorded.due_day if schedules else None, phase=phase.value,
            review_id=recorded.review_id, reanswer=item.reanswer,
        )
        self._machine.recorded(feedback)
        return feedback


def summarize(
    answers: list[SessionReview], cards: Mapping[str, Card], *, seconds: int, due_tomorrow: int,
    held_back_tomorrow: int = 0,
) -> Summary:
    """A session's summary from its answers: re-drills and undone answers not counted."""
    counted = [a for a in answers if a.phase != Phase.REDRILL.value and not a.undone]
    correct = sum(a.correct for a in counted)
    per_source: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], str] = {}
    missed: dict[str, MissedFact] = {}
    for answer in counted:
        card = cards.get(answer.card_id)
        if card is None:
            continue
        key = (card.deck, card.source)
        labels[key] = card.label or card.source
        score = per_source.setdefault(key, [0, 0])
        score[0] += 1
        score[1] += answer.correct
        if not answer.correct:
            missed[card.id] = MissedFact(card.id, card.prompt, card.answer.text, card.citation)
    return Summary(
        answered=len(counted),
        correct=correct,
        percent=round(100 * correct / len(counted), 1) if counted else None,
        seconds=seconds,
        per_source=tuple(
            SourceScore(deck, source, labels[(deck, source)], n, ok)
            for (deck, source), (n, ok) in per_source.items()
        ),
        missed=tuple(missed.values()),
        due_tomorrow=due_tomorrow,
        held_back_tomorrow=held_back_tomorrow,
        undone=sum(a.undone for a in answers),
        recorded=len(answers),
    )


def _when(days: int, day: int) -> str:
    if days == 1:
        return "tomorrow"
    return f"in {days} days ({day_to_date(day).isoformat()})"
