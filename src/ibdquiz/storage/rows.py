"""The plain records the storage API hands out: profiles, settings, counts, feedback, summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ibdquiz.core.clock import DEFAULT_DAY_START_HOUR

DEFAULT_NEW_PER_DAY = 20
CARD_STATES = ("new", "learning", "review", "mature", "suspended", "flagged", "leech", "retired")


@dataclass(frozen=True)
class Profile:
    """A learner: ``name`` (the ``--profile``), a display name, a random ``learner_id`` UUID."""

    name: str
    display_name: str | None
    learner_id: str


@dataclass(frozen=True)
class Settings:
    """A profile's settings; ``keymap`` maps binding ids to keys."""

    theme: str = "textual-dark"
    new_per_day: int = DEFAULT_NEW_PER_DAY
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    keymap: dict[str, str] = field(default_factory=dict)


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
class Feedback:
    """What an answer earned; it is committed before this is returned."""

    correct: bool
    quality: int
    correct_answer: str
    correct_index: int | None
    response: str
    explain: str
    citation: str
    interval_days: int | None
    due_day: int | None
    phase: str
    review_id: int


@dataclass(frozen=True)
class Progress:
    """Where a session stands: answers given, cards left (re-drills included), totals."""

    done: int
    left: int
    correct: int
    redrill_left: int
    total: int


@dataclass(frozen=True)
class SourceScore:
    """Answers and correct answers of one source in a session."""

    deck: str
    source: str
    label: str
    answered: int
    correct: int


@dataclass(frozen=True)
class MissedFact:
    """A card missed in a session, with what to read."""

    card_id: str
    prompt: str
    answer: str
    citation: str


@dataclass(frozen=True)
class Summary:
    """The end of a session. ``percent`` is ``None`` with no answers."""

    answered: int
    correct: int
    percent: float | None
    seconds: int
    per_source: tuple[SourceScore, ...]
    missed: tuple[MissedFact, ...]
    due_tomorrow: int
