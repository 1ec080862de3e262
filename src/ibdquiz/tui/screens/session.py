"""The study session: one card at a time, feedback, undo, flag, suspend, then the summary.

States: ``question`` (waiting for an answer), ``revealed`` (a flashcard's answer is shown and
waits for a grade), ``feedback`` (a choice or numeric answer was saved; ``enter`` goes on).
Which keys act in each state is decided in ``check_action``, so the footer only shows keys
that do something. Every answer goes through the ``StudySession`` API, which commits it
before returning: feedback is only drawn for an answer already on disk.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, Input

from ibdquiz.core.cards import CardKind
from ibdquiz.errors import IbdquizError, UnparseableResponse
from ibdquiz.storage import Feedback, QueueItem, Store, StudySession
from ibdquiz.tui import bindings
from ibdquiz.tui.formatting import GRADE_LABELS, next_review_phrase
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.screens.flag import FlagDialog
from ibdquiz.tui.widgets.card_view import CardView
from ibdquiz.tui.widgets.options import NumberedOptions
from ibdquiz.tui.widgets.progress import SessionProgress

State = Literal["question", "revealed", "feedback"]


class SessionScreen(IbdquizScreen):
    """Asks the session's cards one by one and shows the feedback of each answer."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.SESSION

    def __init__(
        self, session: StudySession, store: Store, profile: str, *, title: str, exit_after: bool
    ) -> None:
        super().__init__()
        self.exit_after = exit_after
        self.session = session
        self.store = store
        self.profile = profile
        self.session_title = title
        self.state: State = "question"
        self.item: QueueItem | None = None
        self.feedback: Feedback | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionProgress(id="progress")
        yield CardView(id="card")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first card."""
        self.title = self.session_title
        self.show_item(self.session.current)

    # -- drawing ---------------------------------------------------------------------------

    @property
    def card_view(self) -> CardView:
        """The widget that draws the card."""
        return self.query_one("#card", CardView)

    def show_item(self, item: QueueItem | None) -> None:
        """Draw a card in its question state; with no card left, end the session."""
        self.item = item
        self.feedback = None
        self.state = "question"
        self._update_progress()
        if item is None:
            self.action_end()
            return
        self.card_view.show_question(item)
        self.refresh_bindings()

    def _update_progress(self) -> None:
        progress = self.session.progress
        self.query_one("#progress", SessionProgress).update_counts(
            progress.done, progress.left, progress.correct, progress.redrill_left
        )

    def _next_review(self, feedback: Feedback) -> str:
        return next_review_phrase(
            feedback.phase,
            feedback.quality,
            feedback.interval_days,
            feedback.due_day,
            self.store.today(self.profile),
        )

    def _show_feedback(self, feedback: Feedback, chosen: int | None) -> None:
        """Draw a saved answer's feedback: verdict, the right answer, explanation, citation."""
        if self.item is None:
            return
        self.feedback = feedback
        self.state = "feedback"
        self._update_progress()
        self.card_view.show_feedback(self.item, feedback, chosen, self._next_review(feedback))
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Allow only the keys that mean something for the card and state on screen."""
        item = self.item
        kind = item.card.kind if item is not None else None
        if action == "choose":
            number = parameters[0] if parameters else 0
            return (
                self.state == "question"
                and kind is CardKind.CHOICE
                and item is not None
                and isinstance(number, int)
                and number <= len(item.options)
            )
        if action == "grade":
            return self.state == "revealed"
        if action == "reveal":
            return self.state == "question" and kind is CardKind.RECALL
        if action == "next":
            return self.state == "feedback"
        if action in ("flag", "suspend"):
            return item is not None
        return True

    def action_choose(self, number: int) -> None:
        """Answer a choice card with option ``number`` (1-based)."""
        if not self.check_action("choose", (number,)):
            return
        try:
            feedback = self.session.answer_choice(number - 1)
        except IbdquizError as error:
            self.report_error(error)
            return
        self._show_feedback(feedback, number)

    @on(NumberedOptions.Picked)
    def _picked(self, event: NumberedOptions.Picked) -> None:
        if self.state == "question":
            self.action_choose(event.number)
        elif self.state == "revealed":
            self.action_grade(event.number)

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.state != "question" or self.item is None:
            return
        try:
            feedback = self.session.answer_numeric(event.value)
        except UnparseableResponse as error:
            typed = f"'{event.value.strip()}'" if event.value.strip() else "An empty answer"
            self.card_view.show_hint(
                f"Not read: {typed} was not graded. {error.hint}", error=True
            )
            return
        except IbdquizError as error:
            self.report_error(error)
            return
        self._show_feedback(feedback, None)

    def action_reveal(self) -> None:
        """Show a flashcard's answer and the six SM-2 grades."""
        if self.item is None or self.state != "question":
            return
        self.state = "revealed"
        self.card_view.show_reveal(self.item.card)
        self.refresh_bindings()

    def action_grade(self, quality: int) -> None:
        """Grade a revealed flashcard and go straight on to the next card."""
        if self.state != "revealed":
            return
        try:
            feedback = self.session.grade_recall(quality)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.notify(
            f"Graded {quality} ({GRADE_LABELS[quality]}). {self._next_review(feedback)}",
            timeout=4,
            markup=False,
        )
        self.show_item(self.session.current)

    def action_next(self) -> None:
        """After a choice or numeric card's feedback, go on."""
        if self.state == "feedback":
            self.show_item(self.session.current)

    def action_undo(self) -> None:
        """Undo the last answer of this session; its card comes back unanswered."""
        try:
            item = self.session.undo()
        except IbdquizError as error:
            self.report_error(error)
            return
        if item is None:
            self.notify("Nothing to undo in this session.", timeout=3)
            return
        self.app.clear_notifications()  # "Graded 4 ..." no longer holds
        self.notify("Answer undone: the card is back, unanswered.", timeout=3)
        self.show_item(self.session.current or item)

    def action_flag(self) -> None:
        """Ask for a reason, then flag the card on screen."""
        if self.item is None:
            return
        card_id = self.item.card.id

        def flagged(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.session.flag(reason, card_id=card_id)
            except IbdquizError as error:
                self.report_error(error)
                return
            self.notify("Flagged. Unflag it in browse (b on the home screen).", timeout=3)

        self.app.push_screen(FlagDialog(self.item.card.prompt), flagged)

    def action_suspend(self) -> None:
        """Suspend the card on screen: it leaves this session and stops coming back."""
        if self.item is None:
            return
        try:
            # During feedback the answered card has left the queue's head: name it explicitly.
            self.session.suspend(card_id=self.item.card.id)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.notify(
            f"Suspended: {self.item.card.prompt} It stops coming back; unsuspend it in browse.",
            timeout=4,
            markup=False,
        )
        self.show_item(self.session.current)

    def action_end(self) -> None:
        """End the session (everything is already saved) and show the summary."""
        from ibdquiz.tui.screens.summary import SummaryScreen

        try:
            summary = self.session.end()
        except IbdquizError as error:
            self.report_error(error)
            return
        today = self.store.today(self.profile)
        self.app.switch_screen(SummaryScreen(summary, today, exit_after=self.exit_after))
