"""The deck model: what a loaded, validated deck holds (docs/deck-format.md).

Everything here is immutable and free of I/O. Positions (``line``, ``col``) are 1-based and
point into the deck file, so later checks (author warnings, card generation) can still name
``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path


class AnswerKind(str, Enum):
    """How an ``answer`` was read (docs/deck-format.md)."""

    PERCENT = "percent"
    FRACTION = "fraction"
    NUMBER = "number"
    RANGE = "range"
    TEXT = "text"

    @property
    def numeric(self) -> bool:
        """True for every kind but text."""
        return self is not _TEXT  # a module global: reading AnswerKind.TEXT is ~10x slower


_TEXT = AnswerKind.TEXT


@dataclass(frozen=True)
class Answer:
    """A parsed answer.

    ``value`` holds: the percent for PERCENT (``54%`` → 54), the count for FRACTION (``8/24`` → 8),
    the number for NUMBER, the low end for RANGE; ``high`` the high end of a RANGE;
    ``denominator`` and ``stated_percent`` belong to FRACTION (``8/24 (33%)``); ``unit`` is the
    unit as written (``ng/mL``, ``months``; ``""`` when none; ``"%"`` for PERCENT).
    """

    kind: AnswerKind
    text: str
    value: Decimal | None = None
    high: Decimal | None = None
    denominator: int | None = None
    stated_percent: Decimal | None = None
    unit: str = ""


@dataclass(frozen=True)
class Tolerance:
    """How far a typed number may be from the answer: ``amount`` absolute, or relative (0.10)."""

    amount: Decimal
    relative: bool = False
    text: str = ""


@dataclass(frozen=True)
class Fact:
    """One study fact. For a cloze, ``ask`` is the sentence with the span blanked (``_____``)."""

    id: str
    ask: str
    answer: Answer
    explain: str = ""
    tags: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    tolerance: Tolerance | None = None
    force_text: bool = False
    cloze: str | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Source:
    """A study (or review) with its citation and the facts taken from it."""

    id: str
    citation: str
    label: str
    design: str | None = None
    n: int | None = None
    population: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    line: int = 0
    col: int = 0
    via: str | None = None
    """A secondary source the facts were taken through, e.g. a commentary's summary."""


@dataclass(frozen=True)
class Deck:
    """A whole deck. ``content_hash`` is the sha256 of the file's bytes."""

    id: str
    title: str
    sources: tuple[Source, ...]
    format: int = 1
    description: str = ""
    tags: tuple[str, ...] = ()
    path: Path | None = None
    content_hash: str = ""

    def facts(self) -> list[tuple[Source, Fact]]:
        """Every fact in deck order, with its source."""
        return [(source, fact) for source in self.sources for fact in source.facts]


class Severity(str, Enum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a deck, printed as ``path:line:col: error: message``."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"


@dataclass
class LoadResult:
    """What loading one deck file gives: the deck (``None`` on any error) and every diagnostic."""

    path: Path
    deck: Deck | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that are errors."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that are warnings."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]
