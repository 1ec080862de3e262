"""The plain records the storage API hands out: profiles, settings, counts, card rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR
from ibdquiz.core.rules import DEFAULT_NEW_PER_DAY, DEFAULT_REVIEW_LIMIT
from ibdquiz.core.sm2 import Sm2State

CARD_STATES = ("new", "learning", "review", "mature", "suspended", "flagged", "leech", "retired")


@dataclass(frozen=True)
class Profile:
    """A learner: ``name`` (the ``--profile``), a display name, a random ``learner_id`` UUID."""

    name: str
    display_name: str | None
    learner_id: str


@dataclass(frozen=True)
class Settings:
    """A profile's settings; ``keymap`` maps binding ids to keys.

    ``review_limit``: reviews per study day (0: no limit). ``auto_advance_ms``: after a correct
    choice or typed answer, go on by itself after this long (0: wait for ``enter``).
    """

    theme: str = "textual-dark"
    new_per_day: int = DEFAULT_NEW_PER_DAY
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    keymap: dict[str, str] = field(default_factory=dict)
    review_limit: int = DEFAULT_REVIEW_LIMIT
    auto_advance_ms: int = 0


@dataclass(frozen=True)
class SyncReport:
    """What a deck sync changed, by card id."""

    added: tuple[str, ...] = ()
    reworded: tuple[str, ...] = ()
    answer_changed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeckCounts:
    """One deck's line on the home screen."""

    deck_id: str
    title: str
    due: int
    new: int
    total: int
    last_studied_day: int | None


@dataclass(frozen=True)
class CardRow:
    """A card with one learner's state, as browse shows it."""

    card_id: str
    deck: str
    source: str
    fact: str
    kind: str
    prompt: str
    answer: str
    citation: str
    tags: tuple[str, ...]
    state: str
    repetitions: int
    easiness: float
    interval_days: int
    due_day: int | None
    lapses: int
    leech: bool
    suspended: bool
    flagged: bool
    flag_reason: str | None
    retired: bool
    updated: bool


@dataclass(frozen=True)
class ReviewRow:
    """One past answer of a card."""

    review_id: int
    reviewed_at: datetime
    study_day: int
    phase: str
    quality: int
    correct: bool
    response: str
    options: tuple[str, ...]
    duration_ms: int
    easiness: float
    interval_days: int
    due_day: int | None


@dataclass(frozen=True)
class SessionReview:
    """One answer of a session, as its summary needs it."""

    card_id: str
    phase: str
    quality: int
    correct: bool
    undone: bool


@dataclass(frozen=True)
class CardDraw:
    """What drawing a card needs from storage: the seed of its options, its marks, its state."""

    seed: int
    updated: bool
    state: Sm2State
