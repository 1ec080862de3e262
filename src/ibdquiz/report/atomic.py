"""Writing a text file atomically, through ``core.atomic`` (temporary file, fsync, rename).

Only a regular file (or a new one) is replaced that way. A device, a FIFO or ``/dev/stdout``
is written in place (replacing ``/dev/full`` with a regular file would be a disaster), and a
symbolic link is written through: the file it points at is replaced, the link stays.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ibdquiz.core.atomic import atomic_binary
from ibdquiz.core.printable import printable
from ibdquiz.errors import ExportError, os_error_advice


def _cannot_write(path: Path, exc: OSError) -> ExportError:
    """The one-line error for a failed write, with what to do about the usual causes."""
    reason = exc.strerror or str(exc)
    return ExportError(f"cannot write {printable(str(path))}: {reason}{os_error_advice(exc)}")


def _kind_of(path: Path) -> int | None:
    """The ``st_mode`` of what ``path`` names, following links; ``None`` when nothing is there."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise _cannot_write(path, exc) from None


@contextlib.contextmanager
def _in_place(path: Path) -> Iterator[TextIO]:
    """Write a device or FIFO directly: it cannot be replaced, and need not be."""
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with handle:
            yield handle
    except BrokenPipeError:
        raise  # the reader of a pipe went away: the CLI leaves quietly, as for stdout
    except OSError as exc:
        raise _cannot_write(path, exc) from None


@contextlib.contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file (no BOM) that appears at ``path`` whole, or not at all.

    A crash or an error half-way leaves any earlier file at ``path`` as it was.
    """
    mode = _kind_of(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(
            f"cannot write {printable(str(path))}: it is a folder; give a file name inside it"
        )
    if mode is not None and not stat.S_ISREG(mode):
        with _in_place(path) as handle:
            yield handle
        return
    # a link is written through: its target is replaced and the link stays a link
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        with atomic_binary(target) as raw:
            handle = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
            yield handle
            handle.flush()
            handle.detach()  # atomic_binary fsyncs and closes the file itself
    except ExportError:
        raise
    except OSError as exc:
        raise _cannot_write(path, exc) from None
