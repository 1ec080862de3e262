"""The one code path that records an answer, and the one that marks it undone.

See docs/architecture.md (the path of one answer) and docs/rules.md (what is counted).

``record_answer``: grade → SM-2 → card state + review row, in one transaction that is committed
before it returns. Re-drill and practice answers are logged with the state unchanged. Lapses and
leeches follow ``core.rules``. ``mark_undone`` never deletes: the row stays, with ``undone_at``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ibdquiz.core.card import Card
from ibdquiz.core.queue import Phase
from ibdquiz.core.rules import is_correct, is_lapse, is_leech
from ibdquiz.core.sm2 import Sm2State, review
from ibdquiz.errors import UndoError
from ibdquiz.storage.connection import Database
from ibdquiz.storage.db import write_transaction
from ibdquiz.storage.lean import hash_ref, options_ref
from ibdquiz.storage.profiles import ensure_profile

STATE_COLUMNS = (
    "repetitions", "easiness", "interval_days", "due_day", "lapses", "leech", "suspended",
    "updated", "last_review_day",
)


@dataclass(frozen=True)
class Answered:
    """One answer to record: what was shown and what the learner did."""

    card: Card
    phase: Phase
    quality: int
    response: str
    duration_ms: int
    seed: int = 0
    options: tuple[str, ...] = ()
    correct_index: int | None = None
    response_index: int | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class Recorded:
    """What recording an answer did: the review row and the card's state after it."""

    review_id: int
    state: Sm2State
    due_day: int | None
    lapse: bool
    leech: bool


def load_state(db: Database, profile: str, card_id: str) -> dict[str, Any] | None:
    """A card's ``card_state`` row for ``profile`` (``None``: never touched): ``STATE_COLUMNS``
    and ``answers``, how many answers it was given (the seed of its options,
    docs/deck-format.md: a counter kept by a trigger on ``reviews``, not counted in the log)."""
    return next(
        db.query(
            f"SELECT {', '.join(STATE_COLUMNS)}, answers FROM card_state"
            " WHERE profile = ? AND card_id = ?",
            [profile, card_id],
        ),
        None,
    )


def record_answer(
    db: Database, profile: str, answer: Answered, *, reviewed_at_ms: int, offset_min: int,
    today: int,
) -> Recorded:
    """Record one answer (state update + review row) and commit it."""
    quality = answer.quality
    with write_transaction(db):
        ensure_profile(db, profile, now_ms=reviewed_at_ms)
        before = load_state(db, profile, answer.card.id)
        old = (
            Sm2State(before["repetitions"], before["easiness"], before["interval_days"])
            if before is not None
            else Sm2State()
        )
        old_due = before["due_day"] if before is not None else None
        lapses = before["lapses"] if before is not None else 0
        lapse = False
        if answer.phase.schedules:
            new = review(old, quality)
            due: int | None = today + new.interval
            lapse = is_lapse(quality, old.repetitions, answer.phase.value)
            lapses += lapse
            _save_state(db, profile, answer.card.id, new, due, lapses, today)
        else:
            review(old, quality)  # validates the grade the same way
            new, due = old, old_due
        cursor = db.execute(
            """INSERT INTO reviews (profile, card_id, session_id, reviewed_at, utc_offset_min,
                study_day, phase, kind, quality, correct, response, response_index, options_id,
                correct_index, seed, duration_ms, hash_id, repetitions_before, easiness_before,
                interval_before, due_before, repetitions, easiness, interval_days, due_day, lapse,
                days_late, state_before)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?, ?, ?)""",
            [
                profile, answer.card.id, answer.session_id, reviewed_at_ms, offset_min, today,
                answer.phase.value, answer.card.kind.value, quality,
                int(is_correct(quality)), answer.response, answer.response_index,
                options_ref(db, answer.options),  # stored once, by reference (storage.lean)
                answer.correct_index, answer.seed, max(0, answer.duration_ms),
                hash_ref(db, answer.card.content_hash), old.repetitions, old.easiness,
                old.interval, old_due,
                new.repetitions, new.easiness, new.interval, due, int(lapse),
                today - old_due if old_due is not None else None,
                _compact(before),
            ],
        )
        review_id = cursor.lastrowid
    if review_id is None:  # pragma: no cover - an INSERT always sets it
        raise RuntimeError("the review row got no id")
    return Recorded(review_id, new, due, lapse, is_leech(lapses))


def _compact(state: dict[str, Any] | None) -> str | None:
    """The state before an answer, for undo, as a short JSON array in ``STATE_COLUMNS`` order
    (a dict with its key names took 156 bytes a row; schema-2 rows keep that form)."""
    if state is None:
        return None
    return json.dumps([state[c] for c in STATE_COLUMNS], separators=(",", ":"))


def _expand(text: str | None) -> dict[str, Any] | None:
    """``_compact`` undone; a schema-2 row's dict passes as it is."""
    if not text:
        return None
    value = json.loads(text)
    return dict(zip(STATE_COLUMNS, value, strict=True)) if isinstance(value, list) else value


def _save_state(
    db: Database, profile: str, card_id: str, state: Sm2State, due: int | None, lapses: int,
    today: int,
) -> None:
    db.execute(
        """INSERT INTO card_state (profile, card_id, repetitions, easiness, interval_days, due_day,
               lapses, leech, updated, last_review_day)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
           ON CONFLICT (profile, card_id) DO UPDATE SET repetitions = excluded.repetitions,
               easiness = excluded.easiness, interval_days = excluded.interval_days,
               due_day = excluded.due_day, lapses = excluded.lapses, leech = excluded.leech,
               updated = 0, last_review_day = excluded.last_review_day""",
        [
            profile, card_id, state.repetitions, state.easiness, state.interval, due, lapses,
            int(is_leech(lapses)), today,
        ],
    )


def mark_undone(db: Database, review_id: int, *, now_ms: int) -> str | None:
    """Mark review ``review_id`` undone (its row stays) and put its card's state back.

    Returns the card id (``None`` for no such row, or a row already undone). Only the card's
    latest answer still standing can be undone (a later one, from another session or another
    ibdquiz, was scheduled from this one): ``UndoError`` otherwise, and nothing changes.
    Suspension is left as it is now (it is not part of what the answer changed), and so is an
    ``updated`` mark that a deck edit set after the answer: the card stays due, marked. The
    row's counters (``card_state.answers`` ...) are left alone: the answer was given.
    """
    with write_transaction(db):
        row = next(
            db.query(
                "SELECT profile, card_id, phase, state_before FROM reviews"
                " WHERE id = ? AND undone_at IS NULL",
                [review_id],
            ),
            None,
        )
        if row is None:
            return None
        profile, card_id = row["profile"], row["card_id"]
        later = next(
            db.query(
                "SELECT 1 AS found FROM reviews WHERE profile = ? AND card_id = ? AND id > ?"
                " AND undone_at IS NULL LIMIT 1",
                [profile, card_id, review_id],
            ),
            None,
        )
        if later is not None:
            raise UndoError(
                "this answer can no longer be undone: the card was answered again since "
                "(in another session or another ibdquiz); both answers stay recorded"
            )
        if Phase(row["phase"]).schedules:
            _restore_state(db, profile, card_id, row["state_before"])
        db.execute("UPDATE reviews SET undone_at = ? WHERE id = ?", [now_ms, review_id])
    return str(card_id)


def _restore_state(db: Database, profile: str, card_id: str, state_before: str | None) -> None:
    before = _expand(state_before)
    restore: dict[str, Any] = before or {
        "repetitions": 0, "easiness": 2.5, "interval_days": 0, "due_day": None,
        "lapses": 0, "leech": 0, "updated": 0, "last_review_day": None,
    }
    now = load_state(db, profile, card_id)
    if now is not None and now["updated"] and restore["due_day"] is not None:
        # The answer changed after this answer was given: keep the card due and marked.
        restore["updated"] = 1
        if now["due_day"] is not None:
            restore["due_day"] = min(restore["due_day"], now["due_day"])
    columns = [c for c in STATE_COLUMNS if c != "suspended"]
    db.execute(
        f"UPDATE card_state SET {', '.join(f'{c} = ?' for c in columns)}"
        " WHERE profile = ? AND card_id = ?",
        [*(restore[c] for c in columns), profile, card_id],
    )
