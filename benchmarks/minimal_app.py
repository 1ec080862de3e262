"""The reference for start-up: the smallest Textual app, one Static line (issue 13).

    python benchmarks/minimal_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    """One line of text, nothing else."""

    def compose(self) -> ComposeResult:
        """The one line."""
        yield Static("minimal textual app ready")


if __name__ == "__main__":
    MinimalApp().run()
