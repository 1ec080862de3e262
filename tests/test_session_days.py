"""The edge of the study day: 04:00, midnight, and the two DST changes of America/New_York.

The clock is injected with a real time zone (zoneinfo); due days are integers, counted in study
days, and every review keeps its exact UTC time and the offset in force when it was given.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ibdquiz.core.clock import date_to_day, study_day
from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.storage.rows import Settings
from ibdquiz.storage.store import Store
from tests.helpers_storage import FakeClock, demo_deck

NY = ZoneInfo("America/New_York")


def local(
    year: int, month: int, day: int, hour: int, minute: int, second: int = 0, *, fold: int = 0
) -> datetime:
    """A wall-clock time in New York (``fold=1``: the second 01:30 of the fall-back night)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=NY, fold=fold)


def from_utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A UTC instant, as New York's clock shows it."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc).astimezone(NY)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (local(2024, 3, 9, 23, 59), date(2024, 3, 9)),
        (local(2024, 3, 10, 0, 0), date(2024, 3, 9)),
        (local(2024, 3, 10, 1, 59), date(2024, 3, 9)),  # EST, the last minute before the jump
        (from_utc(2024, 3, 10, 7, 0), date(2024, 3, 9)),  # 03:00 EDT, just after it
        (from_utc(2024, 3, 10, 7, 59), date(2024, 3, 9)),  # 03:59 EDT
        (from_utc(2024, 3, 10, 8, 0), date(2024, 3, 10)),  # 04:00 EDT: the day rolls over
        (local(2024, 11, 3, 1, 30, fold=0), date(2024, 11, 2)),  # 01:30 EDT
        (local(2024, 11, 3, 1, 30, fold=1), date(2024, 11, 2)),  # 01:30 EST, an hour later
        (from_utc(2024, 11, 3, 8, 59), date(2024, 11, 2)),  # 03:59 EST
        (from_utc(2024, 11, 3, 9, 0), date(2024, 11, 3)),  # 04:00 EST
    ],
)
def test_study_day_at_four_across_dst(moment: datetime, expected: date) -> None:
    day = study_day(moment)
    assert type(day) is int
    assert day == date_to_day(expected)


def test_midnight_day_start() -> None:
    assert study_day(local(2024, 3, 9, 23, 59, 59), 0) == date_to_day(date(2024, 3, 9))
    assert study_day(local(2024, 3, 10, 0, 0), 0) == date_to_day(date(2024, 3, 10))


def open_store(tmp_path: Path, clock: FakeClock) -> Store:
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock)
    store.sync_decks([demo_deck()])
    return store


def rows(store: Store) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(
            "SELECT card_id, reviewed_at, utc_offset_min, study_day, due_day, typeof(due_day),"
            " typeof(study_day) FROM reviews ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


RECALL_ONE = SessionFilters(kinds=("recall",), new_limit=1)


def recall_once(store: Store, grade: int) -> None:
    """One session that grades its first flashcard ``grade``, then ends."""
    session = StudySession(store, "default", RECALL_ONE)
    session.show()
    session.grade_recall(grade)
    session.end()
REVIEWS_ONLY = SessionFilters(kinds=("recall",), new_limit=0)


def test_a_card_answered_before_spring_forward_is_due_after_it(tmp_path: Path) -> None:
    clock = FakeClock(local(2024, 3, 9, 22, 0))  # EST, the evening before the change
    store = open_store(tmp_path, clock)
    saturday = date_to_day(date(2024, 3, 9))
    first = StudySession(store, "default", RECALL_ONE)
    first.show()
    assert first.grade_recall(5).due_day == saturday + 1
    first.end()
    clock.moment = from_utc(2024, 3, 10, 7, 30)  # 03:30 EDT: still Saturday's study day
    assert store.today() == saturday
    assert StudySession(store, "default", REVIEWS_ONLY).queue == []
    clock.moment = from_utc(2024, 3, 10, 8, 0)  # 04:00 EDT: Sunday, the card is due
    assert store.today() == saturday + 1
    second = StudySession(store, "default", REVIEWS_ONLY)
    assert [p.phase.value for p in second.queue] == ["review"]
    second.show()
    assert second.grade_recall(5).due_day == saturday + 1 + 6
    card = "demo/alpha/yes-share/recall"
    assert rows(store) == [
        (card, ms(local(2024, 3, 9, 22, 0)), -300, saturday, saturday + 1, "integer", "integer"),
        (card, ms(local(2024, 3, 10, 4, 0)), -240, saturday + 1, saturday + 7, "integer",
         "integer"),
    ]
    store.close()


def test_the_repeated_hour_of_fall_back_is_one_study_day(tmp_path: Path) -> None:
    clock = FakeClock(local(2024, 11, 3, 1, 30, fold=0))  # 01:30 EDT
    store = open_store(tmp_path, clock)
    saturday = date_to_day(date(2024, 11, 2))
    recall_once(store, 5)
    clock.moment = local(2024, 11, 3, 1, 30, fold=1)  # 01:30 EST, an hour later
    recall_once(store, 4)
    clock.moment = from_utc(2024, 11, 3, 9, 0)  # 04:00 EST: Sunday; both cards due
    assert store.today() == saturday + 1
    due = StudySession(store, "default", REVIEWS_ONLY).queue
    assert [p.phase.value for p in due] == ["review", "review"]
    (_, at_1, off_1, day_1, due_1, *_), (_, at_2, off_2, day_2, due_2, *_) = rows(store)
    assert at_2 - at_1 == 3_600_000  # exactly one hour apart in UTC
    assert (off_1, off_2) == (-240, -300)
    assert day_1 == day_2 == saturday and due_1 == due_2 == saturday + 1
    store.close()


def test_a_midnight_day_start_is_honoured(tmp_path: Path) -> None:
    clock = FakeClock(local(2024, 3, 9, 23, 59))
    store = open_store(tmp_path, clock)
    store.save_settings("default", Settings(day_start_hour=0))
    recall_once(store, 5)
    clock.moment = local(2024, 3, 10, 0, 0)
    assert store.today() == date_to_day(date(2024, 3, 10))
    assert len(StudySession(store, "default", REVIEWS_ONLY).queue) == 1
    store.close()
