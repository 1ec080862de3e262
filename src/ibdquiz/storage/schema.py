"""The SQL schema, in one place, as forward migrations (sqlite-utils ``Migrations``).

``PRAGMA application_id`` marks the file as ibdquiz's; ``PRAGMA user_version`` is the number of
migrations applied (``SCHEMA_VERSION`` for this ibdquiz). Times are UTC milliseconds
(``*_at``) with the local offset in minutes (``utc_offset_min``); days are study days (ints,
days since 1970-01-01, rolling over at the profile's day start hour).

Tables (others read them: ``storage/history.py`` for exports):

- ``profiles``: ``name`` (PK), ``display_name`` (NULL until set), ``learner_id`` (random UUID made
  at creation), ``created_at``.
- ``settings``: ``profile``, ``key``, ``value`` (JSON). Keys: ``theme``, ``keymap``,
  ``new_per_day``, ``day_start_hour``.
- ``decks``: ``id`` (PK), ``title``, ``path``, ``content_hash`` (sha256 of the file), ``version``
  (1, +1 each time the content hash changes), ``format``, ``synced_at``.
- ``cards``: ``id`` (PK, ``deck/source/fact/kind``), ``deck``, ``source``, ``fact``, ``kind``,
  ``position`` (deck order), ``prompt``, ``answer``, ``answer_kind``, ``tolerance`` (text or
  NULL), ``explain``, ``citation``, ``label``, ``design``, ``n``, ``tags`` (JSON array),
  ``pool`` (JSON array of ``[distractor, tier]`` of a choice card),
  ``content_hash`` (changes with the answer), ``retired`` (0/1: the fact left its deck),
  ``changed_at`` (when the answer last changed; NULL: never), ``created_at``, ``updated_at``;
  schema 3: ``via``, ``notes`` (schema 4: a JSON array of ``note_texts`` ids), ``leaks``.
- ``note_texts`` (schema 4): ``id``, ``answer``, ``note``: a teaching note stored once.
- ``new_cards`` (schema 5): per ``profile``, its new cards in deck order (``deck``,
  ``position``, ``card_id``) with ``source``, ``fact``, ``kind``, ``tags``, ``leaks``: derived,
  kept by triggers (``NEW_CARDS_SQL`` is its definition).
- ``card_state`` (per profile and card; no row = new; schema 4: ``WITHOUT ROWID``, clustered on
  ``(profile, card_id)``): ``repetitions``, ``easiness``,
  ``interval_days``, ``due_day``, ``lapses``, ``leech`` (0/1), ``suspended`` (0/1), ``updated``
  (0/1: the answer changed since the last answer), ``last_review_day``; schema 5: its card's
  ``deck`` and ``position``, kept by triggers.
- ``flags``: ``id``, ``profile``, ``card_id``, ``reason``, ``flagged_at``, ``utc_offset_min``,
  ``cleared_at`` (NULL while the flag stands).
- ``sessions``: ``id``, ``profile``, ``mode`` (``study|practice``), ``filters`` (JSON),
  ``started_at``, ``ended_at``, ``utc_offset_min``, ``study_day``.
- ``reviews`` (one row per answer, every phase): ``id``, ``profile``, ``card_id``,
  ``session_id``, ``reviewed_at``, ``utc_offset_min``, ``study_day``, ``phase``
  (``new|review|redrill|practice``), ``kind``, ``quality``, ``correct`` (0/1), ``response``
  (option text chosen, text typed, ``''`` for a flashcard), ``response_index`` (choice),
  ``options`` (JSON array shown, choice only), ``correct_index``, ``seed``, ``duration_ms``,
  ``card_hash``, the SM-2 state before (``repetitions_before``, ``easiness_before``,
  ``interval_before``, ``due_before``) and after (``repetitions``, ``easiness``,
  ``interval_days``, ``due_day``), ``lapse`` (0/1), ``days_late`` (study day − due day before),
  ``state_before`` (JSON of the card_state row, for undo; NULL: the card was new).
  Indexed by card, study day, time and (schema 2) session.

Migrations: ``0001_initial`` (schema 1), ``0002_reviews_by_session`` (schema 2),
``0003_release_2`` (schema 3: ``reviews.undone_at``, ``flags.options|context|card_hash``,
``cards.via``, the deck file cache, lean review rows, the answer counters),
``0004_storage_for_scale`` (schema 4: ``note_texts``, ``card_state`` ``WITHOUT ROWID``, the
first-of-day trigger, the covering indexes ``cards_walk`` (replacing ``cards_deck``),
``cards_draw`` and ``card_state_due`` with ``suspended``, and ``cards_retired``),
``0005_queue_walks`` (schema 5: ``new_cards`` and its triggers; a card's ``deck`` and
``position`` in its states, and ``card_state_due`` in the due walk's order). Each sets
``user_version``; ``storage.db`` copies the file to ``<name>.schema<N>.bak`` before applying
any (a release-1 file goes from schema 2 to 5 in one open, with one backup: ``.schema2.bak``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ibdquiz.storage.lean import encode_note_ids

if TYPE_CHECKING:  # sqlite-utils loads only when a migration is to be applied
    from sqlite_utils.migrations import Migrations

APPLICATION_ID = 0x49424451  # "IBDQ"
MIGRATION_SET = "ibdquiz"


def migration_set() -> Migrations:
    """The migrations, in order, as an sqlite-utils ``Migrations`` (imports sqlite-utils)."""
    from sqlite_utils.migrations import Migrations

    found = Migrations(MIGRATION_SET)
    for name, function in MIGRATIONS:
        found(name=name)(function)
    return found


def _initial(db: Any) -> None:
    for statement in _INITIAL.split(";\n"):
        if statement.strip():
            db.execute(statement)
    db.execute("PRAGMA user_version = 1")


def _reviews_by_session(db: Any) -> None:
    # The end-of-session summary reads a session's answers; without this index it scans the
    # whole review log, which grows by every answer ever given.
    db.execute("CREATE INDEX IF NOT EXISTS reviews_session ON reviews(session_id)")
    db.execute("PRAGMA user_version = 2")


def _release_2(db: Any) -> None:
    """Schema 3: everything release 2 needs, in one migration (so one backup, ``.schema2.bak``)."""
    _session_v3(db)
    _storage_v3(db)
    db.execute("PRAGMA user_version = 3")


def _session_v3(db: Any) -> None:
    """Undone answers stay on record; flags keep what the fellow saw; a source's ``via``."""
    # An undone answer keeps its row: ``undone_at`` (UTC ms) marks it, and it no longer counts
    # for SM-2 state, lapses, leeches or re-drills (issue 10).
    db.execute("ALTER TABLE reviews ADD COLUMN undone_at INTEGER")
    # What the fellow saw when flagging: the options shown (JSON array, NULL for a card never
    # answered) and the header line (issue 12).
    db.execute("ALTER TABLE flags ADD COLUMN options TEXT")
    db.execute("ALTER TABLE flags ADD COLUMN context TEXT")
    db.execute("ALTER TABLE flags ADD COLUMN card_hash TEXT")
    # A secondary source the fact was taken through, e.g. a commentary (issue 9).
    db.execute("ALTER TABLE cards ADD COLUMN via TEXT")
    # Other facts' answers a fellow may confuse with this card's, with what each is: the
    # teaching feedback ("46% is ...") read from the card row (issue 9).
    db.execute("ALTER TABLE cards ADD COLUMN notes TEXT")
    # The facts of its deck a card's fact must not be new with on the same day (issue 9).
    db.execute("ALTER TABLE cards ADD COLUMN leaks TEXT")


def _storage_v3(db: Any) -> None:
    """Storage for scale (issue 13): deck file cache, daily-check day, lean reviews, counters."""
    for statement in _STORAGE_V3.split(";\n"):
        if statement.strip():
            db.execute(statement)
    # Counters of the answers already given (schema 2 files): one pass over the review log.
    db.execute(
        """INSERT INTO card_state (profile, card_id, answers, first_answers, first_correct,
               last_answer_day)
           SELECT profile, card_id, count(*), sum(phase IN ('new', 'review')),
               sum((phase IN ('new', 'review')) * correct), max(study_day)
           FROM reviews WHERE true GROUP BY profile, card_id
           ON CONFLICT (profile, card_id) DO UPDATE SET answers = excluded.answers,
               first_answers = excluded.first_answers, first_correct = excluded.first_correct,
               last_answer_day = excluded.last_answer_day"""
    )
    for statement in _COUNTER_TRIGGERS.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


_STORAGE_V3 = """
CREATE TABLE storage_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE deck_files (
    path TEXT PRIMARY KEY,
    deck_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    synced_at INTEGER NOT NULL
);
CREATE TABLE option_sets (
    id INTEGER PRIMARY KEY,
    options TEXT NOT NULL UNIQUE
);
CREATE TABLE content_hashes (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE
);
ALTER TABLE reviews ADD COLUMN options_id INTEGER REFERENCES option_sets(id);
ALTER TABLE reviews ADD COLUMN hash_id INTEGER REFERENCES content_hashes(id);
ALTER TABLE card_state ADD COLUMN answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_state ADD COLUMN first_answers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_state ADD COLUMN first_correct INTEGER NOT NULL DEFAULT 0;
ALTER TABLE card_state ADD COLUMN last_answer_day INTEGER
"""
"""Schema 3's storage part. ``deck_files``: what each deck file looked like when its last sync
finished (an unchanged file is neither parsed nor synced). ``storage_meta``: the day of the last
whole-file check. A review's options and content hash are stored once and referenced
(``options_id``, ``hash_id``; ``options`` and ``card_hash`` stay for schema-2 rows).
``card_state`` counts each card's answers (all, counted first answers — the earliest new/review
answer of its study day, undone or not, ``core.rules.counted_sql`` — and the correct ones) and its
last answer day, kept by triggers on ``reviews``, so stats and the queue need no scan of the
review log."""

_COUNTER_TRIGGERS = """
CREATE TRIGGER reviews_counted AFTER INSERT ON reviews BEGIN
    INSERT INTO card_state (profile, card_id, answers, first_answers, first_correct,
        last_answer_day)
    VALUES (NEW.profile, NEW.card_id, 1, NEW.phase IN ('new', 'review') AND NOT EXISTS (
            SELECT 1 FROM reviews e WHERE e.profile = NEW.profile AND e.card_id = NEW.card_id
            AND e.study_day = NEW.study_day AND e.phase IN ('new', 'review') AND e.id < NEW.id),
        (NEW.phase IN ('new', 'review') AND NOT EXISTS (
            SELECT 1 FROM reviews e WHERE e.profile = NEW.profile AND e.card_id = NEW.card_id
            AND e.study_day = NEW.study_day AND e.phase IN ('new', 'review') AND e.id < NEW.id))
            * NEW.correct, NEW.study_day)
    ON CONFLICT (profile, card_id) DO UPDATE SET answers = answers + 1,
        first_answers = first_answers + excluded.first_answers,
        first_correct = first_correct + excluded.first_correct,
        last_answer_day = max(COALESCE(last_answer_day, excluded.last_answer_day),
            excluded.last_answer_day);
END;

CREATE TRIGGER reviews_uncounted AFTER DELETE ON reviews BEGIN
    UPDATE card_state SET answers = answers - 1,
        first_answers = first_answers - (OLD.phase IN ('new', 'review')),
        first_correct = first_correct - (OLD.phase IN ('new', 'review')) * OLD.correct,
        last_answer_day = (SELECT max(study_day) FROM reviews
            WHERE profile = OLD.profile AND card_id = OLD.card_id)
    WHERE profile = OLD.profile AND card_id = OLD.card_id;
END
"""


def _storage_v4(db: Any) -> None:
    """Schema 4 (issue 13): storage for a program's scale, in one migration (one backup).

    - a card's teaching notes stored once (``note_texts``), the card keeping their ids;
    - ``card_state`` clustered on its key (``WITHOUT ROWID``): a card's state is one b-tree
      descent, and a deck's states (their card ids start with the deck's id) one range;
    - the answer-counter trigger finds a card's first answer of the day from its counter row
      instead of searching the day's whole log;
    - covering indexes for the queue's two walks: ``cards_walk`` (new cards in deck order; it
      replaces ``cards_deck``), ``cards_draw`` (a due card by id) and ``card_state_due`` with
      ``suspended``; ``cards_retired``, the few retired cards by deck.
    """
    _notes_once(db)
    db.execute("DROP TRIGGER reviews_counted")  # both name card_state, rebuilt next
    db.execute("DROP TRIGGER reviews_uncounted")
    _clustered_card_state(db)
    db.execute(_COUNTED_V4)
    db.execute(_COUNTER_TRIGGERS.split(";\n\n")[1])  # reviews_uncounted, as in schema 3
    # The new-card walk (``storage.planning``) reads cards in deck order: from a covering
    # index, not the table (50k cards, medians of 7 alternating: 82 -> 64 ms).
    db.execute(
        "CREATE INDEX cards_walk ON cards(deck, position, retired, id, source, fact, kind, tags,"
        " leaks)"
    )
    db.execute("DROP INDEX cards_deck")  # (deck, position): a prefix of cards_walk
    # The due walk looks each due card up by id for what the queue rules read: a covering
    # index, so the table row is not read (with the card_state_due above: 25 -> 10.6 ms).
    db.execute(
        "CREATE INDEX cards_draw ON cards(id, retired, deck, position, source, fact, kind, tags,"
        " label)"
    )
    db.execute("CREATE INDEX cards_retired ON cards(deck, id) WHERE retired = 1")
    db.execute("PRAGMA user_version = 4")


def _notes_once(db: Any) -> None:
    """Each choice or numeric card held the notes of its source's other answers (~1.4 KB a
    card, the same text on every card of a source): now each note is a row of ``note_texts``
    and the card keeps the ids, in order. A schema-2 file has no notes yet."""
    db.execute(
        "CREATE TABLE note_texts (id INTEGER PRIMARY KEY, answer TEXT NOT NULL,"
        " note TEXT NOT NULL, UNIQUE (answer, note))"
    )
    ids: dict[tuple[str, str], int] = {}
    rows = db.execute("SELECT rowid, notes FROM cards WHERE notes IS NOT NULL").fetchall()
    for rowid, notes in rows:
        refs = []
        for answer, note in json.loads(notes or "[]"):
            key = (str(answer), str(note))
            if key not in ids:
                ids[key] = int(
                    db.execute("INSERT INTO note_texts (answer, note) VALUES (?, ?)", key).lastrowid
                )
            refs.append(ids[key])
        db.execute("UPDATE cards SET notes = ? WHERE rowid = ?", [encode_note_ids(refs), rowid])


def _clustered_card_state(db: Any) -> None:
    """``card_state`` rebuilt ``WITHOUT ROWID`` (SQLite's way: a new table, the rows copied,
    the old one dropped, the new one renamed), every row, column and constraint kept: the new
    table is made from the old one's own definition."""
    (definition,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'card_state'"
    ).fetchone()
    db.execute(
        definition.replace("CREATE TABLE card_state", "CREATE TABLE card_state_v4", 1)
        + " WITHOUT ROWID"
    )
    columns = ", ".join(row[1] for row in db.execute("PRAGMA table_info(card_state)"))
    db.execute(f"INSERT INTO card_state_v4 ({columns}) SELECT {columns} FROM card_state")
    db.execute("DROP TABLE card_state")
    db.execute("ALTER TABLE card_state_v4 RENAME TO card_state")
    # With ``suspended`` beside the due day the due walk reads no table row (25 -> 17 ms at
    # 50k cards; with ``cards_draw`` 10.6 ms).
    db.execute("CREATE INDEX card_state_due ON card_state(profile, due_day, suspended)")


_FIRST_OF_DAY = """(NEW.phase IN ('new', 'review') AND (
        COALESCE((SELECT s.last_answer_day FROM card_state s
            WHERE s.profile = NEW.profile AND s.card_id = NEW.card_id), -1) < NEW.study_day
        OR NOT EXISTS (SELECT 1 FROM reviews e WHERE e.profile = NEW.profile
            AND e.card_id = NEW.card_id AND +e.study_day = NEW.study_day
            AND e.phase IN ('new', 'review') AND e.id < NEW.id)))"""
"""Whether a new review row is its card's first new/review answer of its study day
(``core.rules.counted_sql``). The card's ``last_answer_day`` (the latest day of any of its
answers) settles the usual case with one lookup: none on or after this day, so this is the
first. Otherwise its own answers are searched (``reviews_card``, ~20 rows; ``+`` keeps SQLite
off ``reviews_day``, which holds every answer of the day)."""

_COUNTED_V4 = f"""
CREATE TRIGGER reviews_counted AFTER INSERT ON reviews BEGIN
    INSERT INTO card_state (profile, card_id, answers, first_answers, first_correct,
        last_answer_day)
    SELECT NEW.profile, NEW.card_id, 1, first, first * NEW.correct, NEW.study_day
    FROM (SELECT {_FIRST_OF_DAY} AS first) WHERE true
    ON CONFLICT (profile, card_id) DO UPDATE SET answers = answers + 1,
        first_answers = first_answers + excluded.first_answers,
        first_correct = first_correct + excluded.first_correct,
        last_answer_day = max(COALESCE(last_answer_day, excluded.last_answer_day),
            excluded.last_answer_day);
END
"""
"""Schema 4's counter trigger: as schema 3's, the first-of-day test computed once, mostly from
the card's counter row instead of a search of the day's answers (which grew with every answer
of a session: two searches of up to the day's whole log per answer)."""


def _storage_v5(db: Any) -> None:
    """Schema 5 (issue 13): the queue's two walks without a lookup per card.

    - each profile's new cards kept in ``new_cards`` by triggers, so the new-card walk reads
      only the new cards of a deck (at 50k cards: 4.5k rows instead of the deck's 45k cards,
      each probed against ``card_state``); filled here from its definition (``NEW_CARDS_SQL``)
      and kept by ``_NEW_CARD_TRIGGERS`` from then on;
    - a card's ``deck`` and ``position`` copied into its states (``_PLACED_TRIGGERS`` keep
      them), and ``card_state_due`` rebuilt as ``(profile, suspended, due_day, deck, position,
      card_id)``: the due walk reads the due cards in the queue's order from the index alone,
      instead of looking each one up in ``cards`` (7.4k due cards at 50k: ~80 -> ~10 ms);
      ``card_state_last``: a deck's last study day in one seek.
    """
    db.execute(_NEW_CARDS_TABLE)
    db.execute(f"INSERT INTO new_cards ({_NEW_CARD_COLUMNS}) {NEW_CARDS_SQL}")
    db.execute("ALTER TABLE card_state ADD COLUMN deck TEXT")
    db.execute("ALTER TABLE card_state ADD COLUMN position INTEGER")
    db.execute(
        "UPDATE card_state SET deck = c.deck, position = c.position FROM cards c"
        " WHERE c.id = card_state.card_id"
    )
    db.execute("DROP INDEX card_state_due")
    db.execute(
        "CREATE INDEX card_state_due ON card_state(profile, suspended, due_day, deck, position,"
        " card_id)"
    )
    # A deck's last study day (the home screen's "last studied") is one seek, not a sum over
    # every state of the deck.
    db.execute("CREATE INDEX card_state_last ON card_state(profile, deck, last_answer_day)")
    for statement in (_NEW_CARD_TRIGGERS + ";\n\n" + _PLACED_TRIGGERS).split(";\n\n"):
        if statement.strip():
            db.execute(statement)
    db.execute("PRAGMA user_version = 5")


_PLACED_TRIGGERS = """
CREATE TRIGGER card_state_placed AFTER INSERT ON card_state BEGIN
    UPDATE card_state SET deck = (SELECT deck FROM cards WHERE id = NEW.card_id),
        position = (SELECT position FROM cards WHERE id = NEW.card_id)
    WHERE profile = NEW.profile AND card_id = NEW.card_id;
END;

CREATE TRIGGER card_state_moved AFTER UPDATE OF deck, position ON cards BEGIN
    UPDATE card_state SET deck = NEW.deck, position = NEW.position
    WHERE profile IN (SELECT name FROM profiles) AND card_id = NEW.id;
END
"""
"""What keeps each state's ``deck`` and ``position`` equal to its card's: set when the state is
made (whatever makes it: an answer, its counter, a suspension), moved with the card (a sync
that reorders a deck). The due walk orders by them (``storage.planning``)."""


_NEW_CARDS_TABLE = """CREATE TABLE new_cards (
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    deck TEXT NOT NULL,
    position INTEGER NOT NULL,
    card_id TEXT NOT NULL,
    source TEXT NOT NULL,
    fact TEXT NOT NULL,
    kind TEXT NOT NULL,
    tags TEXT NOT NULL,
    leaks TEXT,
    PRIMARY KEY (profile, deck, position, card_id),
    UNIQUE (card_id, profile)
) WITHOUT ROWID"""
"""A profile's new cards in deck order (the key), with what the queue rules read of each."""

_NEW_CARD_COLUMNS = "profile, deck, position, card_id, source, fact, kind, tags, leaks"

_SEEN = """EXISTS (SELECT 1 FROM card_state s WHERE s.profile = {profile}
    AND s.card_id = {card} AND (s.due_day IS NOT NULL OR s.suspended))"""
"""A card has left the new cards of a profile: it has a due day or is suspended."""

NEW_CARDS_SQL = f"""SELECT p.name, c.deck, c.position, c.id, c.source, c.fact, c.kind, c.tags,
    c.leaks FROM profiles p JOIN cards c WHERE c.retired = 0
    AND NOT {_SEEN.format(profile='p.name', card='c.id')}"""
"""What ``new_cards`` holds, by definition (in its columns' order): every active card of every
profile that has no due day and is not suspended (``storage.planning``'s new cards). The
migration fills the table with it; tests compare the table with it after every kind of write."""

_CARD_VALUES = "c.deck, c.position, c.id, c.source, c.fact, c.kind, c.tags, c.leaks"

_NEW_CARD_TRIGGERS = f"""
CREATE TRIGGER new_cards_profile_added AFTER INSERT ON profiles BEGIN
    INSERT OR IGNORE INTO new_cards ({_NEW_CARD_COLUMNS})
    SELECT NEW.name, {_CARD_VALUES} FROM cards c WHERE c.retired = 0
        AND NOT {_SEEN.format(profile='NEW.name', card='c.id')};
END;

CREATE TRIGGER new_cards_card_added AFTER INSERT ON cards WHEN NEW.retired = 0 BEGIN
    INSERT OR IGNORE INTO new_cards ({_NEW_CARD_COLUMNS})
    SELECT p.name, NEW.deck, NEW.position, NEW.id, NEW.source, NEW.fact, NEW.kind, NEW.tags,
        NEW.leaks FROM profiles p WHERE NOT {_SEEN.format(profile='p.name', card='NEW.id')};
END;

CREATE TRIGGER new_cards_card_changed
AFTER UPDATE OF id, deck, position, source, fact, kind, tags, leaks, retired ON cards BEGIN
    DELETE FROM new_cards WHERE card_id = OLD.id;
    INSERT OR IGNORE INTO new_cards ({_NEW_CARD_COLUMNS})
    SELECT p.name, NEW.deck, NEW.position, NEW.id, NEW.source, NEW.fact, NEW.kind, NEW.tags,
        NEW.leaks FROM profiles p WHERE NEW.retired = 0
        AND NOT {_SEEN.format(profile='p.name', card='NEW.id')};
END;

CREATE TRIGGER new_cards_card_removed AFTER DELETE ON cards BEGIN
    DELETE FROM new_cards WHERE card_id = OLD.id;
END;

CREATE TRIGGER new_cards_state_added AFTER INSERT ON card_state
WHEN NEW.due_day IS NOT NULL OR NEW.suspended BEGIN
    DELETE FROM new_cards WHERE card_id = NEW.card_id AND profile = NEW.profile;
END;

CREATE TRIGGER new_cards_state_seen AFTER UPDATE OF due_day, suspended ON card_state
WHEN (NEW.due_day IS NOT NULL OR NEW.suspended) AND OLD.due_day IS NULL AND NOT OLD.suspended
BEGIN
    DELETE FROM new_cards WHERE card_id = NEW.card_id AND profile = NEW.profile;
END;

CREATE TRIGGER new_cards_state_unseen AFTER UPDATE OF due_day, suspended ON card_state
WHEN NEW.due_day IS NULL AND NOT NEW.suspended BEGIN
    INSERT OR IGNORE INTO new_cards ({_NEW_CARD_COLUMNS})
    SELECT NEW.profile, {_CARD_VALUES} FROM cards c WHERE c.id = NEW.card_id
        AND c.retired = 0;
END;

CREATE TRIGGER new_cards_state_removed AFTER DELETE ON card_state BEGIN
    INSERT OR IGNORE INTO new_cards ({_NEW_CARD_COLUMNS})
    SELECT OLD.profile, {_CARD_VALUES} FROM cards c WHERE c.id = OLD.card_id
        AND c.retired = 0 AND EXISTS (SELECT 1 FROM profiles WHERE name = OLD.profile);
END
"""
"""What keeps ``new_cards`` equal to ``NEW_CARDS_SQL``: a profile added (all its active cards
are new), a card added, changed (its fields, retired or back) or removed, a state added (a first
answer, a suspension), changed (a due day set or undone, suspended or not) or removed. A card's
state keeps its profile and card id (no write changes them)."""


MIGRATIONS = (
    ("0001_initial", _initial),
    ("0002_reviews_by_session", _reviews_by_session),
    ("0003_release_2", _release_2),
    ("0004_storage_for_scale", _storage_v4),
    ("0005_queue_walks", _storage_v5),
)

SCHEMA_VERSION = len(MIGRATIONS)
"""How many migrations this ibdquiz knows; stored in ``PRAGMA user_version``."""

_INITIAL = """
CREATE TABLE profiles (
    name TEXT PRIMARY KEY,
    display_name TEXT,
    learner_id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE settings (
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (profile, key)
);
CREATE TABLE decks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    path TEXT,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    format INTEGER NOT NULL DEFAULT 1,
    synced_at INTEGER NOT NULL
);
CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    deck TEXT NOT NULL REFERENCES decks(id),
    source TEXT NOT NULL,
    fact TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recall', 'choice', 'numeric')),
    position INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    answer TEXT NOT NULL,
    answer_kind TEXT NOT NULL,
    tolerance TEXT,
    explain TEXT NOT NULL DEFAULT '',
    citation TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    design TEXT,
    n INTEGER,
    tags TEXT NOT NULL DEFAULT '[]',
    pool TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX cards_deck ON cards(deck, position);
CREATE TABLE card_state (
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards(id),
    repetitions INTEGER NOT NULL DEFAULT 0,
    easiness REAL NOT NULL DEFAULT 2.5,
    interval_days INTEGER NOT NULL DEFAULT 0,
    due_day INTEGER,
    lapses INTEGER NOT NULL DEFAULT 0,
    leech INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    last_review_day INTEGER,
    PRIMARY KEY (profile, card_id)
);
CREATE INDEX card_state_due ON card_state(profile, due_day);
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards(id),
    reason TEXT NOT NULL DEFAULT '',
    flagged_at INTEGER NOT NULL,
    utc_offset_min INTEGER NOT NULL DEFAULT 0,
    cleared_at INTEGER
);
CREATE INDEX flags_card ON flags(profile, card_id);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('study', 'practice')),
    filters TEXT NOT NULL DEFAULT '{}',
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    utc_offset_min INTEGER NOT NULL DEFAULT 0,
    study_day INTEGER NOT NULL
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards(id),
    session_id INTEGER REFERENCES sessions(id),
    reviewed_at INTEGER NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    study_day INTEGER NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('new', 'review', 'redrill', 'practice')),
    kind TEXT NOT NULL,
    quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    response TEXT NOT NULL DEFAULT '',
    response_index INTEGER,
    options TEXT,
    correct_index INTEGER,
    seed INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL,
    card_hash TEXT NOT NULL DEFAULT '',
    repetitions_before INTEGER NOT NULL,
    easiness_before REAL NOT NULL,
    interval_before INTEGER NOT NULL,
    due_before INTEGER,
    repetitions INTEGER NOT NULL,
    easiness REAL NOT NULL,
    interval_days INTEGER NOT NULL,
    due_day INTEGER,
    lapse INTEGER NOT NULL DEFAULT 0,
    days_late INTEGER,
    state_before TEXT
);
CREATE INDEX reviews_card ON reviews(profile, card_id);
CREATE INDEX reviews_day ON reviews(profile, study_day);
CREATE INDEX reviews_time ON reviews(profile, reviewed_at)
"""
