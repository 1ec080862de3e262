"""Reading user files safely: regular files only, their size checked before a byte is read.

``/dev/zero`` (or a link to it) would be read until memory runs out, a FIFO would block the
program until something writes to it, a terminal would wait for typing. ``read_regular`` opens
without blocking, checks with ``fstat`` (on the open file, so nothing can be swapped in between)
that it is a regular file of at most ``max_bytes``, and only then reads it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path names something other than a regular file, or a file that is too large."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words: "a folder", "a FIFO (named pipe)", "a device"."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``; ``NotRegularFile`` for anything else or too big.

    Other failures (no such file, permission) are the ``OSError`` of ``open`` as usual.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"it is {kind_of(info.st_mode)}, not a regular "
                                 "file", str(path))
        if info.st_size > max_bytes:
            raise NotRegularFile(errno.EFBIG, f"the file is {info.st_size} bytes, over the "
                                 f"limit of {max_bytes} bytes", str(path))
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, 1 << 20):  # the file may grow while it is read
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise NotRegularFile(errno.EFBIG, f"the file grew over the limit of {max_bytes} "
                                     "bytes while it was read", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)
