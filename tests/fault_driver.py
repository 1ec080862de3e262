"""What the fault suites and the soak script share: a headless study session in a child process
that reports every acknowledged answer, and the checks made on the database after a kill.

The child drives the same session API the study app uses (``StudySession`` on a ``Store``): it
answers cards right or wrong at random (seeded), undoes and flags now and then, and writes the
review id of each answer to a pipe only once ``answer_*`` has returned (the answer is then
acknowledged: on screen, it is the feedback). A parent kills it with SIGKILL at a random moment
and checks that every acknowledged review is in the file and that ``integrity_check`` is ok.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "ibdquiz" / "decks"


def session_api() -> tuple[Any, Any, Any]:
    """(Store, StudySession, SessionFilters): the session package and the store."""
    from ibdquiz.core.queue import SessionFilters
    from ibdquiz.session.study import StudySession
    from ibdquiz.storage.store import Store

    return Store, StudySession, SessionFilters


def bundled_decks() -> list[Any]:
    """The bundled decks, loaded by the real loader."""
    from ibdquiz.core.deckload import load_deck

    decks = [load_deck(path).deck for path in sorted(BUNDLED.glob("*.yaml"))]
    return [deck for deck in decks if deck is not None]


def answer_one(session: Any, rng: random.Random) -> int | None:
    """Answer the current card (right about two times in three); the review id, or None."""
    from ibdquiz.core.card import CardKind
    from ibdquiz.errors import IbdquizError

    item = session.show()
    if item is None:
        return None
    right = rng.random() < 0.67
    try:
        if item.card.kind is CardKind.CHOICE:
            index = item.correct_index if right else (item.correct_index + 1) % len(item.options)
            feedback = session.answer_choice(index)
        elif item.card.kind is CardKind.NUMERIC:
            feedback = session.answer_numeric(item.card.answer.text if right else "0")
        else:
            feedback = session.grade_recall(rng.choice([5, 4, 3]) if right else rng.choice([0, 1]))
    except IbdquizError:  # "0" may be unreadable for some cards: answer right instead
        if item.card.kind is CardKind.NUMERIC:
            feedback = session.answer_numeric(item.card.answer.text)
        else:
            raise
    return int(feedback.review_id)


def drive(db: Path, profile: str, seed: int, report: Callable[[str], None],
          answers: int = 10_000, pause: float = 0.0) -> None:
    """Study ``answers`` cards of the bundled deck headless, reporting ``ack ID`` after each."""
    Store, StudySession, SessionFilters = session_api()
    rng = random.Random(seed)
    store = Store.open(db, create=True)
    try:
        store.sync_decks(bundled_decks())
        report("ready")
        given = 0
        while given < answers:
            session = StudySession(store, profile, SessionFilters(new_limit=10_000))
            if session.show() is None:
                break
            while given < answers:
                review_id = answer_one(session, rng)
                if review_id is None:
                    break
                given += 1
                report(f"ack {review_id}")
                roll = rng.random()
                if roll < 0.05:
                    session.undo()  # marks the answer undone: its row stays
                    continue
                if roll < 0.08:
                    session.flag("checked by the fault suite")
                session.next()
                if pause:
                    time.sleep(pause)
            session.end()
    finally:
        store.close()


@dataclass
class Child:
    """A forked child driving a session; ``lines`` is what it acknowledged before it died."""

    pid: int
    read_fd: int
    lines: list[str]

    def collect(self) -> list[str]:
        """Read what the child wrote (it is dead, or about to be)."""
        chunks = []
        while True:
            chunk = os.read(self.read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(self.read_fd)
        text = b"".join(chunks).decode()
        self.lines = [line for line in text.split("\n") if line]
        return self.lines


def fork_driver(db: Path, profile: str, seed: int, answers: int = 10_000,
                pause: float = 0.0) -> Child:
    """Fork a child that runs ``drive`` and writes its acknowledgements to a pipe."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_fd)

            def report(line: str) -> None:
                os.write(write_fd, (line + "\n").encode())

            drive(db, profile, seed, report, answers, pause)
        except BaseException as exc:
            os.write(write_fd, f"error {type(exc).__name__}: {exc}\n".encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return Child(pid, read_fd, [])


def kill_at(child: Child, delay: float) -> list[str]:
    """SIGKILL the child after ``delay`` seconds (if it still runs); its acknowledged lines."""
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        done, _ = os.waitpid(child.pid, os.WNOHANG)
        if done:
            return child.collect()
        time.sleep(0.005)
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    os.waitpid(child.pid, 0)
    return child.collect()


def acknowledged(lines: list[str]) -> set[int]:
    """The review ids a child acknowledged (an undone answer keeps its row: it counts)."""
    return {int(line.split()[1]) for line in lines if line.startswith("ack ")}


def check_database(db: Path, acked: set[int]) -> int:
    """Every acknowledged review is in ``db`` and ``integrity_check`` is ok; the review count."""
    connection = sqlite3.connect(db, timeout=30)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "reviews" not in tables:
            assert not acked, "answers were acknowledged before the reviews table existed"
            return 0
        stored = {int(r[0]) for r in connection.execute("SELECT id FROM reviews")}
    finally:
        connection.close()
    missing = acked - stored
    assert not missing, f"acknowledged answers lost: {sorted(missing)[:10]}"
    return len(stored)


def wait_new(app: Any, mark: int, text: str, timeout: float = 30) -> bool:
    """Read a ``PtyApp`` until ``text`` appears in what it wrote after byte ``mark``; False
    when it does not within ``timeout`` seconds or the app has ended."""
    from tests.helpers_tui import _ANSI

    deadline = time.monotonic() + timeout
    while text not in _ANSI.sub("", app.raw[mark:].decode("utf-8", errors="replace")):
        if time.monotonic() > deadline or app.process is None or app.process.poll() is not None:
            return False
        app._read(0.05)
    return True
