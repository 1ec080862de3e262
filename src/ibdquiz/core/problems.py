"""Collecting the diagnostics of one deck file: capped, in file order, each on one line."""

from __future__ import annotations

import re

from ibdquiz.core.model import Diagnostic, Severity

MAX_DIAGNOSTICS = 200
"""At most this many problems are reported for one file (a broken file could yield thousands)."""

_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


class Problems:
    """Collects diagnostics for one file, capped at ``MAX_DIAGNOSTICS``.

    Errors are kept before warnings: past the cap, an error takes the place of a warning, so
    what stops a deck loading is always shown; the warnings left out do not make it fail.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Diagnostic] = []
        self.dropped_errors = 0
        self.dropped_warnings = 0

    @property
    def dropped(self) -> int:
        """How many problems were left out."""
        return self.dropped_errors + self.dropped_warnings

    def add(self, line: int, col: int, message: str, severity: Severity = Severity.ERROR) -> None:
        """Record one problem at a 1-based position (on one line, even if it quotes the file)."""
        if self._room_for(severity):
            message = one_line(message)
            self.items.append(Diagnostic(self.path, max(line, 1), max(col, 1), severity, message))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        """Record problems found elsewhere (they keep their own path and position)."""
        for d in diagnostics:
            if self._room_for(d.severity):
                self.items.append(d)

    def _room_for(self, severity: Severity) -> bool:
        """True when one more problem of ``severity`` is kept (making room for an error)."""
        if len(self.items) < MAX_DIAGNOSTICS:
            return True
        if severity is Severity.ERROR:
            for index in range(len(self.items) - 1, -1, -1):
                if self.items[index].severity is not Severity.ERROR:
                    del self.items[index]
                    self.dropped_warnings += 1
                    return True
            self.dropped_errors += 1
        else:
            self.dropped_warnings += 1
        return False

    @property
    def has_errors(self) -> bool:
        """True once any error was recorded."""
        return self.dropped_errors > 0 or any(d.severity is Severity.ERROR for d in self.items)

    def finish(self) -> list[Diagnostic]:
        """The diagnostics in file order, with a last line saying how many were left out."""
        result = sorted(self.items, key=lambda d: (d.line, d.col))
        if self.dropped:
            last = result[-1]
            parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in (
                (self.dropped_errors, "error"), (self.dropped_warnings, "warning")) if n]
            result.append(
                Diagnostic(
                    self.path, last.line, last.col,
                    Severity.ERROR if self.dropped_errors else Severity.WARNING,
                    f"{' and '.join(parts)} more not shown; fix the ones above and run again",
                )
            )
        return result


def one_line(text: str) -> str:
    """``text`` with its line breaks written as ``\\n`` so that it prints as one line."""
    return _LINE_BREAKS.sub(r"\\n", text)
