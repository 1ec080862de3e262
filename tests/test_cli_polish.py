"""Issue 15, the director's and fellow's command line: schema, new-deck, remove-deck, usage
errors, help, profile --display-name (in-process with click's CliRunner)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from click.testing import CliRunner, Result

from ibdquiz import paths
from ibdquiz.cli import cli
from ibdquiz.storage.store import Store
from tests.helpers_tui import tui_deck


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_schema_prints_and_writes_the_shipped_schema(tmp_path: Path) -> None:
    shipped = paths.deck_schema_path().read_text(encoding="utf-8")
    printed = invoke("schema")
    assert printed.exit_code == 0 and json.loads(printed.stdout) == json.loads(shipped)
    target = tmp_path / "s.json"
    written = invoke("schema", "--output", str(target))
    assert written.exit_code == 0 and target.read_text(encoding="utf-8") == shipped


def test_new_deck_with_a_space_prints_commands_that_paste_and_validates_clean(
    tmp_path: Path,
) -> None:
    target = tmp_path / "My Deck.yaml"
    made = invoke("new-deck", str(target))
    assert made.exit_code == 0, made.output
    command = made.stdout.splitlines()[0].split("check it with: ", 1)[1]
    assert shlex.split(command) == ["ibdquiz", "validate", str(target)]
    text = target.read_text(encoding="utf-8")
    assert "ibdquiz validate 'My Deck.yaml'" in text  # the template's own commands paste too
    assert text.splitlines()[0].endswith("$schema=ibdquiz-deck.schema.json")
    assert (tmp_path / "ibdquiz-deck.schema.json").is_file()
    check = invoke("validate", "--strict", str(target))
    assert check.exit_code == 0 and check.stdout == "", check.output
    assert "no problems" in check.stderr


def test_the_template_quotes_its_citation() -> None:
    from ibdquiz.core.template import template_text

    lines = [line.strip() for line in template_text("x", "s.json", "x.yaml").splitlines()]
    citations = [line for line in lines if line.startswith("citation:")]
    assert citations and all(line.startswith('citation: "') for line in citations)


def test_remove_deck_retires_cards_and_keeps_history(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    deck_file = tmp_path / "tui-test.yaml"
    from tests.helpers_tui import DECK_YAML

    deck_file.write_text(DECK_YAML, encoding="utf-8")
    assert invoke("--db", str(db), "add-deck", str(deck_file)).exit_code == 0
    with Store.open(db) as store:
        store.sync_decks([tui_deck()])
        card = next(iter(store.cards()))
        store.flag("default", card, "kept")
    removed = invoke("--db", str(db), "remove-deck", "tui-test")
    assert removed.exit_code == 0, removed.output
    assert "retired" in removed.stdout and "history is kept" in removed.stdout
    assert not (paths.user_decks_dir() / "tui-test.yaml").exists()
    with Store.open(db) as store:
        assert not any(c.startswith("tui-test/") for c in store.cards())
        retired = store.search_cards("default", state="retired")
        assert card in {row.card_id for row in retired}
    # added again: the same cards come back, with their history
    assert invoke("--db", str(db), "add-deck", str(deck_file)).exit_code == 0
    with Store.open(db) as store:
        store.sync_decks([tui_deck()])
        assert card in store.cards()


def test_remove_deck_refuses_a_bundled_deck_and_an_unknown_id(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    bundled = invoke("--db", str(db), "remove-deck", "tacrolimus-refractory-crohns")
    assert bundled.exit_code == 1 and "a bundled deck" in bundled.stderr
    unknown = invoke("--db", str(db), "remove-deck", "nope")
    assert unknown.exit_code == 1 and "no deck with id 'nope'" in unknown.stderr
    assert len(unknown.stderr.splitlines()) == 1
    assert not db.exists()  # refusing wrote nothing


def test_usage_errors_are_one_line_with_where_to_look() -> None:
    for args, words in [
        (["bogus"], "No such command"),
        (["validate"], "Missing argument"),
        (["study", "--kind", "x"], "'x' is not one of"),
        (["--profile", "", "stats"], "profile name is empty"),
    ]:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("ibdquiz: error: ") and words in lines[0]
        assert "--help'" in lines[0]


def test_top_level_help_has_a_fellows_example_and_whole_summaries() -> None:
    helped = invoke("--help").stdout
    assert 'ibdquiz profile --display-name "Dr A. Fellow"' in helped
    assert "ibdquiz export --output" in helped
    commands = helped.split("Commands:", 1)[1]
    assert "..." not in commands
    assert "deck folder as <deck id>.yaml." in " ".join(commands.split())  # wrapped, not cut


def test_profile_shows_without_creating_and_display_name_sets(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "ibdquiz.db"
    shown = invoke("--db", str(db), "profile")
    assert shown.exit_code == 0 and "not created yet" in shown.stdout
    assert not db.parent.exists()
    named = invoke("--db", str(db), "profile", "--display-name", "Dr A. Fellow")
    assert named.exit_code == 0 and "Dr A. Fellow" in named.stdout
    old = invoke("--db", str(db), "profile", "--name", "Dr B")  # the older spelling still works
    assert old.exit_code == 0 and "Dr B" in old.stdout
    assert "--display-name" in invoke("profile", "--help").stdout


def test_a_tab_in_the_display_name_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "ibdquiz.db"
    result = invoke("--db", str(db), "profile", "--display-name", "Dr\tA")
    assert result.exit_code == 2 and "ibdquiz: error:" in result.stderr
    assert not db.exists()
