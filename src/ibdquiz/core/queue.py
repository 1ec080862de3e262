"""Today's study queue as a pure function of the cards' states (docs/rules.md).

Order: re-drills left over from an earlier session today, then due reviews (most overdue first),
then new cards up to the allowance, interleaved across each deck's sources (``new_card_order``:
two facts where a text shown with one gives the other's answer are never new on the same day).
One card per fact per day:
a fact answered today, or already in the queue, keeps its other cards waiting. A new fact shows
its choice card first, its numeric card on a later day and its recall card after that
(recognition before recall); a ``kinds`` filter overrides this by leaving only those kinds.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import NamedTuple

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.rules import is_due

# Recognition before recall: the order in which a new fact's cards are introduced.
INTRODUCTION_ORDER: tuple[CardKind, ...] = (CardKind.CHOICE, CardKind.NUMERIC, CardKind.RECALL)


class Phase(str, Enum):
    """Why a card is being asked: stored with every answer."""

    NEW = "new"
    REVIEW = "review"
    REDRILL = "redrill"
    PRACTICE = "practice"

    @property
    def schedules(self) -> bool:
        """True when an answer in this phase moves the SM-2 state."""
        return self in (Phase.NEW, Phase.REVIEW)


@dataclass(frozen=True)
class SessionFilters:
    """What a session asks: every given dimension must match (values within one are alternatives).

    ``sources`` take a source id or ``deck/source``; ``kinds`` are ``recall|choice|numeric``.
    ``new_limit`` replaces the day's remaining new-card allowance for this session (``--new N``);
    ``missed_days`` turns the session into practice of cards failed in the last N study days.
    """

    decks: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    new_limit: int | None = None
    missed_days: int | None = None

    def __post_init__(self) -> None:
        known = {kind.value for kind in CardKind}
        unknown = [kind for kind in self.kinds if kind not in known]
        if unknown:
            raise ValueError(
                f"unknown card kind {unknown[0]!r}; use one of {', '.join(sorted(known))}"
            )
        if self.new_limit is not None and self.new_limit < 0:
            raise ValueError("the number of new cards cannot be negative")
        if self.missed_days is not None and self.missed_days < 1:
            raise ValueError("practice of missed cards needs at least 1 day")

    def matches(self, card: Card) -> bool:
        """True when ``card`` passes every filter."""
        return self.accepts(card.deck, card.source, card.tags, card.kind.value)

    def accepts(self, deck: str, source: str, tags: Iterable[str], kind: str) -> bool:
        """``matches`` on a card's fields (the storage queue reads only these)."""
        if self.decks and deck not in self.decks:
            return False
        if self.sources and not (source in self.sources or f"{deck}/{source}" in self.sources):
            return False
        if self.tags and not set(self.tags).intersection(tags):
            return False
        return not (self.kinds and kind not in self.kinds)


@dataclass(frozen=True)
class CardStatus:
    """What the queue needs to know about one card for one learner.

    ``due_day`` is ``None`` for a card never answered (new); ``position`` is the deck order.
    """

    card: Card
    position: int
    due_day: int | None = None
    suspended: bool = False


class Planned(NamedTuple):
    """One entry of the queue: a card id and the phase it will be asked in (a named tuple: a
    day's queue can hold tens of thousands)."""

    card_id: str
    phase: Phase


@dataclass(frozen=True)
class QueueItem:
    """The card on screen: its options (choice cards), the seed that made them, and why it is asked.

    ``updated`` says the card's answer changed since it was last answered. ``reanswer``: asked
    again after its answer was undone (graded at most 4). ``intervals[q]`` is the interval in
    days that grade ``q`` (0–5) would give (empty when this phase does not reschedule).
    """

    card: Card
    phase: str
    options: tuple[str, ...]
    correct_index: int | None
    seed: int
    updated: bool
    shown_at: datetime
    reanswer: bool = False
    intervals: tuple[int, ...] = ()


def fact_key(card: Card) -> tuple[str, str, str]:
    """The fact a card belongs to (siblings share it)."""
    return (card.deck, card.source, card.fact)


def _kind_rank(card: Card) -> int:
    return INTRODUCTION_ORDER.index(card.kind)


def plan_queue(
    statuses: Iterable[CardStatus],
    *,
    today: int,
    filters: SessionFilters,
    new_allowance: int,
    busy_facts: Iterable[tuple[str, str, str]] = (),
    redrills: Sequence[str] = (),
    review_allowance: int | None = None,
    new_today: Iterable[tuple[str, str, str]] = (),
) -> list[Planned]:
    """Today's queue. ``busy_facts`` were answered today (``new_today`` of them as new);
    ``redrills`` are pending from today.

    ``review_allowance`` caps the due reviews (``None``: no limit); the rest wait, oldest-due
    first next time.
    """
    every = list(statuses)
    eligible = [s for s in every if not s.suspended and filters.matches(s.card)]
    by_id = {s.card.id: s for s in eligible}
    busy = set(busy_facts)
    plan: list[Planned] = []
    for card_id in redrills:
        if card_id in by_id:
            plan.append(Planned(card_id, Phase.REDRILL))
            busy.add(fact_key(by_id[card_id].card))
    due = sorted(
        (s for s in eligible if is_due(s.due_day, today, suspended=s.suspended)),
        key=lambda s: (s.due_day, s.card.deck, s.position),
    )
    reviews = 0
    for status in due:
        if review_allowance is not None and reviews >= review_allowance:
            break
        key = fact_key(status.card)
        if key not in busy:
            plan.append(Planned(status.card.id, Phase.REVIEW))
            busy.add(key)
            reviews += 1
    fresh = [s for s in eligible if s.due_day is None]
    for status in new_card_order(fresh, every, allowance=new_allowance, busy=busy,
                                 new_today=set(new_today)):
        plan.append(Planned(status.card.id, Phase.NEW))
    return plan


FactKey = tuple[str, str, str]


@dataclass(frozen=True)
class NewFact:
    """A fact that may be introduced today: its first card by introduction order, its place in
    deck order and the facts it leaks with (``Card.leaks``)."""

    key: FactKey
    card_id: str
    position: int
    leaks: frozenset[FactKey] = frozenset()


def leak_keys(card: Card) -> frozenset[FactKey]:
    """``card.leaks`` (``source/fact`` ids of its deck) as fact keys."""
    out = set()
    for ref in card.leaks:
        source, _, fact = ref.partition("/")
        out.add((card.deck, source, fact))
    return frozenset(out)


def order_new_facts(
    facts: Sequence[NewFact],
    *,
    allowance: int,
    busy: Collection[FactKey] = (),
    new_today: Collection[FactKey] = (),
) -> list[NewFact]:
    """Today's new facts: interleaved across each deck's sources, none busy today, none leaking
    with a fact already new today or chosen before it (issue 9).

    Decks come in deck order; within a deck the sources' facts are merged in proportion (the
    i-th of a source's m facts at (i + ½)/m), so a long source does not hold back the others.
    ``rank_new_facts`` then ``pick_new_facts``.
    """
    return pick_new_facts(
        rank_new_facts(facts), allowance=allowance, busy=busy, new_today=new_today
    )


def rank_new_facts(facts: Sequence[NewFact]) -> list[NewFact]:
    """Every fact of ``facts`` in the order new facts are introduced (``order_new_facts``),
    before any is left out: it depends on the facts alone, so one ranking serves every plan
    drawn from the same facts (the home screen's)."""
    sources: dict[tuple[str, str], list[NewFact]] = {}
    for fact in sorted(facts, key=lambda f: f.position):
        sources.setdefault((fact.key[0], fact.key[1]), []).append(fact)
    deck_rank: dict[str, int] = {}
    order: list[tuple[int, float, int, NewFact]] = []
    for rank, ((deck, _source), members) in enumerate(sources.items()):
        deck_rank.setdefault(deck, rank)
        double = 2 * len(members)
        for index, fact in enumerate(members):
            # (i + ½)/m as (2i + 1)/2m in floating point, exactly as ordered as the fractions:
            # equal fractions divide to the same double, and two different ones with m below
            # 2**20 differ by at least 2**-42, far above a double's rounding near 1.
            order.append((deck_rank[deck], (2 * index + 1) / double, rank, fact))
    order.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in order]


def pick_new_facts(
    ranked: Sequence[NewFact],
    *,
    allowance: int,
    busy: Container[FactKey] = (),
    new_today: Collection[FactKey] = (),
) -> list[NewFact]:
    """The first ``allowance`` facts of ``ranked`` (``rank_new_facts``) that are not busy today
    and leak with no fact new today or picked before them."""
    taken = set(new_today)
    out: list[NewFact] = []
    for fact in ranked:
        if len(out) >= allowance:
            break
        if fact.key in busy or fact.key in taken or fact.leaks & taken:
            continue
        out.append(fact)
        taken.add(fact.key)
    return out


def new_card_order(
    fresh: Sequence[CardStatus],
    every: Sequence[CardStatus] = (),
    *,
    allowance: int,
    busy: Collection[FactKey] = (),
    new_today: Collection[FactKey] = (),
) -> list[CardStatus]:
    """``order_new_facts`` over card statuses: each fact shows its first card by introduction
    order; ``every`` (default ``fresh``) gives each fact's place in deck order."""
    first_seen: dict[FactKey, int] = {}
    for status in every or fresh:
        key = fact_key(status.card)
        first_seen[key] = min(first_seen.get(key, status.position), status.position)
    by_fact: dict[FactKey, CardStatus] = {}
    for status in fresh:
        key = fact_key(status.card)
        best = by_fact.get(key)
        if best is None or (_kind_rank(status.card), status.position) < (
                _kind_rank(best.card), best.position):
            by_fact[key] = status
    facts = [
        NewFact(key, status.card.id, first_seen.get(key, status.position),
                leak_keys(status.card))
        for key, status in by_fact.items()
    ]
    chosen = order_new_facts(facts, allowance=allowance, busy=busy, new_today=new_today)
    return [by_fact[fact.key] for fact in chosen]


def needs_redrill(quality: int) -> bool:
    """SM-2 step 7: an answer below 4 is asked again at the end of the session."""
    return quality < 4


@dataclass(frozen=True)
class TodayPlan:
    """Today's queue and what it leaves out.

    ``due`` counts every due card that passes the filters (``core.rules.is_due``); ``held_back``
    those of them the queue does not ask today (a sibling comes first, or the review limit).
    """

    queue: tuple[Planned, ...]
    due: int
    held_back: int

    def count(self, phase: Phase) -> int:
        """Entries of the queue in ``phase``."""
        return sum(1 for planned in self.queue if planned.phase is phase)
