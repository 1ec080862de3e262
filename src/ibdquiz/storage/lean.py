"""Text a review would repeat on every row, stored once and referenced by an integer id.

A choice card shows the same options every time its seed repeats, and every answer to a card
version carries the same 64-character content hash: ``option_sets`` and ``content_hashes`` keep
each distinct value once, and ``reviews.options_id`` / ``reviews.hash_id`` point at them. Rows
written before schema 3 keep their inline ``options`` / ``card_hash`` (readers take either:
``OPTIONS_SQL`` / ``HASH_SQL``). A card's teaching notes are stored once too (``note_texts``,
schema 4), its ``notes`` column holding their ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

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
    found = db.seen.get((table, value))
    if found is not None:
        return found
    row = db.execute(f"SELECT id FROM {table} WHERE {column} = ?", [value]).fetchone()
    if row is not None:
        db.seen[(table, value)] = int(row[0])
        return int(row[0])
    # Not remembered yet: the transaction that adds it may still roll back.
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


NoteText = tuple[str, str]
"""A teaching note: another fact's answer text, and what that answer is."""


def note_ids(db: Database, notes: Iterable[NoteText]) -> dict[NoteText, int]:
    """The ids of these notes in ``note_texts`` (schema 4), adding the new ones.

    A note is the same text on every card that can confuse that answer (a source's 20 facts
    gave each of their cards 19 notes of ~90 bytes: most of the ``cards`` table), so each is
    stored once and a card keeps the ids (``encode_note_ids``). Run inside a write transaction.
    """
    wanted = set(notes)
    found: dict[NoteText, int] = {}
    for answer, note, ident in db.execute("SELECT answer, note, id FROM note_texts"):
        if (answer, note) in wanted:
            found[(answer, note)] = int(ident)
    for key in wanted - found.keys():
        cursor = db.execute("INSERT INTO note_texts (answer, note) VALUES (?, ?)", list(key))
        found[key] = int(cursor.lastrowid or 0)
    return found


def encode_note_ids(ids: Sequence[int]) -> str:
    """A card's ``notes`` column: its notes' ids in order, as a compact JSON array."""
    return json.dumps(list(ids), separators=(",", ":"))


def decode_note_ids(text: str | None) -> list[int]:
    """``encode_note_ids`` undone (``NULL``: no notes)."""
    return [int(ident) for ident in json.loads(text or "[]")]


def note_texts(db: Database, ids: Iterable[int]) -> dict[int, NoteText]:
    """The notes with these ids."""
    wanted = sorted(set(ids))
    found: dict[int, NoteText] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for ident, answer, note in db.execute(
            f"SELECT id, answer, note FROM note_texts WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            found[int(ident)] = (str(answer), str(note))
    return found
