"""Profiles and their settings: a learner has a name, a display name and a random learner_id."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ibdquiz.storage.connection import Database
from ibdquiz.storage.rows import Profile, Settings


def ensure_profile(db: Database, name: str, *, now_ms: int) -> None:
    """Create profile ``name`` with a fresh random ``learner_id`` if it does not exist.

    Profiles are never deleted, so one found is remembered on the connection (``db.seen``):
    every answer checks, and only the first reads.
    """
    if profile_exists(db, name):
        return  # the usual case: no UUID made, nothing written
    db.execute(
        "INSERT OR IGNORE INTO profiles (name, display_name, learner_id, created_at)"
        " VALUES (?, NULL, ?, ?)",
        [name, str(uuid.uuid4()), now_ms],
    )


def profile_exists(db: Database, name: str) -> bool:
    """True once profile ``name`` was created (remembered on the connection: never deleted)."""
    if ("profiles", name) in db.seen:
        return True
    if db.execute("SELECT 1 FROM profiles WHERE name = ?", [name]).fetchone() is None:
        return False
    db.seen[("profiles", name)] = 1
    return True


def read_profile(db: Database, name: str) -> Profile | None:
    """Profile ``name``, or ``None`` if it was never created."""
    row = next(
        db.query("SELECT name, display_name, learner_id FROM profiles WHERE name = ?", [name]),
        None,
    )
    if row is None:
        return None
    return Profile(row["name"], row["display_name"], row["learner_id"])


def read_settings(db: Database, profile: str) -> Settings:
    """A profile's settings, defaults for anything not set."""
    values: dict[str, Any] = {
        row["key"]: json.loads(row["value"])
        for row in db.query("SELECT key, value FROM settings WHERE profile = ?", [profile])
    }
    defaults = Settings()
    return Settings(
        theme=str(values.get("theme", defaults.theme)),
        new_per_day=int(values.get("new_per_day", defaults.new_per_day)),
        day_start_hour=int(values.get("day_start_hour", defaults.day_start_hour)),
        keymap={str(k): str(v) for k, v in dict(values.get("keymap", {})).items()},
        review_limit=int(values.get("review_limit", defaults.review_limit)),
        auto_advance_ms=int(values.get("auto_advance_ms", defaults.auto_advance_ms)),
    )


def write_settings(db: Database, profile: str, settings: Settings) -> None:
    """Store every setting of ``profile`` (inside a transaction that ensured the profile)."""
    if not 0 <= settings.day_start_hour <= 23:
        raise ValueError("the day start hour must be from 0 to 23")
    if settings.new_per_day < 0:
        raise ValueError("new cards per day cannot be negative")
    if settings.review_limit < 0 or settings.auto_advance_ms < 0:
        raise ValueError("the review limit and the auto-advance delay cannot be negative")
    for key, value in (
        ("theme", settings.theme),
        ("new_per_day", settings.new_per_day),
        ("day_start_hour", settings.day_start_hour),
        ("keymap", settings.keymap),
        ("review_limit", settings.review_limit),
        ("auto_advance_ms", settings.auto_advance_ms),
    ):
        db.execute(
            "INSERT INTO settings (profile, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (profile, key) DO UPDATE SET value = excluded.value",
            [profile, key, json.dumps(value)],
        )
