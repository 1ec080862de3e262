"""The command line loads a command's module only when that command is run (issue 13: start-up).

``commands.MODULES`` is the table ``cli`` reads instead of importing every module; it must name
exactly the commands the modules define.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click

from ibdquiz.cli import cli
from ibdquiz.commands import MODULES


def test_the_table_names_every_command_of_every_module_and_nothing_else() -> None:
    defined = {
        command.name: module
        for module in set(MODULES.values())
        for command in importlib.import_module(f"ibdquiz.commands.{module}").COMMANDS
    }
    assert defined == MODULES
    context = click.Context(cli)
    assert cli.list_commands(context) == sorted(MODULES)
    assert all(cli.get_command(context, name) is not None for name in MODULES)
    assert cli.get_command(context, "no-such-command") is None


def test_the_study_path_imports_neither_the_yaml_parser_nor_the_other_commands() -> None:
    code = (
        "import sys, click\n"
        "from ibdquiz.cli import cli\n"
        "cli.get_command(click.Context(cli), 'study')\n"
        "from ibdquiz.commands.decks import load_catalog\n"
        "print(sorted(m for m in ('yaml', 'ibdquiz.core.deckload', 'ibdquiz.commands.exports',"
        " 'ibdquiz.commands.progress', 'ibdquiz.commands.preview') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


NOT_BEFORE_THE_FIRST_QUESTION = (
    "ibdquiz.tui.screens.home", "ibdquiz.tui.screens.help", "ibdquiz.tui.screens.flag",
    "ibdquiz.tui.screens.summary", "ibdquiz.tui.screens.stats", "ibdquiz.tui.screens.browse",
    "ibdquiz.tui.screens.settings", "ibdquiz.tui.screens.decks", "ibdquiz.session.today",
    "ibdquiz.storage.stats", "textual.widgets._data_table", "shlex",
)
"""What ``ibdquiz study`` does not import before its first question is on screen (issue 13)."""

FIRST_QUESTION = """\
import asyncio, sys, tempfile
from pathlib import Path
import click
from ibdquiz.cli import cli
from ibdquiz.commands.decks import load_catalog
from ibdquiz.commands.common import Context
from ibdquiz.core.clock import system_clock
from ibdquiz.storage.store import Store
cli.get_command(click.Context(cli), 'study')
from ibdquiz.tui.app import make_app

async def first_question(folder: str) -> None:
    store = Store.open(Path(folder) / 'ibdquiz.db', create=True)
    decks = list(load_catalog(Context(db_path=Path(folder) / 'ibdquiz.db'), None).decks.values())
    app = make_app(store, decks, 'default', system_clock, start='study')
    async with app.run_test() as pilot:
        while type(app.screen).__name__ != 'SessionScreen':
            await pilot.pause()
        await pilot.pause()
        print('question:', bool(app.screen.item))
    store.close()

with tempfile.TemporaryDirectory() as folder:
    asyncio.run(first_question(folder))
print(sorted(m for m in {names!r} if m in sys.modules))
"""


def test_the_study_path_to_the_first_question_leaves_the_other_screens_unimported() -> None:
    # The screens not shown yet (home and its deck table, help, the flag dialog, stats...),
    # and shlex, which only a skipped deck's message needs.
    code = FIRST_QUESTION.format(names=NOT_BEFORE_THE_FIRST_QUESTION)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-2:] == ["question: True", "[]"]


STATS_RUN = """\
import sys
from ibdquiz.cli import main
sys.argv = ["ibdquiz", "--db", sys.argv[1], "--decks", sys.argv[2], "stats", "--format", "json"]
try:
    main()
except SystemExit:
    pass
found = ("yaml", "ibdquiz.core.cards", "ibdquiz.core.deckload")
print(sorted(m for m in found if m in sys.modules), file=sys.stderr)
"""


def test_stats_on_synced_decks_imports_no_card_generation(tmp_path: Path) -> None:
    """``ibdquiz stats`` reads stored cards only: with every deck synced it imports neither the
    YAML parser nor the card generation (``core.cards``: options, pools, notes)."""
    from ibdquiz.core.catalog import discover
    from ibdquiz.paths import bundled_decks_dir
    from ibdquiz.storage.store import Store

    decks = tmp_path / "decks"
    decks.mkdir()
    with Store.open(tmp_path / "x.db") as store:
        store.sync_decks(list(discover([("bundled", bundled_decks_dir())]).decks.values()))
        store.profile("default")
    out = subprocess.run(
        [sys.executable, "-c", STATS_RUN, str(tmp_path / "x.db"), str(decks)],
        capture_output=True, text=True, check=True,
    )
    assert '"deck_id": "tacrolimus-refractory-crohns"' in out.stdout
    assert out.stderr.strip().splitlines()[-1] == "[]"
