"""The real ``ibdquiz`` command line, run in this process through click's ``CliRunner``.

``invoke`` returns what ``subprocess.run`` would (``returncode``, ``stdout``, ``stderr``), so a
test reads the same either way. It goes through the same root group and its error funnel as
the console script; only the process around it is missing. Tests where the process is the point
(exit statuses set by signals, pipes closed by a reader, terminals and their encodings, other
users, a real file descriptor on a full disk) keep using a subprocess.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping

from click.testing import CliRunner


def invoke(
    *args: str, env: Mapping[str, str | None] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``ibdquiz ARGS`` in-process; ``env`` sets (or, with ``None``, unsets) variables for it."""
    from ibdquiz.cli import cli

    result = CliRunner().invoke(
        cli, list(args), env=dict(env) if env is not None else None, input=input,
        prog_name="ibdquiz", catch_exceptions=False,
    )
    return subprocess.CompletedProcess(
        ["ibdquiz", *args], result.exit_code, result.stdout, result.stderr
    )
