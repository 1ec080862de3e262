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
from ibdquiz.storage.stats import DeckStats, Stats, collect_stats, empty_stats
from ibdquiz.storage.store import Store
from ibdquiz.storage.study import StudySession

__all__ = [
    "CardRow",
    "DeckCounts",
    "DeckStats",
    "Feedback",
    "MissedFact",
    "Phase",
    "Profile",
    "Progress",
    "QueueItem",
    "ReviewRow",
    "SessionFilters",
    "Settings",
    "SourceScore",
    "Stats",
    "Store",
    "StudySession",
    "Summary",
    "SyncReport",
    "collect_stats",
    "empty_stats",
]
