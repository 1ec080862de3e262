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

A session: ``StudySession(store, profile, filters=None, *, clock=None)`` builds today's queue
(``session.queue``, ``session.today``, ``session.session_id``). ``SessionFilters`` (from
``core.queue``: decks, sources as ``source`` or ``deck/source``, tags, kinds, ``new_limit``,
``missed_days``) raise ``ValueError`` for bad kinds or negative numbers. ``new_limit`` replaces
the day's remaining new-card allowance for that session; ``missed_days`` makes a practice
session (phase ``practice``: no rescheduling, no re-drill). ``session.current`` is the
``QueueItem`` to ask (``None`` when over); ``answer_choice(index)`` (``ValueError`` for an index
with no option or the wrong kind), ``answer_numeric(text)`` (``UnparseableResponse`` with a hint,
nothing recorded) and ``grade_recall(quality)`` commit the answer before returning its
``Feedback`` (``interval_days`` / ``due_day`` are ``None`` for re-drill and practice answers). A
card graded below 4 in phase new, review or re-drill comes back at the end as a ``redrill`` until
it scores 4 or more; today's pending re-drills open the next session of the day.
``session.undo()`` takes back the last answer (its card returns unanswered) or raises
``UndoError``, changing nothing, when the card was answered again since; a ``DatabaseError``
keeps the entry for a retry, and an ``updated`` mark set by a deck edit survives the undo.
``flag`` / ``suspend`` act on ``card_id`` or the current card (a suspended card leaves the
session). ``end() -> Summary`` (``answered`` / ``correct`` / ``percent`` exclude re-drills;
``per_source``, ``missed`` facts with citations, ``due_tomorrow``, ``seconds``);
``nothing_due_message()`` says when the next card is due.

Counts without a session: ``today_counts(store, profile, filters)`` and ``today_by_deck`` (the
same planning as ``StudySession``). Stats: ``collect_stats(store.db, profile, today, decks=())
-> Stats`` (``ibdquiz stats``; the catalog's ``decks`` not yet synced count every card as new,
listed in ``Stats.unopened``), ``empty_stats(profile, today, decks=())``, and ``study_stats``
(the stats screen; ``.summary`` is ``collect_stats``'s); the parts are public in
``ibdquiz.storage.stats``.
"""

from __future__ import annotations

from ibdquiz.core.queue import Phase, QueueItem, SessionFilters
from ibdquiz.storage.rows import (
    CardRow,
    DeckCounts,
    Feedback,
    MissedFact,
    Profile,
    Progress,
    ReviewRow,
    Settings,
    SourceScore,
    Summary,
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
from ibdquiz.storage.study import StudySession
from ibdquiz.storage.today import TodayCounts, today_by_deck, today_counts

__all__ = [
    "CardRow",
    "DeckCounts",
    "DeckStats",
    "Feedback",
    "Leech",
    "MissedFact",
    "Phase",
    "Profile",
    "Progress",
    "QueueItem",
    "ReviewRow",
    "Score",
    "SessionFilters",
    "Settings",
    "SourceScore",
    "Stats",
    "Store",
    "StudySession",
    "StudyStats",
    "Summary",
    "SyncReport",
    "TodayCounts",
    "collect_stats",
    "empty_stats",
    "study_stats",
    "today_by_deck",
    "today_counts",
]
