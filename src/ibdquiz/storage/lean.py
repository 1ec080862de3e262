"""Text a review would repeat on every row, stored once and referenced by an integer id.

A choice card shows the same options every time its seed repeats, and every answer to a card
version carries the same 64-character content hash: ``option_sets`` and ``content_hashes`` keep
each distinct value once, and ``reviews.options_id`` / ``reviews.hash_id`` point at them. Rows
written before schema 3 keep their inline ``options`` / ``card_hash`` (readers take either:
``OPTIONS_SQL`` / ``HASH_SQL``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ibdquiz.storage.connection import Database

OPTIONS_SQL = (
    "COALESCE(r.options, (SELECT o.options FROM option_sets o WHERE o.id = r.options_id))"
)
"""A review's options as a JSON array text (``r``: the reviews table), or NULL."""
HASH_SQL = (
    "COALESCE(NULLIF(r.card_hash, ''),"
    " (SELECT h.hash FROM content_hashes h WHERE h.id = r.hash_id), '')"
)
"""The content hash of the card a review answered (``r``: the reviews table)."""


def _ref(db: Database, table: str, column: str, value: str) -> int:
    row = db.execute(f"SELECT id FROM {table} WHERE {column} = ?", [value]).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(f"INSERT INTO {table} ({column}) VALUES (?)", [value])
    return int(cursor.lastrowid or 0)


def options_ref(db: Database, options: Sequence[str]) -> int | None:
    """The id of this list of options (added if new); ``None`` for no options."""
    if not options:
        return None
    return _ref(db, "option_sets", "options", json.dumps(list(options), ensure_ascii=False))


def hash_ref(db: Database, content_hash: str) -> int | None:
    """The id of a card content hash (added if new); ``None`` for none."""
    return _ref(db, "content_hashes", "hash", content_hash) if content_hash else None
