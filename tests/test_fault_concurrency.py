"""Concurrency suite: 4 processes answer on one database (two on the same profile, two on
others) while ``stats`` and ``export`` run and a deck re-syncs with changed content. No
"locked" error reaches anyone, and the totals add up: every acknowledged answer is a row,
each profile's rows are its answers, and the export holds them all.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fault_driver import BUNDLED, acknowledged, check_database, fork_driver

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
ANSWERS = 40
PROFILES = ["default", "default", "second", "third"]


def _resync(db: Path, rounds: int) -> int:
    """Fork a child that syncs the bundled deck, reworded each round, ``rounds`` times."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        from ibdquiz.core.deckload import load_deck_text
        from ibdquiz.storage.store import Store

        text = (BUNDLED / "tacrolimus-refractory-crohns.yaml").read_text(encoding="utf-8")
        store = Store.open(db, create=True)
        try:
            for round_no in range(rounds):
                changed = text.replace("title: ", f"title: (round {round_no}) ", 1)
                deck = load_deck_text(changed, "tacrolimus-refractory-crohns.yaml").deck
                assert deck is not None
                store.sync_decks([deck])
                time.sleep(0.05)
        finally:
            store.close()
    except BaseException as exc:
        sys.stderr.write(f"resync failed: {type(exc).__name__}: {exc}\n")
        code = 1
    finally:
        os._exit(code)


def test_four_writers_stats_export_and_a_resync_never_meet_a_lock(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    # create the file and the profiles first, so that the race is about answering
    warm = fork_driver(db, "default", seed=1, answers=1)
    os.waitpid(warm.pid, 0)
    warm_acks = acknowledged(warm.collect())
    children = [fork_driver(db, profile, seed=10 + i, answers=ANSWERS, pause=0.1)
                for i, profile in enumerate(PROFILES)]
    resync = _resync(db, rounds=6)
    readers: list[subprocess.CompletedProcess[str]] = []
    env = {**os.environ, "IBDQUIZ_DB": str(db)}
    deadline = time.monotonic() + 240
    running = {child.pid for child in children}
    while running:
        for args in (["stats"], ["export"], ["stats", "--format", "json"]):
            readers.append(subprocess.run([sys.executable, "-m", "ibdquiz", *args],
                                          capture_output=True, text=True, env=env, cwd=REPO,
                                          timeout=120))
        for pid in list(running):
            if os.waitpid(pid, os.WNOHANG)[0]:
                running.discard(pid)
        assert time.monotonic() < deadline, "the writers did not finish"
    _, status = os.waitpid(resync, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the re-sync failed (see stderr)"
    lines = [child.collect() for child in children]
    errors = [line for child_lines in lines for line in child_lines if line.startswith("error")]
    assert not errors, errors
    assert len(readers) >= 3, len(readers)  # each of stats, export, stats --format json
    for result in readers:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr + result.stdout, result.stderr
    acks = [acknowledged(child_lines) for child_lines in lines]
    assert all(len(a) == ANSWERS for a in acks), [len(a) for a in acks]
    everything = warm_acks.union(*acks)
    total = check_database(db, everything)
    assert total == len(everything) == 1 + len(PROFILES) * ANSWERS
    connection = sqlite3.connect(db)
    try:
        per_profile = dict(connection.execute(
            "SELECT profile, COUNT(*) FROM reviews GROUP BY profile").fetchall())
    finally:
        connection.close()
    assert per_profile == {"default": 1 + 2 * ANSWERS, "second": ANSWERS, "third": ANSWERS}
    final = subprocess.run([sys.executable, "-m", "ibdquiz", "export"], capture_output=True,
                           text=True, env=env, cwd=REPO, timeout=120)
    assert final.returncode == 0, final.stderr
    assert len(json.loads(final.stdout)["reviews"]) == 1 + 2 * ANSWERS
    print(f"concurrency: {len(PROFILES)} writers, {len(readers)} stats/export runs, "
          f"{total} answers, no lock error")
