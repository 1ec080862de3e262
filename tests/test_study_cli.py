"""``ibdquiz`` / ``ibdquiz study`` from the command line: real subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers_tui import PtyApp


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """Run ibdquiz with pipes (no terminal) and a timeout, so a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize("args", [(), ("study",), ("study", "--kind", "choice", "--missed")])
def test_without_a_terminal_one_line_and_exit_1(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "ibdquiz.db"
    result = run(*args, db=db)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ibdquiz: error: the study app needs a terminal")
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_study_rejects_a_bad_kind_with_a_usage_error(tmp_path: Path) -> None:
    result = run("study", "--kind", "essay", db=tmp_path / "x.db")
    assert result.returncode == 2
    assert "essay" in result.stderr


def test_study_help_documents_the_options(tmp_path: Path) -> None:
    result = run("study", "--help", db=tmp_path / "x.db")
    assert result.returncode == 0
    for option in ("--kind", "--tag", "--new", "--missed", "Example"):
        assert option in result.stdout


def test_help_does_not_import_textual() -> None:
    code = (
        "import sys\nfrom ibdquiz.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='ibdquiz')\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "import ibdquiz.commands.study\nassert 'textual' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_unknown_deck_is_one_line_under_a_terminal(tmp_path: Path) -> None:
    with PtyApp(["study", "no-such-deck"], db=tmp_path / "ibdquiz.db") as app:
        status = app.wait_exit(timeout=30)
        output = app.output
    assert status == 2  # a usage error (issue 10), naming the decks there are
    assert "no deck with id no-such-deck" in output
    assert "tacrolimus-refractory-crohns" in output
    assert "Traceback" not in output


def test_study_under_a_terminal_answers_and_quits(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    with PtyApp(["study", "--kind", "choice"], db=db) as app:
        app.wait_for("1-5 Choose")
        app.send("1")
        app.wait_for("Press enter to go on")
        app.send("q")
        app.wait_for("Session finished")
        app.send("\r")
        assert app.wait_exit(timeout=30) == 0


def test_unknown_deck_or_tag_is_a_usage_error_naming_the_known_ones(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    deck = run("study", "no-such-deck", db=db)
    assert deck.returncode == 2 and "Traceback" not in deck.stderr
    assert "no deck with id no-such-deck" in deck.stderr
    assert "tacrolimus-refractory-crohns" in deck.stderr
    tag = run("study", "--tag", "nosuchtag", db=db)
    assert tag.returncode == 2 and "Traceback" not in tag.stderr
    assert "no card has the tag nosuchtag" in tag.stderr and "the tags are:" in tag.stderr
    known = tag.stderr.split("the tags are:")[1].split()[0].strip(",")
    assert known  # a real tag of the bundled deck is named...
    ok = run("study", "--tag", known, db=db)
    assert ok.returncode == 1 and "needs a terminal" in ok.stderr  # ...and accepted
    assert not db.exists()
