"""Bar charts drawn as text: one column per day with a blank column between days, ISO dates under
the axis, and the legend below the plot (never over the bars). Rich only; no Textual.

A chart made of characters reads the same in every theme and terminal (no colour needed: the
wrong answers are ``░``, the right ones ``█``) and in ``tmux capture-pane``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ibdquiz.core.clock import day_to_date

HEIGHT = 8
"""Rows of bars."""
TICK_EVERY = 7
"""A date under every 7th day: an ISO date is 10 characters, 7 days are 14 columns."""
FULL, LIGHT = "█", "░"


def _unit(top: int, height: int) -> int:
    """Answers per row: whole numbers, so that small counts are exact."""
    return max(1, -(-top // height))


def bar_chart(
    title: str,
    first_day: int,
    totals: Sequence[int],
    part: Sequence[int] | None = None,
    *,
    legend: str = "",
    height: int = HEIGHT,
) -> Text:
    """Bars of ``totals`` per day from ``first_day``; ``part`` (<= totals) is drawn solid at the
    bottom of each bar and the rest light, so two kinds of count share one bar."""
    top = max(totals, default=0)
    unit = _unit(top, height)
    rows = max(1, -(-top // unit)) if top else 1
    label_width = len(str(rows * unit))
    text = Text()
    text.append(title + "\n", style="bold")
    for row in range(rows, 0, -1):
        value = row * unit
        label = str(value) if row in (rows, max(1, rows // 2)) else ""
        text.append(label.rjust(label_width) + " ┤" if label else " " * label_width + " │",
                    style="dim")
        for day, total in enumerate(totals):
            filled = -(-total // unit) if total else 0
            solid = -(-part[day] // unit) if part is not None and part[day] else 0
            solid = filled if part is None else min(solid, filled)
            if row <= solid:
                text.append(FULL)
            elif row <= filled:
                text.append(LIGHT)
            else:
                text.append(" ")
            text.append(" ")
        text.append("\n")
    text.append(" " * label_width + " └" + "─" * (2 * len(totals)) + "\n", style="dim")
    text.append(_date_ticks(first_day, len(totals), label_width + 2) + "\n", style="dim")
    if legend:
        text.append(legend, style="dim")
    return text


def _date_ticks(first_day: int, days: int, indent: int) -> str:
    """ISO dates under every ``TICK_EVERY``-th bar, each starting at its bar's column."""
    line = [" "] * (indent + 2 * days + 10)
    for i in range(0, days, TICK_EVERY):
        label = f"{day_to_date(first_day + i):%Y-%m-%d}"
        start = indent + 2 * i
        line[start:start + len(label)] = label
    return "".join(line).rstrip()
