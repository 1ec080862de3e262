"""Browse: search cards by text, tag, deck or state; a card's history; unsuspend, unflag."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from ibdquiz.core.clock import day_to_date
from ibdquiz.errors import IbdquizError
from ibdquiz.storage import CardRow, ReviewRow, Store
from ibdquiz.storage.rows import CARD_STATES
from ibdquiz.tui import bindings
from ibdquiz.tui.screens.base import IbdquizScreen

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
            Text(review.response or "-"),
            f"{review.interval_days} d",
        )
    if not reviews:
        table.add_row("never answered", "", "", "", "")
    return table


def card_details(card: CardRow) -> Text:
    """The card's question, answer, citation and state, as plain text (never markup)."""
    text = Text()
    text.append(card.prompt, style="bold")
    text.append(f"\nAnswer: {card.answer}\n{card.citation}\n")
    due = (
        f"due {day_to_date(card.due_day):%Y-%m-%d}" if card.due_day is not None else "not scheduled"
    )
    text.append(
        f"{card.card_id} · {card.state} · {due} · EF {card.easiness:.2f} · "
        f"interval {card.interval_days} d · lapses {card.lapses}",
        style="dim",
    )
    if card.flagged:
        text.append(f"\nFlagged: {card.flag_reason or '(no reason given)'}")
    return text


class BrowseScreen(IbdquizScreen):
    """Search the cards; the highlighted card's details and history show below the list."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.BROWSE

    def __init__(self, store: Store, profile: str, decks: Sequence[str]) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.deck_ids = list(decks)
        self.rows: list[CardRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="search text", id="text")
            yield Input(placeholder="tag", id="tag")
            yield Select([(d, d) for d in self.deck_ids], prompt="any deck", id="deck")
            yield Select([(s, s) for s in CARD_STATES], prompt="any state", id="state")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="details"):
            yield Static("", id="card-details")
            yield Static("", id="history")
        yield Footer()

    def on_mount(self) -> None:
        """Show every card at first."""
        self.title = "ibdquiz"
        self.sub_title = "browse cards"
        table = self.query_one("#cards", DataTable)
        table.add_column("Kind", width=7)
        table.add_column("State", width=11)
        table.add_column("Fact", width=16)
        table.add_column("Question")
        self.search()
        table.focus()

    def search(self) -> None:
        """Run the search with the current filters and fill the table."""
        text = self.query_one("#text", Input).value.strip()
        tag = self.query_one("#tag", Input).value.strip() or None
        deck_value = self.query_one("#deck", Select).value
        state_value = self.query_one("#state", Select).value
        deck = deck_value if isinstance(deck_value, str) else None
        state = state_value if isinstance(state_value, str) else None
        try:
            rows = self.store.search_cards(self.profile, text=text, deck=deck, tag=tag, state=state)
        except IbdquizError as error:
            self.report_error(error)
            return
        self.rows = rows[:MAX_ROWS]
        table = self.query_one("#cards", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(
                row.kind,
                f"{row.state} ⚑" if row.flagged else row.state,
                Text(row.fact, overflow="ellipsis", no_wrap=True),
                Text(row.prompt),
                key=row.card_id,
            )
        more = f" (first {MAX_ROWS} shown)" if len(rows) > MAX_ROWS else ""
        self.sub_title = f"browse cards: {len(rows)} found{more}"
        self.show_details()

    def _current(self) -> CardRow | None:
        table = self.query_one("#cards", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_details(self) -> None:
        """Show the highlighted card and its history."""
        card = self._current()
        self.refresh_bindings()  # unsuspend / unflag show only for a card they apply to
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

    @on(Select.Changed)
    def _select_changed(self) -> None:
        self.search()

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self) -> None:
        self.show_details()

    def _refresh_keeping_cursor(self) -> None:
        row = self.query_one("#cards", DataTable).cursor_row
        self.search()
        table = self.query_one("#cards", DataTable)
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Unsuspend and unflag only for a card that is suspended or flagged."""
        if action in ("unsuspend", "unflag"):
            card = self._current()
            if card is None:
                return None
            return card.suspended if action == "unsuspend" else card.flagged
        return True

    def action_unsuspend(self) -> None:
        """Unsuspend the highlighted card."""
        self._change_card(self.store.unsuspend, "Unsuspended.")

    def action_unflag(self) -> None:
        """Clear the highlighted card's flag."""
        self._change_card(self.store.unflag, "Flag cleared.")

    def _change_card(self, change: Callable[[str, str], None], done: str) -> None:
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

    def action_focus_search(self) -> None:
        """Type in the search box."""
        self.query_one("#text", Input).focus()

    def action_back(self) -> None:
        """Back home."""
        self.app.pop_screen()
