"""The one way ibdquiz writes a file whole: a temporary file beside it, fsync, ``os.replace``.

A crash, a kill or a full disk half-way leaves any earlier file at the path as it was, and the
new one is on disk before its name is. The temporary file is named ``.NAME.PID.XXXX.tmp``: one
left behind by a kill (its process gone) is removed by the next write beside it, so kills cannot
pile up hidden files. The file gets the mode a plain ``open`` would give (0666 less the umask,
e.g. 0644), not ``mkstemp``'s owner-only 0600.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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
