"""Shared set-up for the storage, session and stats tests: a small deck, a settable clock,
the CLI run as an unprivileged user, a process holding the write lock, a recording worker.

The deck is an invented example (no medical claim): its numbers only exercise the card kinds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ibdquiz.core.card import CardKind
from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.model import Deck
from ibdquiz.core.queue import QueueItem
from ibdquiz.session.results import Stage
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store

DECK_TEXT = """\
deck: demo
title: Demo deck
tags: [demo]
sources:
  - id: alpha
    citation: Example Journal 2000; 1:1-2
    label: Example study A
    facts:
      - id: yes-share
        ask: What share of respondents answered yes?
        answer: {yes}
        explain: An example explanation.
        tags: [answers]
      - id: no-share
        ask: What share of respondents answered no?
        answer: 20%
      - id: blank-share
        ask: What share of respondents left it blank?
        answer: 6%
      - id: follow-up
        ask: How long was the example follow-up?
        answer: 10 months
        explain: Ten months in the example.
{extra}
  - id: beta
    citation: Example Journal 2001; 2:3-4
    label: Example study B
    tags: [second]
    facts:
      - id: word
        ask: Which example word was chosen?
        answer: apple
        explain: The example chose apple.
"""

EXTRA_FACT = """\
      - id: extra
        ask: What share of respondents answered twice?
        answer: 3%
"""


def demo_deck(*, yes: str = "54%", extra: bool = False, ask_suffix: str = "") -> Deck:
    """The demo deck; ``yes`` changes one answer, ``extra`` adds a fact, ``ask_suffix`` rewords."""
    text = DECK_TEXT.format(yes=yes, extra=EXTRA_FACT if extra else "")
    if ask_suffix:
        text = text.replace(
            "What share of respondents answered yes?",
            f"What share of respondents answered yes{ask_suffix}?",
        )
    result = load_deck_text(text, "demo.yaml")
    if result.deck is None:
        raise RuntimeError("\n".join(str(d) for d in result.diagnostics))
    return result.deck


EST = timezone(timedelta(hours=-5))


@dataclass
class FakeClock:
    """A clock the test moves by hand (aware, in the learner's zone)."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.moment += timedelta(**delta)


def ask(session: StudySession) -> QueueItem | None:
    """The card to answer now, drawn as the screen draws it (after a feedback: the next one)."""
    if session.stage is Stage.ANSWERED:
        return session.next()
    return session.show()


def answer_right(session: StudySession) -> None:
    """Answer the session's next card correctly, whatever its kind (a flashcard gets 5)."""
    item = ask(session)
    if item is None:
        raise AssertionError("the session has no card to answer")
    if item.card.kind is CardKind.CHOICE:
        if item.correct_index is None:
            raise AssertionError("a choice card without a correct option")
        session.answer_choice(item.correct_index)
    elif item.card.kind is CardKind.NUMERIC:
        session.answer_numeric(item.card.answer.text)
    else:
        session.grade_recall(5)


def demo_session(path: Path, clock: FakeClock) -> tuple[Store, StudySession, QueueItem]:
    """A store on ``path`` with the demo deck synced, and a session on its first choice card."""
    store = Store.open(path, clock=clock)
    store.sync_decks([demo_deck()])
    session = StudySession(store, "default")
    item = session.show()
    if item is None or item.correct_index is None:
        raise AssertionError("the demo session should open on a choice card")
    return store, session, item


def clock_at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> FakeClock:
    """A clock at a local time in UTC−5."""
    return FakeClock(datetime(year, month, day, hour, minute, tzinfo=EST))


def file_bytes(path: Path) -> bytes:
    """A file's bytes, to prove a refused file was left untouched."""
    return path.read_bytes()


# -- running the CLI as an unprivileged user ---------------------------------------------------

NOBODY = 65534
REPO = Path(__file__).resolve().parents[1]

# Run as root, this drops to ``nobody`` before the CLI starts. Only the effective ids change, so
# that module imports (the interpreter may live under /root) can briefly switch back; every file
# the CLI opens, SQLite's included, is opened as ``nobody``.
_AS_NOBODY = f"""
import builtins, importlib, os, sys

def _as_root(function):
    def wrapped(*args, **kwargs):
        euid, egid = os.geteuid(), os.getegid()
        os.seteuid(0)
        os.setegid(0)
        try:
            return function(*args, **kwargs)
        finally:
            os.setegid(egid)
            os.seteuid(euid)
    return wrapped

builtins.__import__ = _as_root(builtins.__import__)
importlib.import_module = _as_root(importlib.import_module)
os.setgroups([])
os.setegid({NOBODY})
os.seteuid({NOBODY})
sys.argv = ["ibdquiz", *sys.argv[1:]]
from ibdquiz.cli import main
main()
"""


def running_as_root() -> bool:
    """True when the tests run as root (chmod alone does not stop root from writing)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def chmod_protects(folder: Path) -> bool:
    """True when a 0o444 file in ``folder`` cannot be opened for writing by this process."""
    probe = folder / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0o444)
    try:
        with probe.open("r+b"):
            return False
    except OSError:
        return True
    finally:
        probe.chmod(0o644)
        probe.unlink()


def run_cli_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``ibdquiz ARGS`` in a subprocess that file permissions apply to.

    As root: as ``nobody`` (see ``_AS_NOBODY``). Otherwise: as the current user.
    """
    env = None
    if running_as_root():
        command = [sys.executable, "-c", _AS_NOBODY, *args]
        # root's private test home is out of nobody's reach; nobody's own would be empty
        absent = Path(tempfile.gettempdir()) / f"ibdquiz-nobody-{os.getpid()}-absent"
        env = {**os.environ, "XDG_DATA_HOME": str(absent / "data"),
               "XDG_CONFIG_HOME": str(absent / "config")}
    else:
        command = [sys.executable, "-m", "ibdquiz", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO, env=env)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``ibdquiz ARGS`` as the current user, in this process (``tests.helpers_cli``)."""
    from tests.helpers_cli import invoke

    return invoke(*args)


def assert_one_error_line(
    result: subprocess.CompletedProcess[str], *words: str, code: int | None = None
) -> str:
    """The CLI failed (with ``code``, if given): one ``ibdquiz: error:`` line naming ``words``."""
    assert result.returncode != 0, result.stdout
    if code is not None:
        assert result.returncode == code, (result.returncode, result.stderr)
    for text in (result.stdout or "", result.stderr or ""):
        assert "Traceback" not in text, text
        assert "Exception ignored" not in text, text
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ibdquiz: error: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- another process holding the write lock ----------------------------------------------------

LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE profiles SET display_name = 'holder' WHERE name = 'default'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


def hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Start a process that holds ``path``'s write lock for ``seconds``, then commits.

    Returns once the lock is held.
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )
    if holder.stdout is None or holder.stdout.readline().strip() != "locked":
        holder.kill()
        holder.wait()
        raise RuntimeError("the lock holder did not take the lock")
    return holder


# -- many answers from another process -----------------------------------------------------------


def record_many(db_path: str, count: int, tag: str, go_file: str) -> None:
    """Record ``count`` answers through ``record_answer`` once ``go_file`` exists (a subprocess).

    Responses are ``<tag>-<i>`` so the test can tell the processes' rows apart.
    """
    from ibdquiz.core.queue import Phase
    from ibdquiz.storage.reviews import Answered, record_answer
    from ibdquiz.storage.store import Store

    store = Store.open(Path(db_path), clock=clock_at(2024, 3, 1))
    cards = list(store.cards().values())
    print("ready", flush=True)
    go = Path(go_file)
    while not go.exists():
        time.sleep(0.005)
    for i in range(count):
        card = cards[i % len(cards)]
        record_answer(
            store._db, "default",
            Answered(card=card, phase=Phase.REVIEW, quality=(i % 6), response=f"{tag}-{i}",
                     duration_ms=1),
            reviewed_at_ms=1_709_301_600_000 + i, offset_min=-300, today=19783,
        )
        time.sleep(0.002)  # the moment between two answers, when the other process can write
    store.close()
