"""Deck sync: the ``decks`` and ``cards`` tables follow the decks as loaded (DESIGN §4, §8).

New facts create cards; edited wording updates the card silently; an edited answer (the card's
``content_hash``) brings the card back due today for every learner, marked ``updated``; a card
whose fact vanished is retired (it leaves the queue, its history stays) and comes back if the
fact returns. Decks that are not in the list are left as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.model import Deck
from ibdquiz.storage.cardrows import CARD_COLUMNS, card_to_row
from ibdquiz.storage.rows import SyncReport


def sync_decks(
    db: Database, decks: Sequence[Deck], *, now_ms: int, today_by_profile: Mapping[str, int]
) -> SyncReport:
    """Bring the stored decks and cards in line with ``decks``; call inside a transaction."""
    added: list[str] = []
    reworded: list[str] = []
    changed: list[str] = []
    retired: list[str] = []
    restored: list[str] = []
    for deck in decks:
        _upsert_deck(db, deck, now_ms)
        stored = {
            row["id"]: row
            for row in db.query(
                f"SELECT {', '.join(CARD_COLUMNS)}, retired FROM cards WHERE deck = ?", [deck.id]
            )
        }
        seen: set[str] = set()
        for position, card in enumerate(cards_for_deck(deck)):
            seen.add(card.id)
            row = card_to_row(card, position)
            old = stored.get(card.id)
            if old is None:
                _insert_card(db, row, now_ms)
                added.append(card.id)
                continue
            if old["retired"]:
                restored.append(card.id)
            if old["content_hash"] != row["content_hash"]:
                changed.append(card.id)
                _mark_updated(db, card.id, today_by_profile)
            elif any(old[key] != row[key] for key in CARD_COLUMNS):
                reworded.append(card.id)
            if old["retired"] or any(old[key] != row[key] for key in CARD_COLUMNS):
                _update_card(db, row, now_ms, answer_changed=card.id in changed)
        for card_id, old in stored.items():
            if card_id not in seen and not old["retired"]:
                db.execute(
                    "UPDATE cards SET retired = 1, updated_at = ? WHERE id = ?", [now_ms, card_id]
                )
                retired.append(card_id)
    return SyncReport(
        tuple(added), tuple(reworded), tuple(changed), tuple(retired), tuple(restored)
    )


def _upsert_deck(db: Database, deck: Deck, now_ms: int) -> None:
    path = str(deck.path) if deck.path is not None else None
    old = next(db.query("SELECT content_hash, version FROM decks WHERE id = ?", [deck.id]), None)
    if old is None:
        db.execute(
            "INSERT INTO decks (id, title, path, content_hash, version, format, synced_at)"
            " VALUES (?, ?, ?, ?, 1, ?, ?)",
            [deck.id, deck.title, path, deck.content_hash, deck.format, now_ms],
        )
        return
    version = old["version"] + (old["content_hash"] != deck.content_hash)
    db.execute(
        "UPDATE decks SET title = ?, path = ?, content_hash = ?, version = ?, format = ?,"
        " synced_at = ? WHERE id = ?",
        [deck.title, path, deck.content_hash, version, deck.format, now_ms, deck.id],
    )


def _insert_card(db: Database, row: dict[str, Any], now_ms: int) -> None:
    columns = [*CARD_COLUMNS, "retired", "created_at", "updated_at"]
    values = [row[key] for key in CARD_COLUMNS] + [0, now_ms, now_ms]
    db.execute(
        f"INSERT INTO cards ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        values,
    )


def _update_card(db: Database, row: dict[str, Any], now_ms: int, *, answer_changed: bool) -> None:
    columns = [key for key in CARD_COLUMNS if key != "id"]
    assignments = ", ".join(f"{key} = ?" for key in columns)
    extra = ", changed_at = ?" if answer_changed else ""
    values: list[Any] = [row[key] for key in columns] + [now_ms]
    if answer_changed:
        values.append(now_ms)
    db.execute(
        f"UPDATE cards SET {assignments}, retired = 0, updated_at = ?{extra} WHERE id = ?",
        [*values, row["id"]],
    )


def _mark_updated(db: Database, card_id: str, today_by_profile: Mapping[str, int]) -> None:
    """The answer changed: every learner who has seen the card gets it back today, marked."""
    for profile, today in today_by_profile.items():
        db.execute(
            "UPDATE card_state SET updated = 1, due_day = MIN(due_day, ?)"
            " WHERE profile = ? AND card_id = ? AND due_day IS NOT NULL",
            [today, profile, card_id],
        )
