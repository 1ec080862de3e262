"""SQLite storage through sqlite-utils: schema and migrations, profiles, card state, the review
log, deck cache, settings, sessions and stats. Imports core, never the UI (DESIGN §2, §8).

One way in: ``Store`` is the only object outside ``storage/`` that touches the database; its
sqlite-utils ``Database`` is private. Storage modules run their SQL inside ``store.reading()``
(reads) or ``store.writing()`` (``BEGIN IMMEDIATE``; nested blocks join), which turn any SQLite
failure into one ``DatabaseError`` line; ``store.snapshot()`` gives the exporter one read
transaction on the raw connection. Settings are read once per profile and cached
(``store.today()`` reads no SQLite). ``Store.open`` (writers) / ``Store.open_existing``
(readers) are described in ``storage.db``; ``store.known_deck`` (for
``core.catalog.discover(..., known=...)``), ``sync_decks``, ``cards()`` (looked up lazily),
``deck_scope()``, ``stats`` / ``study_stats``, ``deck_counts``, ``check`` and ``backup`` in
``storage.store``; the queue in ``storage.planning``; the schema in ``storage.schema`` and
the docs (``docs/``).
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
