"""A card: one question of a fact (``Card``) and its kind (``CardKind``).

What storage, the queue and the screens read of a card, apart from the code that makes cards
(``core.cards``: generation, options, notes), so that reading stored cards imports no card
generation (``ibdquiz stats``).
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
    """One question. ``id`` is ``deck/source/fact/kind`` (``fact`` may be ``_n`` or ``_design``).

    ``pool``/``pool_tiers`` hold a choice card's valid distractors and their tiers (see
    ``ibdquiz.core.distractors``); ``line``/``col`` point at the fact (or source) in the deck file.
    """

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
    pool: tuple[str, ...] = ()
    pool_tiers: tuple[int, ...] = ()
    line: int = 0
    col: int = 0
    via: str | None = None
    """The secondary source the fact was taken through (a commentary), or None."""
    notes: tuple[tuple[str, str], ...] = ()
    """Other facts' answers a fellow may confuse with this one, each with what it is."""
    leaks: tuple[str, ...] = ()
    """The facts (``source/fact`` of this deck) that a text shown with this fact gives away, or
    that give this one away: never new on the same day (``core.queue.order_new_facts``)."""
