"""Read-only figures for the study app's home and stats screens (additive to the storage API).

``today_counts(store, profile)`` counts what a session would ask now (the home screen's "nothing
due" state); ``study_stats(store, profile, today)`` gives the due forecast, answers per day,
% correct by deck / source / tag, the streak and the leeches. "% correct" counts the answers
that move the schedule (phases ``new`` and ``review``): re-drills and practice are extra
attempts at a card already missed, so they would flatter or punish the score twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ibdquiz.core.queue import Phase, SessionFilters
from ibdquiz.storage import planning
from ibdquiz.storage.store import Store

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Score:
    """Answers and correct answers of one deck, source or tag."""

    name: str
    answered: int
    correct: int

    @property
    def percent(self) -> float:
        """Percent correct (0 with no answers)."""
        return 100 * self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class Leech:
    """A card with many lapses (DESIGN §5: 8)."""

    card_id: str
    prompt: str
    lapses: int
    suspended: bool


@dataclass(frozen=True)
class StudyStats:
    """What the stats screen draws. ``forecast[i]`` is due on ``today + i`` (overdue on day 0);
    ``answers[i]`` and ``correct[i]`` belong to ``today - (days - 1) + i``."""

    today: int
    forecast: tuple[int, ...]
    answers: tuple[int, ...]
    correct: tuple[int, ...]
    by_deck: tuple[Score, ...]
    by_source: tuple[Score, ...]
    by_tag: tuple[Score, ...]
    streak: int
    leeches: tuple[Leech, ...]
    total_answers: int


def _rows(store: Store, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return list(store.db.query(sql, params))


def _forecast(store: Store, profile: str, today: int, days: int) -> tuple[int, ...]:
    counts = [0] * days
    for row in _rows(
        store,
        """
        SELECT max(s.due_day, :today) AS day, count(*) AS n
        FROM card_state s JOIN cards c ON c.id = s.card_id
        WHERE s.profile = :profile AND c.retired = 0 AND s.suspended = 0
          AND s.due_day IS NOT NULL AND s.due_day < :end
        GROUP BY day
        """,
        {"profile": profile, "today": today, "end": today + days},
    ):
        counts[int(row["day"]) - today] = int(row["n"])
    return tuple(counts)


def _answers(
    store: Store, profile: str, today: int, days: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    start = today - days + 1
    answered, correct = [0] * days, [0] * days
    for row in _rows(
        store,
        """
        SELECT study_day AS day, count(*) AS n, sum(correct) AS ok FROM reviews
        WHERE profile = :profile AND study_day BETWEEN :start AND :today
        GROUP BY study_day
        """,
        {"profile": profile, "start": start, "today": today},
    ):
        answered[int(row["day"]) - start] = int(row["n"])
        correct[int(row["day"]) - start] = int(row["ok"] or 0)
    return tuple(answered), tuple(correct)


def _scores(
    store: Store, profile: str, group: str, name: str, joins: str = ""
) -> tuple[Score, ...]:
    sql = f"""
        SELECT {name} AS name, count(*) AS n, sum(r.correct) AS ok
        FROM reviews r JOIN cards c ON c.id = r.card_id {joins}
        WHERE r.profile = :profile AND r.phase IN ('new', 'review')
        GROUP BY {group} ORDER BY {group}
    """
    return tuple(
        Score(str(row["name"]), int(row["n"]), int(row["ok"] or 0))
        for row in _rows(store, sql, {"profile": profile})
    )


def _streak(store: Store, profile: str, today: int) -> int:
    days = {
        int(row["day"])
        for row in _rows(
            store,
            "SELECT DISTINCT study_day AS day FROM reviews"
            " WHERE profile = :profile AND study_day <= :today",
            {"profile": profile, "today": today},
        )
    }
    # A streak still counts this morning before the first answer of the day.
    day = today if today in days else today - 1
    streak = 0
    while day in days:
        streak += 1
        day -= 1
    return streak


def _leeches(store: Store, profile: str) -> tuple[Leech, ...]:
    return tuple(
        Leech(str(row["id"]), str(row["prompt"]), int(row["lapses"]), bool(row["suspended"]))
        for row in _rows(
            store,
            """
            SELECT c.id, c.prompt, s.lapses, s.suspended
            FROM card_state s JOIN cards c ON c.id = s.card_id
            WHERE s.profile = :profile AND s.leech = 1 AND c.retired = 0
            ORDER BY s.lapses DESC, c.id
            """,
            {"profile": profile},
        )
    )


def study_stats(store: Store, profile: str, today: int, days: int = WINDOW_DAYS) -> StudyStats:
    """Everything the stats screen shows, for ``profile`` on study day ``today``."""
    answered, correct = _answers(store, profile, today, days)
    total = _rows(
        store, "SELECT count(*) AS n FROM reviews WHERE profile = :profile", {"profile": profile}
    )[0]["n"]
    by_source = _scores(
        store,
        profile,
        "c.deck, c.source",
        "CASE WHEN c.label != '' THEN c.label ELSE c.deck || '/' || c.source END",
    )
    by_tag = _scores(store, profile, "t.value", "t.value", joins=", json_each(c.tags) t")
    return StudyStats(
        today=today,
        forecast=_forecast(store, profile, today, days),
        answers=answered,
        correct=correct,
        by_deck=_scores(store, profile, "c.deck", "c.deck"),
        by_source=by_source,
        by_tag=by_tag,
        streak=_streak(store, profile, today),
        leeches=_leeches(store, profile),
        total_answers=int(total),
    )


@dataclass(frozen=True)
class TodayCounts:
    """What a session of every deck would ask right now, by phase."""

    review: int
    new: int
    redrill: int

    @property
    def total(self) -> int:
        """Every card the session would ask."""
        return self.review + self.new + self.redrill


def today_counts(store: Store, profile: str) -> TodayCounts:
    """Count today's queue for every deck (read-only: no session row is written)."""
    settings = store.settings(profile)
    today = store.today(profile)
    queue = planning.build_queue(
        store.db, profile, store.cards(), SessionFilters(), today, settings.new_per_day
    )
    phases = [planned.phase for planned in queue]
    return TodayCounts(
        review=phases.count(Phase.REVIEW),
        new=phases.count(Phase.NEW),
        redrill=phases.count(Phase.REDRILL),
    )
