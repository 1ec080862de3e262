"""Opening the database file: refuse what is not ours (read-only checks first), then WAL, busy
timeout, foreign keys and forward migrations with a backup copy (DESIGN §8).

Nothing is written to a file until its header says it is ibdquiz's (``application_id``), from
a schema this ibdquiz knows (``user_version``), and a read-only ``quick_check`` passes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from ibdquiz.errors import DatabaseError
from ibdquiz.storage.schema import APPLICATION_ID, SCHEMA_VERSION, migrations

BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"


def _refuse(path: Path, what: str) -> DatabaseError:
    return DatabaseError(
        f"{path} {what}; ibdquiz left it untouched. Pass another file with --db (or IBDQUIZ_DB)"
    )


def check_file(path: Path) -> int | None:
    """The schema version of an existing ibdquiz file, 0 for an empty file, ``None`` if missing.

    Raises ``DatabaseError`` for anything that is not an ibdquiz database this version can use.
    Reads only: the header bytes, then a read-only SQLite connection.
    """
    if not path.exists():
        return None
    if path.is_dir():
        raise _refuse(path, "is a folder, not a database file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not header:
        return 0
    if len(header) < 100 or not header.startswith(_HEADER):
        raise _refuse(path, "is not an ibdquiz database (not an SQLite file at all)")
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID:
        raise _refuse(path, "is another program's SQLite database, not ibdquiz's")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer ibdquiz (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}); upgrade ibdquiz to use it. The file was left untouched"
        )
    _quick_check(path)
    return version


def _quick_check(path: Path) -> None:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(
                f"{path} is locked by another program; close it and try again"
            ) from exc
        raise _refuse(path, f"is corrupted ({exc}); restore it from a backup") from exc
    if [tuple(row) for row in rows] != [("ok",)]:
        raise _refuse(path, f"is corrupted ({rows[0][0]}); restore it from a backup")


def describe(path: Path, exc: sqlite3.Error) -> DatabaseError:
    """One clear line for an SQLite failure on ``path``."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseError(f"{path} is locked by another ibdquiz or program; try again shortly")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            f"{path} is read-only; make it (and its folder) writable, "
            "or pass another file with --db"
        )
    if "unable to open" in text:
        return DatabaseError(
            f"cannot open {path}: its folder is missing or not writable; "
            "pass another file with --db"
        )
    if "malformed" in text or "not a database" in text:
        return DatabaseError(f"{path} is corrupted ({text}); restore it from a backup")
    return DatabaseError(f"database error on {path}: {text}")


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn ``sqlite3`` failures inside the block into one-line ``DatabaseError``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise describe(path, exc) from exc


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: takes the write lock up front.

    sqlite-utils' ``atomic()`` begins a deferred transaction; a deferred transaction that reads,
    then writes, fails at once ("database is locked") when another process wrote in between,
    without waiting for the busy timeout. Taking the lock first makes the busy timeout apply.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def backup_path(path: Path, version: int) -> Path:
    """Where the copy made before migrating a schema-``version`` file goes."""
    return path.with_name(f"{path.name}.schema{version}.bak")


def open_database(path: Path, *, create: bool) -> Database | None:
    """Open (and migrate) the database at ``path``; ``None`` if missing and not ``create``."""
    version = check_file(path)
    if version is None and not create:
        return None
    if version is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the folder {path.parent}: {exc.strerror or exc}; "
                "pass another file with --db"
            ) from exc
    with translate_errors(path):
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA foreign_keys = ON")
            _migrate(db, path, version or 0)
            db.enable_wal()
        except BaseException:
            conn.close()
            raise
    return db


def _migrate(db: Database, path: Path, version: int) -> None:
    if version >= SCHEMA_VERSION:
        return
    if version > 0:
        target = backup_path(path, version)
        copy = sqlite3.connect(str(target))
        try:
            db.conn.backup(copy)
        finally:
            copy.close()
    else:
        # Mark the file as ours first, so a crash mid-way leaves a file we recognise and finish.
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db)
