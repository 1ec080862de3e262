"""Crash suite: SIGKILL at random (seeded) moments loses no acknowledged answer, ever.

Two paths. The real ``ibdquiz study`` in a pseudo-terminal is killed 20+ times: before its first
database exists, during a migration from an old file, while it starts, right after a feedback,
in the middle of a keypress. The same session API driven headless in forked children is killed
100+ times, at moments spread over creation, sync, session start and answering. After each
kill: every acknowledged answer (a feedback on screen; a returned ``answer_*``) is in the file,
``PRAGMA integrity_check`` is ok, and the next run opens the file and goes on.

``IBDQUIZ_FAULT_SEED`` picks another seed (the default keeps CI reproducible);
``tests/soak/soak.py`` runs many more kills.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.fault_driver import acknowledged, check_database, fork_driver, kill_at, wait_new
from tests.helpers_tui import PtyApp
from tests.test_storage_migrations import make_schema_1

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("IBDQUIZ_FAULT_SEED", "1414"))
PTY_KILLS = 20
HEADLESS_KILLS = 100


def _review_ids(db: Path) -> set[int]:
    if not db.exists():
        return set()
    connection = sqlite3.connect(db, timeout=30)
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "reviews" not in tables:
            return set()
        return {int(r[0]) for r in connection.execute("SELECT id FROM reviews")}
    finally:
        connection.close()


def _pty_round(db: Path, rng: random.Random, start: str) -> tuple[int, int, int]:
    """One kill of a real study app; (feedbacks seen, reviews before, reviews after)."""
    before = len(_review_ids(db))
    seen = 0
    with PtyApp(["study", "--kind", "choice"], db=db) as app:
        if start in ("fresh", "migration") and rng.random() < 0.6:
            time.sleep(rng.uniform(0.2, 2.5))  # somewhere in start-up: creation, migration, sync
        else:
            mark = 0
            for _ in range(rng.randint(0, 3)):
                if not wait_new(app, mark, "1-5 Choose"):
                    break
                mark = len(app.raw)
                app.send(str(rng.randint(1, 4)))
                if not wait_new(app, mark, "Press enter to go on"):
                    break
                seen += 1  # the feedback is on screen: this answer is acknowledged
                mark = len(app.raw)
                os.write(app.master, b"\r")
            if rng.random() < 0.5:  # mid-keypress: an answer on its way, not yet acknowledged
                os.write(app.master, str(rng.randint(1, 4)).encode())
                time.sleep(rng.uniform(0, 0.3))
        assert app.process is not None
        os.kill(app.process.pid, signal.SIGKILL)
        app.process.wait(timeout=10)
    after = len(_review_ids(db))
    return seen, before, after


def test_kill_9_of_the_real_study_app_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    template = tmp_path / "schema1.db"
    make_schema_1(template)
    plans = ["fresh", "migration"] + [rng.choice(["fresh", "migration", "same", "same"])
                                      for _ in range(PTY_KILLS - 2)]
    lanes: list[list[tuple[int, str]]] = [[], []]
    for index, plan in enumerate(plans):
        lanes[index % 2].append((index, plan))

    def run_lane(lane_no: int) -> list[tuple[int, int, int]]:
        lane_rng = random.Random(SEED * 10 + lane_no)
        db = tmp_path / f"lane{lane_no}" / "ibdquiz.db"
        db.parent.mkdir()
        results = []
        for _index, plan in lanes[lane_no]:
            if plan == "fresh":
                for leftover in db.parent.iterdir():
                    leftover.unlink()
            elif plan == "migration":
                for leftover in db.parent.iterdir():
                    leftover.unlink()
                shutil.copyfile(template, db)
            results.append(_pty_round(db, lane_rng, plan))
            if db.exists():
                check_database(db, set())
        return results

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = [r for lane in pool.map(run_lane, range(2)) for r in lane]
    assert len(outcomes) >= PTY_KILLS
    for seen, before, after in outcomes:
        assert after >= before + seen, (seen, before, after)
    assert sum(seen for seen, _, _ in outcomes) > 0, "no round got as far as a feedback"
    # after all the kills, the app still starts and shows a card on each file
    for lane_no in range(2):
        db = tmp_path / f"lane{lane_no}" / "ibdquiz.db"
        with PtyApp(["study", "--kind", "choice"], db=db) as app:
            app.wait_for("1-5 Choose", timeout=60)


def test_kill_9_of_headless_sessions_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    template = tmp_path / "schema1.db"
    make_schema_1(template)
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "ibdquiz.db"
    acked: set[int] = set()
    kills = answered = fresh = migrated = 0
    for round_no in range(HEADLESS_KILLS):
        plan = rng.random()
        if round_no == 0 or plan < 0.08:  # first creation
            for leftover in folder.iterdir():
                leftover.unlink()
            acked, fresh = set(), fresh + 1
        elif plan < 0.14:  # a migration from the first schema
            for leftover in folder.iterdir():
                leftover.unlink()
            shutil.copyfile(template, db)
            acked, migrated = set(), migrated + 1
        profile = rng.choice(["default", "second"])
        child = fork_driver(db, profile, seed=SEED + round_no)
        # most kills land in answering; some in opening, migrating, syncing, starting
        delay = rng.choice([rng.uniform(0, 0.15), rng.uniform(0.1, 0.8), rng.uniform(0.3, 1.2)])
        lines = kill_at(child, delay)
        errors = [line for line in lines if line.startswith("error ")]
        assert not errors, errors
        kills += 1
        new = acknowledged(lines)
        answered += len(new)
        acked |= new
        check_database(db, acked)
    assert kills >= HEADLESS_KILLS
    assert answered > HEADLESS_KILLS, "too few answers were given between the kills"
    assert fresh and migrated
    # the file still opens, and a full run completes on it
    child = fork_driver(db, "after-kills", seed=SEED, answers=3)  # a profile with cards left today
    lines = kill_at(child, 60)
    assert not [line for line in lines if line.startswith("error ")], lines
    assert len(acknowledged(lines)) == 3, lines
    check_database(db, acked | acknowledged(lines))
    print(f"headless: {kills} kills, {answered} acknowledged answers, {fresh} first creations, "
          f"{migrated} migrations")


def test_the_soak_script_is_documented() -> None:
    text = (Path(__file__).parent / "soak" / "soak.py").read_text(encoding="utf-8")
    assert re.search(r"python -m tests\.soak\.soak", text)
