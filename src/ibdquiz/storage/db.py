"""Opening the database file: refuse what is not ours (read-only checks first), then WAL, busy
timeout, foreign keys and forward migrations with a backup copy (docs/storage.md).

Nothing is written to a file until its header says it is ibdquiz's (``application_id``), from
a schema this ibdquiz knows (``user_version``), and a read-only read of its schema succeeds.
The whole-file ``PRAGMA quick_check`` runs once a day (the day of the last good check is kept
in ``storage_meta``), when a read fails, and on ``ibdquiz check`` — not on every open: at a
program's scale it takes a second.

A ``-journal`` file left by a kill during the first creation (a *hot* journal: the rollback
journal mode is used until WAL is switched on) is rolled back by a writable connection before
anything else reads the file, so the next start goes on instead of reporting a read-only file.

Writers (``open_database(..., writable=True)``: the TUI, ``study``, ``profile``) refuse a file
they could not write *before* anything is shown, so no answer is ever taken that cannot be
saved. Readers (``stats``, ``export``) also work on a read-only file or folder: they open the
file read-only, and when SQLite cannot create the ``-wal``/``-shm`` files beside it (a read-only
folder) and no ``-wal`` file exists, they read it as immutable (nobody can be writing to it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ibdquiz.errors import DatabaseError
from ibdquiz.storage import schema
from ibdquiz.storage.connection import Database
from ibdquiz.storage.schema import APPLICATION_ID, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000
_HEADER = b"SQLite format 3\x00"
# SQLite's answers when it cannot create the -wal/-shm files beside a database (a read-only
# folder) — as opposed to a damaged file.
_SIDECAR_ERRORS = frozenset({"SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"})


@dataclass(frozen=True)
class FileCheck:
    """What the read-only checks found: the schema version, and how the file can be read."""

    version: int
    sidecars_blocked: bool = False
    """SQLite cannot create ``-wal``/``-shm`` beside the file: it can only be read as immutable."""


def _refuse(path: Path, what: str) -> DatabaseError:
    return DatabaseError(
        f"{path} {what}; ibdquiz left it untouched. Pass another file with --db (or IBDQUIZ_DB)"
    )


def _uri(path: Path, *, immutable: bool = False) -> str:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection that waits up to the busy timeout for another writer's lock."""
    return sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000)


def sidecar(path: Path, suffix: str) -> Path:
    """The ``-wal`` or ``-shm`` file SQLite keeps beside ``path`` in WAL mode."""
    return path.with_name(f"{path.name}{suffix}")


def check_file(path: Path) -> int | None:
    """The schema version of an existing ibdquiz file, 0 for an empty file, ``None`` if missing.

    Raises ``DatabaseError`` for anything that is not an ibdquiz database this version can use.
    Reads only: the header bytes, then a read-only SQLite connection.
    """
    found = inspect_file(path)
    return None if found is None else found.version


def inspect_file(path: Path) -> FileCheck | None:
    """``check_file``, also saying whether the file can only be read as immutable."""
    if not path.exists():
        return None
    if path.is_dir():
        raise _refuse(path, "is a folder, not a database file")
    _roll_back_hot_journal(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseError(
            f"cannot read {path}: {exc.strerror or exc}; check its permissions"
        ) from exc
    if not header:
        return FileCheck(0)
    if len(header) < 100 or not header.startswith(_HEADER):
        raise _refuse(path, "is not an ibdquiz database (not an SQLite file at all)")
    application_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application_id != APPLICATION_ID:
        raise _refuse(path, "is another program's SQLite database, not ibdquiz's")
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    return FileCheck(version, _quick_check(path))


def _newer(path: Path, version: int) -> DatabaseError:
    return DatabaseError(
        f"{path} was written by a newer ibdquiz (schema {version}; this one knows up to "
        f"{SCHEMA_VERSION}); upgrade ibdquiz to use it. The file was left untouched"
    )


def _roll_back_hot_journal(path: Path) -> None:
    """Roll back a ``-journal`` left by a killed first creation (SQLite does it on a read).

    A read-only connection cannot roll a hot journal back and reports the file read-only;
    a writable one does it on its first read. Without write access the journal stays, and the
    message says what is needed.
    """
    journal = sidecar(path, "-journal")
    if not journal.exists():
        return
    if not _can_write(path) or not os.access(path.parent, os.W_OK):
        raise DatabaseError(
            f"{path} has an unfinished write ({journal.name} beside it) that must be rolled "
            "back before it can be read; make the file and its folder writable once"
        )
    conn = _connect(str(path))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _check_failed(path, exc) from exc
    finally:
        conn.close()


def _quick_check(path: Path) -> bool:
    """Read the schema read-only (and ``quick_check`` when due); True if only immutable works."""
    try:
        _run_quick_check(path, immutable=False)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") not in _SIDECAR_ERRORS:
            raise _check_failed(path, exc) from exc
        if sidecar(path, "-wal").exists():
            # Uncommitted pages may sit in the -wal file: an immutable read would miss them.
            raise DatabaseError(
                f"cannot read {path}: SQLite needs to create {path.name}-shm beside it and the "
                f"folder {path.parent} is not writable; make the folder writable"
            ) from exc
        try:
            _run_quick_check(path, immutable=True)
        except sqlite3.DatabaseError as again:
            raise _check_failed(path, again) from again
        return True
    return False


CHECK_KEY = "quick_check_day"
"""``storage_meta`` key: the UTC date (ISO) of the last whole-file check that passed."""


def check_day() -> str:
    """Today's UTC date, the unit of the daily whole-file check."""
    return time.strftime("%Y-%m-%d", time.gmtime())


def _run_quick_check(path: Path, *, immutable: bool) -> None:
    conn = _connect(_uri(path, immutable=immutable), uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if _check_due(conn):
            full_check(conn)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") in _SIDECAR_ERRORS:
            raise
        full_check(conn)  # a failed read: say what the whole-file check finds
        raise
    finally:
        conn.close()


def _check_due(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM storage_meta WHERE key = ?", [CHECK_KEY]).fetchone()
    except sqlite3.OperationalError:  # an older schema: no storage_meta yet
        return True
    return row is None or row[0] != check_day()


def full_check(conn: sqlite3.Connection) -> None:
    """``PRAGMA quick_check`` of the whole file; raises ``sqlite3.DatabaseError`` if not ok."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        raise sqlite3.DatabaseError(f"quick_check: {rows[0][0]}")


def record_check(conn: sqlite3.Connection) -> None:
    """Remember that the whole file was checked today (writers only; best effort)."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute(
            "INSERT INTO storage_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [CHECK_KEY, check_day()],
        )
        conn.commit()


def _check_failed(path: Path, exc: sqlite3.DatabaseError) -> DatabaseError:
    text = str(exc)
    if "locked" in text or "busy" in text or "readonly" in text or "unable to open" in text:
        return describe(path, exc)
    if "disk is full" in text or ("disk I/O" in text and _low_on_space(path)):
        return describe(path, exc)  # a full disk, not a damaged file
    return _refuse(path, f"is corrupted ({text}); restore it from a backup")


def describe(path: Path, exc: sqlite3.Error) -> DatabaseError:
    """One clear line for an SQLite failure on ``path``."""
    text = str(exc)
    name = getattr(exc, "sqlite_errorname", "")
    if "locked" in text or "busy" in text:
        seconds = BUSY_TIMEOUT_MS / 1000
        return DatabaseError(
            f"database is locked by another ibdquiz (or another program) for more than "
            f"{seconds:g} s: {path}; finish or close the other one, then try again"
        )
    if name == "SQLITE_READONLY_DIRECTORY":
        return _sidecars_blocked(path)
    if "readonly" in text or "read-only" in text:
        return _read_only(path)
    if "unable to open" in text:
        return DatabaseError(
            f"cannot open {path}: its folder is missing or not writable; "
            "pass another file with --db"
        )
    if "disk is full" in text or "disk I/O" in text:
        cause = "the disk is full, no space left" if _low_on_space(path) else text
        return DatabaseError(f"cannot write {path}: {cause}; free some disk space and try again")
    if "malformed" in text or "not a database" in text:
        return DatabaseError(f"{path} is corrupted ({text}); restore it from a backup")
    return DatabaseError(f"database error on {path}: {text}")


LOW_SPACE_BYTES = 1 << 20
"""Below this much free space, an SQLite I/O error is taken for a full disk (issue 14)."""


def _low_on_space(path: Path) -> bool:
    """True when the file system of ``path`` has (almost) no space left."""
    try:
        stats = os.statvfs(path.parent if str(path.parent) else ".")
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES


def _read_only(path: Path) -> DatabaseError:
    return DatabaseError(
        f"{path} is read-only, and ibdquiz must write your answers to it; make it writable "
        "(chmod u+w) or pass another file with --db (stats and export can still read it)"
    )


def _sidecars_blocked(path: Path) -> DatabaseError:
    return DatabaseError(
        f"cannot create {path.name}-wal and {path.name}-shm beside {path}: the folder "
        f"{path.parent} is not writable; make it writable or move the database"
    )


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn ``sqlite3`` failures inside the block into one-line ``DatabaseError``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise describe(path, exc) from exc


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: takes the write lock up front; rolls back on failure.

    sqlite-utils' ``atomic()`` begins a deferred transaction; a deferred transaction that reads,
    then writes, fails at once ("database is locked") when another process wrote in between,
    without waiting for the busy timeout. Taking the lock first makes the busy timeout apply.
    A failed ``COMMIT`` is rolled back too, so the connection is never left mid-transaction.
    Inside a transaction already open (``Store.writing``), the block joins it.
    """
    if db.conn.in_transaction:  # inside an outer ``write_transaction``: part of it
        yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def backup_path(path: Path, version: int) -> Path:
    """Where the copy made before migrating a schema-``version`` file goes."""
    return path.with_name(f"{path.name}.schema{version}.bak")


def open_database(path: Path, *, create: bool, writable: bool = True) -> Database | None:
    """Open (and migrate) the database at ``path``; ``None`` if missing and not ``create``.

    ``writable=False`` (reading commands) opens a file it cannot write read-only instead of
    refusing it.
    """
    found = inspect_file(path)
    if found is None:
        if not create:
            return None
        return _create(path)
    if not writable and (found.sidecars_blocked or not _can_write(path)):
        return _open_read_only(path, found)
    if not _can_write(path):
        raise _read_only(path)
    with translate_errors(path):
        conn = _connect(str(path))
        try:
            _first_read(conn, path)
            return _prepare(conn, path, found.version)
        except BaseException:
            conn.close()
            raise


def _can_write(path: Path) -> bool:
    """True when this process may write the file and the WAL files already beside it.

    Opening for update writes nothing; it fails on a read-only file or file system even for
    root, where ``os.access`` would say yes.
    """
    for target in (path, sidecar(path, "-wal"), sidecar(path, "-shm")):
        try:
            with target.open("r+b"):
                pass
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


def _first_read(conn: sqlite3.Connection, path: Path) -> None:
    """Read once, so that a folder where ``-wal``/``-shm`` cannot be created is named as such."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") in _SIDECAR_ERRORS:
            raise _sidecars_blocked(path) from exc
        raise


def _create(path: Path) -> Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the folder {path.parent}: {exc.strerror or exc}; "
            "pass another file with --db"
        ) from exc
    try:
        conn = _connect(str(path))
    except sqlite3.Error as exc:
        raise DatabaseError(
            f"cannot create {path}: the folder {path.parent} is not writable ({exc}); "
            "make it writable or pass another file with --db"
        ) from exc
    with translate_errors(path):
        try:
            return _prepare(conn, path, 0)
        except BaseException:
            conn.close()
            raise


def backup_to(conn: sqlite3.Connection, path: Path, target: Path) -> int:
    """Copy the open database ``conn`` (of ``path``) to ``target`` with SQLite's backup API.

    The copy gets every committed page, those still in the ``-wal`` file too, and is a plain
    single file (rollback journal mode). Written to a hidden file beside ``target``, synced,
    then renamed: ``target`` is the whole copy or untouched. Returns its size in bytes.
    """
    if target.exists() or target.is_symlink():
        raise DatabaseError(f"{target} already exists; ibdquiz left it untouched. Name a new file")
    if target.resolve() == path.resolve():
        raise DatabaseError(f"{target} is the database itself; name another file")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        copy = sqlite3.connect(str(partial))
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE").fetchone()
            full_check(copy)
        finally:
            copy.close()
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            raise DatabaseError(f"{target} appeared while writing the backup; name a new file")
        os.replace(partial, target)
        with contextlib.suppress(OSError):
            folder = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except (OSError, sqlite3.Error) as exc:
        text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DatabaseError(
            f"cannot write the backup {target}: {text}; nothing was written there"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
        sidecar(partial, "-journal").unlink(missing_ok=True)
    return target.stat().st_size


WAL_CHECKPOINT_PAGES = 4000
"""Pages of write-ahead log after which a commit folds it back into the database file."""


def _prepare(conn: sqlite3.Connection, path: Path, version: int) -> Database:
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    # FULL, not the WAL-mode favourite NORMAL: a commit (an answer) survives a power cut too,
    # whatever default this SQLite was built with.
    db.execute("PRAGMA synchronous = FULL")
    # Fold the -wal file into the database every 4000 pages (~16 MB), not SQLite's 1000: each
    # fold is a slow answer, and at 1000 pages one in ~100 answers paid for one (answer p99
    # at 50k cards, medians of 3 alternating runs: 2.25 -> 1.69 ms; p50 unchanged).
    db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    _migrate(db, path, version)
    db.enable_wal()
    if _check_due(conn):  # inspect_file just ran the day's whole-file check
        record_check(conn)
    return db


def _open_read_only(path: Path, found: FileCheck) -> Database:
    if found.version < SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} is from an older ibdquiz (schema {found.version}) and must be upgraded, "
            "but it is read-only; make it (and its folder) writable once, or pass another "
            "file with --db"
        )
    with translate_errors(path):
        conn = _connect(_uri(path, immutable=found.sidecars_blocked), uri=True)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return db


def _migrate(db: Database, path: Path, version: int) -> None:
    """Apply pending migrations under the write lock, copying the old file first."""
    if version >= SCHEMA_VERSION:
        return
    if version > 0:
        # Fold the -wal file into the main file, so that the backup can be a plain byte copy.
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    with write_transaction(db):
        # Another ibdquiz may have migrated the file between the check and the lock.
        current = int(db.conn.execute("PRAGMA user_version").fetchone()[0])
        if current > SCHEMA_VERSION:
            raise _newer(path, current)
        if current == SCHEMA_VERSION:
            return
        if current > 0:
            _backup(path, current)
        else:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        from sqlite_utils import Database as MigratingDatabase  # only now: it is heavy

        schema.migration_set().apply(MigratingDatabase(db.conn))


def _backup(path: Path, version: int) -> None:
    """Copy the file (held under the write lock) to ``backup_path`` before migrating it."""
    target = backup_path(path, version)
    partial = target.with_name(target.name + ".partial")
    wal = sidecar(path, "-wal")
    try:
        if not wal.exists() or wal.stat().st_size == 0:
            shutil.copyfile(path, partial)  # the whole database is in the main file
            with partial.open("rb+") as copied:  # on disk before it is named a backup
                os.fsync(copied.fileno())
        else:
            # Another connection keeps pages in the -wal file: copy a consistent snapshot.
            source = sqlite3.connect(_uri(path), uri=True)
            copy = sqlite3.connect(str(partial))
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
            isinstance(exc, sqlite3.Error) and "full" in str(exc)
        )
        what = ("there is no space left on the disk: free some space" if full
                else "make the folder writable")
        raise DatabaseError(
            f"cannot write the backup {target} before upgrading {path} ({exc}); "
            f"nothing was changed. {what[0].upper()}{what[1:]} and try again"
        ) from exc
