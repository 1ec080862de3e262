"""Browse: search cards by text, tag, deck or state; a card's history; suspend, flag, edit."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from ibdquiz.core.catalog import load_deck
from ibdquiz.core.clock import day_to_date
from ibdquiz.core.model import Deck
from ibdquiz.core.printable import printable
from ibdquiz.errors import IbdquizError
from ibdquiz.storage.rows import CARD_STATES, CardRow, ReviewRow
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.editor import chosen_editor, editor_command, fact_location
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.screens.flag import FlagDialog
from ibdquiz.tui.widgets.keybar import KeyBar

MAX_ROWS = 500
"""Rows shown at once; a narrower search finds the rest."""


def history_table(card: CardRow, reviews: Sequence[ReviewRow]) -> Table:
    """A card's past answers, newest last."""
    table = Table(box=None, expand=True, pad_edge=False, header_style="bold")
    for column in ("When", "Phase", "Grade", "Answer", "Interval"):
        table.add_column(column)
    for review in reviews:
        local = review.reviewed_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(
            local,
            review.phase,
            Text(f"{review.quality} {'✓' if review.correct else '✗'}"),
            Text(printable(review.response or "-")),
            f"{review.interval_days} d",
        )
    if not reviews:
        table.add_row("never answered", "", "", "", "")
    return table


def card_details(card: CardRow) -> Text:
    """The card's question, answer, citation and state, as plain text (never markup)."""
    text = Text()
    text.append(printable(card.prompt), style="bold")
    text.append(f"\nAnswer: {printable(card.answer)}\n{printable(card.citation)}\n")
    due = (
        f"due {day_to_date(card.due_day):%Y-%m-%d}" if card.due_day is not None else "not scheduled"
    )
    text.append(
        f"{card.card_id} · {card.state} · {due} · EF {card.easiness:.2f} · "
        f"interval {card.interval_days} d · lapses {card.lapses}",
        style="dim",
    )
    if card.flagged:
        text.append(f"\nFlagged: {printable(card.flag_reason or '(no reason given)')}")
    return text


class BrowseScreen(IbdquizScreen):
    """Search the cards; the highlighted card's details and history show below the list.

    Typing with the list focused goes to the search box (browse's own keys are ctrl+ keys, so
    every letter can be searched for). Searches run in a worker thread on a connection of their
    own, so typing never waits for the database.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings.BROWSE

    def __init__(
        self, store: Store, profile: str, decks: Sequence[str], *,
        deck_files: Sequence[Deck] = (),
    ) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.deck_ids = list(decks)
        self.deck_files = list(deck_files)
        """The loaded decks, for opening a fact in the editor at its line."""
        self.rows: list[CardRow] = []
        self.total = 0
        self.searches = 0
        """How many searches have been drawn (tests and benchmarks wait on it)."""
        self._keep_row: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="search text (just type)", id="text", select_on_focus=False)
            yield Input(placeholder="tag", id="tag")
            yield Select([(d, d) for d in self.deck_ids], prompt="any deck", id="deck")
            yield Select([(s, s) for s in CARD_STATES], prompt="any state", id="state")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="details"):
            yield Static("", id="card-details")
            yield Static("", id="history")
        yield KeyBar()

    def on_mount(self) -> None:
        """Show every card at first."""
        self.title = "ibdquiz"
        self.sub_title = "browse cards: searching…"
        table = self.query_one("#cards", DataTable)
        # Fixed widths: a column left to size itself measures every row on each redraw.
        table.add_column("Kind", width=7, key="kind")
        table.add_column("State", width=11, key="state")
        table.add_column("Fact", width=16, key="fact")
        table.add_column("Question (⚑ flag reason)", width=self._question_width(), key="question")
        self.search()
        table.focus()

    def _question_width(self) -> int:
        """What the screen leaves the question column (the other columns and their padding)."""
        return max(20, min(self.size.width or 80, 160) - (7 + 11 + 16) - 2 * 4 - 2)

    def on_resize(self) -> None:
        """Give the question column the new width."""
        table = self.query_one("#cards", DataTable)
        column = table.columns.get(ColumnKey("question"))
        if column is not None:
            column.width = self._question_width()
            table.refresh()

    def on_key(self, event: events.Key) -> None:
        """Type to search: a character typed with the list focused goes to the search box;
        down (or enter) in a search box goes back to the list."""
        table = self.query_one("#cards", DataTable)
        if isinstance(self.focused, Input) and event.key == "down":
            table.focus()
            event.stop()
            return
        if self.focused is not table or not event.is_printable or event.character is None:
            return
        if any(b.binding.key == event.key for b in self.active_bindings.values()):
            return  # '?' stays help
        box = self.query_one("#text", Input)
        box.focus()
        box.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def _filters(self) -> dict[str, str | None]:
        deck_value = self.query_one("#deck", Select).value
        state_value = self.query_one("#state", Select).value
        return {
            "text": self.query_one("#text", Input).value.strip(),
            "tag": self.query_one("#tag", Input).value.strip() or None,
            "deck": deck_value if isinstance(deck_value, str) else None,
            "state": state_value if isinstance(state_value, str) else None,
        }

    def search(self) -> None:
        """Run the search with the current filters (in a worker) and fill the table."""
        self._search(self._filters())

    @work(thread=True, exclusive=True, group="browse-search", exit_on_error=False)
    def _search(self, filters: dict[str, str | None]) -> None:
        try:
            reader = self.store.reader()
            try:
                rows = reader.search_cards(
                    self.profile, text=filters["text"] or "", deck=filters["deck"],
                    tag=filters["tag"], state=filters["state"],
                )
            finally:
                reader.close()
        except IbdquizError as error:
            self.app.call_from_thread(self.report_error, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_rows, rows)

    def _show_rows(self, rows: list[CardRow]) -> None:
        self.total = len(rows)
        self.rows = rows[:MAX_ROWS]
        table = self.query_one("#cards", DataTable)
        table.clear()
        for row in self.rows:
            question = Text(printable(row.prompt), overflow="ellipsis", no_wrap=True)
            if row.flagged:  # the reason first: it is what the row is about
                question = Text.assemble(
                    (f"⚑ {printable(row.flag_reason or '(no reason)')} · ", "bold"),
                    printable(row.prompt), overflow="ellipsis", no_wrap=True,
                )
            table.add_row(
                row.kind,
                f"{row.state} ⚑" if row.flagged else row.state,
                Text(printable(row.fact), overflow="ellipsis", no_wrap=True),
                question,
                key=row.card_id,
            )
        more = f" (first {MAX_ROWS} shown)" if len(rows) > MAX_ROWS else ""
        self.sub_title = f"browse cards: {len(rows)} found{more}"
        if self._keep_row is not None and self.rows:
            table.move_cursor(row=min(self._keep_row, len(self.rows) - 1))
        self._keep_row = None
        self.searches += 1
        self.show_details()

    def _current(self) -> CardRow | None:
        table = self.query_one("#cards", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_details(self) -> None:
        """Show the highlighted card and its history."""
        card = self._current()
        self.refresh_bindings()
        details = self.query_one("#card-details", Static)
        history = self.query_one("#history", Static)
        if card is None:
            details.update(Text("No card matches."))
            history.update("")
            return
        try:
            reviews = self.store.card_history(self.profile, card.card_id)
        except IbdquizError as error:
            self.report_error(error)
            return
        details.update(card_details(card))
        history.update(history_table(card, reviews))

    @on(Input.Changed)
    def _text_changed(self) -> None:
        self.search()

    @on(Input.Submitted)
    def _to_the_list(self) -> None:
        self.query_one("#cards", DataTable).focus()

    @on(Select.Changed)
    def _select_changed(self) -> None:
        self.search()

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self) -> None:
        self.show_details()

    def _refresh_keeping_cursor(self) -> None:
        self._keep_row = self.query_one("#cards", DataTable).cursor_row
        self.search()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Card actions only with a card highlighted."""
        if action in ("toggle_suspend", "toggle_flag", "edit"):
            return None if self._current() is None else True
        return True

    def action_toggle_suspend(self) -> None:
        """Suspend the highlighted card, or unsuspend it."""
        card = self._current()
        if card is None:
            return
        if card.suspended:
            self._change_card(self.store.unsuspend, "Unsuspended: it comes back when due.")
        else:
            self._change_card(self.store.suspend, "Suspended: it stays out of every session.")

    def action_toggle_flag(self) -> None:
        """Flag the highlighted card (asking why), or clear its flag."""
        card = self._current()
        if card is None:
            return
        if card.flagged:
            self._change_card(self.store.unflag, "Flag cleared.")
            return

        def flagged(reason: str | None) -> None:
            if reason is not None:
                self._change_card(lambda p, c: self.store.flag(p, c, reason),
                                  "Flagged for your program director.")

        self.app.push_screen(FlagDialog(card.prompt), flagged)

    def _change_card(self, change: Callable[[str, str], object], done: str) -> None:
        """Apply ``change(profile, card_id)`` to the highlighted card, say so, redraw the list."""
        card = self._current()
        if card is None:
            return
        try:
            change(self.profile, card.card_id)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.notify(done, timeout=2)
        self._refresh_keeping_cursor()

    def action_edit(self) -> None:
        """Open the highlighted card's fact in $VISUAL / $EDITOR at its line."""
        card = self._current()
        if card is None:
            return
        where = fact_location(self.deck_files, card.card_id)
        if where is None:
            self.notify("This card's deck file is not loaded, so it cannot be opened.",
                        severity="warning", timeout=5)
            return
        path, line = where
        editor = chosen_editor()
        if editor is None:
            self.notify(f"Set $EDITOR (e.g. export EDITOR=nano) to edit here; the fact is at "
                        f"{path}:{line}", severity="warning", timeout=10, markup=False)
            return
        command = editor_command(editor, path, line)
        try:
            with self.app.suspend():
                code = subprocess.call(command)
        except (OSError, SuspendNotSupported) as error:
            self.notify(f"Could not run {command[0]} ({error}); the fact is at {path}:{line}",
                        severity="error", timeout=10, markup=False)
            return
        self._after_edit(path, code)

    def _after_edit(self, path: Path, code: int) -> None:
        """Check the edited deck at once and say what happens next."""
        result = load_deck(path)
        if result.errors:
            first = result.errors[0]
            self.notify(f"{path.name} now has {len(result.errors)} error(s), first "
                        f"line {first.line}: {first.message[:120]}; run 'ibdquiz validate "
                        f"{path}'", severity="error", timeout=12, markup=False)
        elif code == 0:
            self.notify(f"{path.name} validates; your changes are used the next time ibdquiz "
                        "starts.", timeout=6, markup=False)

    def action_focus_search(self) -> None:
        """Type in the search box."""
        self.query_one("#text", Input).focus()

    def action_back(self) -> None:
        """Back home."""
        self.app.pop_screen()
