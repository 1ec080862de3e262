"""Home: the decks with due / new / total and when each was last studied; what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import get_current_worker

from ibdquiz.core.model import Deck
from ibdquiz.core.printable import printable
from ibdquiz.core.queue import SessionFilters
from ibdquiz.errors import IbdquizError
from ibdquiz.session.today import TodayCounts, home_counts
from ibdquiz.storage.rows import DeckCounts
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.bindings import MORE_NEW, PRACTICE_DAYS
from ibdquiz.tui.formatting import SHARED_LIMIT_NOTE, due_label, last_studied, today_line
from ibdquiz.tui.messages import (
    BrowseRequested,
    DeckChosen,
    SettingsRequested,
    StatsRequested,
    StudyRequested,
)
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.widgets.keybar import KeyBar

COLUMNS: tuple[tuple[str, str], ...] = (
    ("deck", "Deck"),
    ("due", "Due\ntoday"),
    ("new", "New\ntoday"),
    ("unseen", "Unseen\n/ total"),
    ("last", "Last\nstudied"),
)
"""The home table's columns (key, two-line label): what today holds, then the deck's size."""
MIN_TITLE = 16
MAX_HOME_WIDTH = 110
"""The home table's widest layout (wider terminals leave the rest blank, as a page would)."""
ALL_DECKS_ROW = "__all__"
"""The row key of the 'All decks' line (no deck id can be this: ids are a-z, 0-9 and '-')."""


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows, read in one go (in a worker thread)."""

    today: int
    counts: list[DeckCounts]
    next_due: int | None
    queue: TodayCounts
    per_deck: dict[str, TodayCounts]
    limit: int
    day_start_hour: int
    now: datetime


def read_home(store: Store, profile: str) -> HomeData:
    """Read the home screen's figures through ``store`` (any thread that owns it)."""
    today = store.today(profile)
    counts = store.deck_counts(profile, today)
    settings = store.settings(profile)
    queue, per_deck = home_counts(store, profile, [c.deck_id for c in counts])
    return HomeData(
        today=today,
        counts=counts,
        next_due=store.next_due_day(profile),
        queue=queue,
        per_deck=per_deck,
        limit=settings.new_per_day,
        day_start_hour=settings.day_start_hour,
        now=store.now(),
    )


class HomeScreen(IbdquizScreen):
    """The decks, today's counts, and the way into a session, stats, browse and settings.

    The figures are read in a worker thread, on a connection of its own, so keys keep working
    while they load; a key that needs them waits for them and then acts.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings.HOME

    def __init__(
        self, store: Store, profile: str, *, notices: Sequence[str] = (),
        decks: Sequence[Deck] = (),
    ) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.notices = list(notices)
        """Deck problems found at start-up (files skipped, ids clashing), shown on this screen."""
        self.decks = list(decks)
        self.ready = False
        """True once the app has synced the decks into the database (``reload`` may read)."""
        self.loaded = False
        """True once the figures have been read at least once."""
        self.data: HomeData | None = None
        self.counts: list[DeckCounts] = []
        self.pending: str | None = None
        """An action asked for before the decks were loaded; run by ``reload``."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("Loading decks…", id="today", markup=False)
            yield Static(self._notice_line(), id="notices", markup=False)
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True, header_height=2)
            yield Static("", id="shared-note", classes="dim", markup=False)
            yield Static("", id="nothing-due", markup=False)
        yield KeyBar()

    def _notice_line(self) -> str:
        count = len(self.notices)
        keymap = len(getattr(self.app, "keymap_problems", []))
        if not count and keymap:
            return "⚠ Some key remaps in keys.yaml were not applied: press d to see why."
        if not count:
            return ""
        if count == 1:
            return "⚠ A deck problem at start-up (a deck skipped or replaced): press d to see it."
        return (f"⚠ {count} deck problems at start-up (decks skipped or replaced): press d to "
                "see them.")

    def on_mount(self) -> None:
        """Set up the table; the app fills it once the decks are synced."""
        self.title = "ibdquiz"
        self.sub_title = "home"
        table = self.query_one("#decks", DataTable)
        _add_columns(table)
        self.query_one("#nothing-due", Static).display = False
        self.query_one("#shared-note", Static).display = False
        notices = self.query_one("#notices", Static)
        notices.update(self._notice_line())  # key remap problems are known once the app is up
        notices.display = bool(self._notice_line())
        table.focus()

    def on_screen_resume(self) -> None:
        """Coming back from a session or a dialog: counts may have changed."""
        if self.ready:
            self.reload()

    def reload(self) -> None:
        """Read the counts again (in a worker thread) and redraw when they are in."""
        self._read()

    @work(thread=True, exclusive=True, group="home-read", exit_on_error=False)
    def _read(self) -> None:
        """Read the figures on a connection of this thread; hand them to the screen."""
        try:
            reader = self.store.reader()
        except IbdquizError as error:
            self.app.call_from_thread(self.report_error, error)
            return
        try:
            data = read_home(reader, self.profile)
        except IbdquizError as error:
            self.app.call_from_thread(self.report_error, error)
            return
        finally:
            reader.close()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, data)

    def show(self, data: HomeData) -> None:
        """Draw the figures read by ``_read``; run a key pressed while they loaded."""
        self.data = data
        self.counts = data.counts
        self.loaded = True
        self._fill_table(data)
        queue = data.queue
        summary = today_line(queue.review, queue.new, queue.redrill, data.limit)
        if queue.held_back:
            summary += (
                f" · {queue.held_back} due held back (a sibling first, or the daily review limit)"
            )
        if not self.counts:
            summary = "No decks found. Add one with 'ibdquiz add-deck FILE' or pass --decks DIR."
        self.query_one("#today", Static).update(summary)
        shared = self.query_one("#shared-note", Static)
        rows_new = sum(data.per_deck.get(c.deck_id, TodayCounts(0, 0, 0)).new for c in self.counts)
        shared.display = len(self.counts) > 1 and rows_new > queue.new
        shared.update(SHARED_LIMIT_NOTE.format(limit=data.limit, new=queue.new))
        nothing = self.query_one("#nothing-due", Static)
        if self.counts and queue.total == 0:
            when = (
                f"The next card is due "
                f"{due_label(data.next_due, data.today, data.now, data.day_start_hour)}."
                if data.next_due is not None
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

    def _fill_table(self, data: HomeData) -> None:
        """One row per deck, then all decks together when there are several; titles are cut
        to what the screen's width leaves them."""
        table = self.query_one("#decks", DataTable)
        row = table.cursor_row
        table.clear(columns=True)  # the columns get the widths worked out below
        rows = []
        for counts in self.counts:
            ahead = data.per_deck.get(counts.deck_id, TodayCounts(0, 0, 0))
            rows.append((counts.title, counts.deck_id, self._cells(
                ahead, f"{counts.new}/{counts.total}", last_studied(counts.last_studied_day,
                                                                      data.today))))
        if len(self.counts) > 1:
            unseen = sum(c.new for c in self.counts)
            total = sum(c.total for c in self.counts)
            rows.append(("All decks (a)", ALL_DECKS_ROW,
                         self._cells(data.queue, f"{unseen}/{total}", "")))
        # Each column takes its widest cell (or label) plus one cell of padding on both sides.
        widths = [
            max([len(cells[i].plain) for _, _, cells in rows]
                + [len(max(label.split("\n"), key=len))])
            for i, (_, label) in enumerate(COLUMNS[1:])
        ]
        width = min(self.size.width, MAX_HOME_WIDTH)
        room = max(MIN_TITLE, width - sum(widths) - 2 * len(COLUMNS) - 1)
        titles = [min(len(printable(title_text)), room) for title_text, _, _ in rows]
        # fixed widths: an auto-sized column keeps the widest cell it ever held, and its header
        # could be drawn at the width it had before the rows came in
        _add_columns(table, [max([len(COLUMNS[0][1]), *titles]), *widths])
        for title_text, key, cells in rows:
            title = Text(printable(title_text), no_wrap=True,
                         style="italic" if key == ALL_DECKS_ROW else "")
            title.truncate(room, overflow="ellipsis")
            table.add_row(title, *cells, key=key)
        if self.counts:
            table.move_cursor(row=min(row, len(self.counts) - 1))

    @staticmethod
    def _cells(ahead: TodayCounts, unseen: str, last: str) -> list[Text]:
        due = ahead.review + ahead.redrill
        return [
            Text(str(due), style="bold" if due else "dim", justify="right"),
            Text(str(ahead.new), style="bold" if ahead.new else "dim", justify="right"),
            Text(unseen, justify="right"),
            Text(last),
        ]

    def on_resize(self) -> None:
        """Fit the deck titles to the new width."""
        if self.data is not None:
            self._fill_table(self.data)

    def action_decks(self) -> None:
        """Show the decks loaded and the problems found at start-up."""
        from ibdquiz.tui.screens.decks import DecksScreen

        keymap = getattr(self.app, "keymap_problems", [])
        self.app.push_screen(DecksScreen(self.decks, self.notices, list(keymap)))

    def _selected_deck(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not self.counts or table.row_count == 0:
            return None
        if table.cursor_row >= len(self.counts):
            return ALL_DECKS_ROW  # the 'All decks' row studies every deck, as a does
        index = max(table.cursor_row, 0)
        return self.counts[index].deck_id

    def _loading(self, action: str) -> bool:
        """True while the decks load; the action is then kept and run once they are in."""
        if self.ready and self.loaded:
            return False
        self.pending = action
        self.notify("Loading the decks; your key will act in a moment.", timeout=2)
        return True

    def action_study(self) -> None:
        """Study the selected deck."""
        if self._loading("study"):
            return
        deck = self._selected_deck()
        if deck == ALL_DECKS_ROW:
            self.post_message(StudyRequested(SessionFilters()))
        elif deck is not None:
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


def _add_columns(table: DataTable[Text], widths: Sequence[int | None] = ()) -> None:
    """The home table's columns (counts right-aligned, the deck and "last studied" left), each
    ``widths[i]`` wide when given."""
    for index, (key, label) in enumerate(COLUMNS):
        right = key not in ("deck", "last")
        width = widths[index] if index < len(widths) else None
        table.add_column(Text(label, justify="right" if right else "left"), key=key, width=width)
