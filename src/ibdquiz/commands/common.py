"""What several commands share: the resolved global options, and safe ways to print."""

from __future__ import annotations

import errno
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from rich.console import Console

from ibdquiz.core.printable import describe, has_control, printable

PROFILE_NAME_MAX = 64
"""The longest profile name (``--profile``); a display name may be longer."""
DISPLAY_NAME_MAX = 120
"""The longest display name (``profile --name``): it heads a column of the cohort report."""


@dataclass
class Context:
    """The global options, resolved: what every command works on."""

    db_path: Path
    deck_dirs: list[Path] = field(default_factory=list)
    """Folders given with ``--decks``: a missing one is an error."""
    env_deck_dirs: list[Path] = field(default_factory=list)
    """Folders from ``IBDQUIZ_DECKS``: a missing one is only a warning (a stale entry)."""
    profile: str = "default"


def get_context() -> Context:
    """The ``Context`` of the running command (set by the root group)."""
    obj = click.get_current_context().find_object(Context)
    if obj is None:  # only when a command is invoked outside the ``ibdquiz`` group
        raise click.UsageError("run this command through 'ibdquiz'")
    return obj


def warn(message: str) -> None:
    """One ``ibdquiz: warning:`` line on stderr (control characters shown as escapes)."""
    click.echo(f"ibdquiz: warning: {printable(message)}", err=True)


def note(message: str) -> None:
    """One plain line on stderr, such as where a file was written."""
    click.echo(printable(message), err=True)


def data_stdout() -> TextIO:
    """stdout for a data format (JSON, CSV, HTML): always UTF-8, as the same file would be.

    ``ibdquiz export > a.json`` must give the bytes of ``ibdquiz export -o a.json`` whatever
    the locale (``LANG=C``, ``PYTHONIOENCODING=ascii``).
    """
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        reconfigure(encoding="utf-8", errors="strict")
    return stream


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile; a usage error saying what is wrong otherwise."""
    problem = None
    if not name.strip():
        problem = "the profile name is empty"
    elif has_control(name):
        problem = (f"the profile name '{printable(name)}' holds a control character or a "
                   "bidi control "
                   f"({describe(next(c for c in name if has_control(c)))})")
    elif name != name.strip():
        problem = f"the profile name {name!r} starts or ends with a space"
    elif len(name) > PROFILE_NAME_MAX:
        problem = f"the profile name is {len(name)} characters long (at most {PROFILE_NAME_MAX})"
    if problem is not None:
        raise click.BadParameter(
            f"{problem}; use a short name such as 'default' or 'alice'",
            param_hint="'--profile' / IBDQUIZ_PROFILE",
        )
    return name


def clean_display_name(name: str) -> str:
    """``name`` with its runs of spaces made one; a usage error if it cannot be shown as is."""
    if has_control(name):  # a tab or a newline too: it would not show as typed
        bad = next(c for c in name if has_control(c))
        raise click.BadParameter(
            f"the display name holds {describe(bad)}: control characters (tab and newline "
            "included) and bidi controls, which can make one name read as another, are "
            "refused; type the name as plain text", param_hint="'--name'",
        )
    cleaned = " ".join(name.split())
    if not cleaned:
        raise click.BadParameter("the display name cannot be empty", param_hint="'--name'")
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise click.BadParameter(
            f"the display name is {len(cleaned)} characters long (at most {DISPLAY_NAME_MAX}); "
            "shorten it", param_hint="'--name'",
        )
    return cleaned


def console(**options: Any) -> Console:
    """A rich console on stdout whose closed pipe ends the command as ``ibdquiz | head`` expects.

    rich's own handling exits 1 when the reader goes away; this one raises ``BrokenPipeError``
    so the CLI's error funnel leaves quietly with 141, as for every other command.
    """
    from rich.console import Console

    class _PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader of stdout went away")

    return _PipeConsole(**options)
