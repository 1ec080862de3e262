"""Forward migrations: a copy of the old file first (byte for byte), then the upgrade; a file
from a newer ibdquiz is refused untouched; a migration that fails changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ibdquiz.errors import DatabaseError
from ibdquiz.storage import schema
from ibdquiz.storage.db import backup_path, check_file
from ibdquiz.storage.store import Store
from tests.helpers_storage import assert_one_error_line, run_cli


def make_schema(path: Path, version: int) -> None:
    """A database as an earlier ibdquiz left it: its first ``version`` migrations, one
    profile."""
    first = Migrations(schema.MIGRATION_SET)
    for name, function in schema.MIGRATIONS[:version]:
        first(name=name)(function)
    conn = sqlite3.connect(path)
    db = Database(conn)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    first.apply(db)
    db.enable_wal()
    db.execute(
        "INSERT INTO profiles (name, display_name, learner_id, created_at)"
        " VALUES ('default', 'Ann', 'uuid-1', 1)"
    )
    conn.close()


def make_schema_1(path: Path) -> None:
    """A database as the first ibdquiz release left it: migration 0001 only, one profile."""
    make_schema(path, 1)


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    finally:
        conn.close()
    return {row[0] for row in rows}


def test_there_is_a_migration_to_test() -> None:
    assert schema.SCHEMA_VERSION == 5
    assert [m.name for m in schema.migration_set().pending(Database(memory=True))] == [
        "0001_initial", "0002_reviews_by_session", "0003_release_2", "0004_storage_for_scale",
        "0005_queue_walks",
    ]


def test_backup_is_written_first_byte_equal_then_the_migration_applies(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    make_schema_1(path)
    old = path.read_bytes()
    assert check_file(path) == 1 and "reviews_session" not in indexes(path)
    with Store.open(path) as store:
        found = store.find_profile("default")
        assert found is not None and found.learner_id == "uuid-1"  # the data survived
    backup = backup_path(path, 1)
    assert backup.read_bytes() == old
    assert user_version(path) == schema.SCHEMA_VERSION
    assert "reviews_session" in indexes(path)
    assert user_version(backup) == 1 and "reviews_session" not in indexes(backup)
    conn = sqlite3.connect(path)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert applied == [
        "0001_initial", "0002_reviews_by_session", "0003_release_2", "0004_storage_for_scale",
        "0005_queue_walks",
    ]
    columns = {
        table: {r[1] for r in sqlite3.connect(path).execute(f"PRAGMA table_info({table})")}
        for table in ("reviews", "flags", "cards")
    }
    assert "undone_at" in columns["reviews"] and "via" in columns["cards"]
    assert {"options", "context", "card_hash"} <= columns["flags"]
    # opening again migrates nothing and leaves the backup alone
    backup.write_bytes(b"kept")
    Store.open(path).close()
    assert backup.read_bytes() == b"kept"


def test_backup_while_another_connection_keeps_pages_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    make_schema_1(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE profiles SET display_name = 'Bea'")  # lives in the -wal file
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM profiles").fetchone()  # a reader blocks the truncation
    try:
        Store.open(path).close()
    finally:
        other.execute("COMMIT")
        other.close()
    backup = sqlite3.connect(backup_path(path, 1))
    try:
        assert backup.execute("PRAGMA user_version").fetchone() == (1,)
        assert backup.execute("SELECT display_name FROM profiles").fetchone() == ("Bea",)
        assert backup.execute("PRAGMA quick_check").fetchone() == ("ok",)
    finally:
        backup.close()
    assert user_version(path) == schema.SCHEMA_VERSION


def test_failed_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    make_schema_1(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE reviews_session (x)")  # the name migration 0002 needs
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as info:
        Store.open(path)
    assert "\n" not in str(info.value)
    assert user_version(path) == 1
    conn = sqlite3.connect(path)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    conn.close()
    assert applied == ["0001_initial"]


def test_newer_schema_is_refused_by_the_cli_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for command in (["profile"], ["stats"], ["export"]):
        result = run_cli("--db", str(path), *command)
        assert_one_error_line(result, "newer ibdquiz")
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ibdquiz.db"]


def test_schema_3_file_upgrades_with_every_note_and_state_kept(tmp_path: Path) -> None:
    """0004 moves each card's teaching notes (a JSON list of [answer, note] pairs in schema 3)
    into ``note_texts`` (each distinct note once, the card keeping the ids in its order) and
    rebuilds ``card_state`` clustered: every state row and counter is kept, and the triggers
    still count."""
    from ibdquiz.core.catalog import discover
    from ibdquiz.paths import bundled_decks_dir

    today = Store.open(tmp_path / "today.db")  # the cards as this ibdquiz stores them
    today.sync_decks(list(discover([("bundled", bundled_decks_dir())]).decks.values()))
    cards = today.card_rows(today.card_ids(None))
    with today.reading() as db:
        rows = list(db.query("SELECT * FROM cards"))
        decks = list(db.query("SELECT * FROM decks"))
    today.close()
    noted = {card_id: card.notes for card_id, card in cards.items() if card.notes}
    assert len(noted) > 10
    path = tmp_path / "ibdquiz.db"
    make_schema(path, 3)
    conn = sqlite3.connect(path)
    for table, items in (("decks", decks), ("cards", rows)):
        for row in items:
            if table == "cards":
                row = {**row, "notes": json.dumps([list(n) for n in noted.get(row["id"], ())])}
            conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES"
                         f" ({', '.join('?' * len(row))})", list(row.values()))
    some = sorted(noted)[:3]
    for number, card_id in enumerate(some):
        conn.execute("INSERT INTO card_state (profile, card_id, repetitions, due_day, lapses,"
                     " answers, first_answers, first_correct, last_answer_day)"
                     " VALUES ('default', ?, ?, 19000, 1, 7, 5, 4, 18990)", [card_id, number])
    conn.commit()
    conn.close()
    old = path.read_bytes()
    with Store.open(path) as store:
        again = store.card_rows(list(cards))
        with store.writing() as db:
            kept = [tuple(r) for r in db.execute(
                "SELECT card_id, repetitions, due_day, lapses, answers, first_answers,"
                " first_correct, last_answer_day FROM card_state ORDER BY card_id")]
            db.execute("INSERT INTO reviews (profile, card_id, reviewed_at, utc_offset_min,"
                       " study_day, phase, kind, quality, correct, duration_ms,"
                       " repetitions_before, easiness_before, interval_before, repetitions,"
                       " easiness, interval_days) VALUES ('default', ?, 1, 0, 19001, 'review',"
                       " 'choice', 4, 1, 1, 0, 2.5, 0, 1, 2.5, 1)", [some[0]])
            counted = db.execute("SELECT answers, first_answers, first_correct, last_answer_day"
                                 " FROM card_state WHERE card_id = ?", [some[0]]).fetchone()
    assert backup_path(path, 3).read_bytes() == old
    assert user_version(path) == schema.SCHEMA_VERSION
    assert {card_id: card.notes for card_id, card in again.items() if card.notes} == noted
    assert kept == [(card_id, n, 19000, 1, 7, 5, 4, 18990) for n, card_id in enumerate(some)]
    assert tuple(counted) == (8, 6, 5, 19001)
    conn = sqlite3.connect(path)
    distinct = {pair for notes in noted.values() for pair in notes}
    assert conn.execute("SELECT count(*) FROM note_texts").fetchone() == (len(distinct),)
    longest = conn.execute("SELECT max(length(notes)) FROM cards").fetchone()[0]
    clustered = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'card_state'").fetchone()
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    new_cards = set(conn.execute("SELECT * FROM new_cards"))  # schema 5, filled in the upgrade
    assert new_cards == set(conn.execute(schema.NEW_CARDS_SQL))
    assert len(new_cards) == len(rows) - len(some)  # the three cards with a due day left
    misplaced = conn.execute(
        "SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id"
        " WHERE s.deck IS NOT c.deck OR s.position IS NOT c.position").fetchone()
    assert misplaced == (0,)  # schema 5: each state carries its card's deck and position
    assert {"card_state_due", "card_state_last"} <= {
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert longest < max(len(json.dumps(notes)) for notes in noted.values())
    assert "WITHOUT ROWID" in clustered[0]
