"""CSV cells that a spreadsheet will not run as formulas (OWASP's CSV injection rule).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` runs when the file is opened).
Such a cell is written with a leading apostrophe, which spreadsheets show as text; a number such
as ``-3`` or ``+2.5`` is left as it is, so numeric columns stay numeric. Only the CSV files are
changed this way: the JSON export stays the exact record.
"""

from __future__ import annotations

import re

_TRIGGERS = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def csv_cell(value: object) -> object:
    """``value`` made safe for a spreadsheet: text that would run as a formula gets a ``'``."""
    if not isinstance(value, str) or not value or value[0] not in _TRIGGERS:
        return value
    if value[0] in "+-" and _NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_text(value: str) -> str:
    """``csv_cell`` for text (typed for callers that only pass strings)."""
    result = csv_cell(value)
    return result if isinstance(result, str) else value
