"""The summary of a finished session: score, time, per source, the facts missed, tomorrow."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from ibdquiz.core.printable import printable
from ibdquiz.session.results import MissedFact, Summary
from ibdquiz.tui import bindings
from ibdquiz.tui.formatting import bullet_list, duration_phrase
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.widgets.keybar import KeyBar


def score_line(summary: Summary) -> str:
    """ "12 answered · 9 correct (75%) · 6 min 3 s"."""
    percent = f" ({summary.percent:.0f}%)" if summary.percent is not None else ""
    return (
        f"{summary.answered} answered · {summary.correct} correct{percent} · "
        f"{duration_phrase(summary.seconds)}"
    )


def tomorrow_line(summary: Summary) -> str:
    """ "Due tomorrow: 12 cards (3 more held back)." — tomorrow's queue as home will show it."""
    tomorrow = summary.due_tomorrow
    line = f"Due tomorrow: {tomorrow} card{'s' if tomorrow != 1 else ''}"
    if summary.held_back_tomorrow:
        line += (
            f" ({summary.held_back_tomorrow} more held back: siblings first, or the daily "
            "review limit)"
        )
    return line + "."


def per_source_table(summary: Summary) -> Table:
    """One row per source studied: answers, correct, percent."""
    table = Table(expand=True, box=None, pad_edge=False, header_style="bold")
    table.add_column("Study")
    table.add_column("Answered", justify="right")
    table.add_column("Correct", justify="right")
    table.add_column("%", justify="right")
    for score in summary.per_source:
        percent = f"{100 * score.correct / score.answered:.0f}" if score.answered else "-"
        table.add_row(
            Text(printable(score.label or score.source)), str(score.answered),
            str(score.correct), percent,
        )
    return table


def missed_text(missed: MissedFact) -> Text:
    """A missed fact: its question, its answer, its citation."""
    text = Text(printable(missed.prompt))
    text.append("\nAnswer: ", style="bold")
    text.append(missed.answer)
    text.append("\n")
    text.append(missed.citation, style="italic")
    return text


def missed_table(summary: Summary) -> Table | Text:
    """The facts missed, each with its answer and citation."""
    if not summary.missed:
        return Text("No facts missed.")
    return bullet_list(missed_text(missed) for missed in summary.missed)


class SummaryScreen(IbdquizScreen):
    """Shown when a session ends; ``enter`` or ``q`` closes it (and the app, after ``study``)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.SUMMARY

    def __init__(self, summary: Summary, today: int, *, exit_after: bool) -> None:
        super().__init__()
        self.summary = summary
        self.today = today
        self.exit_after = exit_after

    def compose(self) -> ComposeResult:
        summary = self.summary
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static("Session finished. Every answer is saved.", classes="heading")
            yield Static(score_line(summary), id="score", markup=False)
            yield Static(tomorrow_line(summary), id="tomorrow", markup=False)
            if summary.undone:
                undone = summary.undone
                yield Static(
                    f"{undone} answer{'s' if undone != 1 else ''} undone: kept on record, "
                    "marked undone, not counted above.",
                    id="undone",
                    markup=False,
                )
            if summary.per_source:
                yield Static("Per study", classes="heading")
                yield Static(per_source_table(summary), id="per-source")
            yield Static(f"Missed ({len(summary.missed)})", classes="heading")
            yield Static(missed_table(summary), id="missed")
        yield KeyBar()

    def on_mount(self) -> None:
        """Title the screen."""
        self.title = "ibdquiz"
        self.sub_title = "session summary"

    def action_close(self) -> None:
        """Close the summary: back home, or out of the app when it was started by ``study``."""
        if self.exit_after:
            self.app.exit()
            return
        self.app.pop_screen()
