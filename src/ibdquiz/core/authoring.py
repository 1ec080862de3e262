"""Author warnings (DESIGN §3): things that are legal but probably not what the author meant."""

from __future__ import annotations

from ibdquiz.core.model import Deck, Diagnostic


def author_warnings(deck: Deck, path: str) -> list[Diagnostic]:
    """Every warning for a loaded deck (owned by the cards work; in progress)."""
    return []
