"""``ibdquiz stats`` and the stats it shows, through the real CLI (in-process) with ``--db``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ibdquiz import paths
from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.model import Deck
from ibdquiz.core.queue import SessionFilters
from ibdquiz.session.study import StudySession
from ibdquiz.storage.stats import collect_stats, empty_stats, scores, study_stats
from ibdquiz.storage.store import Store
from tests.helpers_cli import invoke
from tests.helpers_storage import ask, clock_at, demo_deck

BUNDLED = "tacrolimus-refractory-crohns"


def bundled_deck() -> Deck:
    """The deck that ships with ibdquiz (the catalog always finds it)."""
    deck = load_deck(paths.bundled_decks_dir() / f"{BUNDLED}.yaml").deck
    assert deck is not None
    return deck


def bundled_cards() -> int:
    return len(cards_for_deck(bundled_deck()))


def assert_unopened_bundled(deck_json: dict[str, object]) -> None:
    """The bundled deck, never opened: every card new, nothing studied."""
    count = bundled_cards()
    assert count > 0
    assert deck_json["deck_id"] == BUNDLED
    assert (deck_json["new"], deck_json["total"]) == (count, count)
    studied = ("due", "learned", "mature", "leeches", "suspended", "answers_7d", "answers_30d")
    assert all(deck_json[key] == 0 for key in studied), deck_json


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return invoke(*args)


def two_days_of_answers(tmp_path: Path) -> Store:
    """Day 1: 5, 1 (then its re-drill 5); day 2: 5. The store's clock is on day 2."""
    clock = clock_at(2024, 3, 1)
    store = Store.open(tmp_path / "ibdquiz.db", clock=clock)
    store.sync_decks([demo_deck()])
    for grades in ((5, 1, 5), (5,)):
        session = StudySession(store, "default", SessionFilters(kinds=("recall",), new_limit=2))
        for grade in grades:
            ask(session)
            session.grade_recall(grade)
        session.end()
        clock.advance(days=1)
    clock.advance(days=-1)
    return store


def test_stats_on_missing_database_counts_catalog_cards_as_new_and_creates_nothing(
    tmp_path: Path, isolated_user_dirs: Path
) -> None:
    db = tmp_path / "sub" / "ibdquiz.db"
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["streak"] == 0 and data["totals"]["answers_7d"] == 0
    (deck,) = data["decks"]
    assert_unopened_bundled(deck)
    assert data["totals"]["new"] == bundled_cards() and data["totals"]["learned"] == 0
    assert set(deck) == set(data["totals"])  # the JSON keys did not change
    assert not db.exists() and not db.parent.exists()
    text = run("--db", str(db), "stats")
    assert text.returncode == 0 and "Streak: 0 days" in text.stdout
    assert f" {bundled_cards()} " in text.stdout
    lines = [line.strip() for line in text.stdout.splitlines()]
    assert any(line.startswith(f"{BUNDLED} *") for line in lines)  # marked as not opened
    assert "* not opened in ibdquiz yet: every card counted as new; run ibdquiz to start" in lines
    assert "No deck opened yet" not in text.stdout
    assert not db.parent.exists()
    assert not (isolated_user_dirs / "data").exists()  # nor the user data folder


def test_stats_on_a_brand_new_database_matches_the_home_screen_and_writes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ibdquiz.db"
    Store.open(db).close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    (deck,) = json.loads(result.stdout)["decks"]
    assert_unopened_bundled(deck)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    # opening the app syncs the deck: its home screen shows the same unseen / total
    with Store.open(db) as store:
        store.sync_decks([bundled_deck()])
        (home,) = store.deck_counts("default", store.today())
    assert (home.deck_id, home.new, home.total) == (BUNDLED, deck["new"], deck["total"])
    synced = run("--db", str(db), "stats", "--format", "json")
    assert json.loads(synced.stdout)["decks"] == [deck]
    assert "not opened" not in run("--db", str(db), "stats").stdout


def test_added_deck_counts_as_new_before_the_app_opens_it(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    two_days_of_answers(tmp_path).close()
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = (paths.bundled_decks_dir() / f"{BUNDLED}.yaml").read_text(encoding="utf-8")
    other = deck.replace(f"deck: {BUNDLED}", "deck: zz-copy", 1)
    assert other != deck
    (folder / "zz-copy.yaml").write_text(other, encoding="utf-8")
    result = run("--db", str(db), "--decks", str(folder), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {row["deck_id"]: row for row in data["decks"]}
    assert list(rows) == ["demo", BUNDLED, "zz-copy"]  # in id order
    assert rows["demo"]["learned"] == 1 and rows["demo"]["total"] == 13  # synced: as before
    assert rows["zz-copy"]["new"] == rows[BUNDLED]["new"] == bundled_cards()
    assert data["totals"]["new"] == rows["demo"]["new"] + 2 * bundled_cards()


def test_collect_stats_does_not_count_a_synced_deck_twice(tmp_path: Path) -> None:
    store = two_days_of_answers(tmp_path)
    today = store.today()
    alone = collect_stats(store._db, "default", today)
    both = collect_stats(store._db, "default", today, [demo_deck(), bundled_deck()])
    assert [d.deck_id for d in both.decks] == ["demo", BUNDLED]
    assert both.decks[0] == alone.decks[0] and both.unopened == (BUNDLED,)
    assert both.totals.new == alone.totals.new + bundled_cards()
    assert empty_stats("default", today).decks == ()
    store.close()


def test_stats_after_answers(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    store = two_days_of_answers(tmp_path)
    stats = collect_stats(store._db, "default", store.today())
    deck = stats.decks[0]
    assert (deck.deck_id, deck.total, deck.learned, deck.answers_7d, deck.correct_7d) == (
        "demo", 13, 1, 3, 2  # no-share lapsed to 0 repetitions; the re-drill is not counted
    )
    assert stats.streak == 2
    store.close()
    result = run("--db", str(db), "stats", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # the CLI runs on the real clock, years after these answers: counts, not recency
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


def test_study_stats_share_collect_stats_and_count_first_answers(tmp_path: Path) -> None:
    store = two_days_of_answers(tmp_path)
    today = store.today()
    stats = study_stats(store._db, "default", today, days=5)
    # the same figures ibdquiz stats prints, from the same function
    assert stats.summary == collect_stats(store._db, "default", today)
    assert stats.streak == 2 and stats.today == today
    # every answer is work done (the re-drill included); % correct counts first answers only
    assert stats.total_answers == 4
    assert stats.answers == (0, 0, 0, 3, 1) and stats.correct == (0, 0, 0, 2, 1)
    assert [(s.name, s.answered, s.correct) for s in stats.by_deck] == [("demo", 3, 2)]
    assert [(s.name, s.answered, s.correct) for s in stats.by_source] == [
        ("Example study A", 3, 2)
    ]
    assert ("demo", 3, 2) in [(s.name, s.answered, s.correct) for s in stats.by_tag]
    assert stats.by_deck[0].percent == 66.7
    deck = stats.summary.decks[0]
    assert (deck.answers_7d, deck.correct_7d, deck.answers_30d) == (3, 2, 3)
    # the forecast puts each scheduled card on its due day: the lapsed card is due today, the
    # card answered 5 twice comes back after 6 days (past a 5-day window)
    assert stats.forecast == (deck.due, 0, 0, 0, 0) and deck.due == 1
    assert study_stats(store._db, "default", today, days=7).forecast == (1, 0, 0, 0, 0, 0, 1)
    assert stats.leeches == ()
    store.close()


def test_scores_respect_the_window(tmp_path: Path) -> None:
    store = two_days_of_answers(tmp_path)
    today = store.today()
    only_today = scores(store._db, "default", "deck", since=today, until=today)
    assert [(s.name, s.answered, s.correct) for s in only_today] == [("demo", 1, 1)]
    assert scores(store._db, "default", "tag", since=today + 1) == ()
    store.close()


def test_stats_text_fits_80_columns_with_whole_headers(tmp_path: Path) -> None:
    store = two_days_of_answers(tmp_path)
    store.close()
    result = invoke("--db", str(tmp_path / "ibdquiz.db"), "stats", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "…" not in result.stdout
    header = next(line for line in lines if "learned" in line).split()
    assert header == ["deck", "due", "new", "learned", "mature", "leech", "susp."]
    assert any(line.split()[:1] == ["demo"] for line in lines)
    assert "last 7 days" in result.stdout and "Streak: 0 days" in result.stdout  # real clock


def test_unreadable_deck_folder_warns_and_still_shows_the_database(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    two_days_of_answers(tmp_path).close()
    # a name too long for the file system: the user deck folder cannot even be looked at
    env = {"XDG_DATA_HOME": str(tmp_path / ("x" * 300))}
    result = invoke("--db", str(db), "stats", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("ibdquiz: warning: could not read the decks (")
    assert "left out of these figures" in result.stderr
    data = json.loads(result.stdout)
    assert [d["deck_id"] for d in data["decks"]] == ["demo"] and data["totals"]["learned"] == 1
