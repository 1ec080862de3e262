"""SQLite storage through sqlite-utils: schema and migrations, profiles, card state, the review
log, deck cache, settings, sessions and stats. Imports core, never the UI (DESIGN §2, §8).

The public API (see ``CONTRACT.md``): open a ``Store``, sync decks, run a ``StudySession``.
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
