"""Home, stats and browse: data load, first paint, and how long the event loop stalls meanwhile.

Run: ``python benchmarks/screens.py [ANSWERS] [ROUNDS]`` (defaults 3000 answers, 5 rounds), on
a database in /dev/shm when it exists. For each screen it prints, as medians over the rounds:

- ``read``: the screen's queries alone, on a connection of their own (what the worker runs);
- ``first paint``: from opening the screen to its first frame (before the figures are in);
- ``drawn``: from opening the screen until its figures are on it;
- ``stall``: the longest the event loop went without running a 5 ms ticker meanwhile: the
  time a key press could have waited. Beside it, ``inline stall``: the same queries run on the
  event loop (as the screens did before their workers), alternating round by round, and the
  ratio of the two.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ibdquiz.core.card import CardKind
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.queue import SessionFilters
from ibdquiz.paths import bundled_decks_dir
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from ibdquiz.tui.app import make_app
from ibdquiz.tui.screens.browse import BrowseScreen
from ibdquiz.tui.screens.home import HomeScreen, read_home
from ibdquiz.tui.screens.stats import StatsScreen

TICK = 0.005


def build(path: Path, answers: int, moment: list[datetime]) -> list[Any]:
    """A database with ``answers`` answers over many study days on the bundled decks."""
    decks = [r.deck for r in map(load_deck, sorted(bundled_decks_dir().glob("*.yaml"))) if r.deck]
    store = Store.open(path, clock=lambda: moment[0])
    store.sync_decks(decks)
    done, grade = 0, 0
    while done < answers:
        session = StudySession(store, "default", SessionFilters(new_limit=40))
        item = session.show()
        if item is None:
            session.end()
            moment[0] += timedelta(days=1)
            continue
        while item is not None and done < answers:
            if item.card.kind is CardKind.CHOICE:
                session.answer_choice(grade % len(item.options))
            elif item.card.kind is CardKind.NUMERIC:
                session.answer_numeric(item.card.answer.text)
            else:
                session.grade_recall(grade % 6)
            item = session.next()
            done += 1
            grade += 1
        session.end()
        moment[0] += timedelta(days=1)
    store.close()
    return decks


def timed(read: Callable[[], object]) -> float:
    start = time.perf_counter()
    read()
    return (time.perf_counter() - start) * 1000


async def open_screen(app: Any, make: Callable[[], Any],
                      done: Callable[[Any], bool]) -> tuple[float, float, float]:
    """Push a screen; (first paint ms, drawn ms, longest stall ms) while it loads."""
    ticker = _Ticker(app)
    screen = make()
    start = time.perf_counter()
    await app.push_screen(screen)
    painted = (time.perf_counter() - start) * 1000
    while not done(screen):
        await asyncio.sleep(0.001)
    drawn = (time.perf_counter() - start) * 1000
    stall = await ticker.stop()
    app.pop_screen()
    await asyncio.sleep(0.02)
    return painted, drawn, stall


async def inline_stall(app: Any, make: Callable[[], Any], done: Callable[[Any], bool],
                       read: Callable[[], object]) -> float:
    """The stall when the screen's queries also run on the event loop as it opens (what the
    screens did before their workers): the same push, plus the read on the loop."""
    ticker = _Ticker(app)
    screen = make()
    await app.push_screen(screen)
    read()
    while not done(screen):
        await asyncio.sleep(0.001)
    stall = await ticker.stop()
    app.pop_screen()
    await asyncio.sleep(0.02)
    return stall


async def idle_stall(app: Any) -> float:
    """The longest gap of the ticker when nothing else runs: the measurement's floor."""
    ticker = _Ticker(app)
    await asyncio.sleep(0.2)
    return await ticker.stop()


class _Ticker:
    """A 5 ms interval on the event loop that records the longest gap between its ticks."""

    def __init__(self, app: Any) -> None:
        self.gaps: list[float] = []
        self.last = time.perf_counter()
        self.timer = app.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now

    async def stop(self) -> float:
        await asyncio.sleep(0.02)
        self._tick()
        self.timer.stop()
        return max(self.gaps, default=0.0) * 1000


def main(answers: int, rounds: int) -> None:
    """Build the database, then time each screen ``rounds`` times, worker and inline alternating."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    with tempfile.TemporaryDirectory(dir=base) as folder:
        path = Path(folder) / "screens.db"
        moment = [datetime(2024, 1, 1, 9, tzinfo=timezone.utc)]
        started = time.perf_counter()
        decks = build(path, answers, moment)
        print(f"{answers} answers over {moment[0].date()} built in "
              f"{time.perf_counter() - started:.1f} s ({path})")
        store = Store.open(path, clock=lambda: moment[0])
        store.sync_decks(decks)
        ids = [d.id for d in decks]
        screens: dict[str, tuple[Callable[[], Any], Callable[[Any], bool], Callable[[], object]]]
        screens = {
            "home": (lambda: _home(store, decks), lambda s: s.loaded,
                     lambda: read_home(store, "default")),
            "stats": (lambda: StatsScreen(store, "default"), lambda s: s.stats is not None,
                      lambda: store.study_stats("default")),
            "browse": (lambda: BrowseScreen(store, "default", ids, deck_files=decks),
                       lambda s: s.searches > 0, lambda: store.search_cards("default")),
        }
        worker: dict[str, list[tuple[float, float, float]]] = {}
        inline: dict[str, list[float]] = {}
        reads: dict[str, list[float]] = {}
        idle: list[float] = []
        app = make_app(store, decks, "default", lambda: moment[0])

        async def run() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                for _ in range(rounds):  # worker and inline alternate, screen by screen
                    for name, (make, done, read) in screens.items():
                        reads.setdefault(name, []).append(timed(read))
                        worker.setdefault(name, []).append(await open_screen(app, make, done))
                        inline.setdefault(name, []).append(
                            await inline_stall(app, make, done, read))
                    idle.append(await idle_stall(app))

        asyncio.run(run())
        store.close()
    print(f"{'screen':8} {'read ms':>8} {'paint ms':>9} {'drawn ms':>9} {'stall ms':>9} "
          f"{'inline stall':>13} {'ratio':>6}")
    for name in screens:
        stall = statistics.median(r[2] for r in worker[name])
        old = statistics.median(inline[name])
        print(f"{name:8} {statistics.median(reads[name]):8.1f} "
              f"{statistics.median(r[0] for r in worker[name]):9.1f} "
              f"{statistics.median(r[1] for r in worker[name]):9.1f} {stall:9.1f} "
              f"{old:13.1f} {old / stall if stall else 0:6.1f}x")
    print(f"idle ticker (the floor of 'stall'): {statistics.median(idle):.1f} ms")


def _home(store: Store, decks: list[Any]) -> HomeScreen:
    screen = HomeScreen(store, "default", decks=decks)
    screen.ready = True
    return screen


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 5)
