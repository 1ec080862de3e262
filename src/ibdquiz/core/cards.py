"""Cards generated from facts (docs/deck-format.md). CONTRACT: storage and the TUI use these fields.

``cards_for_deck`` walks the deck in order, source by source and fact by fact; each fact gives its
cards in the order choice, numeric, recall, and each source's appraisal cards (``_n``, then
``_design``) follow that source's facts. ``choice_options`` turns a choice card and a seed into the
options shown: a pure function of the card and the seed, through sha256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from ibdquiz.core.distractors import (
    MAX_DISTRACTORS,
    MIN_DISTRACTORS,
    TIER_DECK,
    DeckPools,
    Pool,
    comparable,
    deck_pools,
    is_text_only,
    normalized,
    numeric_pool,
    parse_choice,
    text_pool,
    value_key,
)
from ibdquiz.core.model import Answer, AnswerKind, Deck, Fact, Source, Tolerance

SIZE_FACT = "_n"
DESIGN_FACT = "_design"
MIN_SIZE_SOURCES = 3
MIN_DESIGNS = 4
_NO_POOL = Pool()


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


@dataclass(frozen=True)
class ChoiceOptions:
    """The options of a choice card for one seed, and the 0-based index of the correct one."""

    options: tuple[str, ...]
    correct_index: int


def content_hash(answer_text: str, choices: Sequence[str] = (), tolerance: str = "") -> str:
    """sha256 of what makes the answer what it is (not the prompt's or explanation's wording)."""
    payload = json.dumps([answer_text, list(choices), tolerance], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def cards_for_deck(deck: Deck) -> list[Card]:
    """Every card of a deck, in deck order (see the module docstring)."""
    pools = deck_pools(deck)
    sized = [s for s in deck.sources if s.n is not None]
    designs = _distinct_designs(deck.sources)
    cards: list[Card] = []
    for source in deck.sources:
        for fact in source.facts:
            cards += cards_for_fact(deck, source, fact, pools)
        if len(sized) >= MIN_SIZE_SOURCES and source.n is not None:
            cards += _size_card(deck, source, sized)
        if len(designs) >= MIN_DESIGNS and source.design:
            cards += _design_card(deck, source, designs)
    return cards


def cards_for_fact(deck: Deck, source: Source, fact: Fact, pools: DeckPools) -> list[Card]:
    """One fact's cards: choice (when it has enough distractors), numeric, recall."""
    text_only = is_text_only(fact)
    answer = Answer(AnswerKind.TEXT, fact.answer.text) if text_only else fact.answer
    digest = content_hash(
        fact.answer.text, fact.choices, fact.tolerance.text if fact.tolerance else ""
    )
    pool = pools.pool(source.id, fact.id)

    def make(kind: CardKind, card_pool: Pool = _NO_POOL) -> Card:
        return Card(
            id=f"{deck.id}/{source.id}/{fact.id}/{kind.value}", deck=deck.id, source=source.id,
            fact=fact.id, kind=kind, prompt=fact.ask, answer=answer, explain=fact.explain,
            citation=source.citation, label=source.label or source.citation,
            design=source.design, n=source.n, tags=fact.tags, tolerance=fact.tolerance,
            content_hash=digest, pool=card_pool.texts, pool_tiers=card_pool.tiers,
            line=fact.line, col=fact.col,
        )

    cards: list[Card] = []
    if len(pool) >= MIN_DISTRACTORS:
        cards.append(make(CardKind.CHOICE, pool))
    if not text_only:
        cards.append(make(CardKind.NUMERIC))
    cards.append(make(CardKind.RECALL))
    return cards


def _appraisal_card(
    deck: Deck, source: Source, fact_id: str, prompt: str, answer: Answer, pool: Pool
) -> list[Card]:
    if len(pool) < MIN_DISTRACTORS:
        return []
    label = source.label or source.citation
    return [Card(
        id=f"{deck.id}/{source.id}/{fact_id}/{CardKind.CHOICE.value}", deck=deck.id,
        source=source.id, fact=fact_id, kind=CardKind.CHOICE, prompt=prompt, answer=answer,
        explain=source.population or "", citation=source.citation, label=label,
        design=source.design, n=source.n, tags=source.tags, tolerance=None,
        content_hash=content_hash(answer.text), pool=pool.texts, pool_tiers=pool.tiers,
        line=source.line, col=source.col,
    )]


def _size_answer(n: int) -> Answer:
    return Answer(AnswerKind.NUMBER, str(n), value=Decimal(n))


def _size_card(deck: Deck, source: Source, sized: Sequence[Source]) -> list[Card]:
    if source.n is None:
        return []
    answer = _size_answer(source.n)
    others = [_size_answer(s.n) for s in sized if s is not source and s.n is not None]
    pool = numeric_pool(answer, None, (), (), others)
    prompt = f"How many patients were in {source.label or source.citation}?"
    return _appraisal_card(deck, source, SIZE_FACT, prompt, answer, pool)


def _distinct_designs(sources: Sequence[Source]) -> list[str]:
    seen: dict[str, str] = {}
    for source in sources:
        if source.design:
            seen.setdefault(normalized(source.design), source.design)
    return list(seen.values())


def _design_card(deck: Deck, source: Source, designs: Sequence[str]) -> list[Card]:
    if not source.design:
        return []
    answer = Answer(AnswerKind.TEXT, source.design)
    pool = text_pool(answer, designs, TIER_DECK)
    prompt = f"What kind of study was {source.label or source.citation}?"
    return _appraisal_card(deck, source, DESIGN_FACT, prompt, answer, pool)


# --- options ---------------------------------------------------------------------------------


def _digest(card_id: str, seed: int, purpose: str, text: str) -> str:
    return hashlib.sha256(f"{card_id}\x1f{seed}\x1f{purpose}\x1f{text}".encode()).hexdigest()


def choice_options(card: Card, seed: int) -> ChoiceOptions:
    """The options of a choice card for ``seed``: a pure function of (card, seed).

    The best tiers are used first; within a tier the seed picks (stable sha256 order). Numeric
    options are ascending; text options are in the seed's sha256 order.
    """
    if card.kind is not CardKind.CHOICE:
        raise ValueError(f"{card.id} is not a choice card")
    if len(card.pool) < MIN_DISTRACTORS or len(card.pool) != len(card.pool_tiers):
        raise ValueError(f"{card.id} has no valid distractor pool")
    need = min(MAX_DISTRACTORS, len(card.pool))
    picked: list[str] = []
    for tier in sorted(set(card.pool_tiers)):
        members = [text for text, t in zip(card.pool, card.pool_tiers, strict=True) if t == tier]
        members.sort(key=lambda text: _digest(card.id, seed, "pick", text))
        picked += members[: need - len(picked)]
        if len(picked) >= need:
            break
    options = [*picked, card.answer.text]
    if card.answer.kind.numeric:
        options.sort(key=lambda text: _numeric_order(card, seed, text))
    else:
        options.sort(key=lambda text: _digest(card.id, seed, "order", text))
    return ChoiceOptions(tuple(options), options.index(card.answer.text))


def _numeric_order(card: Card, seed: int, text: str) -> tuple[int, tuple[Decimal, ...], str]:
    """Ascending by value; anything not comparable with the answer goes last, in hash order."""
    parsed = card.answer if text == card.answer.text else parse_choice(text)
    if parsed is not None and comparable(card.answer, parsed):
        return (0, value_key(parsed), "")
    return (1, (), _digest(card.id, seed, "order", text))
