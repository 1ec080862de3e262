"""Opening the database: files that are not ours are refused, one line, byte for byte untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ibdquiz.errors import DatabaseError
from ibdquiz.storage.db import check_file
from ibdquiz.storage.schema import APPLICATION_ID, SCHEMA_VERSION
from ibdquiz.storage.store import Store
from tests.helpers_storage import clock_at, demo_deck


def make_ours(path: Path) -> None:
    store = Store.open(path, clock=clock_at(2024, 3, 1))
    store.sync_decks([demo_deck()])
    store.close()


def assert_refused(path: Path, words: str) -> None:
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as info:
        Store.open(path)
    message = str(info.value)
    assert "\n" not in message
    assert words in message
    assert path.read_bytes() == before
    with pytest.raises(DatabaseError):
        Store.open_existing(path)
    assert path.read_bytes() == before


def test_new_file_is_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "ibdquiz.db"
    make_ours(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert check_file(path) == SCHEMA_VERSION
    # opening it again works and keeps what it held
    store = Store.open(path)
    assert len(store.cards()) == 13
    store.close()


def test_connection_settings(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db")
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    store.close()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="folder"):
        Store.open(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_text_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my notes\n" * 20)
    assert_refused(path, "not an SQLite file")


def test_other_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    assert_refused(path, "another program's")


def test_corrupted_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    make_ours(path)
    data = bytearray(path.read_bytes())
    assert len(data) > 4096 * 2
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, after the header
    path.write_bytes(bytes(data))
    assert_refused(path, "corrupted")


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    make_ours(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    assert_refused(path, "newer ibdquiz")


def test_open_existing_on_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "ibdquiz.db"
    assert Store.open_existing(path) is None
    assert not path.exists() and not path.parent.exists()
    with pytest.raises(DatabaseError, match="no ibdquiz database"):
        Store.open(path, create=False)
    assert not path.parent.exists()


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    Store.open(path).close()
    assert check_file(path) == SCHEMA_VERSION


# Read-only files and folders, WAL files that cannot be created and a lock held by another
# process are tested through the CLI, as an unprivileged user, in test_storage_access.py.


def test_locked_database_gives_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ibdquiz.db"
    make_ours(path)
    monkeypatch.setattr("ibdquiz.storage.db.BUSY_TIMEOUT_MS", 100)
    store = Store.open(path)
    store._db.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError, match="locked"):
            store.set_display_name("default", "X")
    finally:
        other.rollback()
        other.close()
        store.close()


def test_the_log_is_folded_back_every_few_thousand_pages_and_commits_stay_durable(
    tmp_path: Path,
) -> None:
    from ibdquiz.storage.db import WAL_CHECKPOINT_PAGES
    from ibdquiz.storage.store import Store

    with Store.open(tmp_path / "x.db") as store, store.reading() as db:
        assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_CHECKPOINT_PAGES
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
