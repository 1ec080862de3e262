"""The command line loads a command's module only when that command is run (issue 13: start-up).

``commands.MODULES`` is the table ``cli`` reads instead of importing every module; it must name
exactly the commands the modules define.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

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
