"""Read-only queries over one profile's history, for the exports (docs/rules.md).

Nothing here writes. Reviews come from a cursor, one row at a time, so an export's memory does
not grow with the number of answers. Times are stored as UTC milliseconds with the local offset
in minutes; they are given back as ISO 8601 with that offset (the offset in force at the answer).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR, day_to_date
from ibdquiz.storage.lean import HASH_SQL, OPTIONS_SQL

COUNTED_PHASES = ("new", "review")


_DAY_MS = 86_400_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@functools.lru_cache(maxsize=4096)
def _date_text(days: int) -> str:
    """Days since 1970-01-01 as ``YYYY-MM-DD`` (one date object per distinct day, cached)."""
    return date.fromordinal(_EPOCH_ORDINAL + days).isoformat()


def iso_moment(utc_ms: int, offset_min: int) -> str:
    """UTC milliseconds shown in the local offset: ``2025-01-06T19:00:05.250+01:00``.

    Plain integer arithmetic (the same text as ``datetime.isoformat(timespec="milliseconds")``):
    an export of a million answers makes no datetime object per answer.
    """
    days, in_day = divmod(utc_ms + offset_min * 60_000, _DAY_MS)
    hours, rest = divmod(in_day, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    sign = "-" if offset_min < 0 else "+"
    off_h, off_m = divmod(abs(offset_min), 60)
    return (f"{_date_text(days)}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
            f"{sign}{off_h:02d}:{off_m:02d}")


def iso_moment_or_none(utc_ms: int | None, offset_min: int) -> str | None:
    """``iso_moment``, with ``None`` (never happened) kept as ``None``."""
    return None if utc_ms is None else iso_moment(utc_ms, offset_min)


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
class CardFacts:
    """What an export repeats of a card on each CSV row (read once per card, not per answer)."""

    deck: str
    source: str
    fact: str
    kind: str
    prompt: str
    citation: str
    tags: list[str]


ReviewRow = tuple[Any, ...]
"""A plain review row for the CSV: card id, UTC ms, offset (min), phase, quality, correct,
response, duration ms, easiness, interval days, due day (``None``: none)."""


class History:
    """One profile's decks, cards, reviews (from ``since_day`` on) and flags, read-only.

    Every read of the database the exports make is a method here, so a change in how reviews
    are stored (options by reference, say) touches this class only.
    """

    def __init__(self, conn: sqlite3.Connection, profile: str, since_day: int | None = None):
        self.conn = conn
        self.profile = profile
        self.since_day = since_day if since_day is not None else -(10**9)
        self._columns: dict[str, set[str]] = {}

    def _has(self, table: str, column: str) -> bool:
        """Whether ``table`` has ``column`` (a database of an older schema may lack it)."""
        names = self._columns.get(table)
        if names is None:
            names = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            self._columns[table] = names
        return column in names

    def _col(self, table: str, alias: str, column: str) -> str:
        """``alias.column``, or ``NULL`` where the column does not exist."""
        return f"{alias}.{column}" if self._has(table, column) else "NULL"

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
            f"""SELECT c.id, c.deck, c.source, c.fact, c.kind, c.prompt, c.answer, c.citation,
                      c.label, c.tags, c.retired, s.repetitions, s.easiness, s.interval_days,
                      s.due_day, s.lapses, s.leech, s.suspended, c.content_hash,
                      {self._col("cards", "c", "via")}
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
                "content_hash": r[18], "via": r[19],
            }

    def card_facts(self) -> dict[str, CardFacts]:
        """The CSV's per-card columns for every card this profile answered (one query)."""
        rows = self.conn.execute(
            """SELECT id, deck, source, fact, kind, prompt, citation, tags FROM cards
               WHERE id IN (SELECT DISTINCT card_id FROM reviews WHERE profile = ?)""",
            [self.profile],
        )
        return {
            r[0]: CardFacts(r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows
        }

    def csv_rows(
        self, cell: Callable[[str], str], learner: str, profile: str
    ) -> Iterator[tuple[Any, ...]]:
        """The CSV export's rows, oldest first, ready to write: one query, formatted by SQLite.

        Times, days and easiness are formatted by SQLite with integer arithmetic (the same text
        as ``iso_moment`` and ``iso_day``: no datetime object per answer). Each card's columns
        come from a card map built once in the query (neutralised, tags joined; one index probe
        per answer, no query per answer). Only a text that starts like a spreadsheet formula is
        handed to ``cell`` (the neutraliser), so a million rows make no Python call each.
        ``learner``/``profile`` are written as given (already neutralised). The rows come in
        the order of the ``reviews_time`` index (no sort).
        """
        self.conn.create_function("ibdquiz_cell", 1, cell, deterministic=True)

        def text(column: str) -> str:
            return (f"CASE WHEN substr({column}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))"
                    f" THEN ibdquiz_cell({column}) ELSE {column} END")

        local = "(r.reviewed_at + r.utc_offset_min * 60000)"
        moment = (
            f"strftime('%Y-%m-%dT%H:%M:%S', {local} / 1000, 'unixepoch')"
            f" || printf('.%03d%s%02d:%02d', {local} % 1000,"
            " CASE WHEN r.utc_offset_min < 0 THEN '-' ELSE '+' END,"
            " abs(r.utc_offset_min) / 60, abs(r.utc_offset_min) % 60)"
        )
        cards = f"""cm AS MATERIALIZED (
            SELECT c.id AS id, {text("c.deck")} AS deck, {text("c.source")} AS source,
                   {text("c.fact")} AS fact, {text("c.id")} AS card, c.kind AS kind,
                   {text("c.citation")} AS citation,
                   CASE WHEN c.tags IS NULL OR c.tags = '[]' THEN ''
                        ELSE {text("(SELECT group_concat(value, ';') FROM json_each(c.tags))")}
                   END AS tags, {text("c.prompt")} AS prompt
            FROM cards c
            WHERE c.id IN (SELECT DISTINCT card_id FROM reviews WHERE profile = :who))"""
        return self.conn.execute(
            f"""WITH {cards}
               SELECT :learner, :profile, {moment}, COALESCE(cm.deck, ''),
                      COALESCE(cm.source, ''), COALESCE(cm.fact, ''),
                      COALESCE(cm.card, {text("r.card_id")}), COALESCE(cm.kind, r.kind),
                      r.quality, r.correct, {text("r.response")}, r.duration_ms,
                      printf('%.2f', r.easiness), r.interval_days,
                      CASE WHEN r.due_day IS NULL THEN ''
                           ELSE date(r.due_day * 86400, 'unixepoch') END,
                      COALESCE(cm.citation, ''), COALESCE(cm.tags, ''), r.phase,
                      COALESCE(cm.prompt, '')
               FROM reviews r LEFT JOIN cm ON cm.id = r.card_id
               WHERE r.profile = :who AND +r.study_day >= :since
               ORDER BY r.reviewed_at, r.id""",
            {"learner": learner, "profile": profile, "who": self.profile,
             "since": self.since_day},
        )

    def review_rows(self) -> Iterator[ReviewRow]:
        """Plain review rows from ``since_day`` on, oldest first (no join, no decoding)."""
        return self.conn.execute(
            """SELECT card_id, reviewed_at, utc_offset_min, phase, quality, correct, response,
                      duration_ms, easiness, interval_days, due_day
               FROM reviews WHERE profile = ? AND +study_day >= ?
               ORDER BY reviewed_at, id""",
            [self.profile, self.since_day],
        )

    def reviews(self) -> Iterator[dict[str, Any]]:
        """Every answer from ``since_day`` on, oldest first, as a JSON export's entry."""
        undone = self._col("reviews", "r", "undone_at")
        rows = self.conn.execute(
            f"""SELECT r.card_id, r.reviewed_at, r.utc_offset_min, r.phase, r.quality, r.correct,
                      r.response, {OPTIONS_SQL}, r.duration_ms, r.easiness, r.interval_days,
                      r.due_day, {undone}, {HASH_SQL}, r.response_index, r.correct_index
               FROM reviews r
               WHERE r.profile = ? AND +r.study_day >= ?
               ORDER BY r.reviewed_at, r.id""",
            [self.profile, self.since_day],
        )
        for r in rows:
            yield {
                "card_id": r[0], "reviewed_at": iso_moment(r[1], r[2]), "phase": r[3],
                "quality": r[4], "correct": bool(r[5]), "response": r[6],
                "options": json.loads(r[7]) if r[7] else [], "duration_ms": r[8],
                "easiness": round(r[9], 2), "interval_days": r[10], "due": iso_day(r[11]),
                "undone_at": iso_moment_or_none(r[12], r[2]), "card_hash": r[13] or None,
                "response_index": r[14], "correct_index": r[15],
            }

    def flags(self) -> list[dict[str, Any]]:
        """The flags still standing, oldest first."""
        extra = ", ".join(self._col("flags", "f", c) for c in ("options", "context", "card_hash"))
        rows = self.conn.execute(
            f"SELECT f.card_id, f.reason, f.flagged_at, f.utc_offset_min, {extra} FROM flags f"
            " WHERE f.profile = ? AND f.cleared_at IS NULL ORDER BY f.flagged_at, f.id",
            [self.profile],
        )
        return [
            {"card_id": r[0], "reason": r[1], "flagged_at": iso_moment(r[2], r[3]),
             "options": json.loads(r[4]) if r[4] else None, "context": r[5],
             "card_hash": r[6]}
            for r in rows
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
