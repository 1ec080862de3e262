"""The session's progress line: a bar and the counts (done, left, correct so far, re-drill)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from ibdquiz.session.results import Progress


class SessionProgress(Horizontal):
    """A progress bar with "answered 3 · correct 2/3 · left 12 · re-drill 1".

    ``answered`` and ``correct`` count as the summary does (re-drills and undone answers not).
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="bar")
        yield Static("", id="counts", markup=False)

    def update_counts(self, progress: Progress) -> None:
        """Show the counts; the bar runs from 0 to every answer plus the cards left."""
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=max(progress.done + progress.left, 1), progress=progress.done)
        text = (
            f"answered {progress.answered} · correct {progress.correct}/{progress.answered}"
            f" · left {progress.left}"
        )
        if progress.redrill_left:
            text += f" · re-drill {progress.redrill_left}"
        self.query_one("#counts", Static).update(text)
