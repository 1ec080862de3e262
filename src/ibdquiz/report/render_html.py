"""The cohort report as one self-contained HTML page (Jinja2, autoescaped, inline SVG, no scripts).

The template ships inside the package (``ibdquiz/report/templates``) and is loaded with
``PackageLoader``, so an installed wheel renders the same page as a source checkout.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
import markupsafe

from ibdquiz import __version__
from ibdquiz.core.clock import day_to_date
from ibdquiz.core.printable import has_control, printable_block
from ibdquiz.report.charts import Bar, Measured, forest, interval_bar, trend
from ibdquiz.report.cohort import (
    GENEROUS_POINTS,
    MIN_ANSWERS,
    MIN_FELLOWS_FOR_PERCENTILES,
    AreaRow,
    Cohort,
    FellowStats,
    MissedFact,
    thin,
)
from ibdquiz.report.estimate import Estimate
from ibdquiz.report.fellow import RETENTION_DAYS, Fellow
from ibdquiz.report.items import MIN_ITEM_N, MIN_WRONG_FOR_DEAD, ItemStats


@dataclass(frozen=True)
class Coverage:
    """A fellow's coverage of one deck."""

    deck: str
    answered: int
    total: int

    @property
    def percent(self) -> float:
        """Share of the deck's cards answered at least once (0–100)."""
        return 100.0 * self.answered / self.total if self.total else 0.0


@dataclass(frozen=True)
class AreaLine:
    """A fellow's result in one content area, beside the cohort's."""

    title: str
    citation: str
    objective: Estimate
    self_graded: Estimate
    cohort: Estimate
    bar: Bar


@dataclass(frozen=True)
class FellowView:
    """Everything the page shows about one fellow."""

    fellow: Fellow
    stats: FellowStats
    percentile: float | None
    bar: Bar
    coverage: list[Coverage]
    sources: list[AreaLine]
    tags: list[AreaLine]
    missed: list[MissedFact]
    below: bool
    """The fellow's objective % is below the mean of the other fellows beyond its interval."""

    @property
    def overall(self) -> Coverage:
        """Coverage of all decks together."""
        return Coverage(
            "all decks", sum(c.answered for c in self.coverage), sum(c.total for c in self.coverage)
        )


@dataclass(frozen=True)
class DeckCoverage:
    """How far the cohort got through one deck."""

    deck: str
    title: str
    cards: int
    started: int
    finished: int
    median: float


def deck_coverage(cohort: Cohort, views: list[FellowView]) -> list[DeckCoverage]:
    """Per deck: fellows who started it, who answered every card, median coverage (0–100)."""
    rows = []
    for i, deck in enumerate(cohort.decks):
        shares = [view.coverage[i].percent for view in views]
        rows.append(DeckCoverage(
            deck=deck.id, title=deck.title, cards=deck.cards,
            started=sum(1 for view in views if view.coverage[i].answered > 0),
            finished=sum(1 for view in views
                         if view.coverage[i].total and view.coverage[i].percent >= 100.0),
            median=statistics.median(shares) if shares else 0.0,
        ))
    return rows


def pct(tally: Measured) -> str:
    """``54%``, or an em dash without answers."""
    percent = tally.percent
    return "—" if percent is None else f"{percent:.0f}%"


def ci(tally: Measured) -> str:
    """``41–67%``: the 95% interval, or an em dash without answers."""
    interval = tally.interval
    return "—" if interval is None else f"{interval[0]:.0f}–{interval[1]:.0f}%"


def share(value: float | None) -> str:
    """A 0–1 share as ``54%`` (an em dash for none)."""
    return "—" if value is None else f"{100 * value:.0f}%"


def signed(value: float | None) -> str:
    """A correlation or index as ``+0.42`` (an em dash for none)."""
    return "—" if value is None else f"{value:+.2f}"


def day_text(day: int | None) -> str:
    """A study day as ``YYYY-MM-DD`` (an em dash for none)."""
    return "—" if day is None else day_to_date(day).isoformat()


def stamp(moment: datetime) -> str:
    """A moment as ``YYYY-MM-DD HH:MM+HH:MM`` (its own offset)."""
    return moment.isoformat(sep=" ", timespec="minutes")


def _lines(rows: list[AreaRow], learner_id: str) -> list[AreaLine]:
    lines = []
    for row in rows:
        pair = row.by_fellow.get(learner_id)
        if pair is None:
            continue
        objective, self_graded = pair
        lines.append(AreaLine(row.name, row.citation, objective, self_graded, row.objective,
                              interval_bar(objective, row.objective.percent)))
    return lines


def fellow_views(cohort: Cohort) -> list[FellowView]:
    """One view per fellow, in the cohort's order."""
    views = []
    for fellow in cohort.fellows:
        coverage = fellow.coverage()
        stats = cohort.stats[fellow.learner_id]
        views.append(
            FellowView(
                fellow=fellow,
                stats=stats,
                percentile=(cohort.percentiles or {}).get(fellow.learner_id),
                bar=interval_bar(stats.objective, cohort.objective.percent),
                coverage=[
                    Coverage(deck.id, *coverage.get(deck.id, (0, deck.cards)))
                    for deck in cohort.decks
                ],
                sources=_lines(cohort.sources, fellow.learner_id),
                tags=_lines(cohort.tags, fellow.learner_id),
                missed=cohort.missed_by(fellow),
                below=cohort.below_cohort(fellow),
            )
        )
    return views


def _shown(value: Any) -> Any:
    """Every value the page shows, with control and bidi characters made visible (``\\x1b``):
    a name from an export may hold them; markup (a chart) stays markup."""
    # str.isprintable() (in C) is False for every character has_control looks for (Cc, Cf,
    # Cs, Zl, Zp...), so the common printable text skips the per-character check
    if isinstance(value, str) and not value.isprintable() and has_control(value):
        shown = printable_block(value)
        return markupsafe.Markup(shown) if isinstance(value, markupsafe.Markup) else shown
    return value


def environment() -> jinja2.Environment:
    """The Jinja2 environment: package templates, autoescape on, strict undefined names."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ibdquiz.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    env.filters.update(pct=pct, ci=ci, day=day_text, stamp=stamp, share=share, signed=signed)
    env.tests["thin"] = thin
    return env


def render_html(cohort: Cohort) -> str:
    """The whole report page."""
    active = cohort.active
    views = fellow_views(cohort)
    template = environment().get_template("report.html.j2")
    return template.render(
        cohort=cohort,
        views=views,
        deck_coverage=deck_coverage(cohort, views),
        active=active,
        forest=forest([(f.name, cohort.stats[f.learner_id].objective) for f in active],
                      cohort.objective.percent),
        trend=trend(cohort.weeks, thin_n=MIN_ANSWERS),
        items=cohort.items,
        to_review=[i for i in cohort.items if isinstance(i, ItemStats) and i.to_review],
        min_item_n=MIN_ITEM_N,
        min_wrong_dead=MIN_WRONG_FOR_DEAD,
        min_answers=MIN_ANSWERS,
        generous_points=GENEROUS_POINTS,
        retention_days=RETENTION_DAYS,
        cohort_bar=lambda tally: interval_bar(tally),
        min_percentile_fellows=MIN_FELLOWS_FOR_PERCENTILES,
        first_day=min((f.first_day for f in active if f.first_day is not None), default=None),
        last_day=max((f.last_day for f in active if f.last_day is not None), default=None),
        version=__version__,
    )
