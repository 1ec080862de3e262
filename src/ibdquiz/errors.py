"""The one exception hierarchy: every expected failure is an ``IbdquizError``.

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``; the TUI shows it
as a notification. Messages say what is wrong and what to do about it.
"""

from __future__ import annotations


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
