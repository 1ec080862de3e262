"""What several commands share: the resolved global options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click


@dataclass
class Context:
    """The global options, resolved: what every command works on."""

    db_path: Path
    deck_dirs: list[Path] = field(default_factory=list)
    profile: str = "default"


def get_context() -> Context:
    """The ``Context`` of the running command (set by the root group)."""
    obj = click.get_current_context().find_object(Context)
    if obj is None:  # only when a command is invoked outside the ``ibdquiz`` group
        raise click.UsageError("run this command through 'ibdquiz'")
    return obj
