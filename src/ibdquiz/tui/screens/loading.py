"""The screen shown while the decks are synced and the first session is built.

Apart from the home screen so that ``ibdquiz study`` reaches its first question without
importing the home screen (its deck table) at all (issue 13: start-up).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator, Static

from ibdquiz.tui.widgets.keybar import KeyBar


class LoadingScreen(Screen[None]):
    """Shown while the decks are synced and the first session is built."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(self.message, id="loading-text")
        yield LoadingIndicator()
        yield KeyBar()
