"""The header line above a card (issue 9): one function for the session, ``preview`` and the report.

``context(card)`` is ``label · design · n=N · citation``, leaving out any part that would give the
card's answer away: the design on a card whose answer is the design, ``n=N`` on a card whose
answer is N (or any part holding a written form of the answer, see ``ibdquiz.core.leaks``).
"""

from __future__ import annotations

from ibdquiz.core.card import Card
from ibdquiz.core.leaks import gives_answer, phrase


def context(card: Card) -> str:
    """The study behind a card, as the session shows it: nothing in it gives the answer."""
    parts = [card.label or card.source]
    if card.design:
        parts.append(card.design)
    if card.n is not None:
        parts.append(f"n={card.n}")
    parts.append(card.citation)
    as_text = not card.answer.kind.numeric
    shown: list[str] = []
    for part in parts:
        if not part or part in shown:
            continue
        if as_text and phrase(part) == phrase(card.answer.text):
            continue
        if gives_answer(card.answer, part, as_text=as_text):
            continue
        shown.append(part)
    return " · ".join(shown)
