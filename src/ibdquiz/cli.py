"""The command line (DESIGN §7). Imports the TUI lazily, only for the commands that open it.

Every expected failure is an ``IbdquizError``; ``main`` prints it as one line on stderr and
exits non-zero, so no traceback reaches a user.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from ibdquiz import __version__
from ibdquiz.commands.common import Context
from ibdquiz.errors import IbdquizError


class _Group(click.Group):
    """A group that turns ``IbdquizError`` into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IbdquizError as exc:
            click.echo(f"ibdquiz: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("ibdquiz: interrupted", err=True)
            ctx.exit(130)


def _env_deck_dirs() -> list[Path]:
    raw = os.environ.get("IBDQUIZ_DECKS", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="ibdquiz")
@click.option(
    "--db", "db", type=click.Path(path_type=Path), envvar="IBDQUIZ_DB", default=None,
    help="Database file. Env IBDQUIZ_DB. Default: the platform's user data folder.",
)
@click.option(
    "--decks", "decks", type=click.Path(path_type=Path), multiple=True,
    help="Extra deck folder (repeatable). Env IBDQUIZ_DECKS, separated by the path separator.",
)
@click.option(
    "--profile", envvar="IBDQUIZ_PROFILE", default="default", show_default=True,
    help="Learner profile. Env IBDQUIZ_PROFILE.",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None, decks: tuple[Path, ...], profile: str) -> None:
    """Spaced-repetition study of the IBD literature in the terminal.

    Without a command, opens the study app on the bundled and installed decks.

    \b
    Example:
        ibdquiz validate decks/*.yaml
    """
    from ibdquiz.paths import default_db_path

    ctx.obj = Context(
        db_path=db or default_db_path(),
        deck_dirs=[*_env_deck_dirs(), *decks],
        profile=profile,
    )
    if ctx.invoked_subcommand is None:
        from ibdquiz.commands.study import open_home

        open_home(ctx.obj)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ibdquiz")


def _register() -> None:
    """Attach the commands, each defined in a small module of ``ibdquiz.commands``."""
    from ibdquiz.commands import COMMANDS

    for command in COMMANDS:
        cli.add_command(command)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
