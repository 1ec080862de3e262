"""Inline SVG chart geometry for the HTML report: numbers only; the template draws the shapes.

Each function returns plain data (coordinates rounded to 0.1 px) so the template stays free of
arithmetic and every label it prints is escaped by Jinja's autoescape.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ibdquiz.core.clock import day_to_date
from ibdquiz.report.cohort import WeekPoint


class Measured(Protocol):
    """Anything with a percent and a 95% interval in percent (a ``Tally``, an ``Estimate``)."""

    @property
    def percent(self) -> float | None: ...

    @property
    def interval(self) -> tuple[float, float] | None: ...

    @property
    def n(self) -> int: ...


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Bar:
    """A small horizontal interval bar: the estimate, its 95% interval, an optional reference."""

    width: int
    point: float | None
    low: float | None
    high: float | None
    reference: float | None


def interval_bar(tally: Measured, reference: float | None = None, width: int = 120) -> Bar:
    """An interval bar for a tally (``reference``: the cohort's percent, drawn as a tick)."""
    scale = width / 100.0
    interval = tally.interval
    percent = tally.percent
    return Bar(
        width=width,
        point=None if percent is None else _r(percent * scale),
        low=None if interval is None else _r(interval[0] * scale),
        high=None if interval is None else _r(interval[1] * scale),
        reference=None if reference is None else _r(reference * scale),
    )


@dataclass(frozen=True)
class ForestRow:
    """One fellow's row in the forest plot."""

    label: str
    y: float
    point: float | None
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class Forest:
    """Each fellow's total % correct with its interval, against the cohort's."""

    width: int
    height: int
    left: int
    plot_width: int
    rows: list[ForestRow]
    reference: float | None
    ticks: list[tuple[float, str]]


def forest(
    rows: Sequence[tuple[str, Measured]], reference: float | None, width: int = 720
) -> Forest:
    """Lay out a forest plot: one row per (label, tally)."""
    left, right, top, step = 200, 16, 24, 20
    plot_width = width - left - right
    scale = plot_width / 100.0
    laid = []
    for i, (label, tally) in enumerate(rows):
        interval = tally.interval
        percent = tally.percent
        laid.append(
            ForestRow(
                label=label if len(label) <= 28 else label[:27] + "…",
                y=top + i * step + step / 2,
                point=None if percent is None else _r(left + percent * scale),
                low=None if interval is None else _r(left + interval[0] * scale),
                high=None if interval is None else _r(left + interval[1] * scale),
                n=tally.n,
            )
        )
    ticks = [(_r(left + t * scale), f"{t}%") for t in (0, 25, 50, 75, 100)]
    return Forest(
        width=width,
        height=top + len(rows) * step + 8,
        left=left,
        plot_width=plot_width,
        rows=laid,
        reference=None if reference is None else _r(left + reference * scale),
        ticks=ticks,
    )


@dataclass(frozen=True)
class TrendPoint:
    """One week on the trend chart."""

    x: float
    y: float
    label: str
    percent: float
    n: int
    fellows: int
    bar_y: float
    bar_height: float
    thin: bool


@dataclass(frozen=True)
class Trend:
    """Weekly mean of the fellows active that week, on a calendar axis (gaps stay gaps)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    plot_height: int
    bars_top: int
    bars_height: int
    bar_width: float
    points: list[TrendPoint]
    lines: list[str]
    """One polyline per run of consecutive weeks: a week without answers breaks the line."""
    bands: list[str]
    gridlines: list[tuple[float, str]]
    max_n: int
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    gaps: list[tuple[float, float]] = field(default_factory=list)
    """Spans (x from, x to) of weeks with no answers, shaded on the chart."""


def trend(weeks: Sequence[WeekPoint], width: int = 720, thin_n: int = 20) -> Trend:
    """Lay out the weekly trend chart (empty ``points`` when there are no answers)."""
    left, right, top, plot_height = 48, 16, 16, 160
    bars_top, bars_height = top + plot_height + 44, 60
    height = bars_top + bars_height + 8
    plot_width = width - left - right
    shown = [w for w in weeks if w.estimate.percent is not None]
    first = shown[0].week if shown else 0
    span_weeks = (shown[-1].week - first) // 7 + 1 if shown else 1
    step = plot_width / span_weeks

    def x_of(week: int) -> float:
        return _r(left + step * ((week - first) // 7 + 0.5))

    def y_of(percent: float) -> float:
        return _r(top + plot_height * (1 - percent / 100))

    max_n = max((w.estimate.n for w in shown), default=0)
    points: list[TrendPoint] = []
    runs: list[list[WeekPoint]] = []
    for week in shown:
        if runs and week.week - runs[-1][-1].week == 7:
            runs[-1].append(week)
        else:
            runs.append([week])
        percent = week.estimate.percent or 0.0
        bar_height = _r(bars_height * week.estimate.n / max_n) if max_n else 0.0
        points.append(TrendPoint(
            x=x_of(week.week), y=y_of(percent),
            label=day_to_date(week.week).strftime("%d %b %Y"), percent=percent,
            n=week.estimate.n, fellows=week.fellows,
            bar_y=_r(bars_top + bars_height - bar_height), bar_height=bar_height,
            thin=week.estimate.n < thin_n,
        ))
    lines, bands = [], []
    for run in runs:
        lines.append(" ".join(f"{x_of(w.week)},{y_of(w.estimate.percent or 0)}" for w in run))
        upper, lower = [], []
        for w in run:
            low, high = w.estimate.interval or (0.0, 0.0)
            upper.append(f"{x_of(w.week)},{y_of(high)}")
            lower.append(f"{x_of(w.week)},{y_of(low)}")
        if len(run) == 1:  # a lone week: a narrow band around its point
            x = x_of(run[0].week)
            low, high = run[0].estimate.interval or (0.0, 0.0)
            upper = [f"{_r(x - 3)},{y_of(high)}", f"{_r(x + 3)},{y_of(high)}"]
            lower = [f"{_r(x - 3)},{y_of(low)}", f"{_r(x + 3)},{y_of(low)}"]
        bands.append(" ".join(upper + lower[::-1]))
    gaps = [
        (_r(x_of(a[-1].week) + step / 2), _r(x_of(b[0].week) - step / 2))
        for a, b in itertools.pairwise(runs)
    ]
    every = max(1, (span_weeks + 7) // 8)  # about 8 date labels, evenly spaced in time
    x_labels = [(x_of(first + 7 * i), day_to_date(first + 7 * i).strftime("%d %b"))
                for i in range(0, span_weeks, every)]
    gridlines = [(y_of(g), f"{g}%") for g in (0, 25, 50, 75, 100)]
    return Trend(
        width=width, height=height, left=left, right=right, top=top, plot_height=plot_height,
        bars_top=bars_top, bars_height=bars_height,
        bar_width=_r(max(1.0, min(24.0, step * 0.6))), points=points, lines=lines, bands=bands,
        gridlines=gridlines, max_n=max_n, x_labels=x_labels, gaps=gaps,
    )
