"""The card on screen: its context, the question, the answer area, and what follows an answer.

``CardView`` only draws; the session screen decides what to draw and when. Every piece of deck
text is shown with ``markup=False`` (a deck may contain ``[CRP]`` or ``<b>``), and the feedback
says right or wrong in words as well as in colour.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from ibdquiz.core.card import CardKind
from ibdquiz.core.grading import input_hint
from ibdquiz.core.printable import printable, printable_block
from ibdquiz.core.queue import QueueItem
from ibdquiz.core.teaching import feedback_lines, provenance
from ibdquiz.session.results import Feedback
from ibdquiz.tui.formatting import (
    GRADE_LABELS,
    KIND_LABELS,
    PHASE_LABELS,
    PHASE_NOTES,
    context_line,
    verdict_text,
)
from ibdquiz.tui.widgets.options import NumberedOptions

_FEEDBACK_PARTS = ("#hint", "#reveal", "#verdict", "#next-review", "#explain", "#grade-prompt")


def explanation(explain: str, citation: str) -> str:
    """The explanation, then "Source: <citation>"."""
    return "\n".join(part for part in (explain, f"Source: {citation}" if citation else "") if part)


def phase_line(item: QueueItem) -> str:
    """ "NEW · multiple choice · first time you see this card" (and an "updated" notice)."""
    label = PHASE_LABELS.get(item.phase, item.phase.upper())
    note = PHASE_NOTES.get(item.phase, "")
    line = f"{label} · {KIND_LABELS[item.card.kind]} · {note}"
    if item.updated:
        line += " · UPDATED: the deck's answer changed since you last saw this card"
    if item.reanswer:
        line += " · AGAIN after undo: graded at most 4; the undone answer stays on record"
    return line


def interval_label(days: int) -> str:
    """An interval as Anki writes it on its grade keys: "1d", "6d", "16d"."""
    return f"{days}d"


def grade_notes(item: QueueItem) -> list[str]:
    """Beside each grade 0–5: the next interval it gives, or that the schedule stays as it is."""
    if not item.intervals:
        return ["schedule unchanged"] * 6
    return [f"next in {interval_label(days)}" for days in item.intervals]


class CardView(VerticalScroll):
    """One card: question state, a flashcard's revealed answer, or an answer's feedback."""

    def compose(self) -> ComposeResult:
        yield Static("", id="phase", markup=False)
        yield Static("", id="context", markup=False)
        yield Static("", id="prompt", markup=False)
        yield NumberedOptions(id="options")
        with Horizontal(id="numeric"):
            yield Input(id="answer", select_on_focus=False)
            yield Static("", id="unit", markup=False)
        yield Static("", id="hint", markup=False)
        yield Static("", id="reveal", markup=False)
        # The verdict and what happens next come before the explanation: at 80x24 a long
        # explanation may need scrolling, the verdict and "enter" never should.
        yield Static("", id="verdict", markup=False)
        yield Static("", id="next-review", markup=False)
        yield Static("", id="explain", markup=False)
        yield Static("", id="grade-prompt", markup=False)
        yield NumberedOptions(id="grades")

    def _static(self, selector: str) -> Static:
        return self.query_one(selector, Static)

    def set_text(self, selector: str, text: str) -> None:
        """Show ``text`` in a part of the card; an empty text hides the part."""
        widget = self._static(selector)
        widget.update(printable_block(text))  # deck and typed text: no control reaches the terminal
        widget.display = bool(text)

    def show_question(self, item: QueueItem) -> None:
        """Draw a card waiting for its answer; a numeric card's input takes the focus."""
        card = item.card
        for selector in _FEEDBACK_PARTS:
            self.set_text(selector, "")
        self._static("#phase").update(printable(phase_line(item)))
        self._static("#phase").set_class(item.phase == "redrill", "-redrill")
        self._static("#context").update(printable(context_line(card)))
        self._static("#prompt").update(printable_block(card.prompt))
        options = self.query_one("#options", NumberedOptions)
        options.display = card.kind is CardKind.CHOICE
        self.query_one("#grades", NumberedOptions).display = False
        self.query_one("#numeric", Horizontal).display = card.kind is CardKind.NUMERIC
        answer = self.query_one("#answer", Input)
        if card.kind is CardKind.CHOICE:
            options.show(item.options)
            self.focus()  # arrows and page keys scroll a long card; digits still choose
        elif card.kind is CardKind.NUMERIC:
            answer.value = ""
            answer.disabled = False
            unit = card.answer.unit or ""
            # The full format hint goes under the input: a placeholder is cut at the box's width.
            answer.placeholder = f"your answer{f' in {unit}' if unit else ''}, then enter"
            self._static("#unit").update(printable(unit))
            self.show_hint(
                f"{input_hint(card)}. Press enter to answer; escape leaves the input."
            )
            answer.focus()
        else:
            self.show_hint("Recall the answer, then press space to reveal it.")
            self.focus()
        self.scroll_home(animate=False)

    def show_hint(self, text: str, *, error: bool = False) -> None:
        """A line under the answer area; ``error`` for input that could not be read."""
        self.set_text("#hint", text)
        self._static("#hint").set_class(error, "-error")

    def show_reveal(self, item: QueueItem) -> None:
        """A flashcard's answer, its explanation, the six SM-2 grades and their next intervals."""
        card = item.card
        self.set_text("#hint", "")
        self.set_text("#reveal", f"Answer: {card.answer.text}")
        self.set_text("#explain", "\n".join(
            part for part in (card.explain, provenance(card)) if part))
        grades = self.query_one("#grades", NumberedOptions)
        grades.display = True
        grades.show([GRADE_LABELS[q] for q in range(6)], first=0, notes=grade_notes(item))
        self.set_text("#grade-prompt", "How well did you recall it? Press 0-5 (SM-2's grades):")

    def show_feedback(
        self, item: QueueItem, feedback: Feedback, chosen: int | None, next_review: str
    ) -> None:
        """A saved answer: right or wrong, the right answer marked, explanation, citation."""
        kind = item.card.kind
        if kind is CardKind.CHOICE:
            correct = feedback.correct_index + 1 if feedback.correct_index is not None else None
            self.query_one("#options", NumberedOptions).mark(correct, chosen)
        self.query_one("#answer", Input).disabled = True
        self.focus()
        self.set_text("#hint", "")
        verdict = self._static("#verdict")
        verdict.set_class(feedback.correct, "-right")
        verdict.set_class(not feedback.correct, "-wrong")
        # issue 9: the tolerance graded by, what a wrong value really is, and the source's via
        extra = feedback_lines(item.card, feedback.response, feedback.correct)
        self.set_text("#verdict", verdict_text(feedback, kind))
        self.set_text("#explain", "\n".join(
            part for part in (*extra, feedback.explain, provenance(item.card)) if part))
        self.set_text("#next-review", f"{next_review}  Press enter to go on.".strip())
