"""Shared set-up for the study app's tests: a small deck, a settable clock, a real store."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.model import Deck
from ibdquiz.core.queue import SessionFilters
from ibdquiz.storage.store import Store

TZ = timezone(timedelta(hours=1))
START = datetime(2025, 3, 10, 9, 0, tzinfo=TZ)

# The facts are copied exactly from the bundled deck (the Mayo Clinic series); the last source is
# test scaffolding: its text looks like markup on purpose, to prove deck text is never parsed.
DECK_YAML = """\
deck: tui-test
title: TUI test deck
tags: [tacrolimus]
sources:
  - id: mayo-2013
    citation: "Inflamm Bowel Dis 2013; 19: 1107-11"
    label: Mayo Clinic series, 2013
    design: retrospective
    n: 24
    facts:
      - id: steroid-free-remission
        ask: What share of patients in the Mayo Clinic series achieved a steroid-free remission?
        answer: 21%
        explain: >-
          Few reached steroid-free remission; the article's take-home message is that tacrolimus
          doesn't look too promising for refractory disease.
        tags: [outcomes]
      - id: response
        ask: What share of patients in the Mayo Clinic series responded to tacrolimus?
        answer: 67%
        explain: The commentary reports that 67% responded to tacrolimus.
        tags: [outcomes]
  - id: markup-test
    citation: "Test citation [not markup] <i>raw</i>"
    label: "[bold]Test source[/bold]"
    facts:
      - id: brackets
        ask: "Markup test: is [CRP] <b>shown</b> [red]as written[/red]?"
        answer: "yes [CRP]"
        explain: "Shown as written: [CRP] <b>"
"""


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.moment += timedelta(**delta)


def tui_deck() -> Deck:
    """The small deck above, loaded through the real loader."""
    result = load_deck_text(DECK_YAML, "tui-test.yaml")
    if result.deck is None:
        raise AssertionError(f"test deck does not load: {[str(d) for d in result.errors]}")
    return result.deck


@dataclass
class Env:
    """A real database in a temporary folder, with the clock the app uses."""

    store: Store
    clock: FakeClock
    path: Path
    deck: Deck


@contextmanager
def store_env(tmp_path: Path) -> Iterator[Env]:
    """Open a fresh store on a file in ``tmp_path``."""
    clock = FakeClock()
    path = tmp_path / "ibdquiz.db"
    store = Store.open(path, create=True, clock=clock)
    try:
        yield Env(store, clock, path, tui_deck())
    finally:
        store.close()


def build_app(
    env: Env, *, start: str = "home", filters: SessionFilters | None = None, **kw: Any
) -> Any:
    """The app as the CLI builds it, on the test deck and clock."""
    from ibdquiz.tui.app import make_app

    return make_app(
        env.store,
        [env.deck],
        "default",
        env.clock,
        start=start,  # type: ignore[arg-type]
        filters=filters,
        **kw,
    )


def review_rows(path: Path) -> list[dict[str, Any]]:
    """Every review row, read through a separate connection (what is on disk)."""
    import sqlite3

    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in connection.execute(
            "SELECT r.*, COALESCE(r.options, o.options) AS shown FROM reviews r"
            " LEFT JOIN option_sets o ON o.id = r.options_id ORDER BY r.id"
        )]
        for row in rows:  # options are stored once and referenced (storage.lean)
            row["options"] = row.pop("shown")
        return rows
    finally:
        connection.close()


def card_state(path: Path, card_id: str) -> dict[str, Any] | None:
    """A card's state row, read through a separate connection."""
    import sqlite3

    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        row = connection.execute("SELECT * FROM card_state WHERE card_id = ?", [card_id]).fetchone()
        return dict(row) if row else None
    finally:
        connection.close()


def active_flag(path: Path, card_id: str) -> str | None:
    """The reason of a card's standing flag, or None."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        row = connection.execute(
            "SELECT reason FROM flags WHERE card_id = ? AND cleared_at IS NULL", [card_id]
        ).fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


_ANSI = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b."
)


class PtyApp:
    """``python -m ibdquiz ARGS`` run under a pseudo-terminal of 80x24, as a person would."""

    def __init__(self, args: list[str], *, db: Path, size: tuple[int, int] = (80, 24)) -> None:
        self.args = args
        self.db = db
        self.size = size
        self.raw = b""
        self.process: subprocess.Popen[bytes] | None = None
        self.master = -1

    def __enter__(self) -> PtyApp:
        master, slave = pty.openpty()
        columns, lines = self.size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ibdquiz", "--db", str(self.db), *self.args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)

    @property
    def output(self) -> str:
        """Everything the app wrote, with the terminal's escape sequences taken out."""
        return _ANSI.sub("", self.raw.decode("utf-8", errors="replace"))

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.raw += os.read(self.master, 65536)
            except OSError:  # the child closed the terminal (EIO on Linux)
                time.sleep(timeout)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read until ``text`` appears in the output; fail with the output when it does not."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; output:\n{self.output[-3000:]}")
            self._read(0.1)

    def send(self, keys: str) -> None:
        """Type ``keys`` into the terminal, and let the app see them."""
        os.write(self.master, keys.encode())
        time.sleep(0.3)

    def wait_exit(self, timeout: float = 30) -> int:
        """Drain the output until the process ends; its exit status."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"ibdquiz did not exit; output:\n{self.output[-3000:]}")
            self._read(0.1)
        self._read(0.1)
        return int(self.process.returncode)

    def kill9(self) -> None:
        """SIGKILL the app: no clean-up of any kind runs."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def plain(renderable: Any, width: int = 78) -> str:
    """A rich renderable (a Table, a Text) as the plain text a terminal would show."""
    from rich.console import Console

    console = Console(width=width, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


@asynccontextmanager
async def study(
    tmp_path: Path, size: tuple[int, int] = (80, 24), **filters: Any
) -> AsyncIterator[tuple[Env, Any, Pilot[Any], Any]]:
    """``ibdquiz study`` with ``SessionFilters(**filters)`` on a fresh store, its first card up:
    yields the environment, the app, its pilot and the session screen."""
    from ibdquiz.tui.screens.session import SessionScreen

    with store_env(tmp_path) as env:
        app = build_app(env, start="study", filters=SessionFilters(**filters))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.pause()  # the first card's focus lands after its first refresh
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            yield env, app, pilot, screen


async def settled(pilot: Pilot[Any]) -> None:
    """Every worker done and its result drawn (the app syncs, then the home and stats screens
    read, in workers that start one another): waited for until the screen says it has loaded
    and no worker is left, however loaded the machine is (three rounds at least, 10 s at most)."""
    deadline = time.monotonic() + 10
    rounds = 0
    while True:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        rounds += 1
        idle = all(w.is_finished for w in pilot.app.workers)
        done = rounds >= 3 and idle and getattr(pilot.app.screen, "loaded", True)
        if done or time.monotonic() > deadline:
            break
    await pilot.pause()


async def end_to_summary(app: Any, pilot: Pilot[Any]) -> tuple[Any, str]:
    """Leave the session with ``q``: the summary screen shown, and its score line."""
    from textual.widgets import Static

    from ibdquiz.tui.screens.summary import SummaryScreen

    await pilot.press("q")
    await pilot.pause()
    summary = app.screen
    assert isinstance(summary, SummaryScreen)
    return summary, str(summary.query_one("#score", Static).content)
