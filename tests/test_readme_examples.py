"""The README's examples work as written: its deck validates clean, its key remaps name real keys,
and every command it shows in the walk-throughs exists."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml

from ibdquiz.cli import cli
from ibdquiz.core.deckload import load_deck
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.S)


def test_the_readme_deck_validates_clean_with_the_name_it_suggests(tmp_path: Path) -> None:
    decks = [block for block in _yaml_blocks() if re.search(r"^deck: ", block, flags=re.M)]
    assert len(decks) == 1, "the README should show exactly one example deck"
    suggested = re.search(r"save it as `([a-z0-9-]+\.yaml)`", README)
    assert suggested is not None, "the README should say what to name the example deck"
    path = tmp_path / suggested.group(1)
    path.write_text(decks[0], encoding="utf-8")
    result = load_deck(path)
    assert result.deck is not None, result.errors
    assert result.diagnostics == [], [str(d) for d in result.diagnostics]
    # it shows each way of writing a fact that the text around it describes
    kinds = {fact.answer.kind.value for _source, fact in result.deck.facts()}
    assert {"percent", "fraction", "range"} <= kinds
    assert any(fact.cloze for _source, fact in result.deck.facts())
    assert any(fact.choices for _source, fact in result.deck.facts())


def test_the_readme_key_remaps_name_real_binding_ids() -> None:
    from ibdquiz.tui.bindings import all_binding_ids

    remaps = [block for block in _yaml_blocks() if not re.search(r"^deck: ", block, flags=re.M)]
    assert remaps, "the README should show a keys.yaml example"
    known = set(all_binding_ids())
    for block in remaps:
        mapping = yaml.safe_load(block)
        assert isinstance(mapping, dict) and mapping
        assert set(mapping) <= known, set(mapping) - known


def test_every_command_the_readme_shows_exists_with_its_options() -> None:
    shown = re.findall(r"`ibdquiz ((?:[a-z][a-z-]*)(?: --?[a-z][a-z-]*)*)", README)
    assert len(shown) > 20
    for text in shown:
        name, *options = text.split()
        command = cli.get_command(click.Context(cli), name)
        if command is None:
            continue  # a prose word after `ibdquiz` (e.g. "`ibdquiz` opens"), not a command
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        known |= {"--help", "-h"}
        for option in options:
            assert option in known, f"README shows `ibdquiz {name} {option}`, which does not exist"
