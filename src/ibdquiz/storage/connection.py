"""The database handle storage modules run SQL on: an ``sqlite3`` connection with the two
calls they use (``execute``, ``query``), shaped like sqlite-utils' ``Database``.

sqlite-utils itself (its import costs a good share of start-up) is loaded only to apply
migrations (``storage.db``); opening an up-to-date file, studying and the stats never import it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

Params = Sequence[Any] | Mapping[str, Any] | None


class Database:
    """An open SQLite connection (``conn``) with sqlite-utils' ``execute``/``query`` calls."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.seen: dict[tuple[str, str], int] = {}
        """Ids of rows that are never changed or deleted once written (a profile, an option set,
        a content hash: ``storage.lean``), by (table, value), as a query found them in the file:
        every answer looks them up, so each is read once per connection."""

    def execute(self, sql: str, params: Params = None) -> sqlite3.Cursor:
        """Run one statement; the cursor holds its rows."""
        return self.conn.execute(sql, params if params is not None else ())

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """The rows of a query, one dict (column name → value) at a time."""
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def records(self, sql: str, params: Params = None) -> sqlite3.Cursor:
        """The rows of a query as ``sqlite3.Row`` (read by column name, made in C): for walks
        over thousands of rows, where a dict per row was most of the time."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params if params is not None else ())

    def enable_wal(self) -> None:
        """Switch the file to write-ahead logging (kept in the file)."""
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = wal").fetchone()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
