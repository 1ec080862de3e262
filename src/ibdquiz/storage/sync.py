"""Deck sync: the ``decks`` and ``cards`` tables follow the decks as loaded.

See docs/deck-format.md (card ids and history) and docs/storage.md.

New facts create cards; edited wording updates the card silently; an edited answer (the card's
``content_hash``) brings the card back due today for every learner, marked ``updated``; a card
whose fact vanished is retired (it leaves the queue, its history stays) and comes back if the
fact returns. Decks that are not in the list are left as they are.

A deck file unchanged since its last sync (``deck_files``: path, size, modification time, then
sha256) is neither parsed nor synced: the catalog gets a ``KnownDeck`` for it. A changed deck
is compared with the stored cards outside any transaction, and only what changed is written,
in short transactions of at most ``CHUNK`` statements, so an answer in another ibdquiz never
waits long for the write lock. The deck's new hash (``decks.content_hash`` and its
``deck_files`` row) is written in the last one: a sync cut short is simply done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ibdquiz.core.catalog import KnownDeck
from ibdquiz.core.model import Deck
from ibdquiz.storage.cardrows import CARD_COLUMNS, card_to_row
from ibdquiz.storage.connection import Database
from ibdquiz.storage.lean import note_ids
from ibdquiz.storage.rows import SyncReport

CHUNK = 200
"""Statements per write transaction while syncing a changed deck (a few milliseconds each)."""
RACY_NS = 2_000_000_000
"""A file modified this close to (or after) its sync may change again within the same
modification time: its sha256 is compared as well."""

Statement = tuple[str, list[Any]]


class _Access(Protocol):
    def reading(self) -> AbstractContextManager[Database]: ...

    def writing(self) -> AbstractContextManager[Database]: ...


@dataclass(frozen=True)
class StoredFile:
    """What a deck file looked like when its last sync finished."""

    deck_id: str
    title: str
    size: int
    mtime_ns: int
    sha256: str
    synced_at: int


def file_key(path: Path) -> str:
    """How ``deck_files`` names a file: its absolute path."""
    return os.path.abspath(path)


def stored_files(db: Database) -> dict[str, StoredFile]:
    """Every recorded deck file whose deck still holds that file's content."""
    return {
        row["path"]: StoredFile(
            row["deck_id"], row["title"], row["size"], row["mtime_ns"], row["sha256"],
            row["synced_at"],
        )
        for row in db.query(
            "SELECT f.path, f.deck_id, d.title, f.size, f.mtime_ns, f.sha256, f.synced_at"
            " FROM deck_files f JOIN decks d ON d.id = f.deck_id AND d.content_hash = f.sha256"
        )
    }


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


Settled = dict[str, tuple[int, int]]
"""Deck files whose sha256 was compared again and matched, by ``file_key``: the size and
modification time they had then, if that time was already well before the comparison."""


def known_deck(
    files: Mapping[str, StoredFile], path: Path, settled: Settled | None = None
) -> KnownDeck | None:
    """The stored deck of ``path`` if the file is unchanged since its sync, else ``None``.

    A file whose time moved, or was too close to its sync to trust, is compared by sha256;
    when it matches and its time is more than ``RACY_NS`` before now, it goes into
    ``settled``, and the next ``sync_decks`` records that time, so later opens trust it
    without reading the file (as git refreshes a racy index entry).
    """
    key = file_key(path)
    found = files.get(key)
    if found is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size != found.size:
        return None
    racy = info.st_mtime_ns >= found.synced_at * 1_000_000 - RACY_NS
    if info.st_mtime_ns != found.mtime_ns or racy:
        compared_at = time.time_ns()
        if _sha256(path) != found.sha256:
            return None
        if settled is not None and info.st_mtime_ns < compared_at - RACY_NS:
            settled[key] = (info.st_size, info.st_mtime_ns)
    return KnownDeck(
        id=found.deck_id, title=found.title, sources=(), path=path, content_hash=found.sha256
    )


def sync_decks(
    access: _Access, decks: Sequence[Deck], *, now_ms: int, today_by_profile: Mapping[str, int],
    settled: Settled | None = None,
) -> SyncReport:
    """Bring the stored decks and cards in line with ``decks`` (``KnownDeck`` ones are left,
    but the ones ``known_deck`` compared and ``settled`` get their file's time recorded)."""
    report = _Report()
    _settle(access, [deck for deck in decks if isinstance(deck, KnownDeck)], settled or {},
            now_ms)
    for deck in decks:
        if isinstance(deck, KnownDeck):
            continue
        statements, finish = _plan_deck(access, deck, now_ms, today_by_profile, report)
        for start in range(0, len(statements), CHUNK):
            with access.writing() as db:
                for sql, params in statements[start:start + CHUNK]:
                    db.execute(sql, params)
        with access.writing() as db:
            for sql, params in finish:
                db.execute(sql, params)
            _record_file(db, deck, now_ms)
    return report.freeze()


@dataclass
class _Report:
    """What a sync changed so far, by card id."""

    added: list[str] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    def freeze(self) -> SyncReport:
        """The finished report."""
        return SyncReport(
            tuple(self.added), tuple(self.reworded), tuple(self.changed), tuple(self.retired),
            tuple(self.restored),
        )


def _plan_deck(
    access: _Access, deck: Deck, now_ms: int, today_by_profile: Mapping[str, int],
    report: _Report,
) -> tuple[list[Statement], list[Statement]]:
    """The statements that bring one deck in line: the card changes, then the deck's row."""
    from ibdquiz.core.cards import cards_for_deck  # card generation: only for a changed deck

    cards = cards_for_deck(deck)
    with access.reading() as db:
        old_deck = next(
            db.query("SELECT content_hash, version FROM decks WHERE id = ?", [deck.id]), None
        )
        stored = {
            row["id"]: row
            for row in db.query(
                f"SELECT {', '.join(CARD_COLUMNS)}, retired FROM cards WHERE deck = ?", [deck.id]
            )
        }
    with access.writing() as db:  # the notes' ids first: a card row holds them
        note_refs = note_ids(db, (note for card in cards for note in card.notes))
    path = str(deck.path) if deck.path is not None else None
    statements: list[Statement] = []
    if old_deck is None:  # the cards need their deck's row; its hash comes last
        statements.append((
            "INSERT INTO decks (id, title, path, content_hash, version, format, synced_at)"
            " VALUES (?, ?, ?, '', 0, ?, ?) ON CONFLICT (id) DO NOTHING",
            [deck.id, deck.title, path, deck.format, now_ms],
        ))
    seen: set[str] = set()
    for position, card in enumerate(cards):
        seen.add(card.id)
        row = card_to_row(card, position, note_refs)
        old = stored.get(card.id)
        if old is None:
            statements.append(_insert_card(row, now_ms))
            report.added.append(card.id)
            continue
        if old["retired"]:
            report.restored.append(card.id)
        answer_changed = old["content_hash"] != row["content_hash"]
        if answer_changed:
            report.changed.append(card.id)
            statements += _mark_updated(card.id, today_by_profile)
        elif any(old[key] != row[key] for key in CARD_COLUMNS):
            report.reworded.append(card.id)
        if old["retired"] or any(old[key] != row[key] for key in CARD_COLUMNS):
            statements.append(_update_card(row, now_ms, answer_changed=answer_changed))
    for card_id, old in stored.items():
        if card_id not in seen and not old["retired"]:
            statements.append(
                ("UPDATE cards SET retired = 1, updated_at = ? WHERE id = ?", [now_ms, card_id])
            )
            report.retired.append(card_id)
    old_hash = old_deck["content_hash"] if old_deck is not None else ""
    old_version = old_deck["version"] if old_deck is not None else 0
    version = old_version + (old_hash != deck.content_hash)
    finish: list[Statement] = [(
        "UPDATE decks SET title = ?, path = ?, content_hash = ?, version = ?, format = ?,"
        " synced_at = ? WHERE id = ?",
        [deck.title, path, deck.content_hash, version, deck.format, now_ms, deck.id],
    )]
    return statements, finish


def _settle(access: _Access, known: Sequence[KnownDeck], settled: Settled, now_ms: int) -> None:
    """Record the time of each known deck file whose sha256 matched again (``known_deck``),
    with the same size and hash as stored, so the next open trusts that time."""
    rows = []
    for deck in known:
        key = file_key(deck.path) if deck.path is not None else None
        if key in settled:
            size, mtime_ns = settled[key]
            rows.append([mtime_ns, now_ms, key, size, deck.content_hash])
    if not rows:
        return
    with access.writing() as db:
        for row in rows:
            db.execute(
                "UPDATE deck_files SET mtime_ns = ?, synced_at = ? WHERE path = ? AND size = ?"
                " AND sha256 = ?", row,
            )


def _record_file(db: Database, deck: Deck, now_ms: int) -> None:
    """Remember the file as synced, if it still holds what was parsed."""
    if deck.path is None or not deck.content_hash:
        return
    with contextlib.suppress(OSError):
        info = os.stat(deck.path)
        if _sha256(deck.path) != deck.content_hash:
            return  # changed since it was read: parse it again next time
        db.execute(
            "INSERT INTO deck_files (path, deck_id, size, mtime_ns, sha256, synced_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
            " deck_id = excluded.deck_id, size = excluded.size, mtime_ns = excluded.mtime_ns,"
            " sha256 = excluded.sha256, synced_at = excluded.synced_at",
            [file_key(deck.path), deck.id, info.st_size, info.st_mtime_ns, deck.content_hash,
             now_ms],
        )


def _insert_card(row: dict[str, Any], now_ms: int) -> Statement:
    columns = [*CARD_COLUMNS, "retired", "created_at", "updated_at"]
    values = [row[key] for key in CARD_COLUMNS] + [0, now_ms, now_ms]
    updates = ", ".join(f"{key} = excluded.{key}" for key in CARD_COLUMNS if key != "id")
    return (
        f"INSERT INTO cards ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT (id) DO UPDATE SET {updates}, retired = 0, updated_at = excluded.updated_at",
        values,
    )


def _update_card(row: dict[str, Any], now_ms: int, *, answer_changed: bool) -> Statement:
    columns = [key for key in CARD_COLUMNS if key != "id"]
    assignments = ", ".join(f"{key} = ?" for key in columns)
    extra = ", changed_at = ?" if answer_changed else ""
    values: list[Any] = [row[key] for key in columns] + [now_ms]
    if answer_changed:
        values.append(now_ms)
    return (
        f"UPDATE cards SET {assignments}, retired = 0, updated_at = ?{extra} WHERE id = ?",
        [*values, row["id"]],
    )


def _mark_updated(card_id: str, today_by_profile: Mapping[str, int]) -> list[Statement]:
    """The answer changed: every learner who has seen the card gets it back today, marked."""
    return [
        (
            "UPDATE card_state SET updated = 1, due_day = MIN(due_day, ?)"
            " WHERE profile = ? AND card_id = ? AND due_day IS NOT NULL",
            [today, profile, card_id],
        )
        for profile, today in today_by_profile.items()
    ]
