"""The study session as a pure state machine: the queue, the stage, the counters, the undo stack.

No I/O: ``StudySession`` (``session.study``) does the storage calls and tells the machine what
happened. Transitions (anything else raises ``SessionStateError``):

    waiting  --draw-->      asking      (the queue's head is drawn; ``show()``)
    asking   --reveal-->    revealed    (flashcards)
    asking|revealed --recorded--> answered   (the head leaves the queue; a re-drill is appended)
    answered --next-->      waiting
    any but ended --suspended--> waiting, or unchanged when another card is on screen
    any but ended --undo-->  the state before the undone action
    any      --end-->       ended

Undo is a stack of actions (answer, suspend, flag), undone in reverse order. Nothing copies the
queue: each action remembers only the entries it added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ibdquiz.core.queue import Phase, Planned, QueueItem
from ibdquiz.core.rules import needs_redrill
from ibdquiz.errors import IbdquizError
from ibdquiz.session.results import Feedback, Progress, Stage


class SessionStateError(IbdquizError):
    """An event the session cannot take in its current stage (e.g. an answer before ``show()``)."""


@dataclass(frozen=True)
class AnswerAction:
    """An answer that can be undone: its review row and what it changed in the session."""

    review_id: int
    item: QueueItem
    redrill_added: bool
    counted: bool
    correct: bool


@dataclass(frozen=True)
class SuspendAction:
    """A suspension that can be undone: the entries it took out of the queue, the screen before."""

    card_id: str
    was_suspended: bool
    removed: tuple[tuple[int, Planned], ...]
    stage: Stage
    item: QueueItem | None
    feedback: Feedback | None


@dataclass(frozen=True)
class FlagAction:
    """A flag that can be undone (cleared; its row stays)."""

    flag_id: int
    card_id: str


Action = AnswerAction | SuspendAction | FlagAction


class SessionMachine:
    """The stage, queue, counters and undo stack of one session; pure."""

    def __init__(self, queue: list[Planned]) -> None:
        self.queue: list[Planned] = list(queue)
        self.stage = Stage.WAITING
        self.item: QueueItem | None = None
        self.feedback: Feedback | None = None
        self.actions: list[Action] = []
        self.done = 0
        self.answered = 0
        self.correct = 0

    # -- reading --------------------------------------------------------------------------------

    @property
    def head(self) -> Planned | None:
        """The next card to draw (``None`` when the queue is empty or the session ended)."""
        if self.stage is Stage.ENDED or not self.queue:
            return None
        return self.queue[0]

    @property
    def progress(self) -> Progress:
        """Counts for the header: the summary's ``answered``/``correct``, and the bar's."""
        redrills = sum(1 for p in self.queue if p.phase is Phase.REDRILL)
        return Progress(
            done=self.done, left=len(self.queue), correct=self.correct, redrill_left=redrills,
            total=self.done + len(self.queue), answered=self.answered,
        )

    def _require(self, *stages: Stage) -> None:
        if self.stage not in stages:
            wanted = " or ".join(stage.value for stage in stages)
            raise SessionStateError(
                f"the session is {self.stage.value}, not {wanted}; nothing was recorded"
            )

    # -- transitions ----------------------------------------------------------------------------

    def draw(self, item: QueueItem) -> None:
        """``waiting`` → ``asking``: ``item`` (the queue's head) is on screen now."""
        self._require(Stage.WAITING)
        if not self.queue or self.queue[0].card_id != item.card.id:
            raise SessionStateError("only the queue's next card can be drawn")
        self.stage, self.item, self.feedback = Stage.ASKING, item, None

    def reveal(self) -> None:
        """``asking`` → ``revealed`` (a flashcard's answer is shown)."""
        self._require(Stage.ASKING)
        self.stage = Stage.REVEALED

    def recorded(self, feedback: Feedback) -> None:
        """``asking``/``revealed`` → ``answered``: the card leaves the queue; re-drill if < 4."""
        self._require(Stage.ASKING, Stage.REVEALED)
        item = self.item
        assert item is not None  # asking always has an item
        phase = Phase(item.phase)
        self.queue.pop(0)
        redrill = phase is not Phase.PRACTICE and needs_redrill(feedback.quality)
        if redrill:
            self.queue.append(Planned(item.card.id, Phase.REDRILL))
        counted = phase is not Phase.REDRILL
        self.done += 1
        self.answered += counted
        self.correct += counted and feedback.correct
        self.actions.append(
            AnswerAction(feedback.review_id, item, redrill, counted, counted and feedback.correct)
        )
        self.stage, self.feedback = Stage.ANSWERED, feedback

    def next(self) -> None:
        """``answered`` → ``waiting``."""
        self._require(Stage.ANSWERED)
        self.stage, self.item, self.feedback = Stage.WAITING, None, None

    def suspended(self, card_id: str, *, was_suspended: bool) -> None:
        """A card was suspended: its entries leave the queue; off screen if it was on it."""
        self._require(Stage.WAITING, Stage.ASKING, Stage.REVEALED, Stage.ANSWERED)
        removed = tuple((i, p) for i, p in enumerate(self.queue) if p.card_id == card_id)
        self.actions.append(
            SuspendAction(card_id, was_suspended, removed, self.stage, self.item, self.feedback)
        )
        self.queue = [p for p in self.queue if p.card_id != card_id]
        on_screen = self.item is not None and self.item.card.id == card_id
        if on_screen or self.stage is Stage.ANSWERED:
            self.stage, self.item, self.feedback = Stage.WAITING, None, None

    def flagged(self, flag_id: int, card_id: str) -> None:
        """A card was flagged (the stage does not change)."""
        self._require(Stage.WAITING, Stage.ASKING, Stage.REVEALED, Stage.ANSWERED)
        self.actions.append(FlagAction(flag_id, card_id))

    def last_action(self) -> Action | None:
        """The action ``undo`` would take back (``None``: nothing to undo, or the session ended)."""
        if self.stage is Stage.ENDED or not self.actions:
            return None
        return self.actions[-1]

    def drop_last(self) -> None:
        """Forget the last action without undoing it (storage refused: it can never be undone)."""
        self.actions.pop()

    def undone(self, now: datetime) -> QueueItem | None:
        """The last action was undone in storage: put the session back as it was before it.

        Returns the card that is on screen again (asking), if any.
        """
        action = self.actions.pop()
        if isinstance(action, AnswerAction):
            if action.redrill_added:
                last = self.queue.pop()
                assert last == Planned(action.item.card.id, Phase.REDRILL)
            self.queue.insert(0, Planned(action.item.card.id, Phase(action.item.phase)))
            self.done -= 1
            self.answered -= action.counted
            self.correct -= action.correct
            # The same card, phase and options again; graded at most 4 (the key was shown).
            self.item = replace(action.item, shown_at=now, reanswer=True)
            self.stage, self.feedback = Stage.ASKING, None
            return self.item
        if isinstance(action, SuspendAction):
            for index, planned in action.removed:
                self.queue.insert(index, planned)
            self.stage, self.feedback = action.stage, action.feedback
            self.item = action.item
            if action.item is not None and action.stage in (Stage.ASKING, Stage.REVEALED):
                self.item = replace(action.item, shown_at=now)
                self.stage = Stage.ASKING
                return self.item
            return None
        return self.item

    def end(self) -> None:
        """Any stage → ``ended``."""
        self.stage, self.item, self.feedback = Stage.ENDED, None, None
