"""``Store``: the one object the TUI, the CLI and the reports open the database through."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ibdquiz.core.card import Card
from ibdquiz.core.catalog import KnownDeck
from ibdquiz.core.clock import Clock, study_day, system_clock
from ibdquiz.core.model import Deck
from ibdquiz.core.queue import SessionFilters, TodayPlan
from ibdquiz.core.rules import scheduled_sql
from ibdquiz.core.sm2 import Sm2State
from ibdquiz.errors import DatabaseError
from ibdquiz.storage import browse, planning, profiles, reviews, sync

if TYPE_CHECKING:  # storage.stats loads with the first stats call: studying never needs it
    from ibdquiz.storage import stats as stats_queries
from ibdquiz.storage.cardrows import CARD_COLUMNS, row_to_card
from ibdquiz.storage.connection import Database
from ibdquiz.storage.db import (
    backup_to,
    full_check,
    open_database,
    record_check,
    translate_errors,
    write_transaction,
)
from ibdquiz.storage.lean import NoteText, decode_note_ids, note_texts
from ibdquiz.storage.reviews import Answered, Recorded
from ibdquiz.storage.rows import (
    CardDraw,
    CardRow,
    DeckCounts,
    Profile,
    ReviewRow,
    SessionReview,
    Settings,
    SyncReport,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utc_ms(moment: datetime) -> int:
    """An aware moment as UTC milliseconds since 1970, exactly."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def offset_minutes(moment: datetime) -> int:
    """The moment's offset from UTC in minutes (what a review stores beside its UTC time)."""
    offset = moment.utcoffset()
    return offset // timedelta(minutes=1) if offset is not None else 0


class Store:
    """An open ibdquiz database: profiles, settings, decks and cards, card state, reviews.

    The sqlite-utils ``Database`` is private to ``storage/``: every read goes through
    ``reading()`` and every write through ``writing()`` (``BEGIN IMMEDIATE``), and both turn
    an SQLite failure into one ``DatabaseError`` line.
    """

    def __init__(self, db: Database, path: Path, clock: Clock = system_clock) -> None:
        self._db = db
        self.path = path
        self.clock = clock
        self._scope: list[str] | None = None
        self._settings: dict[str, Settings] = {}
        self._deck_files: dict[str, sync.StoredFile] | None = None
        self._settled: sync.Settled = {}
        """Deck files whose sha256 matched again since the last sync (``sync.known_deck``)."""
        self._notes: dict[int, NoteText] = {}  # note_texts rows never change: read each once

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
        other._scope = self.deck_scope()
        return other

    def close(self) -> None:
        """Close the connection (every answer is already committed)."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one way in -------------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[Database]:
        """The database for reads; an SQLite failure inside becomes one ``DatabaseError``."""
        with translate_errors(self.path):
            yield self._db

    @contextlib.contextmanager
    def writing(self) -> Iterator[Database]:
        """A write transaction (``BEGIN IMMEDIATE``: the busy timeout applies), errors translated.

        Nested ``writing()`` blocks join the outer transaction; it commits when the outermost
        block ends and rolls back if anything inside raises.
        """
        with translate_errors(self.path), write_transaction(self._db):
            yield self._db

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction on the raw connection (exports): a consistent view, read only."""
        with translate_errors(self.path):
            conn = self._db.conn
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")  # nothing was written; this only ends the read

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
        with self.writing() as db:
            profiles.ensure_profile(db, profile, now_ms=utc_ms(moment))
            yield moment

    def today(self, profile: str = "default") -> int:
        """The study day now, with the profile's day start hour (settings are cached)."""
        return study_day(self.now(), self.settings(profile).day_start_hour)

    # -- profiles and settings ------------------------------------------------------------------

    def profile(self, name: str = "default") -> Profile:
        """Profile ``name``, created with a random ``learner_id`` if missing."""
        with self.reading() as db:
            found = profiles.read_profile(db, name)
        if found is not None:
            return found
        with self._writing(name):
            pass
        with self.reading() as db:
            created = profiles.read_profile(db, name)
        if created is None:  # pragma: no cover - it was just inserted
            raise DatabaseError(f"could not create the profile {name!r} in {self.path}")
        return created

    def find_profile(self, name: str = "default") -> Profile | None:
        """Profile ``name`` if it exists (creates nothing)."""
        with self.reading() as db:
            return profiles.read_profile(db, name)

    def set_display_name(self, profile: str, display_name: str) -> None:
        """Set the name exports show for ``profile`` (created if missing)."""
        with self._writing(profile):
            self._db.execute(
                "UPDATE profiles SET display_name = ? WHERE name = ?", [display_name, profile]
            )

    def settings(self, profile: str = "default") -> Settings:
        """The profile's settings (defaults where unset), read once and then cached.

        Settings saved by another ibdquiz process show here after this store is reopened.
        """
        cached = self._settings.get(profile)
        if cached is None:
            with self.reading() as db:
                cached = self._settings[profile] = profiles.read_settings(db, profile)
        return cached

    def save_settings(self, profile: str, settings: Settings) -> None:
        """Store the profile's settings."""
        with self._writing(profile):
            profiles.write_settings(self._db, profile, settings)
        self._settings[profile] = settings

    # -- decks and cards ----------------------------------------------------------------------

    def known_deck(self, path: Path) -> KnownDeck | None:
        """The deck stored from ``path`` if the file is unchanged since its last full sync.

        Unchanged: same size and modification time (then, when the time moved or is too close
        to the sync to trust, the same sha256). The catalog calls this before parsing a file
        (``core.catalog.discover(..., known=store.known_deck)``); ``None`` means parse it.
        """
        if self._deck_files is None:
            with self.reading() as db:
                self._deck_files = sync.stored_files(db)
        return sync.known_deck(self._deck_files, path, self._settled)

    def sync_decks(self, decks: Sequence[Deck]) -> SyncReport:
        """Store the decks' cards (see ``storage.sync``); later ``cards()`` returns these decks'.

        A ``KnownDeck`` (unchanged file) is skipped; a changed deck is written in short
        transactions, so no answer waits long for the write lock.
        """
        moment = self.now()
        with self.reading() as db:
            names = [row["name"] for row in db.query("SELECT name FROM profiles")]
        today_by_profile = {name: self.today(name) for name in names}
        report = sync.sync_decks(
            self, decks, now_ms=utc_ms(moment), today_by_profile=today_by_profile,
            settled=self._settled,
        )
        self._deck_files = None
        self._settled = {}
        self._scope = sorted({deck.id for deck in decks})
        return report

    def retire_deck(self, deck_id: str) -> int:
        """Retire every active card of a removed deck (history stays); how many were retired."""
        with self.writing() as db:
            cursor = db.execute(
                "UPDATE cards SET retired = 1, updated_at = ? WHERE deck = ? AND retired = 0",
                [utc_ms(self.now()), deck_id],
            )
        return int(cursor.rowcount)

    def deck_scope(self) -> list[str] | None:
        """The deck ids of the last ``sync_decks`` (``None``: every stored deck)."""
        return None if self._scope is None else list(self._scope)

    def cards(self) -> StoredCards:
        """Active cards in deck order (the last synced decks', or all), loaded when looked up."""
        return StoredCards(self, self.deck_scope())

    def card_rows(self, card_ids: Sequence[str], *, active: bool = False) -> dict[str, Card]:
        """The stored cards with these ids (only the active ones when ``active``), by id."""
        records = self.card_records(card_ids, active=active)
        self._read_notes(records.values())  # one query for the whole batch's notes
        return {card_id: row_to_card(row, self._notes) for card_id, row in records.items()}

    def card_records(
        self, card_ids: Sequence[str], *, active: bool = False
    ) -> dict[str, dict[str, Any]]:
        """The ``cards`` rows of these ids (``card_from_record`` builds each card, reading its
        notes): reading rows is cheap and building cards is not, so a batch can be read ahead
        without one answer paying for it."""
        found: dict[str, dict[str, Any]] = {}
        with self.reading() as db:
            for start in range(0, len(card_ids), 500):
                chunk = list(card_ids[start:start + 500])
                sql = (f"SELECT {', '.join(CARD_COLUMNS)} FROM cards"
                       f" WHERE id IN ({', '.join('?' * len(chunk))})"
                       + (" AND retired = 0" if active else ""))
                for row in db.query(sql, chunk):
                    found[row["id"]] = row
        return found

    def card_from_record(self, row: dict[str, Any]) -> Card:
        """The card of a row ``card_records`` returned (its teaching notes read if needed)."""
        self._read_notes((row,))
        return row_to_card(row, self._notes)

    def _read_notes(self, rows: Iterable[dict[str, Any]]) -> None:
        """Read the teaching notes these card rows name that are not read yet (kept: a note's
        row never changes)."""
        notes = self._notes
        wanted = {i for row in rows for i in decode_note_ids(row["notes"]) if i not in notes}
        if wanted:
            with self.reading() as db:
                notes.update(note_texts(db, wanted))

    def card_ids(self, scope: Sequence[str] | None) -> list[str]:
        """Active card ids of the decks in ``scope`` (``None``: all), in deck order."""
        sql, params = _scoped("SELECT id FROM cards WHERE retired = 0", scope)
        with self.reading() as db:
            return [row["id"] for row in db.query(sql + " ORDER BY deck, position", params)]

    def positions(self) -> dict[str, int]:
        """Each active card's position in its deck."""
        with self.reading() as db:
            return {
                row["id"]: row["position"]
                for row in db.query("SELECT id, position FROM cards WHERE retired = 0")
            }

    def deck_counts(self, profile: str, today: int) -> list[DeckCounts]:
        """Per deck: due today, new, total active cards, and the last day studied."""
        with self.reading() as db:
            return browse.deck_counts(db, profile, today, self.deck_scope())

    def next_due_day(self, profile: str) -> int | None:
        """The earliest due day of the profile's active, unsuspended cards."""
        with self.reading() as db:
            row = next(
                db.query(  # the due-day index in order, from the earliest (schema 5)
                    f"SELECT s.due_day AS day FROM card_state s WHERE s.profile = ?"
                    f" AND {scheduled_sql(card=None)} ORDER BY s.due_day LIMIT 1",
                    [profile],
                ),
                {"day": None},
            )
        return row["day"] if row["day"] is not None else None

    def stats(self, profile: str, decks: Iterable[Deck] = ()) -> stats_queries.Stats:
        """What ``ibdquiz stats`` shows, on the profile's study day now (``decks``: see
        ``storage.stats.collect_stats``)."""
        from ibdquiz.storage import stats as stats_queries

        today = self.today(profile)
        with self.reading() as db:
            return stats_queries.collect_stats(db, profile, today, decks)

    def study_stats(self, profile: str, days: int | None = None) -> stats_queries.StudyStats:
        """Everything the stats screen shows, on the profile's study day now (``days``: the
        window, ``storage.stats.WINDOW_DAYS`` by default)."""
        from ibdquiz.storage import stats as stats_queries

        today = self.today(profile)
        with self.reading() as db:
            return stats_queries.study_stats(
                db, profile, today, stats_queries.WINDOW_DAYS if days is None else days
            )

    # -- suspend and flag ---------------------------------------------------------------------

    def is_suspended(self, profile: str, card_id: str) -> bool:
        """True when the card is suspended for ``profile``."""
        with self.reading() as db:
            row = next(
                db.query(
                    "SELECT suspended FROM card_state WHERE profile = ? AND card_id = ?",
                    [profile, card_id],
                ),
                None,
            )
        return bool(row and row["suspended"])

    def card_tags(self, deck_ids: Sequence[str]) -> set[str]:
        """Every tag of the stored active cards of these decks."""
        sql, params = _scoped(
            "SELECT DISTINCT t.value AS tag FROM cards, json_each(cards.tags) t"
            " WHERE retired = 0", deck_ids,
        )
        with self.reading() as db:
            return {str(row["tag"]) for row in db.query(sql, params)}

    def suspend(self, profile: str, card_id: str) -> None:
        """Keep a card out of every queue until unsuspended."""
        self._set_suspended(profile, card_id, True)

    def unsuspend(self, profile: str, card_id: str) -> None:
        """Let a suspended card come back."""
        self._set_suspended(profile, card_id, False)

    def _set_suspended(self, profile: str, card_id: str, value: bool) -> None:
        with self._writing(profile):
            self._db.execute(
                "INSERT INTO card_state (profile, card_id, suspended) VALUES (?, ?, ?)"
                " ON CONFLICT (profile, card_id) DO UPDATE SET suspended = excluded.suspended",
                [profile, card_id, int(value)],
            )

    def flag(
        self, profile: str, card_id: str, reason: str = "", *,
        options: Sequence[str] | None = None, context: str | None = None,
        card_hash: str | None = None,
    ) -> int:
        """Flag a card with a reason (empty is fine) for the program director; the flag's id.

        ``options`` (the options shown; ``None`` for a card never answered), ``context`` (the
        header line shown) and ``card_hash`` keep what the fellow saw.
        """
        with self._writing(profile) as moment:
            cursor = self._db.execute(
                "INSERT INTO flags (profile, card_id, reason, flagged_at, utc_offset_min,"
                " options, context, card_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    profile, card_id, reason.strip(), utc_ms(moment), offset_minutes(moment),
                    json.dumps(list(options), ensure_ascii=False) if options is not None else None,
                    context, card_hash,
                ],
            )
        return int(cursor.lastrowid or 0)

    def clear_flag(self, flag_id: int) -> None:
        """Clear one flag (undo of a flag): it stays in the table, with when it was cleared."""
        with self.writing() as db:
            db.execute(
                "UPDATE flags SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL",
                [utc_ms(self.now()), flag_id],
            )

    def unflag(self, profile: str, card_id: str) -> None:
        """Clear a card's standing flags (they stay in the table, with when they were cleared)."""
        with self.writing() as db:
            db.execute(
                "UPDATE flags SET cleared_at = ?"
                " WHERE profile = ? AND card_id = ? AND cleared_at IS NULL",
                [utc_ms(self.now()), profile, card_id],
            )

    # -- browse -------------------------------------------------------------------------------

    def search_cards(
        self, profile: str, text: str = "", deck: str | None = None, tag: str | None = None,
        state: str | None = None,
    ) -> list[CardRow]:
        """Cards matching all the given criteria (retired ones only when ``state='retired'``)."""
        today = self.today(profile)
        with self.reading() as db:
            return browse.search_cards(
                db, profile, today, text=text, deck=deck, tag=tag, state=state
            )

    def card_history(self, profile: str, card_id: str) -> list[ReviewRow]:
        """Every answer of a card, oldest first."""
        with self.reading() as db:
            return browse.card_history(db, profile, card_id)

    # -- the file -------------------------------------------------------------------------------

    def check(self) -> None:
        """The whole-file ``quick_check`` now (``ibdquiz check``); one line if it fails."""
        with self.reading() as db:
            full_check(db.conn)
            record_check(db.conn)

    def backup(self, target: Path) -> int:
        """Write a consistent copy of the database (every committed answer, ``-wal`` included)
        to ``target`` through SQLite's backup API; returns its size in bytes.

        The copy is written beside ``target`` and renamed into place, so ``target`` is either
        the whole backup or untouched; an existing ``target`` is refused.
        """
        return backup_to(self._db.conn, self.path, target)


    # -- study sessions: what the session package (``ibdquiz.session``) needs ------------------

    def plan_today(self, profile: str, filters: SessionFilters, day: int) -> TodayPlan:
        """The queue a session with ``filters`` would ask on study day ``day`` (reads only),
        over the decks of the last ``sync_decks``; with what it holds back."""
        settings = self.settings(profile)
        with self.reading() as db:
            return planning.build_queue(
                db, profile, self.deck_scope(), filters, day, settings.new_per_day,
                settings.review_limit,
            )

    def home_plans(self, profile: str, deck_ids: Sequence[str], day: int
                   ) -> tuple[TodayPlan, dict[str, TodayPlan]]:
        """``plan_today`` of every deck together and of a one-deck session for each of
        ``deck_ids`` (one walk of the due cards for all: ``planning.home_plans``)."""
        settings = self.settings(profile)
        with self.reading() as db:
            return planning.home_plans(
                db, profile, self.deck_scope(), deck_ids, day, settings.new_per_day,
                settings.review_limit,
            )

    def card_draw(self, profile: str, card_id: str) -> CardDraw:
        """What drawing a card needs: its options' seed, its ``updated`` mark, its SM-2 state."""
        with self.reading() as db:
            state = reviews.load_state(db, profile, card_id)  # with the seed: past answers
        return CardDraw(
            seed=int(state["answers"]) if state is not None else 0,
            updated=bool(state and state["updated"]),
            state=Sm2State(state["repetitions"], state["easiness"], state["interval_days"])
            if state is not None
            else Sm2State(),
        )

    def start_session(
        self, profile: str, *, practice: bool, filters: Mapping[str, Any], day: int
    ) -> int:
        """Write a session row (only once there is a card to ask); its id."""
        with self._writing(profile) as moment:
            cursor = self._db.execute(
                "INSERT INTO sessions (profile, mode, filters, started_at, utc_offset_min,"
                " study_day) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    profile, "practice" if practice else "study", json.dumps(dict(filters)),
                    utc_ms(moment), offset_minutes(moment), day,
                ],
            )
        return int(cursor.lastrowid or 0)

    def end_session(self, session_id: int) -> None:
        """Close a session row (its answers are already committed)."""
        with self.writing() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                [utc_ms(self.now()), session_id],
            )

    def record_answer(self, profile: str, answer: Answered, day: int) -> Recorded:
        """Record one answer (state + review row), committed before this returns."""
        moment = self.now()
        with self.writing() as db:
            return reviews.record_answer(
                db, profile, answer, reviewed_at_ms=utc_ms(moment),
                offset_min=offset_minutes(moment), today=day,
            )

    def mark_undone(self, review_id: int) -> str | None:
        """Mark an answer undone (the row stays) and put its card back (``UndoError`` if not)."""
        now = utc_ms(self.now())
        with self.writing() as db:
            return reviews.mark_undone(db, review_id, now_ms=now)

    def session_reviews(self, session_id: int) -> list[SessionReview]:
        """The answers of one session, oldest first, undone ones included."""
        with self.reading() as db:
            return [
                SessionReview(
                    str(row["card_id"]), str(row["phase"]), int(row["quality"]),
                    bool(row["correct"]), row["undone_at"] is not None,
                )
                for row in db.query(
                    "SELECT card_id, phase, quality, correct, undone_at FROM reviews"
                    " WHERE session_id = ? ORDER BY id",
                    [session_id],
                )
            ]


def _scoped(sql: str, scope: Sequence[str] | None) -> tuple[str, list[Any]]:
    if scope is None:
        return sql, []
    return sql + f" AND deck IN ({', '.join('?' * len(scope))})", list(scope)


class StoredCards(Mapping[str, Card]):
    """The active cards of some decks, read from the database when looked up (and kept).

    A session asks for a few cards of tens of thousands: building them all would cost more
    than the whole rest of the first card.
    """

    def __init__(self, store: Store, scope: Sequence[str] | None) -> None:
        self.store = store
        self.scope = None if scope is None else list(scope)
        self._cards: dict[str, Card] = {}
        self._ahead: dict[str, dict[str, Any]] = {}  # rows read ahead, not yet built
        self._ids: list[str] | None = None

    def __getitem__(self, card_id: str) -> Card:
        card = self._cards.get(card_id)
        if card is None:
            row = self._ahead.pop(card_id, None)
            found = (self.store.card_from_record(row) if row is not None
                     else self.store.card_rows([card_id], active=True).get(card_id))
            if found is None or (self.scope is not None and found.deck not in self.scope):
                raise KeyError(card_id)
            card = self._cards[card_id] = found
        return card

    def has(self, card_id: str) -> bool:
        """True when the card is already read (looking it up costs no query)."""
        return card_id in self._cards or card_id in self._ahead

    def load(self, card_ids: Sequence[str]) -> None:
        """Read these cards' rows in one go (the next few of a queue); each card is built when
        it is first looked up, so no answer pays for building the whole batch."""
        missing = [card_id for card_id in card_ids if not self.has(card_id)]
        self._ahead.update(self.store.card_records(missing, active=True))

    def _all_ids(self) -> list[str]:
        if self._ids is None:
            self._ids = self.store.card_ids(self.scope)
        return self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_ids())

    def __len__(self) -> int:
        return len(self._all_ids())
