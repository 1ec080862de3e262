"""The synthetic history of ``review_latency.py``, written into ibdquiz's own tables.

Every stored card gets a ``card_state`` row (90%: in review, due uniform over [today - 60,
today + 300]) with ``reviews_per_card`` past answers each, inserted in time order as real use
would insert them; 10% stay new. Written with plain SQL into the real schema (the columns the
recording path fills), in one transaction, because recording a million answers one by one would
take most of an hour.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

DAY_MS = 86_400_000


def open_decks(store: Any, folder: Path) -> list[Any]:
    """The decks of ``folder`` as the study command finds them (unchanged ones not re-read)."""
    from ibdquiz.core.catalog import discover

    known = getattr(store, "known_deck", None)
    if known is not None:
        return list(discover([("bench", folder)], known=known).decks.values())
    return list(discover([("bench", folder)]).decks.values())


def fill_history(
    store: Any, profile: str, today: int, reviews_per_card: int, new_share: float, seed: int
) -> dict[str, Any]:
    """Card states and past reviews for every card of the store's database."""
    rng = random.Random(seed)
    path = store.path
    conn = sqlite3.connect(path)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(reviews)")}
    cards = conn.execute(
        "SELECT id, kind, answer, pool, content_hash FROM cards WHERE retired = 0"
        " ORDER BY deck, position"
    ).fetchall()
    reviewed = [card for card in cards if rng.random() >= new_share]
    states: list[tuple[Any, ...]] = []
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for card_id, kind, answer, pool, content_hash in reviewed:
        due = today + rng.randint(-60, 300)
        interval = max(1, min(365, due - today + rng.randint(30, 120)))
        last_day = due - interval
        distractors = [text for text, _tier in json.loads(pool)][:3]
        options = [answer, *distractors] if kind == "choice" else []
        for k in range(reviews_per_card):
            day = last_day - (reviews_per_card - 1 - k) * max(1, interval // 2)
            at = day * DAY_MS + 9 * 3_600_000 + rng.randint(0, 8 * 3_600_000)
            before = None if k == 0 else {
                "repetitions": k, "easiness": 2.5, "interval_days": interval, "due_day": day,
                "lapses": 0, "leech": 0, "suspended": 0, "updated": 0,
                "last_review_day": day - interval,
            }
            rows.append((at, (
                profile, card_id, at, day, "new" if k == 0 else "review", kind,
                answer if kind != "recall" else "", 0 if options else None,
                json.dumps(options, ensure_ascii=False) if options else None,
                0 if options else None, k, 4000, content_hash, k, 2.5,
                interval if k else 0, day if k else None, k + 1, 2.5, interval, day + interval,
                0 if k else None, _state_text(before),
            )))
        states.append((profile, card_id, reviews_per_card, 2.5, interval, due, last_day))
    rows.sort(key=lambda pair: pair[0])
    with conn:
        conn.executemany(
            "INSERT INTO card_state (profile, card_id, repetitions, easiness, interval_days,"
            " due_day, last_review_day) VALUES (?, ?, ?, ?, ?, ?, ?)",
            states,
        )
        writer = _review_writer(conn, columns)
        writer([values for _at, values in rows])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"cards": len(cards), "reviews": len(rows), "new_cards": len(cards) - len(reviewed)}


def _state_text(state: dict[str, Any] | None) -> str | None:
    """``state_before`` as the recording path writes it (schema 3: a short array)."""
    if state is None:
        return None
    try:
        from ibdquiz.storage.reviews import STATE_COLUMNS, _compact  # noqa: F401
    except ImportError:  # before schema 3: the dict
        return json.dumps(state)
    return json.dumps([state[c] for c in STATE_COLUMNS], separators=(",", ":"))


def _review_writer(conn: sqlite3.Connection, columns: set[str]) -> Any:
    if "options_id" in columns:  # schema 3: options and hashes stored once (storage.lean)
        return _lean_writer(conn)
    base = (
        "profile, card_id, reviewed_at, study_day, phase, kind, response, response_index,"
        " options, correct_index, seed, duration_ms, card_hash, repetitions_before,"
        " easiness_before, interval_before, due_before, repetitions, easiness, interval_days,"
        " due_day, days_late, state_before"
    )

    def write(rows: list[tuple[Any, ...]]) -> None:
        conn.executemany(
            f"INSERT INTO reviews ({base}, utc_offset_min, quality, correct)"
            f" VALUES ({', '.join('?' * 23)}, 0, 4, 1)",
            rows,
        )

    return write


def _lean_writer(conn: sqlite3.Connection) -> Any:
    refs: dict[tuple[str, str], int] = {}

    def ref(table: str, column: str, value: str | None) -> int | None:
        if not value:
            return None
        found = refs.get((table, value))
        if found is None:
            cursor = conn.execute(f"INSERT INTO {table} ({column}) VALUES (?)", [value])
            found = refs[(table, value)] = int(cursor.lastrowid or 0)
        return found

    def write(rows: list[tuple[Any, ...]]) -> None:
        lean = [
            (*row[:8], ref("option_sets", "options", row[8]), *row[9:12],
             ref("content_hashes", "hash", row[12]), *row[13:23])
            for row in rows
        ]
        conn.executemany(
            "INSERT INTO reviews (profile, card_id, reviewed_at, study_day, phase, kind,"
            " response, response_index, options_id, correct_index, seed, duration_ms, hash_id,"
            " repetitions_before, easiness_before, interval_before, due_before, repetitions,"
            " easiness, interval_days, due_day, days_late, state_before, utc_offset_min,"
            f" quality, correct) VALUES ({', '.join('?' * 23)}, 0, 4, 1)",
            lean,
        )

    return write
