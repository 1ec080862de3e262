"""Read-only queries over one profile's history, for the exports (DESIGN §9).

Nothing here writes. Reviews come from a cursor, one row at a time, so an export's memory does
not grow with the number of answers. Times are stored as UTC milliseconds with the local offset
in minutes; they are given back as ISO 8601 with that offset (the offset in force at the answer).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR, day_to_date
from ibdquiz.storage.lean import OPTIONS_SQL

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
COUNTED_PHASES = ("new", "review")


def iso_moment(utc_ms: int, offset_min: int) -> str:
    """UTC milliseconds shown in the local offset: ``2025-01-06T19:00:05.250+01:00``."""
    zone = timezone(timedelta(minutes=offset_min))
    return (_EPOCH + timedelta(milliseconds=utc_ms)).astimezone(zone).isoformat(
        timespec="milliseconds"
    )


def iso_day(day: int | None) -> str | None:
    """A study day as ``YYYY-MM-DD`` (``None`` stays ``None``)."""
    return None if day is None else day_to_date(day).isoformat()


@dataclass(frozen=True)
class Learner:
    """Who the export is of."""

    profile: str
    display_name: str | None
    learner_id: str
    day_start_hour: int


@dataclass(frozen=True)
class ReviewRecord:
    """One answer, with the card details the CSV repeats on every row."""

    card_id: str
    reviewed_at: str
    phase: str
    quality: int
    correct: bool
    response: str
    options: list[str]
    duration_ms: int
    easiness: float
    interval_days: int
    due: str | None
    deck: str
    source: str
    fact: str
    kind: str
    prompt: str
    citation: str
    tags: list[str]

    def json_fields(self) -> dict[str, Any]:
        """The per-answer fields of a JSON export's ``reviews`` entry."""
        return {
            "card_id": self.card_id, "reviewed_at": self.reviewed_at, "phase": self.phase,
            "quality": self.quality, "correct": self.correct, "response": self.response,
            "options": self.options, "duration_ms": self.duration_ms,
            "easiness": self.easiness, "interval_days": self.interval_days, "due": self.due,
        }


class History:
    """One profile's decks, cards, reviews (from ``since_day`` on) and flags, read-only."""

    def __init__(self, conn: sqlite3.Connection, profile: str, since_day: int | None = None):
        self.conn = conn
        self.profile = profile
        self.since_day = since_day if since_day is not None else -(10**9)

    def learner(self) -> Learner | None:
        """The profile, or ``None`` if it was never created."""
        row = self.conn.execute(
            "SELECT name, display_name, learner_id FROM profiles WHERE name = ?", [self.profile]
        ).fetchone()
        if row is None:
            return None
        hour = self.conn.execute(
            "SELECT value FROM settings WHERE profile = ? AND key = 'day_start_hour'",
            [self.profile],
        ).fetchone()
        start = int(json.loads(hour[0])) if hour is not None else DEFAULT_DAY_START_HOUR
        return Learner(row[0], row[1], row[2], start)

    def decks(self) -> list[dict[str, Any]]:
        """Every stored deck with its number of active cards."""
        rows = self.conn.execute(
            "SELECT d.id, d.title, d.content_hash,"
            " (SELECT COUNT(*) FROM cards c WHERE c.deck = d.id AND c.retired = 0)"
            " FROM decks d ORDER BY d.id"
        )
        return [{"id": r[0], "title": r[1], "content_hash": r[2], "cards": r[3]} for r in rows]

    def cards(self) -> Iterator[dict[str, Any]]:
        """Active cards, and retired ones this profile answered, with its state, in deck order."""
        rows = self.conn.execute(
            """SELECT c.id, c.deck, c.source, c.fact, c.kind, c.prompt, c.answer, c.citation,
                      c.label, c.tags, c.retired, s.repetitions, s.easiness, s.interval_days,
                      s.due_day, s.lapses, s.leech, s.suspended
               FROM cards c
               LEFT JOIN card_state s ON s.card_id = c.id AND s.profile = :profile
               WHERE c.retired = 0 OR EXISTS (
                   SELECT 1 FROM reviews r WHERE r.profile = :profile AND r.card_id = c.id)
               ORDER BY c.deck, c.position, c.id""",
            {"profile": self.profile},
        )
        for r in rows:
            yield {
                "card_id": r[0], "deck": r[1], "source": r[2], "fact": r[3], "kind": r[4],
                "prompt": r[5], "answer": r[6], "citation": r[7], "label": r[8],
                "tags": json.loads(r[9]), "retired": bool(r[10]),
                "repetitions": r[11] if r[11] is not None else 0,
                "easiness": round(r[12], 2) if r[12] is not None else 2.5,
                "interval_days": r[13] if r[13] is not None else 0,
                "due": iso_day(r[14]), "lapses": r[15] if r[15] is not None else 0,
                "leech": bool(r[16]), "suspended": bool(r[17]),
            }

    def reviews(self) -> Iterator[ReviewRecord]:
        """Every answer from ``since_day`` on, oldest first, one row at a time."""
        rows = self.conn.execute(
            f"""SELECT r.card_id, r.reviewed_at, r.utc_offset_min, r.phase, r.quality, r.correct,
                      r.response, {OPTIONS_SQL}, r.duration_ms, r.easiness, r.interval_days,
                      r.due_day, c.deck, c.source, c.fact, c.kind, c.prompt, c.citation, c.tags
               FROM reviews r JOIN cards c ON c.id = r.card_id
               WHERE r.profile = ? AND r.study_day >= ?
               ORDER BY r.reviewed_at, r.id""",
            [self.profile, self.since_day],
        )
        tags: dict[str, list[str]] = {}  # per card: its tags decoded once, not on every row
        for r in rows:
            card_tags = tags.get(r[0])
            if card_tags is None:
                card_tags = tags[r[0]] = json.loads(r[18])
            yield ReviewRecord(
                card_id=r[0], reviewed_at=iso_moment(r[1], r[2]), phase=r[3], quality=r[4],
                correct=bool(r[5]), response=r[6], options=json.loads(r[7]) if r[7] else [],
                duration_ms=r[8], easiness=round(r[9], 2), interval_days=r[10],
                due=iso_day(r[11]), deck=r[12], source=r[13], fact=r[14], kind=r[15],
                prompt=r[16], citation=r[17], tags=card_tags,
            )

    def flags(self) -> list[dict[str, Any]]:
        """The flags still standing, oldest first."""
        rows = self.conn.execute(
            "SELECT card_id, reason, flagged_at, utc_offset_min FROM flags"
            " WHERE profile = ? AND cleared_at IS NULL ORDER BY flagged_at, id",
            [self.profile],
        )
        return [
            {"card_id": r[0], "reason": r[1], "flagged_at": iso_moment(r[2], r[3])} for r in rows
        ]

    def summary(self) -> dict[str, Any]:
        """Counts over the exported reviews (counted answers: first of each card each day)."""
        total, days, first, last = self.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT study_day), MIN(study_day), MAX(study_day)"
            " FROM reviews WHERE profile = ? AND study_day >= ?",
            [self.profile, self.since_day],
        ).fetchone()
        counted, correct = self.conn.execute(
            """SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM reviews WHERE id IN (
                   SELECT MIN(id) FROM reviews
                   WHERE profile = ? AND study_day >= ? AND phase IN ('new', 'review')
                   GROUP BY card_id, study_day)""",
            [self.profile, self.since_day],
        ).fetchone()
        return {
            "reviews": total, "counted_answers": counted, "counted_correct": correct,
            "study_days": days, "first_day": iso_day(first), "last_day": iso_day(last),
        }


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction: every query inside sees the same state, even while others write."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written; this only ends the read
