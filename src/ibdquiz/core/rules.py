"""The counting rules, each defined once, for every layer (issue 10; docs/rules.md).

Pure: no SQLite, no Textual. Storage's SQL uses the constants and the small SQL fragments below,
so that a count in SQL and a count in Python cannot drift apart.

- **correct**: quality ≥ 3. **re-drill**: quality < 4 (SM-2 step 7), asked again this session.
- **lapse**: an incorrect answer to a card that had repetitions ≥ 1, in a scheduling phase
  (``new``/``review``); re-drill and practice answers never count. **leech**: 8 lapses.
- **learned**: repetitions ≥ 1. **mature**: interval ≥ 21 days.
- **due**: an unsuspended, unretired card whose due day is today or earlier. What a screen calls
  "due today" is what today's queue would ask (one card per fact, within the daily review limit);
  the other due cards are **held back** (a sibling was asked today, or the limit was reached).
- **undone**: an answer taken back by ``u`` keeps its row (``reviews.undone_at`` set). It no
  longer moves the SM-2 state and no longer counts for lapses, leeches, re-drills, the day's
  limits or "answered today"; the report still counts it as the card's first attempt of the day
  (a *counted answer* is the earliest new/review answer of a card on a study day, undone or not).
  The answer given again after an undo keeps the card's phase and options and is graded
  normally, capped at quality 4 (the key was on screen: no fast-answer bonus).
- **practice window**: ``study --missed DAYS`` re-asks cards failed (a first answer graded
  below 3, not undone) on the last DAYS study days, today included.
- **limits**: new cards and reviews are limited per profile per study day (20 and 200 by
  default; a review limit of 0 means none), counting the answers already given that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ibdquiz.core.sm2 import PASSING_QUALITY, Sm2State, review

CORRECT_MIN_QUALITY = PASSING_QUALITY
"""An answer is correct at this quality or above (3)."""
REDRILL_BELOW_QUALITY = 4
"""An answer below this quality is asked again at the end of the session (SM-2 step 7)."""
LEECH_LAPSES = 8
MATURE_DAYS = 21
LEARNED_REPETITIONS = 1
REANSWER_MAX_QUALITY = 4
"""The best grade of an answer given again after an undo (the key was on screen)."""
DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEW_LIMIT = 200
"""Reviews per study day (as Anki's default); 0 means no limit."""
SCHEDULING_PHASES = ("new", "review")
"""Phases whose answers move the SM-2 state (re-drill and practice answers are only logged)."""


def is_correct(quality: int) -> bool:
    """A correct answer: quality ≥ 3."""
    return quality >= CORRECT_MIN_QUALITY


def needs_redrill(quality: int) -> bool:
    """SM-2 step 7: an answer below 4 is asked again at the end of the session."""
    return quality < REDRILL_BELOW_QUALITY


def schedules(phase: str) -> bool:
    """True when an answer in ``phase`` moves the SM-2 state."""
    return phase in SCHEDULING_PHASES


def is_lapse(quality: int, repetitions_before: int, phase: str = "review") -> bool:
    """A lapse: an incorrect scheduling answer to a card already learned."""
    return schedules(phase) and not is_correct(quality) and is_learned(repetitions_before)


def is_leech(lapses: int) -> bool:
    """A leech: 8 lapses or more."""
    return lapses >= LEECH_LAPSES


def is_learned(repetitions: int) -> bool:
    """Learned: at least one successful repetition."""
    return repetitions >= LEARNED_REPETITIONS


def is_mature(interval_days: int) -> bool:
    """Mature: an interval of 21 days or more."""
    return interval_days >= MATURE_DAYS


def is_due(
    due_day: int | None, today: int, *, suspended: bool = False, retired: bool = False
) -> bool:
    """Due: unsuspended, unretired, with a due day of ``today`` or earlier (never for new cards)."""
    return due_day is not None and due_day <= today and not suspended and not retired


def reanswer_quality(quality: int) -> int:
    """The grade of an answer given again after an undo: at most 4."""
    return min(quality, REANSWER_MAX_QUALITY)


def practice_window_start(today: int, days: int) -> int:
    """The first study day of a practice window of ``days`` days ending today."""
    return today - days + 1


def remaining(limit: int | None, used: int) -> int | None:
    """What a daily limit leaves after ``used`` answers; ``None`` when there is no limit (0)."""
    if limit is None or limit == 0:
        return None
    return max(0, limit - used)


# -- SQL fragments (storage builds its queries from these) ----------------------------------------


def scheduled_sql(state: str = "s", card: str | None = "c") -> str:
    """A state with a due day, of an active card, not suspended: ``is_due`` but the day, in SQL,
    for a ``card_state`` alias and a ``cards`` alias (``None``: no ``cards`` in the query; its
    card is then looked for among the few retired ones)."""
    active = (
        f"{card}.retired = 0" if card is not None
        else f"{state}.card_id NOT IN (SELECT id FROM cards WHERE retired = 1)"
    )
    return f"{state}.suspended = 0 AND {state}.due_day IS NOT NULL AND {active}"


def due_sql(state: str = "s", card: str | None = "c", today: str = ":today") -> str:
    """The ``is_due`` test in SQL (``scheduled_sql`` and due on or before ``today``)."""
    return f"{scheduled_sql(state, card)} AND {state}.due_day <= {today}"


def counted_sql(review: str = "r") -> str:
    """A *counted answer*: the earliest new/review answer of its card on its study day, undone
    or not (% correct in stats and the report; re-drills, practice and re-answers excluded)."""
    return (
        f"{review}.phase IN ('new', 'review') AND NOT EXISTS (SELECT 1 FROM reviews e"
        f" WHERE e.profile = {review}.profile AND e.card_id = {review}.card_id"
        f" AND e.study_day = {review}.study_day AND e.phase IN ('new', 'review')"
        f" AND e.id < {review}.id)"
    )


# -- replaying the log --------------------------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    """A card's state as its answers make it: SM-2 state, due day, lapses."""

    state: Sm2State
    due_day: int | None
    lapses: int

    @property
    def leech(self) -> bool:
        """True at 8 lapses or more."""
        return is_leech(self.lapses)


@dataclass(frozen=True)
class LoggedAnswer:
    """One review row as the replay needs it."""

    study_day: int
    phase: str
    quality: int
    undone: bool = False


def replay(answers: Iterable[LoggedAnswer]) -> Replayed:
    """The state that a card's answers (oldest first) give it: undone ones and re-drills skipped."""
    state, due, lapses = Sm2State(), None, 0
    for answer in answers:
        if answer.undone or not schedules(answer.phase):
            continue
        lapses += is_lapse(answer.quality, state.repetitions, answer.phase)
        state = review(state, answer.quality)
        due = answer.study_day + state.interval
    return Replayed(state, due, lapses)
