"""Help: the keys of the screen underneath (with their binding ids, for ``keys.yaml``)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ibdquiz.tui import bindings
from ibdquiz.tui.formatting import GRADE_LABELS

ABOUT = {
    "SessionScreen": (
        "Choice cards: press the option's number (or click it). Numeric cards: type the number "
        "and press enter; escape ends the session. Flashcards: space reveals the answer, then "
        "grade 0-5 with SM-2's meaning:\n"
        + "\n".join(f"  {q}  {GRADE_LABELS[q]}" for q in range(5, -1, -1))
        + "\nEvery answer is saved before its feedback is shown. Cards graded below 4 come back "
        "at the end of the session (SM-2 re-drill) without changing their schedule."
    ),
    "HomeScreen": (
        "Pick a deck and press enter to study it, or press a to study every due card. "
        "The command palette (ctrl+p) lists every action."
    ),
}


_NUMBERED = re.compile(r"^(?P<family>.+)_(?P<n>\d)$")
"""Bindings numbered by their key (``session.choose_1``...): listed once, as ``1-5``."""


def bindings_table(screen: Screen[Any]) -> tuple[Table, set[str]]:
    """A table of ibdquiz's own keys on ``screen`` (those with an id), and the ids shown.

    Each key is listed once: numbered bindings (choose 1-5, grade 0-5) share one row whose id
    column names the first and last id.
    """
    keys: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    numbered: dict[str, dict[int, str]] = {}
    ids: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id is None:
            continue  # a widget's own navigation keys (arrows, page up...)
        ids.add(binding.id)
        match = _NUMBERED.match(binding.id)
        row = match["family"] if match else binding.id
        text = binding.tooltip or binding.description
        keys.setdefault(row, [])
        if match:  # 'Grade 5: perfect response' → 'Grade' (the meanings are listed above)
            numbered.setdefault(row, {})[int(match["n"])] = binding.id
            described.setdefault(row, text.split(":")[0])
            continue
        shown = screen.app.get_key_display(binding)
        if shown not in keys[row]:
            keys[row].append(shown)
        described[row] = text
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("does", ratio=1, overflow="fold")
    table.add_column("id", style="dim", no_wrap=True)
    for row, shown_keys in keys.items():
        if row in numbered:
            numbers = sorted(numbered[row])
            first, last = numbered[row][numbers[0]], numbered[row][numbers[-1]]
            key_text = f"{numbers[0]}-{numbers[-1]}"
            id_text = f"{first} … {last.rsplit('_', 1)[1]}" if first != last else first
        else:
            key_text, id_text = ", ".join(shown_keys), row
        table.add_row(key_text, Text(described[row]), id_text)
    return table, ids


class HelpScreen(ModalScreen[None]):
    """The keys of the screen below, with a short note on how it works."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.HELP

    def __init__(self, underneath: Screen[Any]) -> None:
        super().__init__()
        self.underneath = underneath
        self.shown_ids: set[str] = set()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static("Keys", classes="dialog-title")
            note = getattr(self.underneath, "HELP_NOTE", "") or ABOUT.get(
                type(self.underneath).__name__, ""
            )
            if note:
                yield Static(note, markup=False, classes="dialog-text")
            table, self.shown_ids = bindings_table(self.underneath)
            yield Static(table)
            yield Static(
                "Remap keys in keys.yaml in ibdquiz's config folder: 'binding id: key'. "
                "escape closes this help.",
                classes="dim",
                markup=False,
            )

    def action_close(self) -> None:
        """Close help."""
        self.dismiss(None)
