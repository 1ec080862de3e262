"""Deck discovery (docs/rules.md): locations in order; the later wins a clash; broken skipped."""

from __future__ import annotations

from pathlib import Path

from ibdquiz.core.catalog import deck_files, discover
from ibdquiz.core.model import Severity


def write_deck(folder: Path, name: str, deck_id: str, title: str = "A deck") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"deck: {deck_id}\ntitle: {title}\nsources:\n  - id: s\n    citation: c\n    facts:\n"
        "      - id: f\n        ask: What share of patients required surgery?\n"
        "        answer: 54%\n",
        encoding="utf-8",
    )
    return path


def test_deck_files_are_yaml_and_yml_in_name_order(tmp_path: Path) -> None:
    write_deck(tmp_path, "b.yml", "b")
    write_deck(tmp_path, "a.yaml", "a")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub.yaml").mkdir()
    assert [p.name for p in deck_files(tmp_path)] == ["a.yaml", "b.yml"]


def test_discover_loads_every_location_and_records_origins(tmp_path: Path) -> None:
    bundled = write_deck(tmp_path / "bundled", "one.yaml", "one")
    user = write_deck(tmp_path / "user", "two.yaml", "two")
    catalog = discover([("bundled", bundled.parent), ("user", user.parent),
                        ("--decks", tmp_path / "missing")])
    assert sorted(catalog.decks) == ["one", "two"]
    assert catalog.origins["one"] == ("bundled", bundled)
    assert catalog.origins["two"] == ("user", user)
    assert catalog.problems == [] and catalog.clashes == []


def test_later_location_wins_an_id_clash_with_a_warning(tmp_path: Path) -> None:
    first = write_deck(tmp_path / "bundled", "same.yaml", "same", title="Bundled")
    second = write_deck(tmp_path / "extra", "same.yaml", "same", title="Mine")
    catalog = discover([("bundled", first.parent), ("--decks", second.parent)])
    assert catalog.decks["same"].title == "Mine"
    assert catalog.origins["same"] == ("--decks", second)
    assert catalog.overridden["same"] == [("bundled", first)]
    [clash] = catalog.clashes
    assert clash.severity is Severity.WARNING and clash.path == str(second)
    assert "'same'" in clash.message and str(first) in clash.message


def test_broken_deck_is_reported_and_skipped(tmp_path: Path) -> None:
    write_deck(tmp_path, "good.yaml", "good")
    (tmp_path / "bad.yaml").write_text("deck: bad\ntitle: [\n", encoding="utf-8")
    catalog = discover([("user", tmp_path)])
    assert list(catalog.decks) == ["good"]
    [problem] = catalog.problems
    assert problem.path == tmp_path / "bad.yaml" and problem.deck is None and problem.errors
