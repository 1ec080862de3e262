"""Read-only queries for the home screen and browse: deck counts, card search, card history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from ibdquiz.core.rules import due_sql, is_mature
from ibdquiz.storage.connection import Database
from ibdquiz.storage.lean import OPTIONS_SQL
from ibdquiz.storage.profiles import profile_exists
from ibdquiz.storage.rows import CARD_STATES, CardRow, DeckCounts, ReviewRow

_STATE_JOIN = """
FROM cards c
LEFT JOIN card_state s ON s.card_id = c.id AND s.profile = :profile
"""


def primary_state(row: dict[str, Any]) -> str:
    """One word for a card's state: retired, suspended, new, learning, review or mature."""
    if row["retired"]:
        return "retired"
    if row["suspended"]:
        return "suspended"
    if row["due_day"] is None:
        return "new"
    if is_mature(row["interval_days"]):
        return "mature"
    if row["repetitions"] < 2:
        return "learning"
    return "review"


def deck_counts(
    db: Database, profile: str, today: int, deck_ids: list[str] | None
) -> list[DeckCounts]:
    """Per deck: cards due today, new, total active, the last study day (``None``: never).

    Read from indexes, not from every state (the home screen; schema 5): the active cards
    counted in ``cards_walk``, the new ones in ``new_cards`` (a profile not created yet has
    every card new), the due ones in ``card_state_due``, the last day from ``card_state_last``.
    """
    titles = {row[0]: row[1] for row in db.execute("SELECT id, title FROM decks ORDER BY id")}
    if deck_ids is not None:
        titles = {deck: title for deck, title in titles.items() if deck in set(deck_ids)}
    totals = dict(db.execute("SELECT deck, count(*) FROM cards WHERE retired = 0 GROUP BY deck"))
    new = dict(db.execute(
        "SELECT deck, count(*) FROM new_cards WHERE profile = ? GROUP BY deck", [profile]
    )) if profile_exists(db, profile) else totals
    due = dict(db.execute(
        f"SELECT s.deck, count(*) FROM card_state s WHERE s.profile = ?"
        f" AND {due_sql(card=None, today='?')} GROUP BY s.deck", [profile, today]
    ))
    counts = []
    for deck, title in titles.items():
        (last,) = db.execute(
            "SELECT max(last_answer_day) FROM card_state WHERE profile = ? AND deck = ?",
            [profile, deck],
        ).fetchone()
        counts.append(DeckCounts(
            deck, title, due.get(deck, 0), new.get(deck, 0), totals.get(deck, 0), last
        ))
    return counts


def search_cards(
    db: Database, profile: str, today: int, *, text: str = "", deck: str | None = None,
    tag: str | None = None, state: str | None = None,
) -> list[CardRow]:
    """Cards matching every given criterion; retired cards only with ``state='retired'``."""
    if state is not None and state not in CARD_STATES:
        raise ValueError(f"unknown state {state!r}; use one of {', '.join(CARD_STATES)}")
    sql = f"""
    SELECT c.id, c.deck, c.source, c.fact, c.kind, c.prompt, c.answer, c.citation, c.tags,
      c.retired, COALESCE(s.repetitions, 0) AS repetitions, COALESCE(s.easiness, 2.5) AS easiness,
      COALESCE(s.interval_days, 0) AS interval_days, s.due_day, COALESCE(s.lapses, 0) AS lapses,
      COALESCE(s.leech, 0) AS leech, COALESCE(s.suspended, 0) AS suspended,
      COALESCE(s.updated, 0) AS updated,
      (SELECT f.reason FROM flags f WHERE f.profile = :profile AND f.card_id = c.id
        AND f.cleared_at IS NULL ORDER BY f.id DESC LIMIT 1) AS flag_reason,
      EXISTS (SELECT 1 FROM flags f WHERE f.profile = :profile AND f.card_id = c.id
        AND f.cleared_at IS NULL) AS flagged
    {_STATE_JOIN}
    WHERE (:deck IS NULL OR c.deck = :deck)
      AND (:text = '' OR c.prompt LIKE :like OR c.answer LIKE :like OR c.id LIKE :like
           OR c.citation LIKE :like)
    ORDER BY c.deck, c.position
    """
    params = {
        "profile": profile, "deck": deck, "text": text.strip(), "like": f"%{text.strip()}%",
    }
    rows: list[CardRow] = []
    for row in db.query(sql, params):
        tags = tuple(json.loads(row["tags"] or "[]"))
        if tag is not None and tag not in tags:
            continue
        primary = primary_state(row)
        if not _state_matches(state, primary, row):
            continue
        rows.append(
            CardRow(
                card_id=row["id"], deck=row["deck"], source=row["source"], fact=row["fact"],
                kind=row["kind"], prompt=row["prompt"], answer=row["answer"],
                citation=row["citation"], tags=tags, state=primary,
                repetitions=row["repetitions"], easiness=row["easiness"],
                interval_days=row["interval_days"], due_day=row["due_day"],
                lapses=row["lapses"], leech=bool(row["leech"]), suspended=bool(row["suspended"]),
                flagged=bool(row["flagged"]), flag_reason=row["flag_reason"],
                retired=bool(row["retired"]), updated=bool(row["updated"]),
            )
        )
    return rows


def _state_matches(wanted: str | None, primary: str, row: dict[str, Any]) -> bool:
    if wanted is None:
        return primary != "retired"
    if wanted == "flagged":
        return bool(row["flagged"]) and primary != "retired"
    if wanted == "leech":
        return bool(row["leech"]) and primary != "retired"
    return primary == wanted


def card_history(db: Database, profile: str, card_id: str) -> list[ReviewRow]:
    """Every answer of a card by ``profile``, oldest first."""
    rows = db.query(
        "SELECT r.id, r.reviewed_at, r.utc_offset_min, r.study_day, r.phase, r.quality,"
        f" r.correct, r.response, {OPTIONS_SQL} AS options, r.duration_ms, r.easiness,"
        " r.interval_days, r.due_day FROM reviews r"
        " WHERE r.profile = ? AND r.card_id = ? ORDER BY r.reviewed_at, r.id",
        [profile, card_id],
    )
    return [
        ReviewRow(
            review_id=row["id"],
            reviewed_at=local_time(row["reviewed_at"], row["utc_offset_min"]),
            study_day=row["study_day"], phase=row["phase"], quality=row["quality"],
            correct=bool(row["correct"]), response=row["response"],
            options=tuple(json.loads(row["options"])) if row["options"] else (),
            duration_ms=row["duration_ms"], easiness=row["easiness"],
            interval_days=row["interval_days"], due_day=row["due_day"],
        )
        for row in rows
    ]


def local_time(utc_ms: int, offset_min: int) -> datetime:
    """A stored time as an aware datetime in the offset it was recorded with."""
    zone = timezone(timedelta(minutes=offset_min))
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=utc_ms)
    return moment.astimezone(zone)
