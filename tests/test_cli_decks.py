"""The deck commands through the real CLI (in-process): validate, decks, new-deck, add-deck."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ibdquiz import paths
from tests.helpers_cli import invoke

DIAGNOSTIC = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+$")

GOOD = """\
deck: {deck_id}
title: A test deck
sources:
  - id: mayo-2013
    citation: Inflamm Bowel Dis 2013; 19:1107-11
    facts:
      - id: surgery
        ask: What share of patients required surgery within a median of 10 months?
        answer: 54%
        explain: Over half still needed surgery.
"""


def ibdquiz(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (the test's XDG folders come from the environment)."""
    return invoke(*args, env={"NO_COLOR": "1"})


def write(path: Path, deck_id: str | None = None, text: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else GOOD.format(deck_id=deck_id or path.stem),
                    encoding="utf-8")
    return path


def test_validate_clean_deck_exits_0(tmp_path: Path) -> None:
    run = ibdquiz("validate", str(write(tmp_path / "good.yaml")))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert "1 file checked: no problems" in run.stderr


def test_validate_prints_each_problem_as_path_line_col_and_exits_1(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", text=GOOD.format(deck_id="bad").replace(
        "answer: 54%", "answer: 54%\n        answr: 55%").replace("title:", "titel:"))
    run = ibdquiz("validate", str(bad))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    parsed = [DIAGNOSTIC.match(line) for line in lines]
    assert all(parsed), lines
    positions = [(m["line"], m["col"], m["sev"]) for m in parsed if m]
    assert ("2", "1", "error") in positions and ("10", "9", "error") in positions
    assert "did you mean 'answer'" in run.stdout
    assert "Traceback" not in run.stderr


def test_validate_missing_file_and_warnings_and_strict(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    run = ibdquiz("validate", str(missing))
    assert run.returncode == 1 and run.stdout.strip() == f"{missing}: error: no such file"
    renamed = write(tmp_path / "renamed.yaml", deck_id="other")  # id differs from the stem
    run = ibdquiz("validate", str(renamed))
    assert run.returncode == 0 and ": warning: " in run.stdout
    assert "0 errors, 1 warning" in run.stderr
    assert ibdquiz("validate", "--strict", str(renamed)).returncode == 1


def test_validate_a_folder_checks_its_decks(tmp_path: Path) -> None:
    write(tmp_path / "decks" / "one.yaml")
    write(tmp_path / "decks" / "two.yml", text="deck: two\n")
    run = ibdquiz("validate", str(tmp_path / "decks"))
    assert run.returncode == 1
    assert {line.split(":")[0] for line in run.stdout.splitlines()} == {
        str(tmp_path / "decks" / "two.yml")}
    assert "2 files checked" in run.stderr
    (tmp_path / "empty").mkdir()
    run = ibdquiz("validate", str(tmp_path / "empty"))
    assert run.returncode == 1 and "no .yaml or .yml decks" in run.stdout


def test_new_deck_writes_a_template_that_validates_clean(tmp_path: Path) -> None:
    target = tmp_path / "infliximab-levels.yaml"
    run = ibdquiz("new-deck", str(target))
    assert run.returncode == 0, run.stderr
    text = target.read_text(encoding="utf-8")
    # a relative path, beside the deck: it works wherever the folder is copied
    assert text.splitlines()[0] == "# yaml-language-server: $schema=ibdquiz-deck.schema.json"
    beside = tmp_path / "ibdquiz-deck.schema.json"
    assert beside.read_text(encoding="utf-8") == paths.deck_schema_path().read_text("utf-8")
    assert "deck: infliximab-levels" in text and "quotes" in text
    check = ibdquiz("validate", "--strict", str(target))
    assert check.returncode == 0, check.stdout
    assert check.stdout == ""
    again = ibdquiz("new-deck", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert target.read_text(encoding="utf-8") == text
    assert ibdquiz("new-deck", str(tmp_path / "deck.txt")).returncode == 1


def test_add_deck_installs_into_the_user_folder_and_refuses_to_overwrite(tmp_path: Path) -> None:
    source = write(tmp_path / "my-deck.yaml")
    run = ibdquiz("add-deck", str(source))
    assert run.returncode == 0, run.stderr
    installed = paths.user_decks_dir() / "my-deck.yaml"
    assert installed.read_bytes() == source.read_bytes()
    assert str(installed) in run.stdout
    changed = write(tmp_path / "elsewhere" / "my-deck.yaml",
                    text=GOOD.format(deck_id="my-deck").replace("A test deck", "Changed"))
    refused = ibdquiz("add-deck", str(changed))
    assert refused.returncode == 1 and "--replace" in refused.stderr
    assert installed.read_bytes() == source.read_bytes()
    replaced = ibdquiz("add-deck", "--replace", str(changed))
    assert replaced.returncode == 0
    assert installed.read_bytes() == changed.read_bytes()


def test_add_deck_refuses_a_deck_with_errors(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", text="deck: bad\ntitle: x\n")
    run = ibdquiz("add-deck", str(bad))
    assert run.returncode == 1
    assert DIAGNOSTIC.match(run.stdout.splitlines()[0])
    assert "fix them" in run.stderr
    assert not (paths.user_decks_dir() / "bad.yaml").exists()
    assert "no such file" in ibdquiz("add-deck", str(tmp_path / "nope.yaml")).stderr


def test_decks_lists_origins_clashes_and_broken_decks(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    write(extra / "mine.yaml")
    write(extra / "tacrolimus-refractory-crohns.yaml", text=GOOD.format(
        deck_id="tacrolimus-refractory-crohns"))
    write(extra / "broken.yaml", text="deck: broken\ntitle: [\n")
    run = ibdquiz("--decks", str(extra), "decks")
    assert run.returncode == 0, run.stderr
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "--decks" in rows["mine"] and "A test deck" in rows["mine"]
    assert "--decks" in rows["tacrolimus-refractory-crohns"]
    assert "(replaces the bundled deck" in run.stdout
    assert "skipped" in run.stderr and "broken.yaml" in run.stderr
    assert "also used by" in run.stderr
    assert "Traceback" not in run.stderr


def test_decks_env_folder_and_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    write(tmp_path / "env" / "from-env.yaml")
    monkeypatch.setenv("IBDQUIZ_DECKS", str(tmp_path / "env"))
    assert "from-env" in ibdquiz("decks").stdout
    monkeypatch.setenv("IBDQUIZ_DECKS", str(tmp_path / "stale"))
    stale = ibdquiz("decks")  # a stale environment entry warns; the other decks still load
    assert stale.returncode == 0
    assert "tacrolimus-refractory-crohns" in stale.stdout
    assert stale.stderr.strip().splitlines() == [
        f"ibdquiz: warning: skipped {tmp_path / 'stale'} from IBDQUIZ_DECKS: does not exist"
    ]
    monkeypatch.delenv("IBDQUIZ_DECKS")
    run = ibdquiz("--decks", str(tmp_path / "missing"), "decks")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"ibdquiz: error: deck folder {tmp_path / 'missing'} does not exist; check --decks"
    ]


def test_validate_refuses_a_huge_file_and_an_alias_bomb_fast(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text(GOOD.format(deck_id="huge") + "# " + "x" * (6 * 1024 * 1024) + "\n",
                    encoding="utf-8")
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 20):  # 9**19 strings if anything ever expanded it
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = write(tmp_path / "bomb.yaml", text="\n".join(levels) + "\n")
    run = ibdquiz("validate", str(huge), str(bomb))
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert f"{huge}:1:1: error: the file is " in run.stdout and "5 MB" in run.stdout
    assert f"{bomb}:1:4: error: an anchor (&a)" in run.stdout
    assert f"{bomb}:2:8: error: an alias (*a)" in run.stdout
    assert "170 more aliases follow this one" in run.stdout  # one line, not 171
    assert run.stdout.count("alias (*") == 1
