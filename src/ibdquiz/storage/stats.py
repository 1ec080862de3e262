"""The learner's stats, for ``ibdquiz stats`` and the study app's stats screen (one code path).

Per deck: due today, new, learned, mature, leeches, suspended, answers and % correct over 7 and
30 days (``collect_stats``); the due forecast, answers per day, % correct by deck / source / tag
and the leeches (``study_stats``, which includes ``collect_stats``). DESIGN §5 defines the words.

Answers counted for % correct are first answers (phases ``new`` and ``review``): re-drills and
practice are extra attempts at a card already missed, so they would flatter or punish the score
twice. Answers per day count every answer (the work done). The streak counts consecutive study
days, up to today (or yesterday, while today has no answer yet), with at least one answer of any
phase.

Decks the database does not know yet (found by the catalog but never opened in the app, so never
synced) are passed in by the caller: all their cards count as new, as the app will show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from sqlite_utils import Database

from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.clock import day_to_date
from ibdquiz.core.model import Deck
from ibdquiz.storage.browse import MATURE_DAYS
from ibdquiz.storage.reviews import LEECH_LAPSES

WINDOW_DAYS = 30
"""How far the stats screen's charts look ahead (forecast) and back (answers per day)."""

Group = Literal["deck", "source", "tag"]

_GROUPS: dict[Group, tuple[str, str, str]] = {
    # name shown, GROUP BY, extra join
    "deck": ("c.deck", "c.deck", ""),
    "source": (
        "CASE WHEN c.label != '' THEN c.label ELSE c.deck || '/' || c.source END",
        "c.deck, c.source",
        "",
    ),
    "tag": ("t.value", "t.value", ", json_each(c.tags) t"),
}

_FIRST_ANSWERS = "r.phase IN ('new', 'review')"


@dataclass(frozen=True)
class DeckStats:
    """One deck's numbers (or the totals, with ``deck_id`` ``""``)."""

    deck_id: str
    title: str
    total: int = 0
    due: int = 0
    new: int = 0
    learned: int = 0
    mature: int = 0
    leeches: int = 0
    suspended: int = 0
    answers_7d: int = 0
    correct_7d: int = 0
    answers_30d: int = 0
    correct_30d: int = 0

    @property
    def percent_7d(self) -> float | None:
        """% correct over the last 7 study days (``None`` without answers)."""
        return _percent(self.correct_7d, self.answers_7d)

    @property
    def percent_30d(self) -> float | None:
        """% correct over the last 30 study days (``None`` without answers)."""
        return _percent(self.correct_30d, self.answers_30d)

    def to_json(self) -> dict[str, Any]:
        """A plain dict with the percents."""
        return {**asdict(self), "percent_7d": self.percent_7d, "percent_30d": self.percent_30d}


@dataclass(frozen=True)
class Stats:
    """Everything ``ibdquiz stats`` shows."""

    profile: str
    today: int
    decks: tuple[DeckStats, ...]
    streak: int
    unopened: tuple[str, ...] = ()
    """Ids of the decks not yet opened in the app (every card counted as new); not in JSON."""

    @property
    def totals(self) -> DeckStats:
        """The sum over the decks."""
        sums = {
            f.name: sum(getattr(d, f.name) for d in self.decks)
            for f in fields(DeckStats)
            if f.type in ("int", int)
        }
        return DeckStats(deck_id="", title="All decks", **sums)

    def to_json(self) -> dict[str, Any]:
        """The ``--format json`` document."""
        return {
            "profile": self.profile,
            "today": day_to_date(self.today).isoformat(),
            "streak": self.streak,
            "decks": [deck.to_json() for deck in self.decks],
            "totals": self.totals.to_json(),
        }


@dataclass(frozen=True)
class Score:
    """First answers and correct ones of one deck, source (its label) or tag."""

    name: str
    answered: int
    correct: int

    @property
    def percent(self) -> float | None:
        """% correct, one decimal (``None`` without answers)."""
        return _percent(self.correct, self.answered)


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
    ``answers[i]`` and ``correct[i]`` belong to ``today - (days - 1) + i``. Scores are all-time
    (``by_*``) and over the last ``days`` study days (``recent_*``)."""

    summary: Stats
    forecast: tuple[int, ...]
    answers: tuple[int, ...]
    correct: tuple[int, ...]
    by_deck: tuple[Score, ...]
    by_source: tuple[Score, ...]
    by_tag: tuple[Score, ...]
    recent_by_deck: tuple[Score, ...]
    recent_by_source: tuple[Score, ...]
    recent_by_tag: tuple[Score, ...]
    leeches: tuple[Leech, ...]
    total_answers: int

    @property
    def today(self) -> int:
        """The study day these figures are for."""
        return self.summary.today

    @property
    def streak(self) -> int:
        """Consecutive study days with an answer."""
        return self.summary.streak


def _percent(correct: int, answers: int) -> float | None:
    return round(100 * correct / answers, 1) if answers else None


def empty_stats(profile: str, today: int, decks: Iterable[Deck] = ()) -> Stats:
    """What a database with nothing in it (or none at all) shows: ``decks`` all new."""
    unopened = unopened_stats(decks, set())
    return Stats(
        profile=profile, today=today, decks=unopened, streak=0,
        unopened=tuple(d.deck_id for d in unopened),
    )


def unopened_stats(decks: Iterable[Deck], known: set[str]) -> tuple[DeckStats, ...]:
    """The decks whose id is not in ``known``, every card new (what syncing them would add)."""
    found = []
    for deck in decks:
        if deck.id not in known:
            count = len(cards_for_deck(deck))
            found.append(DeckStats(deck_id=deck.id, title=deck.title, total=count, new=count))
    return tuple(found)


ALL_DAYS = (-(2**62), 2**62)


def scores_sql(group: Group, *, window: bool) -> str:
    """The query behind ``scores``: a plain day range on ``reviews_day`` for a window, else
    the per-card counters of ``card_state`` (no pass over the review log)."""
    name, group_by, join = _GROUPS[group]
    if window:
        return f"""
        SELECT {name} AS name, count(*) AS n, sum(r.correct) AS ok
        FROM reviews r JOIN cards c ON c.id = r.card_id {join}
        WHERE r.profile = :profile AND r.study_day BETWEEN :since AND :until
          AND {_FIRST_ANSWERS}
        GROUP BY {group_by} ORDER BY {group_by}
        """
    return f"""
        SELECT {name} AS name, sum(s.first_answers) AS n, sum(s.first_correct) AS ok
        FROM card_state s JOIN cards c ON c.id = s.card_id {join}
        WHERE s.profile = :profile AND s.first_answers > 0
        GROUP BY {group_by} ORDER BY {group_by}
        """


def scores(
    db: Database, profile: str, group: Group, *, since: int | None = None, until: int | None = None
) -> tuple[Score, ...]:
    """% correct of first answers per deck, source or tag, on study days ``since``..``until``."""
    window = since is not None or until is not None
    params = {
        "profile": profile,
        "since": ALL_DAYS[0] if since is None else since,
        "until": ALL_DAYS[1] if until is None else until,
    }
    return tuple(
        Score(str(row["name"]), int(row["n"]), int(row["ok"] or 0))
        for row in db.query(scores_sql(group, window=window), params)
        if row["n"]
    )


def collect_stats(db: Database, profile: str, today: int, decks: Iterable[Deck] = ()) -> Stats:
    """The stats of ``profile`` on study day ``today``; ``decks`` not yet synced count as new."""
    sql = f"""
    SELECT d.id, d.title,
      COUNT(c.id) AS total,
      SUM(s.suspended = 0 AND s.due_day <= :today) AS due,
      SUM(c.id IS NOT NULL AND s.due_day IS NULL AND COALESCE(s.suspended, 0) = 0) AS new,
      SUM(s.repetitions >= 1) AS learned,
      SUM(s.interval_days >= {MATURE_DAYS}) AS mature,
      SUM(s.lapses >= {LEECH_LAPSES}) AS leeches,
      SUM(s.suspended = 1) AS suspended
    FROM decks d
    LEFT JOIN cards c ON c.deck = d.id AND c.retired = 0
    LEFT JOIN card_state s ON s.card_id = c.id AND s.profile = :profile
    GROUP BY d.id ORDER BY d.id
    """
    week = {s.name: s for s in scores(db, profile, "deck", since=today - 6, until=today)}
    month = {s.name: s for s in scores(db, profile, "deck", since=today - 29, until=today)}
    none = Score("", 0, 0)
    synced: list[DeckStats] = []
    for row in db.query(sql, {"profile": profile, "today": today}):
        w, m = week.get(row["id"], none), month.get(row["id"], none)
        synced.append(
            DeckStats(
                deck_id=row["id"], title=row["title"], total=row["total"] or 0,
                due=row["due"] or 0, new=row["new"] or 0, learned=row["learned"] or 0,
                mature=row["mature"] or 0, leeches=row["leeches"] or 0,
                suspended=row["suspended"] or 0, answers_7d=w.answered, correct_7d=w.correct,
                answers_30d=m.answered, correct_30d=m.correct,
            )
        )
    unopened = unopened_stats(decks, {row.deck_id for row in synced})
    return Stats(
        profile=profile, today=today,
        decks=tuple(sorted((*synced, *unopened), key=lambda row: row.deck_id)),
        streak=streak(db, profile, today), unopened=tuple(d.deck_id for d in unopened),
    )


def streak(db: Database, profile: str, today: int) -> int:
    """Consecutive study days with an answer, ending today (or yesterday if today has none yet)."""
    def studied(day: int) -> bool:  # one index probe a day, not a pass over every answer
        found = db.execute(
            "SELECT 1 FROM reviews WHERE profile = ? AND study_day = ? LIMIT 1", [profile, day]
        ).fetchone()
        return found is not None

    day = today if studied(today) else today - 1
    count = 0
    while studied(day):
        count += 1
        day -= 1
    return count


def forecast(db: Database, profile: str, today: int, days: int = WINDOW_DAYS) -> tuple[int, ...]:
    """Active, unsuspended cards due on each of the next ``days`` days; overdue ones on day 0."""
    counts = [0] * days
    for row in db.query(
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


def answers_per_day(
    db: Database, profile: str, today: int, days: int = WINDOW_DAYS
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Every answer (any phase), and the correct ones, on each of the last ``days`` days."""
    start = today - days + 1
    answered, correct = [0] * days, [0] * days
    for row in db.query(
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


def leeches(db: Database, profile: str) -> tuple[Leech, ...]:
    """The active leeches, most lapses first."""
    return tuple(
        Leech(str(row["id"]), str(row["prompt"]), int(row["lapses"]), bool(row["suspended"]))
        for row in db.query(
            """
            SELECT c.id, c.prompt, s.lapses, s.suspended
            FROM card_state s JOIN cards c ON c.id = s.card_id
            WHERE s.profile = :profile AND s.leech = 1 AND c.retired = 0
            ORDER BY s.lapses DESC, c.id
            """,
            {"profile": profile},
        )
    )


def total_answers(db: Database, profile: str) -> int:
    """Every answer the profile ever gave, re-drills and practice included (the counters)."""
    row = next(db.query("SELECT sum(answers) AS n FROM card_state WHERE profile = ?", [profile]))
    return int(row["n"] or 0)


def study_stats(db: Database, profile: str, today: int, days: int = WINDOW_DAYS) -> StudyStats:
    """Everything the stats screen shows (``collect_stats`` included), on study day ``today``."""
    answered, correct = answers_per_day(db, profile, today, days)
    since = today - days + 1
    return StudyStats(
        summary=collect_stats(db, profile, today),
        forecast=forecast(db, profile, today, days),
        answers=answered,
        correct=correct,
        by_deck=scores(db, profile, "deck"),
        by_source=scores(db, profile, "source"),
        by_tag=scores(db, profile, "tag"),
        recent_by_deck=scores(db, profile, "deck", since=since, until=today),
        recent_by_source=scores(db, profile, "source", since=since, until=today),
        recent_by_tag=scores(db, profile, "tag", since=since, until=today),
        leeches=leeches(db, profile),
        total_answers=total_answers(db, profile),
    )
