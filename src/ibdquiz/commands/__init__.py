"""The subcommands, one small module per area; ``cli.py`` attaches ``COMMANDS``."""

from __future__ import annotations

import click

from ibdquiz.commands import decks, exports, progress, study

COMMANDS: list[click.Command] = [
    *decks.COMMANDS,
    *study.COMMANDS,
    *progress.COMMANDS,
    *exports.COMMANDS,
]
