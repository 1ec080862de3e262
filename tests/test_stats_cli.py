"""``ibdquiz stats`` and the stats it shows, through real subprocess calls with ``--db``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ibdquiz.storage import SessionFilters, Store, StudySession, collect_stats
from tests.helpers_storage import clock_at, demo_deck


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", *args], capture_output=True, text=True, timeout=60
    )


def test_stats_on_missing_database_is_zeros_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "ibdquiz.db"
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decks"] == [] and data["streak"] == 0 and data["totals"]["answers_7d"] == 0
    assert not db.exists() and not db.parent.exists()
    text = run("--db", str(db), "stats")
    assert text.returncode == 0 and "Streak: 0 days" in text.stdout
    assert not db.parent.exists()


def test_stats_on_a_brand_new_database(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    Store.open(db).close()
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["decks"] == []


def test_stats_after_answers(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    clock = clock_at(2024, 3, 1)
    store = Store.open(db, clock=clock)
    store.sync_decks([demo_deck()])
    for grades in ((5, 1, 5), (5,)):
        session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=2))
        for grade in grades:
            session.grade_recall(grade)
        session.end()
        clock.advance(days=1)
    clock.advance(days=-1)
    stats = collect_stats(store.db, "default", store.today())
    deck = stats.decks[0]
    assert (deck.deck_id, deck.total, deck.learned, deck.answers_7d, deck.correct_7d) == (
        "demo", 13, 1, 3, 2  # no-share lapsed to 0 repetitions; the re-drill is not counted
    )
    assert stats.streak == 2
    store.close()
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # the subprocess runs on the real clock, years after these answers: counts, not recency
    deck_json = data["decks"][0]
    assert (deck_json["deck_id"], deck_json["total"], deck_json["learned"]) == ("demo", 13, 1)
    assert deck_json["due"] == 2 and deck_json["answers_30d"] == 0
    text = run("--db", str(db), "stats")
    assert text.returncode == 0 and "demo" in text.stdout


def test_stats_refuses_a_foreign_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 10)
    before = path.read_bytes()
    result = run("--db", str(path), "stats")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "ibdquiz left it untouched" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
