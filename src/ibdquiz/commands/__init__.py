"""The subcommands, one small module per area; ``cli.py`` imports a command's module only when
that command is run or listed (``--help``), so ``ibdquiz`` itself loads only ``study``.

``MODULES`` names each command's module; ``tests/test_cli_lazy.py`` checks it against the
modules' ``COMMANDS`` lists, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

MODULES: dict[str, str] = {
    "validate": "decks", "decks": "decks", "new-deck": "decks", "add-deck": "decks",
    "remove-deck": "decks", "schema": "decks",
    "preview": "preview",
    "study": "study",
    "stats": "progress", "profile": "progress", "check": "progress", "backup": "progress",
    "export": "exports", "report": "exports",
}
"""Command name → the module of ``ibdquiz.commands`` that defines it."""


def load(name: str) -> click.Command | None:
    """The command ``name`` (its module imported now), or ``None`` for no such command."""
    module = MODULES.get(name)
    if module is None:
        return None
    commands: list[click.Command] = importlib.import_module(f"ibdquiz.commands.{module}").COMMANDS
    return next((command for command in commands if command.name == name), None)
