"""Home: the decks with due / new / total and when each was last studied; what to do next."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static

from ibdquiz.errors import IbdquizError
from ibdquiz.storage import (
    DeckCounts,
    SessionFilters,
    Store,
    TodayCounts,
    today_by_deck,
    today_counts,
)
from ibdquiz.tui import bindings
from ibdquiz.tui.bindings import MORE_NEW, PRACTICE_DAYS
from ibdquiz.tui.formatting import day_label, last_studied, today_line
from ibdquiz.tui.messages import (
    BrowseRequested,
    DeckChosen,
    SettingsRequested,
    StatsRequested,
    StudyRequested,
)
from ibdquiz.tui.screens.base import IbdquizScreen

COLUMNS: tuple[tuple[str, str], ...] = (
    ("deck", "Deck"),
    ("due", "Due\ntoday"),
    ("new", "New\ntoday"),
    ("unseen", "Unseen\n/ total"),
    ("last", "Last\nstudied"),
)
"""The home table's columns (key, two-line label): what today holds, then the deck's size."""
MIN_TITLE = 16


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
        yield Footer()


class HomeScreen(IbdquizScreen):
    """The decks, today's counts, and the way into a session, stats, browse and settings."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.HOME

    def __init__(self, store: Store, profile: str) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.ready = False
        """True once the app has synced the decks into the database (``reload`` may read)."""
        self.counts: list[DeckCounts] = []
        self.pending: str | None = None
        """An action asked for before the decks were loaded; run by ``reload``."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading decks…", id="today", markup=False)
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=True, header_height=2)
        yield Static("", id="nothing-due", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        """Set up the table; the app fills it once the decks are synced."""
        self.title = "ibdquiz"
        self.sub_title = "home"
        table = self.query_one("#decks", DataTable)
        for key, label in COLUMNS:
            right = key not in ("deck", "last")
            table.add_column(Text(label, justify="right" if right else "left"), key=key)
        self.query_one("#nothing-due", Static).display = False
        table.focus()

    def on_screen_resume(self) -> None:
        """Coming back from a session or a dialog: counts may have changed."""
        if self.ready:
            self.reload()

    def reload(self) -> None:
        """Read the counts again and redraw."""
        store, profile = self.store, self.profile
        try:
            today = store.today(profile)
            self.counts = store.deck_counts(profile, today)
            next_due = store.next_due_day(profile)
            queue = today_counts(store, profile)
            per_deck = today_by_deck(store, profile, [c.deck_id for c in self.counts])
            limit = store.settings(profile).new_per_day
        except IbdquizError as error:
            self.report_error(error)
            return
        self._fill_table(today, per_deck)
        summary = today_line(queue.review, queue.new, queue.redrill, limit)
        if not self.counts:
            summary = "No decks found. Add one with 'ibdquiz add-deck FILE' or pass --decks DIR."
        self.query_one("#today", Static).update(summary)
        nothing = self.query_one("#nothing-due", Static)
        if self.counts and queue.total == 0:
            when = (
                f"The next card is due {day_label(next_due, today)}."
                if next_due is not None
                else "No card is scheduled yet."
            )
            nothing.update(
                f"Nothing due today. {when}\n"
                f"Press p to practice cards missed in the last {PRACTICE_DAYS} days, "
                f"or n to learn up to {MORE_NEW} more new cards."
            )
            nothing.display = True
        else:
            nothing.display = False
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.call_after_refresh(self.run_action, pending)

    def _fill_table(self, today: int, per_deck: dict[str, TodayCounts]) -> None:
        """One row per deck; titles are cut to what the screen's width leaves them."""
        table = self.query_one("#decks", DataTable)
        row = table.cursor_row
        table.clear()
        rows = []
        for counts in self.counts:
            ahead = per_deck.get(counts.deck_id, TodayCounts(0, 0, 0))
            due = ahead.review + ahead.redrill
            rows.append(
                (
                    counts,
                    [
                        Text(str(due), style="bold" if due else "dim", justify="right"),
                        Text(str(ahead.new), style="bold" if ahead.new else "dim", justify="right"),
                        Text(f"{counts.new}/{counts.total}", justify="right"),
                        Text(last_studied(counts.last_studied_day, today)),
                    ],
                )
            )
        # Each column takes its widest cell (or label) plus one cell of padding on both sides.
        widths = [
            max([len(cells[i].plain) for _, cells in rows] + [len(max(label.split("\n"), key=len))])
            for i, (_, label) in enumerate(COLUMNS[1:])
        ]
        room = max(MIN_TITLE, self.size.width - sum(widths) - 2 * len(COLUMNS) - 1)
        for counts, cells in rows:
            title = Text(counts.title, no_wrap=True)
            title.truncate(room, overflow="ellipsis")
            table.add_row(title, *cells, key=counts.deck_id)
        if self.counts:
            table.move_cursor(row=min(row, len(self.counts) - 1))

    def on_resize(self) -> None:
        """Fit the deck titles to the new width."""
        if self.ready and self.counts:
            self.reload()

    def _selected_deck(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not self.counts or table.row_count == 0:
            return None
        index = min(max(table.cursor_row, 0), len(self.counts) - 1)
        return self.counts[index].deck_id

    def _loading(self, action: str) -> bool:
        """True while the decks load; the action is then kept and run once they are in."""
        if self.ready:
            return False
        self.pending = action
        self.notify("Loading the decks; your key will act in a moment.", timeout=2)
        return True

    def action_study(self) -> None:
        """Study the selected deck."""
        if self._loading("study"):
            return
        deck = self._selected_deck()
        if deck is not None:
            self.post_message(DeckChosen(deck))

    def action_study_all(self) -> None:
        """Study every due card (and today's new cards) of every deck."""
        if self._loading("study_all"):
            return
        self.post_message(StudyRequested(SessionFilters()))

    def action_practice(self) -> None:
        """Practice the cards missed lately, without rescheduling them."""
        if self._loading("practice"):
            return
        self.post_message(StudyRequested(SessionFilters(missed_days=PRACTICE_DAYS)))

    def action_more_new(self) -> None:
        """Learn more new cards than today's limit."""
        if self._loading("more_new"):
            return
        self.post_message(StudyRequested(SessionFilters(new_limit=MORE_NEW)))

    def action_stats(self) -> None:
        """Open stats."""
        if self._loading("stats"):
            return
        self.post_message(StatsRequested())

    def action_browse(self) -> None:
        """Open the card browser."""
        if self._loading("browse"):
            return
        self.post_message(BrowseRequested())

    def action_settings(self) -> None:
        """Open settings."""
        self.post_message(SettingsRequested())

    def action_quit(self) -> None:
        """Quit ibdquiz."""
        self.app.exit()
