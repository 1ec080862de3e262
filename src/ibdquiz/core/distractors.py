"""Distractors that teach (docs/deck-format.md): the pool of wrong options a choice card draws from.

A pool is built once per card, in tiers, best first:

0. the author's ``choices``, exactly as written (one the grader would accept is left out: a
   question must have one best answer; ``validate`` warns about it);
1. the same source's other answers of the same kind (the confusable numbers of one study);
2. the same kind of answer elsewhere in the deck.

Candidates are de-duplicated by value, none is accepted by the grader for the answer
(``ibdquiz.core.judge.accepts``) and none lies within tolerance of another entry. A numeric card
whose author wrote fewer than 3 choices gets the rest of its options from
``ibdquiz.core.neighbours.generate`` for each seed, the peers taking slots near them; see
``choice_options`` in ``ibdquiz.core.cards``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.judge import accepts, unit_key
from ibdquiz.core.model import Answer, AnswerKind, Deck, Fact, Tolerance
from ibdquiz.core.tolerance import (
    answer_width,
    count_width,
    is_percent_scale,
    width,
)
from ibdquiz.errors import AnswerFormatError

TIER_AUTHORED = 0
TIER_SOURCE = 1
TIER_DECK = 2
TIER_NEIGHBOUR = 3

MIN_DISTRACTORS = 3
MAX_DISTRACTORS = 4
MAX_POOL = 8
MAX_EXAMINED = 40
"""Peers looked at per tier: bounds the work on a large deck full of repeated values."""

Family = tuple[str, str, int | None]
"""What makes two answers comparable: kind, unit (case-folded), fraction denominator."""



@dataclass(frozen=True)
class Pool:
    """Valid distractors in tier order, with each one's tier (``TIER_*``)."""

    texts: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.texts)


def family(answer: Answer) -> Family | None:
    """The comparability class of a numeric answer; ``None`` for text."""
    if not answer.kind.numeric:
        return None
    return (answer.kind.value, unit_key(answer.unit) if answer.unit else "", answer.denominator)


def value_key(answer: Answer) -> tuple[Decimal, ...]:
    """The numbers compared for a numeric answer: one, or a range's two ends."""
    if answer.value is None:
        return ()
    if answer.kind is AnswerKind.RANGE and answer.high is not None:
        return (answer.value, answer.high)
    return (answer.value,)


def comparable(answer: Answer, other: Answer) -> bool:
    """True when ``other`` is a numeric answer of the same kind, unit and denominator."""
    fam = family(answer)
    return fam is not None and family(other) == fam


def value_widths(answer: Answer, tolerance: Tolerance | None) -> tuple[Decimal, ...]:
    """The grader's half-width around each of ``answer``'s values (a count out of n exact, one
    width for both ends of a range)."""
    values = value_key(answer)
    if answer.kind in (AnswerKind.FRACTION, AnswerKind.RANGE):
        return tuple(answer_width(answer, tolerance) for _ in values)
    percent = is_percent_scale(answer)
    return tuple(width(v, tolerance, percent=percent) for v in values)


def answers_clash(a: Answer, b: Answer, tolerance: Tolerance | None) -> bool:
    """True when two comparable answers would both be judged correct for one another."""
    pairs = list(zip(value_key(a), value_key(b), value_widths(a, tolerance),
                     value_widths(b, tolerance), strict=False))
    return bool(pairs) and all(abs(x - y) <= max(wx, wy) for x, y, wx, wy in pairs)


def normalized(text: str) -> str:
    """Text compared loosely: case-folded, single spaces."""
    return " ".join(text.casefold().split())


_Span = tuple[tuple[Decimal, ...], tuple[Decimal, ...]]
"""A numeric answer's values and the tolerance half-width around each."""


class _Builder:
    """Accumulates a pool, refusing duplicates and candidates that clash with what is in it.

    Same rule as ``answers_clash``, with each value's tolerance window computed once. Single
    numbers (the common case) are kept apart from ranges so that checking one is a tight loop.
    """

    __slots__ = (
        "answer", "family", "percent", "ranges", "seen_text", "seen_values", "singles", "texts",
        "tiers", "tolerance",
    )

    def __init__(self, answer: Answer, tolerance: Tolerance | None) -> None:
        self.answer = answer
        self.tolerance = tolerance
        self.family = family(answer)
        self.percent = is_percent_scale(answer)
        self.texts: list[str] = []
        self.tiers: list[int] = []
        self.singles: list[tuple[Decimal, Decimal]] = []
        self.ranges: list[_Span] = []
        self.seen_text = {normalized(answer.text)}
        self.seen_values: set[tuple[Decimal, ...]] = set()
        if self.family is not None:
            self._keep(value_key(answer))

    def _widths(self, values: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
        if self.answer.kind is AnswerKind.FRACTION:
            return tuple(count_width(v, self.tolerance) for v in values)
        if self.answer.kind is AnswerKind.RANGE:  # one width, from the option's upper end
            reach = width(values[-1], self.tolerance, percent=self.percent)
            return tuple(reach for _ in values)
        return tuple(width(v, self.tolerance, percent=self.percent) for v in values)

    def _keep(
        self, values: tuple[Decimal, ...], default_widths: tuple[Decimal, ...] | None = None
    ) -> bool:
        """Remember a value unless it clashes with one kept already; True when kept.

        ``default_widths`` are the values' widths under the default tolerance, when known.
        """
        if values in self.seen_values:
            return False
        if default_widths is not None and self.tolerance is None:
            widths = default_widths
        else:
            widths = self._widths(values)
        if len(values) == 1:
            value, reach = values[0], widths[0]
            for kept, kept_reach in self.singles:
                if abs(kept - value) <= (kept_reach if kept_reach > reach else reach):
                    return False
            self.singles.append((value, reach))
        else:
            span = (values, widths)
            if any(_spans_clash(kept, span) for kept in self.ranges):
                return False
            self.ranges.append(span)
        self.seen_values.add(values)
        return True

    def offer(
        self, text: str, parsed: Answer | None, tier: int, *, same_family: bool = False
    ) -> bool:
        """Add a candidate if it is valid next to the answer and the pool; True when added.

        ``same_family`` says the caller knows ``parsed`` is comparable with the answer.
        """
        key = normalized(text)
        if key in self.seen_text or accepts(self.answer, self.tolerance, text):
            return False
        if (
            parsed is not None
            and self.family is not None
            and (same_family or family(parsed) == self.family)
            and not self._keep(value_key(parsed))
        ):
            return False
        self.texts.append(text)
        self.tiers.append(tier)
        self.seen_text.add(key)
        return True

    def offer_peer(self, peer: Peer, tier: int) -> bool:
        """``offer`` for a deck answer of the answer's own family, prepared once by ``peer_of``."""
        # a peer is of the answer's own family: the grader's window around the answer, kept
        # first, already refuses one it would accept (``_keep``), so ``accepts`` is not needed
        if peer.key in self.seen_text or not self._keep(peer.values, peer.widths):
            return False
        self.texts.append(peer.answer.text)
        self.tiers.append(tier)
        self.seen_text.add(peer.key)
        return True

    def full(self, limit: int) -> bool:
        """True once the pool holds ``limit`` candidates."""
        return len(self.texts) >= limit

    def pool(self) -> Pool:
        """The pool built so far."""
        return Pool(tuple(self.texts), tuple(self.tiers))


def _spans_clash(a: _Span, b: _Span) -> bool:
    return all(
        abs(x - y) <= max(wx, wy) for x, y, wx, wy in zip(a[0], b[0], a[1], b[1], strict=True)
    )


@lru_cache(maxsize=1 << 16)
def parse_choice(text: str) -> Answer | None:
    """An authored choice read as an answer, or ``None`` when it is not a consistent answer."""
    try:
        return parse_answer(text)
    except AnswerFormatError:
        return None


def text_pool(answer: Answer, choices: Sequence[str], tier: int = TIER_AUTHORED) -> Pool:
    """The pool of a text answer: the distinct choices that differ from the answer."""
    builder = _Builder(answer, None)
    for choice in choices:
        builder.offer(choice, None, tier)
    return builder.pool()


class Peer(NamedTuple):
    """A deck's numeric answer, prepared once to be offered to the pools of many facts."""

    answer: Answer
    key: str
    """The answer's text, normalized."""
    values: tuple[Decimal, ...]
    widths: tuple[Decimal, ...]
    """The tolerance half-width around each value under the default tolerance."""


def peer_of(answer: Answer) -> Peer:
    """Prepare a numeric answer for ``offer_peer``."""
    return Peer(answer, normalized(answer.text), value_key(answer), value_widths(answer, None))


def numeric_pool(
    answer: Answer,
    tolerance: Tolerance | None,
    choices: Sequence[str],
    same_source: Iterable[Answer],
    same_deck: Iterable[Answer],
) -> Pool:
    """The tiered pool of a numeric answer (see the module docstring)."""
    fam = family(answer)

    def peers(answers: Iterable[Answer]) -> Iterator[Peer]:
        return (peer_of(a) for a in answers if family(a) == fam)

    return _tiered_pool(answer, tolerance, choices, peers(same_source), peers(same_deck))


def _tiered_pool(
    answer: Answer,
    tolerance: Tolerance | None,
    choices: Sequence[str],
    same_source: Iterable[Peer],
    same_deck: Iterable[Peer],
) -> Pool:
    """``numeric_pool`` with peers already of the answer's family and prepared."""
    builder = _authored(answer, tolerance, choices)
    for tier, peers in ((TIER_SOURCE, same_source), (TIER_DECK, same_deck)):
        if builder.full(MAX_DISTRACTORS):  # the deck's only while the source has too few
            return builder.pool()
        for examined, peer in enumerate(peers):
            if builder.full(MAX_POOL) or examined >= MAX_EXAMINED:
                break
            builder.offer_peer(peer, tier)
    return builder.pool()


def _authored(answer: Answer, tolerance: Tolerance | None, choices: Sequence[str]) -> _Builder:
    """A numeric answer's pool builder holding its first tier: the valid authored choices."""
    builder = _Builder(answer, tolerance)
    for choice in choices:
        builder.offer(choice, parse_choice(choice), TIER_AUTHORED)
    return builder


def authored_pool(fact: Fact) -> Pool:
    """The first tier of a numeric fact's pool (``TIER_AUTHORED``), as ``fact_pool`` begins it.

    The later tiers only append, so this is exactly the tier-0 part of the fact's full pool: all
    that ``cards.has_choice_card`` reads of it (with 3 valid authored choices the pool has 3; with
    fewer, the generated options fill the rest), so the author warnings need no other fact.
    """
    if not fact.choices:
        return Pool()
    return _authored(fact.answer, fact.tolerance, fact.choices).pool()


class DeckPeers:
    """Every numeric answer of a deck, grouped by family and source, built once per deck.

    Looking up a fact's peers costs the size of its own source plus at most what the pool
    examines of the rest of the deck, so building every pool of a deck stays linear.
    """

    def __init__(self, deck: Deck) -> None:
        self._by_family: dict[Family, dict[str, list[tuple[str, Peer]]]] = {}
        for source, fact in deck.facts():
            fam = family(fact.answer)
            if fam is None or fact.force_text:
                continue
            by_source = self._by_family.setdefault(fam, {})
            by_source.setdefault(source.id, []).append((fact.id, peer_of(fact.answer)))

    def same_source(self, source_id: str, fact: Fact) -> list[Peer]:
        """Answers of the same family from the other facts of ``source_id``."""
        peers = self._sources(fact).get(source_id, [])
        return [peer for fact_id, peer in peers if fact_id != fact.id]

    def same_deck(self, source_id: str, fact: Fact) -> Iterator[Peer]:
        """Answers of the same family from the deck's other sources, in deck order (lazily)."""
        for other, peers in self._sources(fact).items():
            if other != source_id:
                for _fact_id, peer in peers:
                    yield peer

    def _sources(self, fact: Fact) -> dict[str, list[tuple[str, Peer]]]:
        fam = family(fact.answer)
        return {} if fam is None else self._by_family.get(fam, {})


def fact_pool(deck_peers: DeckPeers, source_id: str, fact: Fact) -> Pool:
    """The distractor pool of one numeric fact."""
    return _tiered_pool(
        fact.answer,
        fact.tolerance,
        fact.choices,
        deck_peers.same_source(source_id, fact),
        deck_peers.same_deck(source_id, fact),
    )


def is_text_only(fact: Fact) -> bool:
    """True when a fact is asked as text: a text answer, or ``kind: text``."""
    return fact.force_text or not fact.answer.kind.numeric


class DeckPools:
    """The distractor pool of every fact of one deck, computed once, in one pass.

    Card generation reads it (the author warnings need only each fact's ``authored_pool``), once
    per deck object. Get it with ``deck_pools(deck)``.
    """

    def __init__(self, deck: Deck) -> None:
        peers = DeckPeers(deck)
        self._pools: dict[tuple[str, str], Pool] = {}
        for source, fact in deck.facts():
            if is_text_only(fact):
                pool = text_pool(Answer(AnswerKind.TEXT, fact.answer.text), fact.choices)
            else:
                pool = fact_pool(peers, source.id, fact)
            self._pools[(source.id, fact.id)] = pool

    def pool(self, source_id: str, fact_id: str) -> Pool:
        """The pool of the fact ``source_id/fact_id`` (empty for a fact not in the deck)."""
        return self._pools.get((source_id, fact_id), Pool())


_POOLS: dict[int, tuple[weakref.ref[Deck], DeckPools]] = {}


def deck_pools(deck: Deck) -> DeckPools:
    """The pools of ``deck``, remembered for as long as that deck object lives.

    A pure function of the (immutable) deck: the memo only saves recomputing it when the loader's
    warnings and then card generation ask for the same deck.
    """
    key = id(deck)
    found = _POOLS.get(key)
    if found is not None and found[0]() is deck:
        return found[1]
    pools = DeckPools(deck)

    def forget(_ref: weakref.ref[Deck]) -> None:
        _POOLS.pop(key, None)

    _POOLS[key] = (weakref.ref(deck, forget), pools)
    return pools
