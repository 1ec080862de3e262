"""One regression test per finding of issue 14 that the security work fixed (items 1, 2, 4, 6,
7, 10, 12; the suites in ``test_fault_*.py`` cover them again at scale)."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ibdquiz.core.atomic import remove_stale, write_bytes
from ibdquiz.core.bounds import MAX_DIGITS, digit_count
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.deckload import load_deck_text
from ibdquiz.core.grading import grade_numeric
from ibdquiz.errors import UnparseableResponse
from tests.fault_driver import wait_new
from tests.helpers_tui import DECK_YAML, PtyApp

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "src" / "ibdquiz" / "decks" / "tacrolimus-refractory-crohns.yaml"
HUGE = "123456789012345678901234567890.5 mg"


def run(*args: str, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ibdquiz", *args], capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})}, cwd=REPO,
    )


def one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if "error:" in line]
    assert len(lines) == 1, result.stdout + result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def huge_deck(answer: str = HUGE) -> str:
    return DECK_YAML.replace("answer: 67%", f"answer: {answer}", 1).replace(
        "deck: tui-test", "deck: huge", 1)


# -- item 4: numbers beyond the precision bound ----------------------------------------------

def test_digits_are_counted_as_documented() -> None:
    assert MAX_DIGITS == 15
    counted = [digit_count(t) for t in ("0.5", "120.25", "0.001", "-007", "1" * 16)]
    assert counted == [1, 5, 3, 1, 16]


def test_a_huge_number_in_a_deck_is_a_positioned_error(tmp_path: Path) -> None:
    result = load_deck_text(huge_deck(), "huge.yaml")
    assert result.deck is None
    (error,) = result.errors
    line = huge_deck().splitlines().index(f"        answer: {HUGE}") + 1
    assert (error.line, error.col) == (line, 17)
    assert "31 digits" in error.message and "at most 15" in error.message
    for answer in ("1" * 5000, "0." + "0" * 40 + "1%", "1/" + "9" * 40, "1" * 20 + "-" + "2" * 20):
        bad = load_deck_text(huge_deck(answer), "huge.yaml")
        assert bad.deck is None and bad.errors, answer
    deck = tmp_path / "huge.yaml"
    deck.write_text(huge_deck(), encoding="utf-8")
    for command in (("validate", str(deck)), ("preview", str(deck)), ("add-deck", str(deck))):
        result = run(*command, env={"XDG_DATA_HOME": str(tmp_path / "data")})
        assert result.returncode == 1, result.stderr
        assert "at most 15 digits" in result.stdout + result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_one_huge_deck_in_a_folder_is_skipped_and_the_others_work(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "huge.yaml").write_text(huge_deck(), encoding="utf-8")
    (folder / "fine.yaml").write_text(DECK_YAML.replace("deck: tui-test", "deck: fine", 1),
                                      encoding="utf-8")
    db = tmp_path / "x.db"
    for command in ("decks", "stats"):
        result = run("--db", str(db), "--decks", str(folder), command)
        assert result.returncode == 0, result.stderr
        assert "skipped" in result.stderr and "huge.yaml" in result.stderr
        assert "fine" in result.stdout


def test_a_typed_answer_beyond_the_bound_cannot_be_read_never_crashes() -> None:
    deck = load_deck_text(DECK_YAML.replace("answer: 67%", "answer: 16/24 (67%)", 1), "t.yaml")
    assert deck.deck is not None
    numeric = [c for c in cards_for_deck(deck.deck) if c.kind is CardKind.NUMERIC]
    assert numeric
    typed = ["71.00000000000000000000000000001%", "9" * 5000, "1/" + "9" * 5000,
             "0." + "0" * 30 + "1", "1e999", "NaN", "inf", "99999999999999.9"]
    for card in numeric:
        for text in typed:
            try:
                grade_numeric(card, text)
            except UnparseableResponse as exc:
                assert exc.hint
        with pytest.raises(UnparseableResponse, match="Can't read"):
            grade_numeric(card, "71.00000000000000000000000000001%")
        assert grade_numeric(card, card.answer.text).correct


# -- item 6: regular files only -------------------------------------------------------------

def test_devices_links_and_fifos_are_refused_in_one_line(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for target, kind in (("/dev/zero", "device"), (str(link), "device"), (str(fifo), "FIFO")):
        for command in ("validate", "preview"):
            started = time.monotonic()
            result = run(command, target, timeout=30)  # a FIFO must not block
            assert time.monotonic() - started < 30
            line = one_error_line(result, kind, "not a regular file")
            assert line.startswith(f"{target}:1:1: error:")
        added = run("add-deck", target, env={"XDG_DATA_HOME": str(tmp_path / "data")})
        one_error_line(added, "not a file")


# -- item 10: signals and closed pipes --------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hangup_restore_the_terminal_and_end_the_session(
    tmp_path: Path, signum: int
) -> None:
    db = tmp_path / "x.db"
    with PtyApp(["study", "--kind", "choice"], db=db) as app:
        app.wait_for("1-5 Choose", timeout=60)
        mark = len(app.raw)
        app.send("1")
        assert wait_new(app, mark, "Press enter to go on")
        assert app.process is not None
        os.kill(app.process.pid, signum)
        code = app.wait_exit(timeout=30)
    assert code == 128 + signum
    raw = app.raw
    assert raw.rfind(b"\x1b[?1049l") > raw.rfind(b"\x1b[?1049h")  # left the alternate screen
    assert raw.rfind(b"\x1b[?1000l") > raw.rfind(b"\x1b[?1000h")  # mouse reporting off
    connection = sqlite3.connect(db)
    try:
        sessions = connection.execute("SELECT ended_at FROM sessions").fetchall()
        reviews = connection.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    finally:
        connection.close()
    assert sessions and all(ended is not None for (ended,) in sessions)
    assert reviews == 1


@pytest.mark.slow
def test_every_command_exits_141_silently_on_a_closed_pipe(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from tests.helpers_report import study_in_store

    db = tmp_path / "studied.db"
    start = datetime(2025, 3, 10, 9, tzinfo=timezone.utc)
    study_in_store(db, name="Ann", days=[start + timedelta(days=d) for d in range(10)], per_day=20)
    exports = tmp_path / "exports"
    exports.mkdir()
    assert run("--db", str(db), "export", "-o", str(exports / "a.json")).returncode == 0
    commands = [
        ["stats"], ["stats", "--format", "json"], ["decks"], ["export"],
        ["export", "--format", "csv"], ["preview", "tacrolimus-refractory-crohns"],
        ["preview", "tacrolimus-refractory-crohns", "--format", "json"],
        ["report", str(exports)], ["report", str(exports), "--format", "csv"],
        ["report", str(exports), "--format", "html"], ["validate", str(BUNDLED)], ["--help"],
    ]
    for command in commands:
        shell = (f"{sys.executable} -m ibdquiz --db {db} {' '.join(command)} | head -c 1 "
                 ">/dev/null; echo ${PIPESTATUS[0]}")
        # a reader that stops at once; the big outputs (over a pipe's 64 KiB) must see EPIPE
        result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True,
                                timeout=120, cwd=REPO)
        assert result.stdout.strip(), (command, result.stderr)
        code = int(result.stdout.strip().splitlines()[-1])
        assert code in (0, 141), (command, code, result.stderr)
        assert "Traceback" not in result.stderr and "error" not in result.stderr, result.stderr


# -- item 12: leftovers and permissions -------------------------------------------------------

def test_a_temporary_file_left_by_a_killed_writer_is_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".out.json.{dead.pid}.abc123.tmp"
    stale.write_bytes(b"half")
    legacy = tmp_path / ".out.json.k2j3h4g5.tmp"
    legacy.write_bytes(b"old")
    os.utime(legacy, (time.time() - 7200, time.time() - 7200))
    mine = tmp_path / f".out.json.{os.getpid()}.zzz.tmp"  # a writer still running: kept
    mine.write_bytes(b"busy")
    other = tmp_path / ".other.json.1.x.tmp"  # another file's temporary: not ours to judge
    other.write_bytes(b"x")
    write_bytes(tmp_path / "out.json", b"{}")
    assert (tmp_path / "out.json").read_bytes() == b"{}"
    assert not stale.exists() and not legacy.exists()
    assert mine.exists() and other.exists()
    assert remove_stale(tmp_path, "out.json") == 0


@pytest.mark.slow
def test_kills_during_export_leave_no_pile_of_temporary_files(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from tests.helpers_report import study_in_store

    db = tmp_path / "studied.db"
    start = datetime(2025, 3, 10, 9, tzinfo=timezone.utc)
    study_in_store(db, name="Ann", days=[start + timedelta(days=d) for d in range(20)], per_day=20)
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    for delay in (0.3, 0.45, 0.6, 0.75, 0.9, 1.05):
        process = subprocess.Popen([sys.executable, "-m", "ibdquiz", "--db", str(db), "export",
                                    "--output", str(out)], cwd=REPO)
        time.sleep(delay)
        process.kill()
        process.wait()
    final = run("--db", str(db), "export", "--output", str(out))
    assert final.returncode == 0, final.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["export.json"]


def test_add_deck_installs_with_the_usual_permissions(tmp_path: Path) -> None:
    deck = tmp_path / "perm-deck.yaml"
    deck.write_text(DECK_YAML.replace("deck: tui-test", "deck: perm-deck", 1), encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run(
        ["bash", "-c", f"umask 022 && {sys.executable} -m ibdquiz add-deck {deck}"],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env}, cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    (installed,) = (tmp_path / "data").rglob("perm-deck.yaml")
    assert stat.S_IMODE(installed.stat().st_mode) == 0o644
    assert installed.read_bytes() == deck.read_bytes()
    assert not list(installed.parent.glob(".*.tmp"))


# -- item 13: two right answers (the items helper's core function; here its regression cases)

@pytest.mark.parametrize(("answer", "choices", "same"), [
    ("0%", '["1", "5", "3", "0"]', "0"),
    ("5/5 (100%)", '["5", "3", "4"]', "5"),
    ("21%", '["21", "30%", "40%"]', "21"),
])
def test_a_choice_written_in_another_form_is_not_a_second_right_answer(
    answer: str, choices: str, same: str
) -> None:
    from ibdquiz.core.cards import choice_options
    from ibdquiz.core.grading import grade_choice, is_correct

    text = DECK_YAML.replace("answer: 67%", f"answer: {answer}\n        choices: {choices}", 1)
    result = load_deck_text(text, "tui-test.yaml")
    if result.deck is None:  # refused: an error naming the choice
        assert any(same in d.message for d in result.errors), [str(d) for d in result.errors]
        return
    for card in cards_for_deck(result.deck):
        if card.fact != "response" or card.kind is not CardKind.CHOICE:
            continue
        for seed in range(5):
            options = choice_options(card, seed)
            for index, option in enumerate(options.options):
                if option.strip() == same:  # shown: then it must be the right one
                    assert is_correct(grade_choice(index, options, 1000)), (options, option)
            if card.kind is CardKind.NUMERIC:
                assert grade_numeric(card, same).correct
