"""The session's progress line: a bar and the counts (done, left, correct so far, re-drill)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


class SessionProgress(Horizontal):
    """A progress bar with "done 3 · left 12 · correct 2/3 · re-drill 1"."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="bar")
        yield Static("", id="counts", markup=False)

    def update_counts(self, done: int, left: int, correct: int, redrill_left: int) -> None:
        """Show the counts; the bar runs from 0 to done + left."""
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=max(done + left, 1), progress=done)
        text = f"done {done} · left {left} · correct {correct}/{done}"
        if redrill_left:
            text += f" · re-drill {redrill_left}"
        self.query_one("#counts", Static).update(text)
