"""Decks: the decks loaded, where each came from, and what went wrong at start-up.

The CLI prints deck problems (a broken file in a shared folder, two decks with one id) on stderr
just before the full screen opens, where a fellow never sees them; home shows a notice, and this
dialog lists them in full, with the key remap problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ibdquiz.core.model import Deck
from ibdquiz.tui import bindings


def decks_table(decks: Sequence[Deck]) -> Table:
    """One row per deck loaded: id, title, facts, file."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Deck", no_wrap=True)
    table.add_column("Title", ratio=1)
    table.add_column("Facts", justify="right", no_wrap=True)
    for deck in decks:
        table.add_row(Text(deck.id), Text(deck.title), str(len(deck.facts())))
        if deck.path is not None:
            table.add_row("", Text(str(deck.path), style="dim"), "")
    if not decks:
        table.add_row("none", "add one with 'ibdquiz add-deck FILE'", "")
    return table


class DecksScreen(ModalScreen[None]):
    """The decks loaded and the problems found at start-up."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.DECKS

    def __init__(
        self, decks: Sequence[Deck], notices: Sequence[str], keymap: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.decks = list(decks)
        self.notices = list(notices)
        self.keymap = list(keymap)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static("Decks", classes="dialog-title")
            yield Static(decks_table(self.decks), id="decks-table")
            if self.notices:
                yield Static("Problems found at start-up", classes="dialog-title heading")
                for notice in self.notices:
                    yield Static(f"• {notice}", markup=False, classes="notice")
                yield Static(
                    "A skipped deck loads again once it is fixed: 'ibdquiz validate FILE' names "
                    "every problem. The others loaded as usual.", classes="dim", markup=False,
                )
            if self.keymap:
                yield Static("Key remaps not applied", classes="dialog-title heading")
                for problem in self.keymap:
                    yield Static(f"• {problem}", markup=False, classes="notice")
            yield Static("escape closes this list", classes="dim")

    def action_close(self) -> None:
        """Close the list."""
        self.dismiss(None)
