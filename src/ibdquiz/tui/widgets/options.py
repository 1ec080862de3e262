"""Numbered rows chosen with a digit key or the mouse: choice options and flashcard grades."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from ibdquiz.core.printable import printable
from ibdquiz.tui.formatting import option_marks


class OptionRow(Static):
    """One numbered row; a click posts ``NumberedOptions.Picked``. Text is never markup."""

    def __init__(self, number: int, text: str, *, note: str = "") -> None:
        super().__init__(self.label(number, text, note), markup=False, classes="option-row")
        self.number = number
        self.text = text
        self.note = note
        self.tooltip = f"Press {number} or click to choose"

    @staticmethod
    def label(number: int, text: str, note: str = "", mark: str = "") -> Text:
        """The row's content: the number, the text, a dim note, then a bold mark after feedback."""
        label = Text.assemble((f" {number} ", "bold reverse"), "  ", printable(text))
        if note:
            label.append(f"  {note}", style="dim")
        if mark:
            label.append(f"   {mark}", style="bold")
        return label

    def set_mark(self, mark: str, width: int = 0) -> None:
        """Show (or clear, with ``""``) a text marker after the option, at column ``width``."""
        text = self.text.ljust(width) if mark else self.text
        self.update(self.label(self.number, text, self.note, mark))

    def on_click(self, event: events.Click) -> None:
        """A click picks the row, as its digit key would."""
        event.stop()
        self.post_message(NumberedOptions.Picked(self.number))


class NumberedOptions(Vertical):
    """A list of numbered rows; ``mark`` highlights the right one (and a wrong pick) afterwards."""

    class Picked(Message):
        """The row with this number was clicked."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def show(self, rows: Sequence[str], *, first: int = 1, notes: Sequence[str] = ()) -> None:
        """Replace the rows: ``rows[i]`` gets the number ``first + i``."""
        self.remove_children()
        widgets = [
            OptionRow(first + i, text, note=notes[i] if i < len(notes) else "")
            for i, text in enumerate(rows)
        ]
        self.mount_all(widgets)

    def mark(self, correct: int | None, chosen: int | None) -> None:
        """Mark the correct row and, when it differs, the chosen (wrong) one, by number: a
        background colour and a text marker, so it reads on a monochrome terminal too."""
        marks = option_marks(correct, chosen)
        rows = list(self.query(OptionRow))
        width = max((len(row.text) for row in rows), default=0)
        for row in rows:
            row.set_class(row.number == correct, "-correct")
            row.set_class(chosen is not None and row.number == chosen != correct, "-wrong")
            row.set_mark(marks.get(row.number, ""), width)
