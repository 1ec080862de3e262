"""``ibdquiz profile [--name NAME]``: shows or sets the display name; creates the database."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ibdquiz.storage.store import Store
from tests.helpers_cli import invoke


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return invoke(*args)


def test_profile_creates_the_database_and_keeps_the_learner_id(tmp_path: Path) -> None:
    db = tmp_path / "data" / "ibdquiz.db"
    shown = run("--db", str(db), "profile")
    assert shown.returncode == 0, shown.stderr
    # only showing: nothing is created (issue 15 item 15)
    assert not db.exists() and not db.parent.exists()
    assert "not set" in shown.stdout and "not created yet" in shown.stdout
    named = run("--db", str(db), "--profile", "ann", "profile", "--name", "Dr  Ann Fellow")
    assert named.returncode == 0, named.stderr
    assert "Dr Ann Fellow" in named.stdout
    store = Store.open(db)
    ann = store.find_profile("ann")
    assert ann is not None and ann.display_name == "Dr Ann Fellow"
    assert ann.learner_id in named.stdout
    assert store.find_profile("default") is None  # showing 'default' wrote nothing
    store.close()
    again = run("--db", str(db), "--profile", "ann", "profile")
    assert ann.learner_id in again.stdout


def test_profile_uses_the_default_data_folder(tmp_path: Path) -> None:
    result = run("profile")  # conftest points XDG_DATA_HOME at a fresh folder
    assert result.returncode == 0, result.stderr
    assert "ibdquiz.db" in result.stdout


def test_profile_refuses_an_empty_name(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "x.db"), "profile", "--name", "  ")
    assert result.returncode == 2
