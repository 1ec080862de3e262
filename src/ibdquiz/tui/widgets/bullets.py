"""A bulleted list with a hanging indent: wrapped lines stay under their item's text."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text


def bullet_list(items: Iterable[Text]) -> Table:
    """One "•" row per item; each item's text wraps beside its bullet, not under it."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(ratio=1)
    for item in items:
        table.add_row(Text("•", style="bold"), item)
    return table
