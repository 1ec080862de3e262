"""Read-only, locked and WAL-less databases, tested for real through the CLI in a subprocess.

As root, ``chmod`` stops nobody, so the CLI runs as ``nobody`` (helpers_storage); the files live
in a folder under the system temp dir that ``nobody`` can reach. Each failure must be one
``ibdquiz: error:`` line, exit non-zero, no traceback, and the database file left as it was.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from tests.helpers_storage import (
    ask,
    assert_one_error_line,
    chmod_protects,
    demo_deck,
    hold_write_lock,
    run_cli,
    run_cli_unprivileged,
    running_as_root,
)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the unprivileged CLI can reach (pytest's tmp_path is private to root)."""
    if sys.platform == "win32":
        pytest.skip("POSIX permissions")
    base = Path(tempfile.mkdtemp(prefix="ibdquiz-access-"))
    base.chmod(0o755)
    inner = base / "data"
    inner.mkdir()
    if not running_as_root() and not chmod_protects(inner):
        shutil.rmtree(base)
        pytest.skip("this file system ignores chmod for this user")
    try:
        yield inner
    finally:
        for path in (base, inner, *inner.iterdir()):
            path.chmod(0o777 if path.is_dir() else 0o666)
        shutil.rmtree(base)


def make_db(path: Path) -> None:
    """A database with a profile, a synced deck and one answer given today (the real clock)."""
    with Store.open(path) as store:
        store.set_display_name("default", "Ann")
        store.sync_decks([demo_deck()])
        session = StudySession(store, "default")
        item = ask(session)
        assert item is not None and item.correct_index is not None
        session.answer_choice(item.correct_index)
    path.chmod(0o666)


def stats_json(db: Path) -> dict[str, object]:
    result = run_cli_unprivileged("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def total_answers(data: dict[str, object]) -> int:
    totals = data["totals"]
    assert isinstance(totals, dict)
    return int(totals["answers_7d"])


def test_read_only_file_refuses_writes_in_one_line_but_reads(folder: Path) -> None:
    folder.chmod(0o777)
    db = folder / "ibdquiz.db"
    make_db(db)
    db.chmod(0o444)
    before = db.read_bytes()
    result = run_cli_unprivileged("--db", str(db), "profile", "--name", "X")
    assert_one_error_line(result, "read-only", str(db))
    assert db.read_bytes() == before
    assert total_answers(stats_json(db)) == 1  # reading still works
    assert db.read_bytes() == before


def test_read_only_file_in_read_only_folder_still_reads(folder: Path) -> None:
    db = folder / "ibdquiz.db"
    make_db(db)
    db.chmod(0o444)
    folder.chmod(0o555)
    before = db.read_bytes()
    assert_one_error_line(
        run_cli_unprivileged("--db", str(db), "profile", "--name", "X"), "read-only"
    )
    assert total_answers(stats_json(db)) == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["ibdquiz.db"]


def test_read_only_folder_for_a_new_database(folder: Path) -> None:
    folder.chmod(0o555)
    db = folder / "ibdquiz.db"
    # setting a name creates the database (only showing the profile creates nothing)
    result = run_cli_unprivileged("--db", str(db), "profile", "--display-name", "X")
    assert_one_error_line(result, "not writable", str(folder))
    assert list(folder.iterdir()) == []
    nested = run_cli_unprivileged("--db", str(folder / "sub" / "x.db"), "profile",
                                  "--display-name", "X")
    assert_one_error_line(nested, "cannot create the folder")
    # a reading command on the missing file shows zeros and creates nothing
    assert total_answers(stats_json(db)) == 0
    assert list(folder.iterdir()) == []


def test_wal_files_that_cannot_be_created(folder: Path) -> None:
    """A writable database in a read-only folder: SQLite cannot create -wal/-shm beside it."""
    db = folder / "ibdquiz.db"
    make_db(db)
    folder.chmod(0o555)
    before = db.read_bytes()
    result = run_cli_unprivileged("--db", str(db), "profile", "--name", "X")
    assert_one_error_line(result, "ibdquiz.db-wal", "not writable")
    assert db.read_bytes() == before
    assert total_answers(stats_json(db)) == 1
    assert db.read_bytes() == before


def test_long_lock_gives_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    make_db(db)
    holder = hold_write_lock(db, 30)
    try:
        started = time.monotonic()
        result = run_cli("--db", str(db), "profile", "--name", "X")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert_one_error_line(result, "database is locked by another ibdquiz", "try again")
    assert waited >= 4.5  # the busy timeout was waited out first
    with Store.open(db) as store:
        found = store.find_profile("default")
    assert found is not None and found.display_name == "Ann"  # the holder's write rolled back


def test_short_lock_is_waited_out(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    make_db(db)
    holder = hold_write_lock(db, 0.8)
    try:
        result = run_cli("--db", str(db), "profile", "--name", "Dr X")
    finally:
        assert holder.wait(timeout=30) == 0
    assert result.returncode == 0, result.stderr
    assert "Dr X" in result.stdout
    conn = sqlite3.connect(db)
    try:
        name = conn.execute("SELECT display_name FROM profiles WHERE name = 'default'").fetchone()
    finally:
        conn.close()
    assert name == ("Dr X",)  # written after the holder's commit, not lost to it


def test_reading_while_another_process_writes(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    make_db(db)
    holder = hold_write_lock(db, 30)
    try:
        result = run_cli("--db", str(db), "stats", "--format", "json")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["answers_7d"] == 1
