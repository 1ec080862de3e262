"""The command line (docs/rules.md). Imports the TUI lazily, only for the commands that open it.

Every failure ends in ``_Group.invoke``, the one error funnel: an ``IbdquizError`` is printed
as one line on stderr with its exit code, and so are the failures of the surroundings (Ctrl-C,
a closed pipe, a full disk, a terminal that cannot show a character). No traceback reaches a
user; ``IBDQUIZ_DEBUG=1`` shows it for an unexpected error.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from ibdquiz import __version__
from ibdquiz.core.printable import printable
from ibdquiz.errors import IbdquizError, describe_os_error

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""
EXIT_BROKEN_PIPE = 141
"""Exit status when the reader of stdout went away (128 + SIGPIPE), as ``head`` leaves ``cat``."""
EXIT_INTERNAL = 70
"""Exit status of an unexpected error, a bug (``EX_SOFTWARE``)."""


def _say(message: str) -> None:
    """One line on stderr (control characters shown as escapes); never raises."""
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nobody left to tell
        click.echo(printable(message), err=True)


def _interrupted() -> NoReturn:
    """Leave quietly after Ctrl-C: one line, exit 130 (outputs were written atomically)."""
    _say("ibdquiz: interrupted")
    raise SystemExit(EXIT_INTERRUPTED)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the final flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout: nothing left to flush
        pass


def _is_utf(encoding: str | None) -> bool:
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _forgiving_streams() -> None:
    """On a terminal or pipe that is not UTF-8 (``LANG=C``, ``PYTHONIOENCODING=ascii``),
    show a character the encoding lacks as ``?`` instead of failing. Data formats (JSON, CSV,
    HTML) are switched to UTF-8 by the commands that print them (``commands.common``)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_utf(getattr(stream, "encoding", None)):
            reconfigure(errors="replace")


class _Group(click.Group):
    """The root group: the one place where a failure becomes one line and an exit status."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; a usage error is one ``ibdquiz: error:`` line (exit 2)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "ibdquiz"
            reason = exc.format_message().rstrip().rstrip(".")
            see = f" See '{where} --help'." if reason.endswith("?") else f"; see '{where} --help'"
            _say(f"ibdquiz: error: {reason}{see}")
            raise SystemExit(exc.exit_code) from None
        except click.ClickException as exc:
            _say(f"ibdquiz: error: {exc.format_message()}")
            raise SystemExit(exc.exit_code) from None
        except click.Abort:
            _interrupted()
        raise SystemExit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted, without importing any (``commands.MODULES``)."""
        from ibdquiz.commands import MODULES

        return sorted({*MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported the first time it is asked for."""
        if cmd_name not in self.commands:
            from ibdquiz.commands import load

            command = load(cmd_name)
            if command is not None:
                self.add_command(command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their whole first sentence (wrapped, never cut with '...')."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        _forgiving_streams()
        try:
            result = super().invoke(ctx)
            # flush here, not at interpreter exit, so a closed pipe or a full disk is caught
            sys.stdout.flush()
            return result
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except IbdquizError as exc:
            _say(f"ibdquiz: error: {exc}")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _interrupted()
        except BrokenPipeError:
            # the reader (``head``, a pager) has all it wanted; that is not an error to report
            _silence_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except OSError as exc:
            _say(f"ibdquiz: error: {describe_os_error(exc)}")
            ctx.exit(1)
        except UnicodeEncodeError as exc:
            _say(
                f"ibdquiz: error: this terminal's encoding ({exc.encoding}) cannot show the "
                "output; use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
            )
            ctx.exit(1)
        except Exception as exc:
            if os.environ.get("IBDQUIZ_DEBUG"):
                raise
            _say(
                f"ibdquiz: internal error: {type(exc).__name__}: {exc}; this is a bug, please "
                "report it (run again with IBDQUIZ_DEBUG=1 to see the details)"
            )
            ctx.exit(EXIT_INTERNAL)


def _env_deck_dirs() -> list[Path]:
    raw = os.environ.get("IBDQUIZ_DECKS", "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


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
    help="Which learner's answers and schedule (a short name; the display name is set with "
    "'profile --display-name'). Env IBDQUIZ_PROFILE.",
)
@click.pass_context
def cli(ctx: click.Context, db: Path | None, decks: tuple[Path, ...], profile: str) -> None:
    """Spaced-repetition study of the IBD literature in the terminal.

    Without a command, opens the study app on the bundled and installed decks. Global options
    (--db, --decks, --profile) come before the command. Run 'ibdquiz COMMAND --help' for a
    command's options and examples.

    \b
    A fellow's first day:
        ibdquiz profile --display-name "Dr A. Fellow"
        ibdquiz                      # study: enter studies a deck, ? lists the keys
        ibdquiz stats
        ibdquiz export --output fellow-a.json
    A program director's deck:
        ibdquiz new-deck my-deck.yaml
        ibdquiz validate my-deck.yaml
        ibdquiz add-deck my-deck.yaml
    """
    from ibdquiz.commands.common import Context, check_profile_name
    from ibdquiz.paths import default_db_path

    ctx.obj = Context(
        db_path=db or default_db_path(),
        deck_dirs=list(decks),
        env_deck_dirs=_env_deck_dirs(),
        profile=check_profile_name(profile),
    )
    if ctx.invoked_subcommand is None:
        from ibdquiz.commands.study import open_home

        open_home(ctx.obj)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="ibdquiz")
    except KeyboardInterrupt:  # Ctrl-C outside a command (while click parses the arguments)
        _interrupted()


if __name__ == "__main__":  # pragma: no cover
    main()
