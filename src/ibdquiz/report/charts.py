"""Inline SVG chart geometry for the HTML report: numbers only; the template draws the shapes.

Each function returns plain data (coordinates rounded to 0.1 px) so the template stays free of
arithmetic and every label it prints is escaped by Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ibdquiz.core.clock import day_to_date
from ibdquiz.report.cohort import WeekPoint
from ibdquiz.report.tally import Tally


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


def interval_bar(tally: Tally, reference: float | None = None, width: int = 120) -> Bar:
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
    rows: Sequence[tuple[str, Tally]], reference: float | None, width: int = 720
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


@dataclass(frozen=True)
class Trend:
    """The cohort's weekly % correct (line, with its 95% band) and answers per week (bars)."""

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
    line: str
    band: str
    gridlines: list[tuple[float, str]]
    max_n: int
    x_labels: list[tuple[float, str]] = field(default_factory=list)


def trend(weeks: Sequence[WeekPoint], width: int = 720) -> Trend:
    """Lay out the weekly trend chart (empty ``points`` when there are no answers)."""
    left, right, top, plot_height = 48, 16, 16, 160
    bars_top, bars_height = top + plot_height + 44, 60
    height = bars_top + bars_height + 8
    plot_width = width - left - right
    count = len(weeks)
    step = plot_width / count if count else plot_width
    max_n = max((w.tally.n for w in weeks), default=0)
    points: list[TrendPoint] = []
    upper: list[str] = []
    lower: list[str] = []
    for i, week in enumerate(weeks):
        x = _r(left + step * (i + 0.5))
        percent = week.tally.percent or 0.0
        low, high = week.tally.interval or (percent, percent)
        bar_height = _r(bars_height * week.tally.n / max_n) if max_n else 0.0
        points.append(
            TrendPoint(
                x=x,
                y=_r(top + plot_height * (1 - percent / 100)),
                label=day_to_date(week.week).strftime("%d %b %Y"),
                percent=percent,
                n=week.tally.n,
                fellows=week.fellows,
                bar_y=_r(bars_top + bars_height - bar_height),
                bar_height=bar_height,
            )
        )
        upper.append(f"{x},{_r(top + plot_height * (1 - high / 100))}")
        lower.append(f"{x},{_r(top + plot_height * (1 - low / 100))}")
    every = max(1, (count + 7) // 8)  # at most ~8 date labels
    x_labels = [(p.x, day_to_date(w.week).strftime("%d %b")) for i, (p, w) in
                enumerate(zip(points, weeks, strict=True)) if i % every == 0]
    gridlines = [(_r(top + plot_height * (1 - g / 100)), f"{g}%") for g in (0, 25, 50, 75, 100)]
    return Trend(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        plot_height=plot_height,
        bars_top=bars_top,
        bars_height=bars_height,
        bar_width=_r(max(1.0, min(24.0, step * 0.6))),
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        band=" ".join(upper + lower[::-1]),
        gridlines=gridlines,
        max_n=max_n,
        x_labels=x_labels,
    )
