"""Storage at scale (issue 13), pinned without timing: an unchanged deck is not parsed, the SQL
queue equals the pure-core queue, stats queries use their index, migration 0003 from schema 2."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ibdquiz.core import catalog
from ibdquiz.core.catalog import KnownDeck, discover
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.queue import CardStatus, Planned, SessionFilters, fact_key, plan_queue
from ibdquiz.core.rules import needs_redrill as redrill_needed
from ibdquiz.core.rules import remaining
from ibdquiz.paths import bundled_decks_dir
from ibdquiz.session.study import StudySession
from ibdquiz.storage import schema
from ibdquiz.storage.db import backup_path
from ibdquiz.storage.planning import build_queue, home_plans
from ibdquiz.storage.stats import scores_sql
from ibdquiz.storage.store import Store
from tests.helpers_storage import DECK_TEXT, FakeClock, answer_right, ask, clock_at, demo_deck


def write_demo(folder: Path, yes: str = "54%") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "demo.yaml"
    path.write_text(DECK_TEXT.format(yes=yes, extra=""), encoding="utf-8")
    return path


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    parsed: list[Path] = []

    def counting(path: Path) -> Any:
        parsed.append(path)
        return load_deck(path)

    monkeypatch.setattr(catalog, "load_deck", counting)
    return parsed


def test_an_unchanged_deck_is_neither_parsed_nor_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = tmp_path / "decks"
    deck_file = write_demo(decks)
    os.utime(deck_file, ns=(1_600_000_000 * 10**9,) * 2)  # long before the sync
    parsed = count_parses(monkeypatch)
    with Store.open(tmp_path / "x.db") as store:
        store.sync_decks(list(discover([("t", decks)], known=store.known_deck).decks.values()))
    assert parsed == [deck_file]
    with Store.open(tmp_path / "x.db") as store:
        found = list(discover([("t", decks)], known=store.known_deck).decks.values())
        assert parsed == [deck_file]  # not read again
        assert [type(d) for d in found] == [KnownDeck] and found[0].title == "Demo deck"
        report = store.sync_decks(found)
        assert report.added == report.retired == report.reworded == ()
        assert len(store.cards()) == 13  # the stored cards, none retired
        session = StudySession(store, "default")
        assert ask(session) is not None
    # touched but the same bytes: still not parsed (the sha256 decides)
    os.utime(deck_file, ns=(1_700_000_000 * 10**9,) * 2)
    with Store.open(tmp_path / "x.db") as store:
        assert discover([("t", decks)], known=store.known_deck).decks["demo"].sources == ()
    assert len(parsed) == 1
    # changed: parsed and synced again, once
    write_demo(decks, yes="55%")
    with Store.open(tmp_path / "x.db") as store:
        changed = list(discover([("t", decks)], known=store.known_deck).decks.values())
        assert len(parsed) == 2 and changed[0].sources
        assert store.sync_decks(changed).answer_changed


def test_a_deck_synced_as_it_was_written_is_hashed_until_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file synced within ``RACY_NS`` of its modification is compared by sha256 on the next
    open (it could change again within the same time); once that comparison matches, long
    after the time, the time is recorded and later opens read nothing; an edit with the same
    size is still seen."""
    from ibdquiz.storage import sync

    decks = tmp_path / "decks"
    deck_file = write_demo(decks)  # written now: racy at its sync
    hashed: list[Path] = []
    real = sync._sha256

    def counting(path: Path) -> str | None:
        hashed.append(path)
        return real(path)

    later = datetime.fromtimestamp(os.stat(deck_file).st_mtime + 3, tz=timezone.utc)

    def open_and_sync(clock: Any = None) -> list[Any]:
        with Store.open(tmp_path / "x.db", clock=clock or FakeClock(later)) as store:
            found = list(discover([("t", decks)], known=store.known_deck).decks.values())
            store.sync_decks(found)
        return found

    open_and_sync(FakeClock(later - timedelta(seconds=3)))  # synced as it was written
    monkeypatch.setattr(sync, "_sha256", counting)
    monkeypatch.setattr(sync.time, "time_ns", lambda: int(later.timestamp() * 10**9))
    assert [type(d) for d in open_and_sync()] == [KnownDeck] and hashed == [deck_file]
    assert [type(d) for d in open_and_sync()] == [KnownDeck] and hashed == [deck_file]  # trusted
    write_demo(decks, yes="55%")  # same size, new time: compared, changed, parsed
    assert [type(d) for d in open_and_sync()] != [KnownDeck]


def test_stats_command_reads_no_unchanged_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from ibdquiz.cli import cli

    decks = tmp_path / "decks"
    write_demo(decks)
    db = tmp_path / "x.db"
    with Store.open(db) as store:
        store.sync_decks(list(discover([("t", decks)], known=store.known_deck).decks.values()))
    parsed = count_parses(monkeypatch)
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--decks", str(decks), "stats", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert [p for p in parsed if p.parent == decks] == []
    assert any(d["deck_id"] == "demo" for d in json.loads(result.output)["decks"])


# -- the SQL queue and the pure rules -----------------------------------------------------------


def pure_queue(
    store: Store, profile: str, filters: SessionFilters, today: int, new_per_day: int,
    review_limit: int = 0,
) -> list[Planned]:
    """The queue as the pure core plans it from every card (the old, whole-deck way)."""
    cards = dict(store.cards())
    with store.reading() as db:
        states = {
            r["card_id"]: (r["due_day"], bool(r["suspended"]))
            for r in db.query("SELECT card_id, due_day, suspended FROM card_state"
                              " WHERE profile = ?", [profile])
        }
        today_rows = list(db.query(
            "SELECT card_id, phase, quality FROM reviews WHERE profile = ? AND study_day = ?"
            " AND phase != 'practice' AND undone_at IS NULL ORDER BY id", [profile, today]))
    statuses = [
        CardStatus(card, position, *states.get(card_id, (None, False)))
        for position, (card_id, card) in enumerate(cards.items())
    ]
    busy = {fact_key(cards[r["card_id"]]) for r in today_rows if r["card_id"] in cards}
    last: dict[str, int] = {}
    for r in today_rows:
        last.pop(r["card_id"], None)
        last[r["card_id"]] = r["quality"]
    introduced = len({r["card_id"] for r in today_rows if r["phase"] == "new"})
    reviewed = len({r["card_id"] for r in today_rows if r["phase"] == "review"})
    allowance = filters.new_limit if filters.new_limit is not None else max(
        0, new_per_day - introduced)
    return plan_queue(
        statuses, today=today, filters=filters, new_allowance=allowance, busy_facts=busy,
        redrills=[c for c, q in last.items() if redrill_needed(q)],
        review_allowance=remaining(review_limit, reviewed),
    )


FILTERS = [
    SessionFilters(),
    SessionFilters(kinds=("recall",)),
    SessionFilters(kinds=("choice", "numeric"), new_limit=3),
    SessionFilters(tags=("answers", "second")),
    SessionFilters(sources=("alpha",), new_limit=0),
    SessionFilters(new_limit=100),
]


def studied_store(path: Path, clock: FakeClock) -> Store:
    """A store with the bundled and demo decks, studied over several days with misses."""
    bundled = [r.deck for r in map(load_deck, sorted(bundled_decks_dir().glob("*.yaml")))
               if r.deck]
    store = Store.open(path, clock=clock)
    store.sync_decks([demo_deck(), *bundled])
    for day in range(6):
        session = StudySession(store, "default", SessionFilters(new_limit=12))
        for turn in range(15 + day):
            item = ask(session)
            if item is None:
                break
            if turn % 4 == 3 and item.card.kind.value == "recall":
                session.grade_recall(2)  # a miss: a re-drill, and a lapse later
            else:
                answer_right(session)
        if day == 3:
            first = next(iter(store.cards()))
            store.suspend("default", first)
        session.end()
        clock.advance(days=1 + day % 2)
    return store


def test_sql_queue_equals_the_pure_queue(tmp_path: Path) -> None:
    clock = clock_at(2024, 3, 1)
    store = studied_store(tmp_path / "x.db", clock)
    for hours in (0, 30, 24 * 9, 24 * 40):  # today (re-drills pending), then later days
        clock.advance(hours=hours)
        today = store.today()
        if hours == 24 * 9:  # a due card retired (its fact left the deck): no longer asked
            with store.writing() as db:
                db.execute("UPDATE cards SET retired = 1 WHERE id = (SELECT card_id FROM"
                           " card_state WHERE due_day <= ? ORDER BY card_id LIMIT 1)", [today])
        for filters in FILTERS:
            for new_per_day, review_limit in ((0, 0), (5, 3), (20, 0), (20, 1)):
                with store.reading() as db:
                    walked = build_queue(db, "default", store.deck_scope(), filters, today,
                                         new_per_day, review_limit)
                assert list(walked.queue) == pure_queue(
                    store, "default", filters, today, new_per_day, review_limit
                ), (filters, new_per_day, review_limit, hours)
        for new_per_day, review_limit in ((5, 3), (20, 0), (20, 1)):  # the home screen's rows
            with store.reading() as db:
                decks = [row[0] for row in db.execute("SELECT id FROM decks")] + ["absent"]
                every, one_walk = home_plans(db, "default", store.deck_scope(), decks, today,
                                             new_per_day, review_limit)
                each = {deck: build_queue(db, "default", store.deck_scope(),
                                          SessionFilters(decks=(deck,)), today, new_per_day,
                                          review_limit) for deck in decks}
                alone = build_queue(db, "default", store.deck_scope(), SessionFilters(), today,
                                    new_per_day, review_limit)
            assert one_walk == each and every == alone and len(decks) >= 3
            assert sum(len(plan.queue) for plan in one_walk.values()) > 0
        # a half-answered session leaves re-drills and busy facts for the same day
        session = StudySession(store, "default")
        for _ in range(3):
            if ask(session) is not None:
                session.grade_recall(1) if ask(session).card.kind.value == "recall" \
                    else answer_right(session)
        session.end()  # one session at a time; its re-drills stay pending today
        with store.reading() as db:
            assert list(build_queue(db, "default", store.deck_scope(), SessionFilters(), today,
                                    20).queue) == pure_queue(store, "default", SessionFilters(),
                                                             today, 20)
    store.close()


# -- queries an index can serve -------------------------------------------------------------


def plan_of(store: Store, sql: str, params: dict[str, Any]) -> str:
    with store.reading() as db:
        rows = db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def test_stats_windows_use_the_review_day_index(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    store.sync_decks([demo_deck()])
    params = {"profile": "default", "since": 1, "until": 2}
    for group in ("deck", "source", "tag"):
        plan = plan_of(store, scores_sql(group), params)  # type: ignore[arg-type]
        assert "USING INDEX reviews_day (profile=? AND study_day>? AND study_day<?)" in plan, plan
    with store.reading() as db:
        due = db.execute(
            "EXPLAIN QUERY PLAN SELECT card_id FROM card_state WHERE profile = ?"
            " AND suspended = 0 AND due_day <= ? ORDER BY due_day", ["default", 1]).fetchall()
    assert "card_state_due" in str(due)
    store.close()


def test_card_counters_follow_answers_and_undo(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db", clock=clock_at(2024, 3, 1))
    store.sync_decks([demo_deck()])
    session = StudySession(store, "default")
    for _ in range(5):
        answer_right(session)
    session.undo()

    def counted() -> tuple[Any, ...]:
        with store.reading() as db:
            logged = db.execute(
                "SELECT count(*), sum(phase IN ('new', 'review')), max(study_day) FROM reviews"
            ).fetchone()
            kept = db.execute(
                "SELECT sum(answers), sum(first_answers), max(last_answer_day) FROM card_state"
            ).fetchone()
        assert tuple(logged) == tuple(kept)
        return tuple(kept)

    assert counted()[0] == 5  # the undone answer stays on record, and counted (issue 10)
    assert store.study_stats("default").total_answers == 5
    store.close()


# -- migration 0003 from a schema-2 file ---------------------------------------------------------


def test_migration_3_from_a_schema_2_file_keeps_history_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    two = Migrations(schema.MIGRATION_SET)
    two(name="0001_initial")(schema._initial)
    two(name="0002_reviews_by_session")(schema._reviews_by_session)
    db = Database(sqlite3.connect(path))
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    two.apply(db)
    db.execute("INSERT INTO profiles VALUES ('default', NULL, 'uuid-2', 1)")
    db.execute("INSERT INTO decks (id, title, content_hash, synced_at) VALUES ('d', 'D', 'h', 1)")
    db.execute(
        "INSERT INTO cards (id, deck, source, fact, kind, position, prompt, answer, answer_kind,"
        " content_hash, created_at, updated_at) VALUES ('d/s/f/choice', 'd', 's', 'f', 'choice',"
        " 0, 'Q?', '5%', 'percent', 'c', 1, 1)")
    db.execute("INSERT INTO card_state (profile, card_id, due_day) VALUES ('default',"
               " 'd/s/f/choice', 20000)")
    for day, phase in ((19990, "new"), (19995, "review"), (19995, "redrill")):
        db.execute(
            "INSERT INTO reviews (profile, card_id, reviewed_at, utc_offset_min, study_day, phase,"
            " kind, quality, correct, options, duration_ms, repetitions_before, easiness_before,"
            " interval_before, repetitions, easiness, interval_days, card_hash)"
            " VALUES ('default', 'd/s/f/choice', ?, 0, ?, ?, 'choice', 4, 1, '[\"5%\", \"7%\"]',"
            " 1, 0, 2.5, 0, 1, 2.5, 1, 'c')", [day * 86_400_000, day, phase])
    db.conn.commit()
    db.close()
    old = path.read_bytes()
    with Store.open(path) as store:
        history = store.card_history("default", "d/s/f/choice")
        assert [r.options for r in history] == [("5%", "7%")] * 3
        with store.reading() as conn:
            row = conn.execute("SELECT answers, first_answers, first_correct, last_answer_day"
                               " FROM card_state").fetchone()
        assert tuple(row) == (3, 2, 2, 19995)
    assert backup_path(path, 2).read_bytes() == old
    conn2 = sqlite3.connect(path)
    tables = {r[0] for r in conn2.execute("SELECT name FROM sqlite_master")}
    conn2.close()
    assert {"deck_files", "storage_meta", "option_sets", "content_hashes"} <= tables


def test_whole_profile_figures_equal_the_review_log(tmp_path: Path) -> None:
    from ibdquiz.core.rules import counted_sql
    from ibdquiz.storage.stats import _GROUPS, Score, scores

    store = studied_store(tmp_path / "x.db", clock_at(2024, 3, 1))
    with store.reading() as db:
        for group, (name, group_by, join) in _GROUPS.items():
            logged = tuple(
                Score(str(r["name"]), int(r["n"]), int(r["ok"] or 0))
                for r in db.query(
                    f"SELECT {name} AS name, count(*) AS n, sum(r.correct) AS ok FROM reviews r"
                    f" JOIN cards c ON c.id = r.card_id {join} WHERE r.profile = 'default'"
                    f" AND {counted_sql('r')} GROUP BY {group_by} ORDER BY {group_by}")
            )
            assert scores(db, "default", group) == logged, group  # type: ignore[arg-type]
            assert logged
        today = store.today()
        last = dict(db.execute(
            "SELECT c.deck, max(r.study_day) FROM reviews r JOIN cards c ON c.id = r.card_id"
            " WHERE r.profile = 'default' GROUP BY c.deck").fetchall())
        due = dict(db.execute(
            "SELECT c.deck, count(*) FROM card_state s JOIN cards c ON c.id = s.card_id"
            " WHERE s.profile = 'default' AND c.retired = 0 AND s.suspended = 0"
            " AND s.due_day <= ? GROUP BY c.deck", [today]).fetchall())
        total_new = {deck: (int(total), int(fresh)) for deck, total, fresh in db.execute(
            "SELECT c.deck, count(*), sum(s.due_day IS NULL AND NOT COALESCE(s.suspended, 0))"
            " FROM cards c LEFT JOIN card_state s ON s.profile = 'default' AND s.card_id = c.id"
            " WHERE c.retired = 0 GROUP BY c.deck")}
    counted = store.deck_counts("default", today)
    assert len(counted) >= 2 and any(0 < row.new < row.total for row in counted)
    for row in counted:
        assert row.last_studied_day == last.get(row.deck_id), row
        assert row.due == due.get(row.deck_id, 0), row
        assert (row.total, row.new) == total_new[row.deck_id], row
    store.close()


def test_answer_counters_equal_the_counted_answers_of_the_log(tmp_path: Path) -> None:
    """The trigger's first-of-day test (schema 4 reads the card's last answer day first) gives
    what ``core.rules.counted_sql`` finds in the log: answers in every phase, several a day,
    days out of order (a clock set back), undone ones."""
    import random

    from ibdquiz.core.queue import Phase
    from ibdquiz.core.rules import counted_sql
    from ibdquiz.storage.reviews import Answered, record_answer

    store = Store.open(tmp_path / "x.db")
    store.sync_decks([demo_deck()])
    cards = list(store.card_rows(store.card_ids(None)).values())[:4]
    rng = random.Random(7)
    with store.writing() as db:
        for turn in range(300):
            answer = Answered(card=rng.choice(cards), phase=rng.choice(list(Phase)),
                              quality=rng.randint(0, 5), response="", duration_ms=1)
            day = 19_000 + rng.choice([0, 1, 1, 2, 2, 2, 3, -1])  # -1: before the others
            recorded = record_answer(db, "default", answer, reviewed_at_ms=turn,
                                     offset_min=0, today=day)
            if turn % 17 == 0:
                db.execute("UPDATE reviews SET undone_at = 1 WHERE id = ?", [recorded.review_id])
        logged = {
            row["card_id"]: (row["n"], row["first"], row["ok"], row["last"])
            for row in db.query(
                f"SELECT card_id, count(*) AS n, sum({counted_sql()}) AS first,"
                f" sum(({counted_sql()}) * r.correct) AS ok, max(study_day) AS last"
                f" FROM reviews r GROUP BY card_id"
            )
        }
        kept = {
            row["card_id"]: (row["answers"], row["first_answers"], row["first_correct"],
                             row["last_answer_day"])
            for row in db.query("SELECT * FROM card_state")
        }
    store.close()
    assert kept == logged and sum(first for _n, first, _ok, _l in logged.values()) >= 15


def test_figures_in_sql_equal_the_figures_of_every_row(tmp_path: Path) -> None:
    """``storage.scans.deck_figures`` (key ranges and SQL sums) and the stats screen's
    forecast, leeches and total answers against the rows themselves, with a retired card that
    has a state, a suspended one and a leech."""
    from ibdquiz.core.rules import LEARNED_REPETITIONS, LEECH_LAPSES, MATURE_DAYS
    from ibdquiz.storage.scans import deck_figures
    from ibdquiz.storage.stats import forecast, leeches, total_answers

    clock = clock_at(2024, 3, 1)
    store = studied_store(tmp_path / "x.db", clock)
    with store.writing() as db:
        ids = [row[0] for row in db.execute("SELECT card_id FROM card_state ORDER BY card_id")]
        db.execute("UPDATE cards SET retired = 1 WHERE id IN (?, ?)", [ids[0], ids[1]])
        db.execute("UPDATE card_state SET lapses = 9, leech = 1, interval_days = 30"
                   " WHERE card_id IN (?, ?, ?)", [ids[1], ids[-1], ids[-2]])
        db.execute("UPDATE card_state SET due_day = ? WHERE card_id = ?",
                   [store.today() + 3, ids[1]])
    today = store.today()
    with store.reading() as db:
        found = deck_figures(db, "default", today)
        ahead = forecast(db, "default", today, 30)
        leeched = leeches(db, "default")
        total = total_answers(db, "default")
        cards = {r[0]: (r[1], bool(r[2]), r[3])
                 for r in db.execute("SELECT id, deck, retired, prompt FROM cards")}
        rows = list(db.query("SELECT * FROM card_state WHERE profile = 'default'"))
    expected: dict[str, list[Any]] = {}
    for deck, retired, _prompt in cards.values():
        entry = expected.setdefault(deck, [0, 0, 0, 0, 0, 0, 0, None, 0, 0])
        entry[0] += not retired
    days = [0] * 30
    for state in rows:
        deck, retired, _prompt = cards[state["card_id"]]
        entry = expected[deck]
        if state["last_answer_day"] is not None:
            entry[7] = max(entry[7] or state["last_answer_day"], state["last_answer_day"])
        entry[8] += state["first_answers"]  # all-time score: retired cards' answers count
        entry[9] += state["first_correct"]
        if retired:
            continue
        due = state["due_day"]
        entry[1] += due is not None or bool(state["suspended"])
        entry[2] += not state["suspended"] and due is not None and due <= today
        entry[3] += state["repetitions"] >= LEARNED_REPETITIONS
        entry[4] += state["interval_days"] >= MATURE_DAYS
        entry[5] += state["lapses"] >= LEECH_LAPSES
        entry[6] += state["suspended"]
        if not state["suspended"] and due is not None and due < today + 30:
            days[max(due, today) - today] += 1
    store.close()
    assert {deck: list(figures) for deck, figures in found.items()} == expected
    assert sum(f.suspended for f in found.values()) == 1 and sum(f.leeches for f in found.values())
    assert list(ahead) == days and sum(days) > 0
    assert [leech.card_id for leech in leeched] == sorted([ids[-2], ids[-1]])  # not the retired
    assert total == sum(state["answers"] for state in rows) > 0

def test_the_queue_walks_read_covering_indexes(tmp_path: Path) -> None:
    """Schema 5: the due walk reads ``card_state_due`` alone, in its order (issue 13: the first
    card), whatever the planner's statistics; the new-card walk is one key range of
    ``new_cards``, in its key's order (no sort)."""
    from ibdquiz.storage import planning

    store = studied_store(tmp_path / "x.db", clock_at(2024, 3, 1))
    plans: list[str] = []
    with store.reading() as db:
        real_records, real_execute = db.records, db.execute

        def explaining(real: Any) -> Any:
            def explained(sql: str, params: Any = None) -> Any:
                if sql.lstrip().upper().startswith("SELECT"):
                    plans.append(" | ".join(
                        str(row[-1])
                        for row in real_execute(f"EXPLAIN QUERY PLAN {sql}", params)
                    ))
                return real(sql, params)
            return explained

        db.records = explaining(real_records)  # type: ignore[method-assign]
        db.execute = explaining(real_execute)  # type: ignore[method-assign]
        planning.build_queue(db, "default", None, SessionFilters(), store.today(), 20)
        db.records, db.execute = real_records, real_execute  # type: ignore[method-assign]
    store.close()
    due = next(plan for plan in plans if "card_state_due" in plan)
    new = next(plan for plan in plans if "new_cards" in plan)
    assert "COVERING INDEX card_state_due" in due and "cards_draw" not in due
    assert "TEMP B-TREE" not in due  # the index is in the queue's order
    assert "SEARCH new_cards USING PRIMARY KEY (profile=? AND deck=?)" in new
    assert "TEMP B-TREE" not in new


def test_due_counts_need_no_new_card_walk(tmp_path: Path) -> None:
    """Stats count today's reviews per deck from a queue planned without new cards: the same
    reviews as the whole queue's, re-drills and review limits included."""
    from ibdquiz.core.queue import Phase
    from ibdquiz.storage.stats import todays_reviews_by_deck

    clock = clock_at(2024, 3, 1)
    store = studied_store(tmp_path / "x.db", clock)
    seen = 0
    for hours, limit in ((0, 0), (30, 2), (24 * 9, 0), (24 * 9, 1)):
        clock.advance(hours=hours)
        today = store.today()
        store.save_settings("default", replace(store.settings("default"), review_limit=limit))
        with store.reading() as db:
            whole = build_queue(db, "default", None, SessionFilters(), today, 20, limit)
            counted = todays_reviews_by_deck(db, "default", today)
        expected: dict[str, int] = {}
        for planned in whole.queue:
            if planned.phase is Phase.REVIEW:
                deck = planned.card_id.split("/", 1)[0]
                expected[deck] = expected.get(deck, 0) + 1
        assert counted == expected, (hours, limit)
        seen += sum(counted.values())
    store.close()
    assert seen > 0


def test_the_all_time_scores_read_the_covering_card_index(tmp_path: Path) -> None:
    from ibdquiz.storage.stats import _ALL_TIME

    store = studied_store(tmp_path / "x.db", clock_at(2024, 3, 1))
    for sql in _ALL_TIME.values():
        assert "COVERING INDEX cards_draw" in plan_of(store, sql, {"profile": "default"})
    store.close()
