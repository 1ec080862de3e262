"""Stats: due forecast (30 days), answers per day (30 days), % correct by deck / source / tag,
the streak and the leeches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from ibdquiz.core.printable import printable
from ibdquiz.errors import IbdquizError
from ibdquiz.storage.stats import Score, Stats, StudyStats
from ibdquiz.storage.store import Store
from ibdquiz.tui import bindings
from ibdquiz.tui.charts import bar_chart
from ibdquiz.tui.formatting import bullet_list
from ibdquiz.tui.screens.base import IbdquizScreen
from ibdquiz.tui.widgets.keybar import KeyBar


def _score_cell(score: Score | None) -> str:
    if score is None or score.percent is None:
        return "–"
    return f"{score.answered} · {score.percent:.0f}%"


def scores_table(
    title: str,
    heading: str,
    recent: Sequence[Score],
    overall: Sequence[Score],
    days: int,
    names: dict[str, str] | None = None,
) -> Table:
    """% correct per group over the last ``days`` days and all time, with the answers;
    ``names`` turns ids into what the reader knows (deck titles)."""
    table = Table(title=title, title_justify="left", box=None, expand=True, header_style="bold")
    table.add_column(heading, ratio=1)
    table.add_column(f"Last {days} days", justify="right", no_wrap=True)
    table.add_column("All time", justify="right", no_wrap=True)
    latest = {score.name: score for score in recent}
    for score in overall:
        name = (names or {}).get(score.name, score.name)
        table.add_row(
            Text(printable(name)), _score_cell(latest.get(score.name)), _score_cell(score)
        )
    if not overall:
        table.add_row("no answers yet", "", "")
    return table


def cards_table(summary: Stats) -> Table:
    """Per deck: the cards due, new, learned, mature, leeches, suspended (as ``ibdquiz stats``)."""
    table = Table(
        title="Cards", title_justify="left", box=None, expand=True, header_style="bold"
    )
    table.add_column("Deck", ratio=1)
    for name in ("Due", "New", "Learned", "Mature", "Leech", "Susp."):
        table.add_column(name, justify="right", no_wrap=True)
    for deck in summary.decks:
        table.add_row(
            Text(printable(deck.title)), str(deck.due), str(deck.new), str(deck.learned),
            str(deck.mature), str(deck.leeches), str(deck.suspended),
        )
    if not summary.decks:
        table.add_row("no decks yet", "", "", "", "", "", "")
    return table


def leeches_text(stats: StudyStats) -> Table | Text:
    """The leeches: prompt, lapses, whether suspended, card id."""
    if not stats.leeches:
        return Text("Leeches (8 lapses or more): none.")
    items = []
    for leech in stats.leeches:
        suspended = ", suspended" if leech.suspended else ""
        item = Text(printable(leech.prompt))
        item.append(f"  ({leech.lapses} lapses{suspended}; {leech.card_id})", style="dim")
        items.append(item)
    table = bullet_list(items)
    table.title = "Leeches (8 lapses or more)"
    table.title_justify = "left"
    table.title_style = "bold"
    return table


DEFINITIONS = (
    "Due: what today's session asks (one card per fact, within the daily review limit; the "
    "rest wait, held back). New: never answered. Learned: answered right since its last lapse "
    "(SM-2 repetitions ≥ 1). Mature: next interval of 21 days or more. Leech: 8 lapses or "
    "more. Susp.: suspended by you."
)
"""The words of the cards table, defined where they are used (docs/rules.md)."""


class StatsScreen(IbdquizScreen):
    """Charts and tables of the learner's progress, read in a worker thread."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.STATS

    def __init__(self, store: Store, profile: str) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.stats: StudyStats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("Reading your answers…", id="headline", markup=False)
            yield Static("", id="deck-cards")
            yield Static(DEFINITIONS, id="definitions", classes="dim", markup=False)
            yield Static("", id="forecast", classes="chart")
            yield Static("", id="per-day", classes="chart")
            yield Static(
                "% correct counts first answers only: re-drills and practice are extra attempts.",
                id="scores-note",
                classes="dim",
            )
            yield Static("", id="by-deck")
            yield Static("", id="by-source")
            yield Static("", id="by-tag")
            yield Static("", id="leeches")
        yield KeyBar()

    def on_mount(self) -> None:
        """Read the figures (in a worker) and draw them when they are in."""
        self.title = "ibdquiz"
        self.sub_title = "stats"
        self.query_one("#stats", VerticalScroll).focus()
        self._read()

    @work(thread=True, exclusive=True, group="stats-read", exit_on_error=False)
    def _read(self) -> None:
        try:
            reader = self.store.reader()
            try:
                stats = reader.study_stats(self.profile)
            finally:
                reader.close()
        except IbdquizError as error:
            self.app.call_from_thread(self.report_error, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.draw, stats)

    def draw(self, stats: StudyStats) -> None:
        """Fill the charts and tables."""
        self.stats = stats
        days = len(stats.forecast)
        due_total = sum(stats.forecast)
        totals = stats.summary.totals  # "due today" as home counts it (Store.plan_today)
        held = f" ({totals.held_back} more held back)" if totals.held_back else ""
        self.query_one("#headline", Static).update(
            f"Streak: {stats.streak} day{'s' if stats.streak != 1 else ''} · "
            f"{stats.total_answers} answer{'s' if stats.total_answers != 1 else ''} in all · "
            f"due today {totals.due}{held} · "
            f"due in the next {days} days {due_total}"
        )
        self.query_one("#forecast", Static).update(bar_chart(
            f"Cards due, next {days} days (overdue counted today)", stats.today,
            list(stats.forecast), legend="█ cards due that day",
        ))
        n = len(stats.answers)
        self.query_one("#per-day", Static).update(bar_chart(
            f"Answers per day, last {n} days", stats.today - n + 1, list(stats.answers),
            list(stats.correct),
            legend="█ correct  ░ wrong (every answer: re-drills and practice included)",
        ))
        self.query_one("#deck-cards", Static).update(cards_table(stats.summary))
        tables = (
            ("#by-deck", "% correct by deck", "Deck", stats.recent_by_deck, stats.by_deck),
            ("#by-source", "% correct by study", "Study", stats.recent_by_source, stats.by_source),
            ("#by-tag", "% correct by tag", "Tag", stats.recent_by_tag, stats.by_tag),
        )
        titles = {deck.deck_id: deck.title for deck in stats.summary.decks}
        for selector, title, heading, recent, overall in tables:
            self.query_one(selector, Static).update(
                scores_table(title, heading, recent, overall, len(stats.answers), titles)
            )
        self.query_one("#leeches", Static).update(leeches_text(stats))

    def action_back(self) -> None:
        """Back home."""
        self.app.pop_screen()
