"""The subcommands, one small module per area; ``cli.py`` attaches ``COMMANDS``."""

from __future__ import annotations

import click

from ibdquiz.commands import decks, exports, preview, progress, study

COMMANDS: list[click.Command] = [
    *decks.COMMANDS,
    *preview.COMMANDS,
    *study.COMMANDS,
    *progress.COMMANDS,
    *exports.COMMANDS,
]
