"""What a study session hands out: its stage, the feedback of an answer, progress, the summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ibdquiz.core.queue import QueueItem


class Stage(str, Enum):
    """Where a session stands (the states of its machine).

    ``waiting``: the next card is not drawn yet (``show()`` draws it). ``asking``: a card is on
    screen, unanswered. ``revealed``: a flashcard's answer is shown, waiting for a grade.
    ``answered``: an answer is saved and its feedback is on screen (``next()`` goes on).
    ``ended``: ``end()`` was called; nothing more happens.
    """

    WAITING = "waiting"
    ASKING = "asking"
    REVEALED = "revealed"
    ANSWERED = "answered"
    ENDED = "ended"


@dataclass(frozen=True)
class Feedback:
    """What an answer earned; it is committed before this is returned.

    ``reanswer``: the answer was given again after an undo (graded at most 4).
    """

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
    reanswer: bool = False


@dataclass(frozen=True)
class Progress:
    """Where a session stands, counted as its summary counts.

    ``answered`` and ``correct`` are the session's first answers (re-drills and undone answers
    excluded), exactly what the summary reports; ``done`` counts every answer still standing
    (re-drills included) for the progress bar; ``left`` the cards still to ask (re-drills
    included, the card on screen too while it is unanswered).
    """

    done: int
    left: int
    correct: int
    redrill_left: int
    total: int
    answered: int = 0


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
    """The end of a session. ``percent`` is ``None`` with no answers.

    ``answered``/``correct`` exclude re-drills and undone answers; ``undone`` counts the answers
    taken back (they stay on record). ``due_tomorrow`` is tomorrow's queue of reviews as home
    will show it (one card per fact, within the review limit); ``held_back_tomorrow`` the due
    cards it leaves for later. ``recorded`` counts every row the session wrote (0: empty).
    """

    answered: int
    correct: int
    percent: float | None
    seconds: int
    per_source: tuple[SourceScore, ...]
    missed: tuple[MissedFact, ...]
    due_tomorrow: int
    held_back_tomorrow: int = 0
    undone: int = 0
    recorded: int = 0

    @property
    def empty(self) -> bool:
        """True when the session recorded nothing at all."""
        return self.recorded == 0


@dataclass(frozen=True)
class SessionState:
    """A snapshot of the session for a screen to draw: the stage, the card, the feedback."""

    stage: Stage
    item: QueueItem | None
    feedback: Feedback | None
    progress: Progress
    can_undo: bool
