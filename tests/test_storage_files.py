"""The database file (issue 14 items 3, 8, 9 and the backup): a hot journal left by a kill during
the first creation is rolled back; damage a query meets is one error line; a changed deck syncs
in short transactions and records its hash last, while another process answers; ``ibdquiz
backup`` and the documented restore round-trip every answer."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ibdquiz.core.catalog import KnownDeck, discover
from ibdquiz.session.study import StudySession
from ibdquiz.storage import sync
from ibdquiz.storage.store import Store
from tests.helpers_storage import (
    DECK_TEXT,
    answer_right,
    ask,
    assert_one_error_line,
    clock_at,
    demo_deck,
    run_cli,
)

REPO = Path(__file__).resolve().parent.parent

KILL_DURING_CREATION = """
import os, signal, sys
from pathlib import Path
from ibdquiz.storage import schema
from ibdquiz.storage.store import Store

original = schema.migration_set

def dying_set():
    found = original()
    apply = found.apply

    def apply_then_die(db):
        db.execute("PRAGMA cache_size = 1")  # pages spill to the file before the commit
        apply(db)
        for i in range(300):
            db.execute("INSERT INTO profiles (name, learner_id, created_at) VALUES (?, ?, 1)",
                       [f"p{i}", "x" * 500 + str(i)])
        os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction: a hot journal stays

    found.apply = apply_then_die
    return found

schema.migration_set = dying_set
Store.open(Path(sys.argv[1]))
"""


def test_a_kill_during_first_creation_is_rolled_back_and_the_next_start_goes_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ibdquiz.db"
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_CREATION, str(path)], cwd=REPO,
                            capture_output=True, timeout=60)
    assert killed.returncode == -9
    assert Path(f"{path}-journal").exists()  # the hot journal the issue describes
    for command in (["stats"], ["export"], ["profile"]):
        result = run_cli("--db", str(path), *command)
        assert result.returncode == 0, result.stderr
        assert "read-only" not in result.stderr and "chmod" not in result.stderr
    assert not Path(f"{path}-journal").exists()
    with Store.open(path) as store:
        assert store.find_profile("p1") is None  # the killed transaction left nothing


def studied(path: Path, answers: int = 12) -> None:
    with Store.open(path, clock=clock_at(2024, 3, 1)) as store:
        store.sync_decks([demo_deck()])
        session = StudySession(store, "default")
        for _ in range(answers):
            if ask(session) is None:
                break
            answer_right(session)
        session.end()


def test_damage_past_the_daily_check_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    studied(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    for start in range(2 * page, len(data), page):  # every page but the schema page
        data[start + 8:start + page] = b"\x5a" * (page - 8)
    path.write_bytes(bytes(data))  # today's check already passed: opening does not re-run it
    for command in (["stats"], ["export", "--format", "csv"]):
        result = run_cli("--db", str(path), *command)
        assert_one_error_line(result, str(path), "corrupted", "backup")
    assert_one_error_line(run_cli("--db", str(path), "check"), "corrupted")


def test_check_says_ok_on_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    studied(path, 2)
    result = run_cli("--db", str(path), "check")
    assert result.returncode == 0 and result.stdout.strip().endswith(": ok"), result.stderr


# -- deck sync in short transactions --------------------------------------------------------------


def big_deck_text(facts: int, answer: str) -> str:
    lines = ["deck: big", "title: Big deck", "sources:", "  - id: s", "    citation: J 2000; 1:1",
             "    facts:"]
    for i in range(facts):
        lines += [f"      - id: f{i}", f"        ask: What share of group {i} responded?",
                  f"        answer: {answer if i % 2 else f'{5 + i % 90}%'}",
                  "        explain: An invented example figure."]
    return "\n".join(lines) + "\n"


def test_a_changed_deck_syncs_in_short_transactions_and_records_its_hash_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    deck_file = decks / "big.yaml"
    deck_file.write_text(big_deck_text(120, "40%"), encoding="utf-8")
    db = tmp_path / "x.db"
    with Store.open(db) as store:
        store.sync_decks(list(discover([("t", decks)], known=store.known_deck).decks.values()))
    deck_file.write_text(big_deck_text(120, "41%"), encoding="utf-8")
    monkeypatch.setattr(sync, "CHUNK", 25)
    transactions: list[int] = []
    with Store.open(db) as store:
        original = store.writing

        def counted() -> Any:
            transactions.append(1)
            return original()

        monkeypatch.setattr(store, "writing", counted)
        changed = list(discover([("t", decks)], known=store.known_deck).decks.values())
        assert not isinstance(changed[0], KnownDeck)
        fail_at = [3]

        def failing() -> Any:  # a kill in the middle of the sync, simulated
            fail_at[0] -= 1
            if fail_at[0] == 0:
                raise KeyboardInterrupt
            return counted()

        monkeypatch.setattr(store, "writing", failing)
        with pytest.raises(KeyboardInterrupt):
            store.sync_decks(changed)
        monkeypatch.setattr(store, "writing", counted)
        # the hash was not recorded: the deck is read and synced again, and finishes
        assert not isinstance(store.known_deck(deck_file), KnownDeck)
        transactions.clear()
        report = store.sync_decks(changed)
        assert len(transactions) >= 3  # several short ones, not one long one
        assert report.answer_changed  # what the cut-short sync had not written yet
        with store.reading() as conn:
            answers = {r[0] for r in conn.execute(
                "SELECT DISTINCT answer FROM cards WHERE CAST(substr(fact, 2) AS INTEGER) % 2")}
        assert answers == {"41%"}
        assert isinstance(store.known_deck(deck_file), KnownDeck)


ANSWERER = """
import sys, time
from pathlib import Path
import ibdquiz.storage.db as dbmod
dbmod.BUSY_TIMEOUT_MS = 1500  # far less than a whole-deck sync in one transaction takes
from ibdquiz.session.study import StudySession
from ibdquiz.storage.store import Store
from tests.helpers_storage import answer_right, ask
store = Store.open(Path(sys.argv[1]))
store._db.execute("PRAGMA busy_timeout = 1500")
answered = 0
print("ready", flush=True)
while not Path(sys.argv[2]).exists():
    time.sleep(0.005)
deadline = time.monotonic() + float(sys.argv[3])
while time.monotonic() < deadline:
    session = StudySession(store, "default")
    while ask(session) is not None and time.monotonic() < deadline:
        answer_right(session)
        answered += 1
    session.end()
print(answered, flush=True)
"""


@pytest.mark.slow  # a concurrency fault suite: two processes for seconds
def test_answers_never_fail_while_another_process_syncs_a_changed_deck(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "demo.yaml").write_text(DECK_TEXT.format(yes="54%", extra=""), encoding="utf-8")
    (decks / "big.yaml").write_text(big_deck_text(3000, "40%"), encoding="utf-8")
    db = tmp_path / "x.db"
    with Store.open(db) as store:
        store.sync_decks(list(discover([("t", decks)], known=store.known_deck).decks.values()))
    go = tmp_path / "go"
    answerer = subprocess.Popen(
        [sys.executable, "-c", ANSWERER, str(db), str(go), "8"], cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert answerer.stdout is not None and answerer.stdout.readline().strip() == "ready"
    go.touch()
    for answer in ("41%", "42%"):  # every other fact's answer changes: ~4,500 cards rewritten
        (decks / "big.yaml").write_text(big_deck_text(3000, answer), encoding="utf-8")
        synced = run_cli("--db", str(db), "--decks", str(decks), "stats")
        assert synced.returncode == 0, synced.stderr
        with Store.open(db) as store:
            found = discover([("t", decks)], known=store.known_deck).decks["big"]
            store.sync_decks([found])
    out, err = answerer.communicate(timeout=120)
    assert answerer.returncode == 0, err
    assert "locked" not in err and int(out.strip()) > 0


# -- backup and restore ------------------------------------------------------------------------


def test_backup_has_every_answer_and_restores(tmp_path: Path) -> None:
    path = tmp_path / "ibdquiz.db"
    store = Store.open(path, clock=clock_at(2024, 3, 1))
    store.sync_decks([demo_deck()])
    session = StudySession(store, "default")
    for _ in range(5):
        answer_right(session)  # the store stays open: these answers sit in the -wal file
    assert Path(f"{path}-wal").stat().st_size > 0
    target = tmp_path / "moved" / "copy.db"
    target.parent.mkdir()
    result = run_cli("--db", str(path), "backup", str(target))
    assert result.returncode == 0, result.stderr
    assert "backed up" in result.stdout
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-journal").exists()
    again = run_cli("--db", str(path), "backup", str(target))
    assert_one_error_line(again, "already exists")
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.db"]  # no leftovers
    learner = store.profile("default").learner_id
    store.close()
    # restore as the README says: copy the backup to the database path of the new machine
    new_home = tmp_path / "new-machine" / "ibdquiz.db"
    new_home.parent.mkdir()
    shutil.copyfile(target, new_home)
    with Store.open(new_home, clock=clock_at(2024, 3, 1)) as restored:
        assert restored.profile("default").learner_id == learner
        assert restored.study_stats("default").total_answers == 5
        assert restored.stats("default").totals.answers_7d == 5
    assert run_cli("--db", str(new_home), "check").returncode == 0


def test_backup_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "none.db"), "backup", str(tmp_path / "b.db"))
    assert_one_error_line(result, "no ibdquiz database")
    assert not (tmp_path / "b.db").exists()
