"""``Store``: the one object the TUI, the CLI and the reports open the database through."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from ibdquiz.core.cards import Card
from ibdquiz.core.clock import Clock, study_day, system_clock
from ibdquiz.core.model import Deck
from ibdquiz.errors import DatabaseError
from ibdquiz.storage import browse, profiles, stats
from ibdquiz.storage.cardrows import CARD_COLUMNS, row_to_card
from ibdquiz.storage.db import open_database, translate_errors, write_transaction
from ibdquiz.storage.rows import CardRow, DeckCounts, Profile, ReviewRow, Settings, SyncReport
from ibdquiz.storage.sync import sync_decks

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
P = ParamSpec("P")
R = TypeVar("R")


def utc_ms(moment: datetime) -> int:
    """An aware moment as UTC milliseconds since 1970, exactly."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def offset_minutes(moment: datetime) -> int:
    """The moment's offset from UTC in minutes (what a review stores beside its UTC time)."""
    offset = moment.utcoffset()
    return offset // timedelta(minutes=1) if offset is not None else 0


def _guarded(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Turn SQLite failures of a ``Store`` method into one-line ``DatabaseError``."""

    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with translate_errors(self.path):
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class Store:
    """An open ibdquiz database: profiles, settings, decks and cards, card state, reviews."""

    def __init__(self, db: Database, path: Path, clock: Clock = system_clock) -> None:
        self.db = db
        self.path = path
        self.clock = clock
        self._synced: dict[str, Card] | None = None

    @classmethod
    def open(cls, path: Path, *, create: bool = True, clock: Clock = system_clock) -> Store:
        """Open (creating it when ``create``) the database at ``path``; refuse a foreign file."""
        db = open_database(path, create=create)
        if db is None:
            raise DatabaseError(f"there is no ibdquiz database at {path} yet")
        return cls(db, path, clock)

    @classmethod
    def open_existing(cls, path: Path, *, clock: Clock = system_clock) -> Store | None:
        """Open the database at ``path`` if it exists, to read it; never creates a file.

        A file (or folder) this process cannot write is opened read-only rather than refused.
        """
        db = open_database(path, create=False, writable=False)
        return cls(db, path, clock) if db is not None else None

    def reader(self) -> Store:
        """Another connection to this file for a worker thread (SQLite connections stay in the
        thread that made them); it sees the same decks. Open it in the thread that uses it."""
        other = Store.open(self.path, create=False, clock=self.clock)
        other._synced = self._synced
        return other

    def close(self) -> None:
        """Close the connection (every answer is already committed)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The clock's current moment (aware)."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        return moment

    @contextlib.contextmanager
    def _writing(self, profile: str) -> Iterator[datetime]:
        """A write transaction for ``profile`` (created if missing); yields the moment now."""
        moment = self.now()
        with write_transaction(self.db):
            profiles.ensure_profile(self.db, profile, now_ms=utc_ms(moment))
            yield moment

    @_guarded
    def today(self, profile: str = "default") -> int:
        """The study day now, with the profile's day start hour."""
        return study_day(self.now(), self.settings(profile).day_start_hour)

    # -- profiles and settings ------------------------------------------------------------------

    @_guarded
    def profile(self, name: str = "default") -> Profile:
        """Profile ``name``, created with a random ``learner_id`` if missing."""
        found = profiles.read_profile(self.db, name)
        if found is not None:
            return found
        with self._writing(name):
            pass
        created = profiles.read_profile(self.db, name)
        if created is None:  # pragma: no cover - it was just inserted
            raise DatabaseError(f"could not create the profile {name!r} in {self.path}")
        return created

    @_guarded
    def find_profile(self, name: str = "default") -> Profile | None:
        """Profile ``name`` if it exists (creates nothing)."""
        return profiles.read_profile(self.db, name)

    @_guarded
    def set_display_name(self, profile: str, display_name: str) -> None:
        """Set the name exports show for ``profile`` (created if missing)."""
        with self._writing(profile):
            self.db.execute(
                "UPDATE profiles SET display_name = ? WHERE name = ?", [display_name, profile]
            )

    @_guarded
    def settings(self, profile: str = "default") -> Settings:
        """The profile's settings (defaults where unset)."""
        return profiles.read_settings(self.db, profile)

    @_guarded
    def save_settings(self, profile: str, settings: Settings) -> None:
        """Store the profile's settings."""
        with self._writing(profile):
            profiles.write_settings(self.db, profile, settings)

    # -- decks and cards ----------------------------------------------------------------------

    @_guarded
    def sync_decks(self, decks: Sequence[Deck]) -> SyncReport:
        """Store the decks' cards (see ``storage.sync``); later ``cards()`` returns these decks'."""
        moment = self.now()
        today_by_profile = {
            row["name"]: study_day(
                moment, profiles.read_settings(self.db, row["name"]).day_start_hour
            )
            for row in self.db.query("SELECT name FROM profiles")
        }
        with write_transaction(self.db):
            report = sync_decks(
                self.db, decks, now_ms=utc_ms(moment), today_by_profile=today_by_profile
            )
        deck_ids = [deck.id for deck in decks]
        self._synced = self._load_cards(deck_ids)
        return report

    @_guarded
    def retire_deck(self, deck_id: str) -> int:
        """Retire every active card of a removed deck (history stays); how many were retired."""
        with write_transaction(self.db):
            cursor = self.db.execute(
                "UPDATE cards SET retired = 1, updated_at = ? WHERE deck = ? AND retired = 0",
                [utc_ms(self.now()), deck_id],
            )
        return int(cursor.rowcount)

    def _load_cards(self, deck_ids: Sequence[str] | None) -> dict[str, Card]:
        sql = f"SELECT {', '.join(CARD_COLUMNS)} FROM cards WHERE retired = 0"
        params: list[Any] = []
        if deck_ids is not None:
            sql += f" AND deck IN ({', '.join('?' * len(deck_ids))})"
            params = list(deck_ids)
        sql += " ORDER BY deck, position"
        return {row["id"]: row_to_card(row) for row in self.db.query(sql, params)}

    @_guarded
    def cards(self) -> dict[str, Card]:
        """Active cards in deck order: those of the last synced decks, or all stored ones."""
        if self._synced is None:
            return self._load_cards(None)
        return dict(self._synced)

    @_guarded
    def positions(self) -> dict[str, int]:
        """Each active card's position in its deck."""
        return {
            row["id"]: row["position"]
            for row in self.db.query("SELECT id, position FROM cards WHERE retired = 0")
        }

    @_guarded
    def deck_counts(self, profile: str, today: int) -> list[DeckCounts]:
        """Per deck: due today, new, total active cards, and the last day studied."""
        return browse.deck_counts(self.db, profile, today, self._deck_scope())

    def _deck_scope(self) -> list[str] | None:
        if self._synced is None:
            return None
        return sorted({card.deck for card in self._synced.values()})

    @_guarded
    def next_due_day(self, profile: str) -> int | None:
        """The earliest due day of the profile's active, unsuspended cards."""
        row = next(
            self.db.query(
                "SELECT MIN(s.due_day) AS day FROM card_state s JOIN cards c ON c.id = s.card_id"
                " WHERE s.profile = ? AND c.retired = 0 AND s.suspended = 0",
                [profile],
            )
        )
        return row["day"] if row["day"] is not None else None

    @_guarded
    def study_stats(self, profile: str, days: int = stats.WINDOW_DAYS) -> stats.StudyStats:
        """Everything the stats screen shows, on the profile's study day now."""
        return stats.study_stats(self.db, profile, self.today(profile), days)

    # -- suspend and flag ---------------------------------------------------------------------

    @_guarded
    def suspend(self, profile: str, card_id: str) -> None:
        """Keep a card out of every queue until unsuspended."""
        self._set_suspended(profile, card_id, True)

    @_guarded
    def unsuspend(self, profile: str, card_id: str) -> None:
        """Let a suspended card come back."""
        self._set_suspended(profile, card_id, False)

    def _set_suspended(self, profile: str, card_id: str, value: bool) -> None:
        with self._writing(profile):
            self.db.execute(
                "INSERT INTO card_state (profile, card_id, suspended) VALUES (?, ?, ?)"
                " ON CONFLICT (profile, card_id) DO UPDATE SET suspended = excluded.suspended",
                [profile, card_id, int(value)],
            )

    @_guarded
    def flag(self, profile: str, card_id: str, reason: str = "") -> None:
        """Flag a card with a reason (empty is fine) for the program director."""
        with self._writing(profile) as moment:
            self.db.execute(
                "INSERT INTO flags (profile, card_id, reason, flagged_at, utc_offset_min)"
                " VALUES (?, ?, ?, ?, ?)",
                [profile, card_id, reason.strip(), utc_ms(moment), offset_minutes(moment)],
            )

    @_guarded
    def unflag(self, profile: str, card_id: str) -> None:
        """Clear a card's standing flags (they stay in the table, with when they were cleared)."""
        self.db.execute(
            "UPDATE flags SET cleared_at = ?"
            " WHERE profile = ? AND card_id = ? AND cleared_at IS NULL",
            [utc_ms(self.now()), profile, card_id],
        )

    # -- browse -------------------------------------------------------------------------------

    @_guarded
    def search_cards(
        self, profile: str, text: str = "", deck: str | None = None, tag: str | None = None,
        state: str | None = None,
    ) -> list[CardRow]:
        """Cards matching all the given criteria (retired ones only when ``state='retired'``)."""
        return browse.search_cards(
            self.db, profile, self.today(profile), text=text, deck=deck, tag=tag, state=state
        )

    @_guarded
    def card_history(self, profile: str, card_id: str) -> list[ReviewRow]:
        """Every answer of a card, oldest first."""
        return browse.card_history(self.db, profile, card_id)
