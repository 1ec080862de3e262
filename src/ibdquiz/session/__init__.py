"""A study session as its own layer: a state machine over ``storage.Store`` (issue 10).

Imports core and storage, never Textual or sqlite3. See ``study.StudySession`` (the events),
``machine.SessionMachine`` (the pure transitions) and ``results`` (what it hands out).
"""

from __future__ import annotations

from ibdquiz.core.queue import Phase, QueueItem, SessionFilters
from ibdquiz.session.machine import SessionStateError
from ibdquiz.session.results import (
    Feedback,
    MissedFact,
    Progress,
    SessionState,
    SourceScore,
    Stage,
    Summary,
)
from ibdquiz.session.study import SessionOpenError, StudySession, open_session, summarize
from ibdquiz.session.today import TodayCounts, today_by_deck, today_counts

__all__ = [
    "Feedback",
    "MissedFact",
    "Phase",
    "Progress",
    "QueueItem",
    "SessionFilters",
    "SessionOpenError",
    "SessionState",
    "SessionStateError",
    "SourceScore",
    "Stage",
    "StudySession",
    "Summary",
    "TodayCounts",
    "open_session",
    "summarize",
    "today_by_deck",
    "today_counts",
]
