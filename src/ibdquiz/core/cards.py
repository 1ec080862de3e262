"""Cards generated from facts (DESIGN §4). CONTRACT: fields below are used by storage and the TUI.

The cards helper owns this module and may add fields and functions; it must keep these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ibdquiz.core.model import Answer, Tolerance


class CardKind(str, Enum):
    """The three ways a fact is asked."""

    RECALL = "recall"
    CHOICE = "choice"
    NUMERIC = "numeric"


@dataclass(frozen=True)
class Card:
    """One question. ``id`` is ``deck/source/fact/kind`` (``fact`` may be ``_n`` or ``_design``)."""

    id: str
    deck: str
    source: str
    fact: str
    kind: CardKind
    prompt: str
    answer: Answer
    explain: str
    citation: str
    label: str
    design: str | None
    n: int | None
    tags: tuple[str, ...]
    tolerance: Tolerance | None
    content_hash: str  # changes when the answer (or authored choices) change: "updated" notice


@dataclass(frozen=True)
class ChoiceOptions:
    """The options of a choice card for one seed, and the 0-based index of the correct one."""

    options: tuple[str, ...]
    correct_index: int
