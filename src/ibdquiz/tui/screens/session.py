"""The study session screen: it draws the session's state and sends it the user's events.

The session (``ibdquiz.session.StudySession``) owns the state machine — asking, revealed,
answered (feedback), ended — and the card on screen; this screen keeps no copy of either. Which
keys act in each state is decided in ``check_action``, so the footer only shows keys that do
something. Every answer is committed by the session before its feedback is drawn.

A numeric card's input has the focus while the fellow types: then only ``enter`` (answer) and
``escape`` act. ``escape`` leaves the input (the footer then shows ``u``/``f``/``s``/``?``/``q``);
a second ``escape`` or ``q`` ends the session; typing a digit goes back to the input.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.timer import Timer
from textual.widgets import Header, Input

from ibdquiz.core.card import CardKind
from ibdquiz.core.printable import printable
from ibdquiz.core.queue import QueueItem
from ibdquiz.errors import IbdquizError, UnparseableResponse
from ibdquiz.session.machine import AnswerAction, FlagAction, SuspendAction
from ibdquiz.session.results import Feedback, Stage
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.formatting import GRADE_LABELS, context_line, next_review_phrase
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.widgets.card_view import CardView
from ibdquiz.tui.widgets.keybar import KeyBar
from ibdquiz.tui.widgets.options import NumberedOptions
from ibdquiz.tui.widgets.progress import SessionProgress

State = Literal["question", "revealed", "feedback", "ended"]

UNDO_NOTE = (
    "u undoes the last action of this session, newest first: an answer, a suspension or a flag. "
    "An undone answer stays on record (marked undone, with the time) and no longer moves the "
    "card's schedule; the card comes back with the same options, and the new answer is graded "
    "at most 4, since the answer was on screen."
)
HELP_NOTE = (
    "Choice cards: press the option's number (or click it). Numeric cards: type the number "
    "and press enter; escape leaves the input (then u, f, s, ? and q act; a digit goes back to "
    "typing) and a second escape ends the session. Flashcards: space reveals the answer, then "
    "grade 0-5 with SM-2's meaning (the next interval of each grade is shown beside it):\n"
    + "\n".join(f"  {q}  {GRADE_LABELS[q]}" for q in range(5, -1, -1))
    + "\nEvery answer is saved before its feedback is shown. Cards graded below 4 come back "
    "at the end of the session (SM-2 re-drill) without changing their schedule.\n" + UNDO_NOTE
)

_STATES: dict[Stage, State] = {
    Stage.WAITING: "question",
    Stage.ASKING: "question",
    Stage.REVEALED: "revealed",
    Stage.ANSWERED: "feedback",
    Stage.ENDED: "ended",
}
_TYPED = frozenset("0123456789.-")

class SessionScreen(IbdquizScreen):
    """Asks the session's cards one by one and shows the feedback of each answer."""

    HELP_NOTE: ClassVar[str] = HELP_NOTE

    BINDINGS: ClassVar[list[BindingType]] = bindings.SESSION

    def __init__(
        self, session: StudySession, store: Store, profile: str, *, title: str, exit_after: bool,
        auto_advance_ms: int = 0,
    ) -> None:
        super().__init__()
        self.exit_after = exit_after
        self.session = session
        self.store = store
        self.profile = profile
        self.session_title = title
        self.auto_advance_ms = auto_advance_ms
        self._advance: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionProgress(id="progress")
        yield CardView(id="card")
        yield KeyBar()

    def on_mount(self) -> None:
        """Show the first card."""
        self.title = printable(self.session_title)
        self._draw_next(self._show())

    # -- what the session says ---------------------------------------------------------------

    @property
    def item(self) -> QueueItem | None:
        """The card on screen (the session's; never a copy)."""
        return self.session.current

    @property
    def state(self) -> State:
        """The session's stage, in the screen's words."""
        return _STATES[self.session.stage]

    @property
    def card_view(self) -> CardView:
        """The widget that draws the card."""
        return self.query_one("#card", CardView)

    def _typing(self) -> bool:
        """True while the numeric answer input has the focus (keys then type into it)."""
        answer = self.query_one("#answer", Input)
        return answer.has_focus and self.state == "question"

    # -- drawing ---------------------------------------------------------------------------

    def _show(self) -> QueueItem | None:
        try:
            return self.session.show()
        except IbdquizError as error:
            self.report_error(error)
            return None

    def _draw_next(self, item: QueueItem | None) -> None:
        """Draw a card in its question state; with no card left, end the session."""
        self._cancel_advance()
        self._update_progress()
        if item is None:
            self.action_end()
            return
        self.card_view.show_question(item)
        self.refresh_bindings()

    def _update_progress(self) -> None:
        self.query_one("#progress", SessionProgress).update_counts(self.session.progress)

    def _next_review(self, feedback: Feedback) -> str:
        return next_review_phrase(
            feedback.phase,
            feedback.quality,
            feedback.interval_days,
            feedback.due_day,
            self.session.today,
        )

    def _show_feedback(self, feedback: Feedback, chosen: int | None) -> None:
        """Draw a saved answer's feedback: verdict, the right answer, explanation, citation."""
        item = self.item
        if item is None:
            return
        self._update_progress()
        self.card_view.show_feedback(item, feedback, chosen, self._next_review(feedback))
        self.refresh_bindings()
        if feedback.correct and self.auto_advance_ms > 0:
            review_id = feedback.review_id
            self._advance = self.set_timer(
                self.auto_advance_ms / 1000, lambda: self._auto_next(review_id)
            )

    def _auto_next(self, review_id: int) -> None:
        """Auto-advance: go on, unless the fellow already did something else."""
        self._advance = None
        feedback = self.session.state.feedback
        if self.state == "feedback" and feedback is not None and feedback.review_id == review_id:
            self.action_next()

    def _cancel_advance(self) -> None:
        if self._advance is not None:
            self._advance.stop()
            self._advance = None

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Allow only the keys that mean something for the card and state on screen."""
        item = self.item
        kind = item.card.kind if item is not None else None
        state = self.state
        if action == "choose":
            number = parameters[0] if parameters else 0
            return (
                state == "question"
                and kind is CardKind.CHOICE
                and item is not None
                and isinstance(number, int)
                and number <= len(item.options)
            )
        if action == "grade":
            return state == "revealed"
        if action == "reveal":
            return state == "question" and kind is CardKind.RECALL
        if action == "next":
            return state == "feedback"
        if action == "leave_input":
            return kind is CardKind.NUMERIC and self._typing()
        if action in ("undo", "flag", "suspend", "help", "end"):
            if kind is CardKind.NUMERIC and self._typing():
                return False  # typed into the input; escape first
            if action == "undo":
                return self.session.last_action() is not None
            if action in ("flag", "suspend"):
                return item is not None
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The input gained the focus: the footer changes."""
        self.refresh_bindings()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The input lost the focus: the footer changes."""
        self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        """Outside the input of a numeric card, typing a digit goes back to the input."""
        item = self.item
        if (
            item is not None
            and item.card.kind is CardKind.NUMERIC
            and self.state == "question"
            and event.character in _TYPED
            and not self._typing()
        ):
            event.stop()
            event.prevent_default()
            answer = self.query_one("#answer", Input)
            answer.focus()
            answer.insert_text_at_cursor(event.character or "")

    def action_leave_input(self) -> None:
        """Leave the numeric input: the session's other keys act again."""
        if not self._typing():
            return
        self.card_view.focus()
        self.card_view.show_hint(
            "Out of the input: u undo · f flag · s suspend · ? help · q or escape end. "
            "Type a digit to answer."
        )
        self.refresh_bindings()

    # -- answering -------------------------------------------------------------------------

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
        """Show a flashcard's answer, and the six SM-2 grades with their next intervals."""
        item = self.item
        if item is None or self.state != "question":
            return
        try:
            self.session.reveal()
        except IbdquizError as error:
            self.report_error(error)
            return
        self.card_view.show_reveal(item)
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
        capped = " (at most 4: answered again after an undo)" if feedback.reanswer else ""
        self.notify(
            f"Graded {feedback.quality}{capped} ({GRADE_LABELS[feedback.quality]}). "
            f"{self._next_review(feedback)}",
            timeout=4,
            markup=False,
        )
        self.action_next()

    def action_next(self) -> None:
        """After an answer's feedback, go on."""
        if self.state != "feedback":
            return
        try:
            item = self.session.next()
        except IbdquizError as error:
            self.report_error(error)
            return
        self._draw_next(item)

    # -- undo, flag, suspend ---------------------------------------------------------------

    def action_undo(self) -> None:
        """Undo the last action of this session (answer, suspension or flag), newest first."""
        action = self.session.last_action()
        if action is None:
            self.notify("Nothing to undo in this session.", timeout=3)
            return
        self._cancel_advance()
        try:
            item = self.session.undo()
        except IbdquizError as error:
            self.report_error(error)
            return
        self.app.clear_notifications()  # "Graded 4 ..." no longer holds
        if isinstance(action, AnswerAction):
            self.notify(
                "Answer undone. It stays on record, marked undone, and no longer moves the "
                "schedule. Answer again: same options, graded at most 4.",
                timeout=5,
            )
        elif isinstance(action, SuspendAction):
            self.notify("Suspension undone: the card is back in this session.", timeout=4)
        elif isinstance(action, FlagAction):
            self.notify("Flag withdrawn (it stays on record, cleared).", timeout=4)
        self._redraw(item)

    def _redraw(self, item: QueueItem | None) -> None:
        """Draw whatever the session's stage is now (after an undo)."""
        state = self.session.state
        self._update_progress()
        if state.stage is Stage.ANSWERED and state.item is not None and state.feedback:
            self.card_view.show_question(state.item)
            self._show_feedback(state.feedback, None)
        elif item is not None and state.stage is Stage.ASKING:
            self.card_view.show_question(item)
            self.refresh_bindings()
        elif state.stage is Stage.WAITING:
            self._draw_next(self._show())
        else:
            self.refresh_bindings()

    def action_flag(self) -> None:
        """Ask for a reason, then flag the card on screen (the dialog is imported when used)."""
        from ibdquiz.tui.screens.flag import FlagDialog

        item = self.item
        if item is None:
            return
        card_id = item.card.id
        context = context_line(item.card)

        def flagged(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.session.flag(reason, card_id=card_id, context=context)
            except IbdquizError as error:
                self.report_error(error)
                return
            self.refresh_bindings()
            self.notify(
                "Flagged. u withdraws it; unflag it later in browse (b on the home screen).",
                timeout=3,
            )

        self.app.push_screen(FlagDialog(item.card.prompt), flagged)

    def action_suspend(self) -> None:
        """Suspend the card on screen: it leaves this session and stops coming back."""
        item = self.item
        if item is None:
            return
        self._cancel_advance()
        try:
            self.session.suspend(card_id=item.card.id)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.notify(
            f"Suspended: {printable(item.card.prompt)} It stops coming back; u undoes this, browse "
            "unsuspends it later.",
            timeout=4,
            markup=False,
        )
        self._draw_next(self._show())

    def action_end(self) -> None:
        """End the session (everything is already saved) and show the summary.

        A session that recorded nothing shows no summary: it says so and goes back.
        """
        from ibdquiz.tui.screens.summary import SummaryScreen

        self._cancel_advance()
        try:
            summary = self.session.end()
        except IbdquizError as error:
            # the end could not be written (a full disk): leave all the same, nothing is lost
            note = "; the session could not be closed, but every answer given is saved"
            if self.exit_after:
                self.app.fail(error, note)  # type: ignore[attr-defined]
            else:
                self.report_error(error)
                self.app.pop_screen()
            return
        if summary.empty:
            if self.exit_after:
                self.app.exit(message="ibdquiz: session ended; nothing was answered.")
                return
            self.notify("Session ended: nothing was answered.", timeout=3)
            self.app.pop_screen()
            return
        today = self.session.today
        self.app.switch_screen(SummaryScreen(summary, today, exit_after=self.exit_after))
