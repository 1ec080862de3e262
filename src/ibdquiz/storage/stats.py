"""``ibdquiz stats``: per deck due today, new, learned, mature, leeches, suspended, answers and %
correct over 7 and 30 days, and the streak (DESIGN §5 defines the words).

Answers counted are first answers (phases ``new`` and ``review``), not re-drills or practice; the
streak counts consecutive study days, up to today (or yesterday, while today has no answer yet),
with at least one answer of any phase.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlite_utils import Database

from ibdquiz.core.clock import day_to_date
from ibdquiz.storage.browse import MATURE_DAYS
from ibdquiz.storage.reviews import LEECH_LAPSES


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


def _percent(correct: int, answers: int) -> float | None:
    return round(100 * correct / answers, 1) if answers else None


def empty_stats(profile: str, today: int) -> Stats:
    """What a database with nothing in it (or none at all) shows."""
    return Stats(profile=profile, today=today, decks=(), streak=0)


def collect_stats(db: Database, profile: str, today: int) -> Stats:
    """The stats of ``profile`` on study day ``today``."""
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
    answers_sql = """
    SELECT c.deck,
      SUM(r.study_day > :today - 7) AS a7, SUM(r.study_day > :today - 7 AND r.correct) AS c7,
      COUNT(*) AS a30, SUM(r.correct) AS c30
    FROM reviews r JOIN cards c ON c.id = r.card_id
    WHERE r.profile = :profile AND r.phase IN ('new', 'review') AND r.study_day > :today - 30
      AND r.study_day <= :today
    GROUP BY c.deck
    """
    params = {"profile": profile, "today": today}
    answers = {row["deck"]: row for row in db.query(answers_sql, params)}
    decks = []
    for row in db.query(sql, params):
        a = answers.get(row["id"], {})
        decks.append(
            DeckStats(
                deck_id=row["id"], title=row["title"], total=row["total"] or 0,
                due=row["due"] or 0, new=row["new"] or 0, learned=row["learned"] or 0,
                mature=row["mature"] or 0, leeches=row["leeches"] or 0,
                suspended=row["suspended"] or 0, answers_7d=a.get("a7") or 0,
                correct_7d=a.get("c7") or 0, answers_30d=a.get("a30") or 0,
                correct_30d=a.get("c30") or 0,
            )
        )
    return Stats(
        profile=profile, today=today, decks=tuple(decks), streak=streak(db, profile, today)
    )


def streak(db: Database, profile: str, today: int) -> int:
    """Consecutive study days with an answer, ending today (or yesterday if today has none yet)."""
    days = {
        row["study_day"]
        for row in db.query(
            "SELECT DISTINCT study_day FROM reviews WHERE profile = ? AND study_day <= ?",
            [profile, today],
        )
    }
    day = today if today in days else today - 1
    count = 0
    while day in days:
        count += 1
        day -= 1
    return count
