"""Cards generated from facts (docs/deck-format.md); the ``Card`` they make is ``core.card``'s
(CONTRACT: storage and the TUI use its fields).

``cards_for_deck`` walks the deck in order, source by source and fact by fact; each fact gives its
cards in the order choice, numeric, recall, and each source's appraisal cards (``_n``, then
``_design``) follow that source's facts. ``choice_options`` turns a choice card and a seed into the
options shown: a pure function of the card and the seed, through sha256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.distractors import (
    MAX_DISTRACTORS,
    MIN_DISTRACTORS,
    TIER_AUTHORED,
    TIER_DECK,
    DeckPools,
    Pool,
    comparable,
    deck_pools,
    family,
    is_text_only,
    normalized,
    numeric_pool,
    parse_choice,
    text_pool,
    value_key,
)
from ibdquiz.core.judge import COUNT_NOUNS, accepts, unit_key
from ibdquiz.core.leaks import leak_graph
from ibdquiz.core.model import Answer, AnswerKind, Deck, Fact, Source, Tolerance
from ibdquiz.core.neighbours import capacity, generate, key_value, target_rank

SIZE_FACT = "_n"
DESIGN_FACT = "_design"
MIN_SIZE_SOURCES = 3
MIN_DESIGNS = 4
_NO_POOL = Pool()


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
    by_text = _answers_by_text(deck)
    cards: list[Card] = []
    for source in deck.sources:
        for fact in source.facts:
            notes = _notes(source, fact, pools.pool(source.id, fact.id), by_text)
            cards += cards_for_fact(deck, source, fact, pools, notes)
        if len(sized) >= MIN_SIZE_SOURCES and source.n is not None and not asks_n(source):
            cards += _size_card(deck, source, sized)
        if len(designs) >= MIN_DESIGNS and source.design:
            cards += _design_card(deck, source, designs)
    graph = deck_leaks(cards)
    return [
        replace(card, leaks=tuple(sorted(f"{s}/{f}" for s, f in graph[(card.source, card.fact)])))
        if (card.source, card.fact) in graph else card
        for card in cards
    ]


def leak_texts(card: Card) -> list[str]:
    """What a fellow may read with a card besides its options: stem, explanation, the teaching
    feedback of an option shown as new (seed 0) that is another fact's answer, a fraction's
    denominator."""
    texts = [card.prompt, card.explain]
    if card.kind is CardKind.CHOICE and card.notes:
        try:  # a new card is shown with seed 0 (its number of past answers)
            shown = set(choice_options(card, 0).options)
        except ValueError:
            shown = set(card.pool)
        texts += [note for answer, note in card.notes if answer in shown]
    if card.answer.denominator:
        texts.append(f"/{card.answer.denominator}")
    return texts


def deck_leaks(cards: Sequence[Card]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Which facts of one deck give which away (both ways), from the texts of their cards."""
    texts: dict[tuple[str, str], list[str]] = {}
    answers: dict[tuple[str, str], Card] = {}
    for card in cards:
        key = (card.source, card.fact)
        answers.setdefault(key, card)
        texts.setdefault(key, []).extend(leak_texts(card))
    return leak_graph(
        (key, card.answer, not card.answer.kind.numeric, texts[key])
        for key, card in answers.items()
    )


def asks_n(source: Source) -> bool:
    """True when a fact of ``source`` already has the study's n as its answer (no ``_n`` card)."""
    return source.n is not None and any(
        fact.answer.kind is AnswerKind.NUMBER and fact.answer.value == source.n
        and (not fact.answer.unit or unit_key(fact.answer.unit) in COUNT_NOUNS)
        for fact in source.facts
    )


def note_of(fact: Fact) -> str:
    """What a fact's answer is, for teaching feedback: its cloze sentence, or its question."""
    if fact.cloze is not None:
        sentence = " ".join(fact.cloze.replace("{{", "").replace("}}", "").split())
        return f"{fact.answer.text} is from another card: “{sentence}”"
    return f"{fact.answer.text} is the answer to another question: “{fact.ask.strip()}”"


def _answers_by_text(deck: Deck) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for _source, fact in deck.facts():
        out.setdefault(normalized(fact.answer.text), []).append(fact)
    return out


def _notes(source: Source, fact: Fact, pool: Pool, by_text: dict[str, list[Fact]]
           ) -> tuple[tuple[str, str], ...]:
    """The confusable answers of ``fact``: its source's of the same kind, and its pool's."""
    out: dict[str, str] = {}
    text_only = is_text_only(fact)
    fam = None if text_only else family(fact.answer)
    for other in source.facts:
        if other.id == fact.id or normalized(other.answer.text) == normalized(fact.answer.text):
            continue
        if text_only:
            same = is_text_only(other)
        else:
            same = not is_text_only(other) and family(other.answer) == fam
        if same:
            out.setdefault(other.answer.text, note_of(other))
    for option in pool.texts:
        for other in by_text.get(normalized(option), []):
            if other is not fact:
                out.setdefault(other.answer.text, note_of(other))
    return tuple(out.items())


def count_cap(answer: Answer, n: int | None) -> int | None:
    """The cohort's n when ``answer`` is a count of its patients below n (options stay below)."""
    if (
        n is None or answer.kind is not AnswerKind.NUMBER or answer.value is None
        or answer.value != answer.value.to_integral_value() or answer.value >= n
        or "." in answer.text
    ):
        return None
    if answer.unit and unit_key(answer.unit) not in COUNT_NOUNS:
        return None
    return n


def cards_for_fact(
    deck: Deck, source: Source, fact: Fact, pools: DeckPools,
    notes: tuple[tuple[str, str], ...] = (),
) -> list[Card]:
    """One fact's cards: choice (when it has enough distractors), numeric, recall."""
    text_only = is_text_only(fact)
    answer = Answer(AnswerKind.TEXT, fact.answer.text) if text_only else fact.answer
    digest = content_hash(
        fact.answer.text, fact.choices, fact.tolerance.text if fact.tolerance else ""
    )
    pool = pools.pool(source.id, fact.id)

    def make(kind: CardKind, card_pool: Pool = _NO_POOL) -> Card:
        # the notes teach what a wrong option or typed value is: a flashcard has neither
        kind_notes = () if kind is CardKind.RECALL else notes
        return Card(
            id=f"{deck.id}/{source.id}/{fact.id}/{kind.value}", deck=deck.id, source=source.id,
            fact=fact.id, kind=kind, prompt=fact.ask, answer=answer, explain=fact.explain,
            citation=source.citation, label=source.label or source.citation,
            design=source.design, n=source.n, tags=fact.tags, tolerance=fact.tolerance,
            content_hash=digest, pool=card_pool.texts, pool_tiers=card_pool.tiers,
            line=fact.line, col=fact.col, via=source.via, notes=kind_notes,
        )

    cards: list[Card] = []
    if _enough(answer, fact.tolerance, pool, count_cap(answer, source.n), text_only):
        cards.append(make(CardKind.CHOICE, pool))
    if not text_only:
        cards.append(make(CardKind.NUMERIC))
    cards.append(make(CardKind.RECALL))
    return cards


def has_choice_card(fact: Fact, pool: Pool, cap: int | None) -> bool:
    """True when ``fact`` gets a choice card from ``pool`` (and generated options).

    For a numeric fact only the pool's authored tier counts, so ``pool`` may be the fact's full
    pool or its ``distractors.authored_pool``: the answer is the same.
    """
    text_only = is_text_only(fact)
    answer = Answer(AnswerKind.TEXT, fact.answer.text) if text_only else fact.answer
    return _enough(answer, fact.tolerance, pool, cap, text_only)


def _enough(answer: Answer, tolerance: Tolerance | None, pool: Pool, cap: int | None,
            text_only: bool) -> bool:
    """True when a choice card can have at least ``MIN_DISTRACTORS`` distractors."""
    authored = [text for text, tier in zip(pool.texts, pool.tiers, strict=True)
                if tier == TIER_AUTHORED] if pool.texts else []
    if text_only or len(authored) >= MIN_DISTRACTORS:
        return len(pool) >= MIN_DISTRACTORS
    # the authored choices take their room in the domain: generated ones fit around them
    fixed = [v for text in authored if (v := _value_of(answer, text)) is not None]
    room = capacity(answer, tolerance, cap, MIN_DISTRACTORS - len(authored), tuple(sorted(fixed)))
    return len(authored) + room >= MIN_DISTRACTORS


def _appraisal_card(
    deck: Deck, source: Source, fact_id: str, prompt: str, answer: Answer, pool: Pool
) -> list[Card]:
    if not _enough(answer, None, pool, None, not answer.kind.numeric):
        return []
    label = source.label or source.citation
    return [Card(
        id=f"{deck.id}/{source.id}/{fact_id}/{CardKind.CHOICE.value}", deck=deck.id,
        source=source.id, fact=fact_id, kind=CardKind.CHOICE, prompt=prompt, answer=answer,
        explain=source.population or "", citation=source.citation, label=label,
        design=source.design, n=source.n, tags=source.tags, tolerance=None,
        content_hash=content_hash(answer.text), pool=pool.texts, pool_tiers=pool.tiers,
        line=source.line, col=source.col, via=source.via,
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


@lru_cache(maxsize=4096)
def choice_options(card: Card, seed: int) -> ChoiceOptions:
    """The options of a choice card for ``seed``: a pure function of (card, seed), so cached
    (a session draws a card's options and grades against them; a cohort meets the same seeds).

    With 3 or more authored choices the options are the author's only (with 4: the key and 3 of
    them, chosen by (card id, seed)). Otherwise a numeric card's other options are generated
    (``ibdquiz.core.neighbours.generate``: the key's rank drawn from (card id, seed), the study's
    own numbers taking slots near them) and shown ascending; a text card draws from its pool, best
    tier first, and the key's place is drawn from (card id, seed).
    """
    if card.kind is not CardKind.CHOICE:
        raise ValueError(f"{card.id} is not a choice card")
    if len(card.pool) != len(card.pool_tiers) or (not card.pool and not card.answer.kind.numeric):
        raise ValueError(f"{card.id} has no valid distractor pool")
    authored = [t for t, tier in zip(card.pool, card.pool_tiers, strict=True)
                if tier == TIER_AUTHORED]
    numeric = card.answer.kind.numeric
    if len(authored) >= MIN_DISTRACTORS:
        picked = list(authored)
        if len(picked) > MIN_DISTRACTORS:
            picked.pop(target_rank(card.id, seed, len(picked)))
    elif numeric:
        fixed = [_value_of(card.answer, text) for text in authored]
        peer_values = [
            (v, text) for text, tier in zip(card.pool, card.pool_tiers, strict=True)
            if tier != TIER_AUTHORED and (v := _value_of(card.answer, text)) is not None
            and _same_span(card.answer, text)
        ]
        # an authored range wider than the key is kept clear along its whole width
        covered = [v for text in authored for v in _wider_range_points(card.answer, text)]
        if seed == 0 and card.notes:
            # A card's first showing (a new card) shows no other fact's answer, so no option's
            # teaching feedback can give a fact that is new the same day (issue 9).
            noted = {normalized(text) for text, _note in card.notes}
            others = [_value_of(card.answer, text) for text, _note in card.notes]
            avoid = [v for v in others if v is not None]
            peer_values = [(v, t) for v, t in peer_values if normalized(t) not in noted]
        else:
            avoid = []
        picked = authored + generate(
            card.answer, card.tolerance, card.id, seed, peers=peer_values,
            fixed=[v for v in fixed if v is not None], cap=count_cap(card.answer, card.n),
            avoid=[*avoid, *covered],
        )
        if avoid and len(picked) < MIN_DISTRACTORS:  # too small a domain to leave them out
            picked = authored + generate(
                card.answer, card.tolerance, card.id, seed,
                fixed=[v for v in fixed if v is not None], cap=count_cap(card.answer, card.n),
                avoid=covered,
            )
    else:
        need = min(MAX_DISTRACTORS, len(card.pool))
        picked = []
        for tier in sorted(set(card.pool_tiers)):
            members = [t for t, x in zip(card.pool, card.pool_tiers, strict=True) if x == tier]
            members.sort(key=lambda text: _digest(card.id, seed, "pick", text))
            picked += members[: need - len(picked)]
            if len(picked) >= need:
                break
    if len(picked) < MIN_DISTRACTORS - 1:
        raise ValueError(f"{card.id} has no valid distractor pool")
    if numeric:
        options = sorted([*picked, card.answer.text], key=lambda t: _numeric_order(card, seed, t))
    else:
        picked.sort(key=lambda text: _digest(card.id, seed, "order", text))
        rank = target_rank(card.id, seed, len(picked) + 1)
        options = [*picked[:rank], card.answer.text, *picked[rank:]]
    return ChoiceOptions(tuple(options), options.index(card.answer.text))


def _span(answer: Answer | None) -> Decimal | None:
    """A range's width (high − low); ``None`` for anything that is not a whole range."""
    if answer is None or answer.kind is not AnswerKind.RANGE:
        return None
    if answer.high is None or answer.value is None:
        return None
    return answer.high - answer.value


def _same_span(answer: Answer, text: str) -> bool:
    """True unless ``answer`` is a range and ``text`` a range of another width: the options'
    spacing is worked out for ranges as wide as the key, so a wider peer could overlap one."""
    span = _span(answer)
    return span is None or _span(parse_choice(text)) == span


_MAX_COVER_POINTS = 200
"""At most this many points stand for one wide authored range (an absurdly wide one is then
covered more coarsely, never at unbounded cost)."""


def _wider_range_points(answer: Answer, text: str) -> list[Decimal]:
    """For a range key, the low ends a generated range may not take inside the choice ``text``
    when it is a wider range: one every key's width across it (its own low end is taken)."""
    span = _span(answer)
    parsed = parse_choice(text)
    if span is None or span <= 0 or parsed is None or parsed.high is None or parsed.value is None:
        return []
    points = []
    step = max(span, (parsed.high - parsed.value) / _MAX_COVER_POINTS)  # bounded work
    point = parsed.value + step
    while point < parsed.high - span:
        points.append(point)
        point += step
    if parsed.high - span > parsed.value:
        points.append(parsed.high - span)
    return points


def _value_of(answer: Answer, text: str) -> Decimal | None:
    """The value a choice ``text`` sits at beside ``answer``; ``None`` when not comparable."""
    parsed = parse_choice(text)
    if parsed is None or not comparable(answer, parsed):
        return None
    return key_value(parsed)


def _numeric_order(card: Card, seed: int, text: str) -> tuple[int, tuple[Decimal, ...], str]:
    """Ascending by value; anything not comparable with the answer goes last, in hash order."""
    parsed = card.answer if text == card.answer.text else parse_choice(text)
    if parsed is not None and comparable(card.answer, parsed):
        return (0, value_key(parsed), "")
    return (1, (), _digest(card.id, seed, "order", text))


def accepted(card: Card, option: str) -> bool:
    """Would the grader accept ``option`` for ``card``? (``ibdquiz.core.judge.accepts``)."""
    return accepts(card.answer, card.tolerance, option)
