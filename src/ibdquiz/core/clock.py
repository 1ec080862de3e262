"""Time, passed in: a clock is a function returning an aware ``datetime``; study days are ints.

A study day is the number of days since 1970-01-01 of the local date, where the day rolls over
at ``day_start_hour`` (04:00 by default, as in Anki), so a review at 01:30 counts for the day
before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

Clock = Callable[[], datetime]
"""Returns the current moment as an aware datetime in the learner's local offset."""

EPOCH = date(1970, 1, 1)
DEFAULT_DAY_START_HOUR = 4


def system_clock() -> datetime:
    """The real clock: now, in the machine's local time zone (aware)."""
    return datetime.now(timezone.utc).astimezone()


def study_day(moment: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> int:
    """The study day of an aware local ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("study_day needs an aware datetime")
    shifted = moment - timedelta(hours=day_start_hour)
    return (shifted.date() - EPOCH).days


def day_to_date(day: int) -> date:
    """The calendar date of a study day number."""
    return EPOCH + timedelta(days=day)


def date_to_day(value: date) -> int:
    """The study day number of a calendar date."""
    return (value - EPOCH).days
