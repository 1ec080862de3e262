"""``ibdquiz preview`` through a real subprocess (docs/rules.md)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.helpers_cli import invoke

DECK = """\
deck: preview-test
title: Preview test
sources:
  - id: mayo-2013
    citation: Inflamm Bowel Dis 2013; 19:1107-11
    label: Mayo Clinic series, 2013
    design: retrospective
    n: 24
    facts:
      - id: surgery
        ask: What share of patients required surgery?
        answer: 54%
        explain: Over half still needed surgery.
      - id: response
        ask: What share responded?
        answer: 67%
      - id: remission
        ask: What share reached steroid-free remission?
        answer: 21%
      - id: adverse-events
        ask: What share had adverse events?
        answer: 75%
      - id: location
        ask: Which location had "[CRP] elevated" patients?
        answer: ileocolonic
        explain: "[bold]not markup[/bold]"
        choices: [isolated ileal, isolated colonic, perianal only]
"""

KEYS = ["card_id", "deck", "source", "fact", "kind", "prompt", "answer", "answer_kind",
        "context", "citation", "via", "explain"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return invoke(*args)


def write_deck(tmp_path: Path, text: str = DECK, name: str = "preview-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_is_one_array_of_card_objects(tmp_path: Path) -> None:
    result = run("preview", str(write_deck(tmp_path)), "--format", "json")
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert isinstance(cards, list)
    assert [c["card_id"] for c in cards[:3]] == [
        "preview-test/mayo-2013/surgery/choice",
        "preview-test/mayo-2013/surgery/numeric",
        "preview-test/mayo-2013/surgery/recall",
    ]
    for card in cards:
        if card["kind"] == "choice":
            assert list(card) == [*KEYS[:9], "options", "correct_index", *KEYS[9:]]
            assert card["options"][card["correct_index"]] == card["answer"]
        else:
            assert list(card) == KEYS
    surgery = cards[0]
    assert surgery["answer_kind"] == "percent"
    # five options, the key's place drawn from (card id, seed) (issue 9)
    assert len(surgery["options"]) == 5
    assert surgery["context"] == "Mayo Clinic series, 2013 · retrospective · n=24 · " \
        "Inflamm Bowel Dis 2013; 19:1107-11"
    assert surgery["citation"] == "Inflamm Bowel Dis 2013; 19:1107-11"
    assert surgery["explain"] == "Over half still needed surgery."
    location = next(c for c in cards if c["card_id"].endswith("location/choice"))
    assert location["answer_kind"] == "text"


def test_seed_is_reproducible_and_defaults_to_zero(tmp_path: Path) -> None:
    path = str(write_deck(tmp_path))
    default = run("preview", path, "--format", "json").stdout
    assert run("preview", path, "--format", "json", "--seed", "0").stdout == default
    orders = {
        tuple(c["options"]) for seed in range(4)
        for c in json.loads(run("preview", path, "--format", "json", "--seed", str(seed)).stdout)
        if c["fact"] == "location" and c["kind"] == "choice"
    }
    assert len(orders) > 1  # text options are reordered by the seed


def test_text_groups_by_source_and_marks_the_correct_option(tmp_path: Path) -> None:
    result = run("preview", str(write_deck(tmp_path)))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Mayo Clinic series, 2013" in out
    assert "retrospective · n=24" in out
    assert "  answer   54%  (percent)" in out
    assert "54%  ✓ correct" in out
    assert out.count("✓ correct") == 5
    assert '"[CRP] elevated"' in out and "[bold]not markup[/bold]" in out
    assert "Type a percent" in out


def test_deck_id_is_found_through_the_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    write_deck(folder)
    result = run("--decks", str(folder), "preview", "preview-test", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["deck"] == "preview-test"


def test_bundled_deck_by_id() -> None:
    result = run("preview", "tacrolimus-refractory-crohns", "--format", "json")
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert len(cards) > 50
    assert all(c["deck"] == "tacrolimus-refractory-crohns" for c in cards)


def test_deck_with_errors_prints_diagnostics_and_exits_1(tmp_path: Path) -> None:
    broken = DECK.replace("answer: 54%", "answer: 54%\n        colour: red")
    result = run("preview", str(write_deck(tmp_path, broken)), "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and all(":" in line for line in lines)
    assert any("preview-test.yaml:13:9: error: unknown key 'colour'" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_id_are_one_line_errors(tmp_path: Path) -> None:
    missing = run("preview", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr and "Traceback" not in missing.stderr
    unknown = run("preview", "no-such-deck")
    assert unknown.returncode == 1
    assert "no deck file or deck id 'no-such-deck'" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1


def test_text_wraps_long_prompts_under_themselves_at_80_columns(tmp_path: Path) -> None:
    long_ask = ("In the Mayo Clinic series, what share of patients required surgery within a "
                "median of 10 months of starting tacrolimus, despite the treatment?")
    deck = DECK.replace("ask: What share of patients required surgery?", f"ask: {long_ask}")
    result = invoke("preview", str(write_deck(tmp_path, deck)),
                    env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines), lines
    start = next(i for i, line in enumerate(lines) if line.startswith("  ask      In the Mayo"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("  answer "))
    assert end - start >= 2  # it did wrap
    for continuation in lines[start + 1:end]:
        assert continuation.startswith(" " * 11) and not continuation[11].isspace()
    assert " ".join(x.strip() for x in lines[start:end])[len("ask      "):] == long_ask
