"""The one exception hierarchy: every expected failure is an ``IbdquizError``.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``; the TUI shows it
as a notification. Messages say what is wrong and what to do about it.
"""

from __future__ import annotations

import errno

OS_ERROR_ADVICE: dict[int, str] = {
    errno.ENOSPC: "free some disk space, or write somewhere else",
    errno.EDQUOT: "free some space in your quota, or write somewhere else",
    errno.EACCES: "check the permissions, or use another path",
    errno.EPERM: "check the permissions, or use another path",
    errno.EROFS: "the file system is read-only: use another path",
    errno.ELOOP: "a symbolic link points back at itself: fix or remove it",
    errno.ENOENT: "check that its folder exists",
    errno.ENOTDIR: "check that its folder exists",
    errno.EISDIR: "it is a folder: give a file name inside it",
    errno.ENAMETOOLONG: "use a shorter file name",
}
"""What to do about the usual causes of a failed read or write (the one errno table)."""


def os_error_advice(exc: OSError) -> str:
    """``"; what to do"`` for a failure of the surroundings, or ``""`` for an unusual errno."""
    advice = OS_ERROR_ADVICE.get(exc.errno or 0)
    return f"; {advice}" if advice else ""


def describe_os_error(exc: OSError) -> str:
    """One line for a failure of the surroundings: what failed and what to do."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else "cannot write the output: "
    return f"{where}{reason}{os_error_advice(exc)}"


class IbdquizError(Exception):
    """Base class of every failure a user can cause or fix."""

    exit_code: int = 1


class DeckError(IbdquizError):
    """A deck cannot be found, read or parsed."""


class AnswerFormatError(IbdquizError):
    """A deck's ``answer`` or ``tolerance`` text cannot be parsed."""


class UnparseableResponse(IbdquizError):
    """A typed answer could not be read; it is not graded. ``hint`` says what is expected."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


class DatabaseError(IbdquizError):
    """The database file is missing, locked, read-only, foreign, corrupted or too new."""


class ExportError(IbdquizError):
    """An export file cannot be written or read."""


class NotATerminalError(IbdquizError):
    """The TUI was asked for without a terminal."""


class UndoError(IbdquizError):
    """An answer can no longer be undone: its card was answered again since."""
