"""The one way ibdquiz writes a file whole: a temporary file beside it, fsync, ``os.replace``.

A crash, a kill or a full disk half-way leaves any earlier file at the path as it was, and the
new one is on disk before its name is. The temporary file is named ``.NAME.PID.XXXX.tmp``: one
left behind by a kill (its process gone) is removed by the next write beside it, so kills cannot
pile up hidden files. The file gets the mode a plain ``open`` would give (0666 less the umask,
e.g. 0644), not ``mkstemp``'s owner-only 0600.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from ibdquiz.core.printable import printable
from ibdquiz.errors import ExportError, os_error_advice

LEGACY_AGE_S = 3600
"""A temporary file of the older naming (no process id) is removed once this old."""


def umask() -> int:
    """The process umask (read by setting it, then putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    """True when a process ``pid`` runs on this machine (or cannot be checked)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def remove_stale(folder: Path, name: str) -> int:
    """Remove the temporary files a killed writer of ``folder/name`` left; how many went."""
    ours = re.compile(rf"\.{re.escape(name)}\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]+\.tmp")
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        m = ours.fullmatch(entry.name)
        if m is None:
            continue
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            if m["pid"] is not None:
                stale = not _alive(int(m["pid"]))
            else:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > LEGACY_AGE_S
            if stale:
                os.unlink(entry.path)
                removed += 1
    return removed


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_binary(target: Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``target`` (a regular file or a new one) whole, or not.

    ``OSError`` is raised as is (the caller words it); the temporary file is gone either way.
    """
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale(folder, target.name)
    fd, temp_name = tempfile.mkstemp(
        dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp"
    )
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o666 & ~umask())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see ``atomic_binary``)."""
    with atomic_binary(target) as handle:
        handle.write(data)


# ---- an output file a user names: a regular file replaced whole, a device written in place --
# Only a regular file (or a new one) is replaced atomically. A device, a FIFO or ``/dev/stdout``
# is written in place (replacing ``/dev/full`` with a regular file would be a disaster), and a
# symbolic link is written through: the file it points at is replaced, the link stays.


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
