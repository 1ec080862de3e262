"""The flag dialog: a reason for flagging a card (``enter`` saves, ``escape`` cancels)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ibdquiz.core.printable import printable
from ibdquiz.tui import bindings


class FlagDialog(ModalScreen[str | None]):
    """Asks why a card is flagged; dismisses with the reason (maybe empty) or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.FLAG

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.card_prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Flag this card", classes="dialog-title")
            yield Static(printable(self.card_prompt), markup=False, classes="dialog-text")
            yield Input(
                placeholder="Why? (optional) e.g. the answer disagrees with the paper", id="reason"
            )
            yield Static(
                "enter saves the flag (an empty reason is fine) · escape cancels", classes="dim"
            )

    def on_mount(self) -> None:
        """Type the reason straight away."""
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without flagging."""
        self.dismiss(None)
