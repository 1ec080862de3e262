"""SQLite storage through sqlite-utils: schema and migrations, profiles, card state, the review
log, deck cache, settings, sessions and stats. Imports core, never the UI (DESIGN §2, §8).

Every name below is importable from ``ibdquiz.storage``; every ``Store`` method turns an SQLite
failure into one clear ``ibdquiz.errors.DatabaseError`` line. The TUI calls only this API and
never runs SQL; ``report/`` and ``storage.history`` may read ``store.db`` (a sqlite-utils
``Database``).

Opening:

- ``Store.open(path, *, create=True, clock=...)`` is for writers (the TUI, ``study``,
  ``profile``). It refuses a foreign or newer file read-only first, then sets WAL, the busy
  timeout (5 s), foreign keys and ``synchronous = FULL``, and migrates forward under
  ``BEGIN IMMEDIATE`` after copying the old file to ``<name>.schema<N>.bak`` (see ``db``).
  A read-only file, a folder where ``-wal``/``-shm`` cannot be created, or a lock held past the
  busy timeout each raise a one-line ``DatabaseError`` before anything is shown; with
  ``create=False`` a missing file raises too.
- ``Store.open_existing(path)`` is for readers (``stats``, ``export``): ``None`` for a missing
  file (nothing is created); a file or folder it cannot write is opened read-only (immutable
  when no ``-wal`` exists and none can be created). Writes through it raise "read-only".
- ``Store`` is a context manager; ``store.now()``, ``store.today(profile)`` (the study day with
  the profile's ``day_start_hour``), ``store.path``, ``store.clock``.

The store: ``profile(name)`` (created with a random ``learner_id`` if missing),
``find_profile(name)`` (creates nothing), ``set_display_name``, ``settings`` /
``save_settings``; ``sync_decks(decks) -> SyncReport``; ``cards()`` (the cards of the decks of
this store's last ``sync_decks``, or every non-retired stored card without one), ``positions()``;
``deck_counts(profile, today)``, ``next_due_day(profile)``, ``study_stats(profile)``;
``suspend`` / ``unsuspend`` / ``flag(profile, card_id, reason)`` / ``unflag``;
``search_cards(profile, text, deck, tag, state)`` and ``card_history(profile, card_id)``. Card
states: new = never answered; learning = repetitions < 2; review = repetitions ≥ 2 and interval
< 21 days; mature = interval ≥ 21; plus suspended, flagged, leech and retired (retired cards
only with ``state="retired"``).

Sessions live in ``ibdquiz.session`` (a layer above): ``Store`` offers them ``plan_today``
(the queue inputs, planned by ``core.queue``), ``card_draw``, ``start_session`` /
``end_session``, ``record_answer``, ``mark_undone`` (an undone answer keeps its row, with
``undone_at``), ``session_reviews``, ``is_suspended``, ``flag`` (returns its id) and
``clear_flag``. Stats: ``collect_stats(store.db, profile, today, decks=())
-> Stats`` (``ibdquiz stats``; the catalog's ``decks`` not yet synced count every card as new,
listed in ``Stats.unopened``), ``empty_stats(profile, today, decks=())``, and ``study_stats``
(the stats screen; ``.summary`` is ``collect_stats``'s); the parts are public in
``ibdquiz.storage.stats``.
"""

from __future__ import annotations

from ibdquiz.core.queue import Phase, QueueItem, SessionFilters
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
from ibdquiz.storage.stats import (
    DeckStats,
    Leech,
    Score,
    Stats,
    StudyStats,
    collect_stats,
    empty_stats,
    study_stats,
)
from ibdquiz.storage.store import Store

__all__ = [
    "Answered",
    "CardDraw",
    "CardRow",
    "DeckCounts",
    "DeckStats",
    "Leech",
    "Phase",
    "Profile",
    "QueueItem",
    "Recorded",
    "ReviewRow",
    "Score",
    "SessionFilters",
    "SessionReview",
    "Settings",
    "Stats",
    "Store",
    "StudyStats",
    "SyncReport",
    "collect_stats",
    "empty_stats",
    "study_stats",
]
