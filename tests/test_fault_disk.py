"""Disk suite: a small tmpfs filled up during study, sync, export, add-deck and upgrade.

Each time: one clear line naming the real cause (no space), a clean exit (non-zero, never a
traceback), no hidden temporary file left behind, and nothing already saved damaged. The tmpfs is
mounted for real (``mount -t tmpfs``, as root); where mounting is refused the tests skip with the
reason, unless ``IBDQUIZ_REQUIRE_MOUNT=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.fault_driver import check_database, wait_new
from tests.helpers_report import study_in_store
from tests.helpers_tui import PtyApp
from tests.test_storage_migrations import make_schema_1

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "src" / "ibdquiz" / "decks" / "tacrolimus-refractory-crohns.yaml"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, mounted for the test and unmounted after."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0777", "tmpfs", str(folder)],
        capture_output=True, text=True,
    ) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        reason = mounted.stderr.strip() if mounted is not None else "no mount command"
        message = f"cannot mount a tmpfs here ({reason}); the disk-full tests need root"
        print(message)
        if os.environ.get("IBDQUIZ_REQUIRE_MOUNT") == "1":
            pytest.fail(f"{message}, and IBDQUIZ_REQUIRE_MOUNT=1")
        pytest.skip(message)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave_kib: int) -> None:
    """Fill the file system of ``folder`` until only about ``leave_kib`` KiB are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    size = max(0, free - leave_kib * 1024)
    with open(folder / f"filler-{time.monotonic_ns()}", "wb") as out:
        out.write(b"\0" * size)


def fill_up(folder: Path) -> None:
    """Leave no byte free at all."""
    fill(folder, 0)
    with contextlib.suppress(OSError), open(folder / "last-bytes", "wb", buffering=0) as out:
        while True:
            out.write(b"\0" * 512)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})}, cwd=REPO,
    )


def clean_failure(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """A non-zero exit, one ``ibdquiz: error:`` line with ``words``, no traceback."""
    assert result.returncode not in (0, 70), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("ibdquiz: error:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def no_hidden_temp(folder: Path) -> None:
    leftovers = [p.name for p in [*folder.rglob(".*.tmp"), *folder.rglob("*.partial")]]
    assert not leftovers, leftovers


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_study_on_a_full_disk_says_so(disk: Path) -> None:
    db = disk / "ibdquiz.db"
    outcomes = []
    for leave in (40, 160, 260, 360):
        for leftover in disk.iterdir():
            leftover.unlink()
        fill(disk, leave)
        with PtyApp(["study", "--kind", "choice"], db=db) as app:
            deadline = time.monotonic() + 60
            while app.process is not None and app.process.poll() is None:
                if "1-5 Choose" in app.output or time.monotonic() > deadline:
                    break
                app._read(0.1)
            if app.process is not None and app.process.poll() is None:
                outcomes.append("started")  # there was room enough after all
                continue
            code = app.wait_exit()
        assert code != 0, app.output[-2000:]
        assert "ibdquiz: error:" in app.output and "disk is full" in app.output, app.output[-2000:]
        assert "No cards yet" not in app.output
        assert "Traceback" not in app.output
        outcomes.append("refused")
        for filler in disk.glob("filler-*"):
            filler.unlink()
        if db.exists():
            check_database(db, set())
    assert "refused" in outcomes, outcomes


def test_a_session_whose_disk_fills_still_ends_and_keeps_every_answer(disk: Path) -> None:
    db = disk / "ibdquiz.db"
    with PtyApp(["study", "--kind", "choice"], db=db) as app:
        app.wait_for("1-5 Choose", timeout=60)
        for _ in range(2):
            mark = len(app.raw)
            app.send("1")
            assert wait_new(app, mark, "Press enter to go on"), app.output[-2000:]
            app.send("\r")
        saved = len(_reviews(db))
        assert saved == 2
        fill_up(disk)
        for key in ("2", "\r", "3", "\r"):  # answers now fail for lack of space
            app.send(key)
        for key in ("q", "\x1b", "q"):
            if app.process is not None and app.process.poll() is not None:
                break
            app.send(key)
            time.sleep(1)
        code = app.wait_exit(timeout=30)
        for _ in range(20):  # the last line may follow the exit
            app._read(0.05)
    assert "Traceback" not in app.output
    assert code in (0, 1), code
    if code:
        assert "ibdquiz: error:" in app.output and "every answer given is saved" in app.output
    for filler in disk.glob("filler-*"):
        filler.unlink()
    (disk / "last-bytes").unlink(missing_ok=True)
    assert len(_reviews(db)) >= saved
    check_database(db, set())


def _reviews(db: Path) -> list[tuple[int]]:
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute("SELECT id FROM reviews").fetchall()
    finally:
        connection.close()


def test_export_to_a_full_disk_leaves_the_old_file_and_no_temporary(
    disk: Path, tmp_path: Path
) -> None:
    db = tmp_path / "studied.db"
    start = datetime(2025, 3, 10, 9, tzinfo=timezone.utc)
    study_in_store(db, name="Ann", days=[start + timedelta(days=d) for d in range(30)], per_day=20)
    out = disk / "export.json"
    first = run("--db", str(db), "export", "--output", str(out))
    assert first.returncode == 0, first.stderr
    before = digest(out)
    fill(disk, max(1, out.stat().st_size // 2048))
    for fmt in ("json", "csv"):
        result = run("--db", str(db), "export", "--format", fmt, "--output",
                     str(out if fmt == "json" else disk / "export.csv"))
        clean_failure(result, "space")
    assert digest(out) == before
    no_hidden_temp(disk)


def test_add_deck_to_a_full_disk(disk: Path) -> None:
    env = {"XDG_DATA_HOME": str(disk / "data")}
    fill(disk, 8)
    # the bundled deck's id is taken: install a copy under another id
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "deck: tacrolimus-refractory-crohns", "deck: tacrolimus-copy", 1)
    source = disk.parent / "tacrolimus-copy.yaml"
    source.write_text(text, encoding="utf-8")
    result = run("add-deck", str(source), env=env)
    clean_failure(result, "No space")
    no_hidden_temp(disk)
    assert not list((disk / "data").rglob("tacrolimus-copy.yaml"))


def test_upgrade_backup_on_a_full_disk_says_no_space(disk: Path) -> None:
    db = disk / "ibdquiz.db"
    make_schema_1(db)
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = digest(db)
    fill(disk, 4)
    result = run("--db", str(db), "stats")
    clean_failure(result, "no space")
    assert "writable" not in result.stderr
    assert digest(db) == before
    no_hidden_temp(disk)
