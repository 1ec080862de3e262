"""Stats: due forecast (30 days), answers per day (30 days), % correct by deck / source / tag,
the streak and the leeches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from ibdquiz.core.clock import day_to_date
from ibdquiz.errors import IbdquizError
from ibdquiz.storage import Store
from ibdquiz.storage.tui_support import Score, StudyStats, study_stats


def scores_table(title: str, scores: Sequence[Score]) -> Table:
    """% correct per group, with the number of answers."""
    table = Table(title=title, title_justify="left", box=None, expand=True, header_style="bold")
    table.add_column(title.split()[-1].capitalize())
    table.add_column("Answers", justify="right")
    table.add_column("% correct", justify="right")
    for score in scores:
        table.add_row(Text(score.name), str(score.answered), f"{score.percent:.0f}")
    if not scores:
        table.add_row("no answers yet", "", "")
    return table


def leeches_text(stats: StudyStats) -> Text:
    """The leeches, one per line."""
    if not stats.leeches:
        return Text("Leeches (8 lapses or more): none.")
    text = Text("Leeches (8 lapses or more):\n", style="bold")
    for leech in stats.leeches:
        suspended = ", suspended" if leech.suspended else ""
        text.append(f"• {leech.prompt}", style="")
        text.append(f"  ({leech.lapses} lapses{suspended}; {leech.card_id})\n", style="dim")
    return text


class StatsScreen(Screen[None]):
    """Charts and tables of the learner's progress."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back", tooltip="Back to the home screen", id="stats.back"),
        Binding(
            "question_mark", "help", "Help", tooltip="The keys of this screen", id="stats.help"
        ),
    ]

    def __init__(self, store: Store, profile: str) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.stats: StudyStats | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static("", id="headline", markup=False)
            yield PlotextPlot(id="forecast", classes="chart")
            yield PlotextPlot(id="per-day", classes="chart")
            yield Static("", id="by-deck")
            yield Static("", id="by-source")
            yield Static("", id="by-tag")
            yield Static("", id="leeches")
        yield Footer()

    def on_mount(self) -> None:
        """Read the figures and draw them."""
        self.title = "ibdquiz"
        self.sub_title = "stats"
        try:
            today = self.store.today(self.profile)
            stats = study_stats(self.store, self.profile, today)
        except IbdquizError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.draw(stats)
        self.query_one("#stats", VerticalScroll).focus()

    def draw(self, stats: StudyStats) -> None:
        """Fill the charts and tables."""
        self.stats = stats
        days = len(stats.forecast)
        due_total = sum(stats.forecast)
        self.query_one("#headline", Static).update(
            f"Streak: {stats.streak} day{'s' if stats.streak != 1 else ''} · "
            f"{stats.total_answers} answer{'s' if stats.total_answers != 1 else ''} in all · "
            f"due today {stats.forecast[0] if days else 0} · "
            f"due in the next {days} days {due_total}"
        )
        forecast = self.query_one("#forecast", PlotextPlot)
        labels = [f"{day_to_date(stats.today + i):%d/%m}" for i in range(days)]
        plt = forecast.plt
        plt.clear_figure()
        plt.title(f"Cards due, next {days} days (overdue counted today)")
        plt.bar(list(range(days)), list(stats.forecast), width=0.6)
        self._axes(plt, labels, stats.forecast)
        per_day = self.query_one("#per-day", PlotextPlot)
        plt = per_day.plt
        plt.clear_figure()
        plt.title(f"Answers per day, last {len(stats.answers)} days (correct / all)")
        n = len(stats.answers)
        past = [f"{day_to_date(stats.today - n + 1 + i):%d/%m}" for i in range(n)]
        # "correct" is drawn over "all": the part of each bar left showing is the wrong answers.
        plt.bar(list(range(n)), list(stats.answers), width=0.6, label="all")
        plt.bar(list(range(n)), list(stats.correct), width=0.6, label="correct")
        self._axes(plt, past, stats.answers)
        self.query_one("#by-deck", Static).update(scores_table("% correct by deck", stats.by_deck))
        self.query_one("#by-source", Static).update(
            scores_table("% correct by study", stats.by_source)
        )
        self.query_one("#by-tag", Static).update(scores_table("% correct by tag", stats.by_tag))
        self.query_one("#leeches", Static).update(leeches_text(stats))

    @staticmethod
    def _axes(plt: Any, labels: Sequence[str], counts: Sequence[int]) -> None:
        """Dates on every 7th bar (readable at 80 columns); whole numbers on the count axis."""
        ticks = list(range(0, len(labels), 7))
        plt.xticks(ticks, [labels[i] for i in ticks])
        top = max(counts, default=0)
        step = max(1, -(-top // 4))
        plt.yticks(list(range(0, top + step, step)))

    def action_back(self) -> None:
        """Back home."""
        self.app.pop_screen()

    def action_help(self) -> None:
        """Show the keys."""
        from ibdquiz.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
