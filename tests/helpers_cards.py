"""Builders for the cards/grading tests: decks made straight from the model dataclasses."""

from __future__ import annotations

from collections.abc import Sequence

from ibdquiz.core.answers import parse_answer, parse_tolerance
from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import cards_for_deck
from ibdquiz.core.model import Deck, Fact, Source

_line = iter(range(10, 100_000))


def fact(
    fact_id: str,
    answer: str,
    *,
    ask: str | None = None,
    choices: Sequence[str] = (),
    tolerance: str | None = None,
    explain: str = "",
    force_text: bool = False,
    tags: Sequence[str] = (),
) -> Fact:
    """A fact with a question derived from its id unless one is given."""
    return Fact(
        id=fact_id,
        ask=ask if ask is not None else f"What is the {fact_id.replace('-', ' ')}?",
        answer=parse_answer(answer),
        explain=explain,
        tags=tuple(tags),
        choices=tuple(choices),
        tolerance=parse_tolerance(tolerance) if tolerance is not None else None,
        force_text=force_text,
        line=next(_line),
        col=9,
    )


def source(
    source_id: str,
    *facts: Fact,
    design: str | None = None,
    n: int | None = None,
    label: str | None = None,
) -> Source:
    """A source with a made-up citation (tests only)."""
    return Source(
        id=source_id,
        citation=f"Citation of {source_id}",
        label=label or f"the {source_id} study",
        design=design,
        n=n,
        facts=tuple(facts),
        line=next(_line),
        col=5,
    )


def deck(*sources: Source, deck_id: str = "test-deck") -> Deck:
    """A deck of the given sources."""
    return Deck(id=deck_id, title="Test deck", sources=tuple(sources))


def mayo_source() -> Source:
    """The Mayo series' percents and counts as the seed article gives them (29% and 17% twice)."""
    return source(
        "mayo-2013",
        fact("response", "67%"),
        fact("remission", "21%"),
        fact("surgery", "54%"),
        fact("adverse-events", "75%"),
        fact("acute-kidney-injury", "29%"),
        fact("paresthesia", "29%"),
        fact("headache", "17%"),
        fact("tremor", "17%"),
        fact("dose-reduction", "8/24 (33%)"),
        fact("discontinuation", "6/24 (25%)"),
        fact("best-trough", "10-15 ng/mL", choices=["5-10 ng/mL", "15-20 ng/mL", "20-25 ng/mL"]),
        fact("continued-therapy", "2.5 years"),
        fact("surgery-time", "10 months"),
        design="retrospective",
        n=24,
        label="Mayo Clinic series, 2013",
    )


def card_by_id(cards: Sequence[Card], card_id: str) -> Card:
    """The card with this id (fails the test when missing)."""
    matches = [c for c in cards if c.id == card_id]
    assert matches, f"no card {card_id}; have {[c.id for c in cards]}"
    return matches[0]


def choice_cards(d: Deck) -> list[Card]:
    """The choice cards of a deck."""
    return [c for c in cards_for_deck(d) if c.kind is CardKind.CHOICE]
