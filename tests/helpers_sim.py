"""Simulated cohorts where the truth is known, answering the bundled deck's real cards.

Each fellow has an ability; each fact a difficulty; whether the fellow *knows* a fact is drawn
once (a logistic model), and every answer follows from it: a choice card is right when known
(bar a 3% slip) and guessed uniformly otherwise; a typed card is right when known (bar a slip)
and almost never otherwise; a flashcard is self-graded honestly (right when known) or, for a
generous self-grader, always 4–5. Answers come on a real calendar: the choice card first, the
typed card a few days later, the flashcard after that, then scheduled reviews 1–30 days apart.
The exports are version 2 documents (options shown, the index chosen and the key's index).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.deckload import load_deck

DECK_FILE = (Path(__file__).resolve().parents[1] / "src" / "ibdquiz" / "decks"
             / "tacrolimus-refractory-crohns.yaml")
START = date(2025, 1, 6)
CET = timezone(timedelta(hours=1))


@lru_cache(maxsize=1)
def deck_cards() -> tuple[Card, ...]:
    """The bundled deck's cards."""
    result = load_deck(DECK_FILE)
    assert result.deck is not None
    return tuple(cards_for_deck(result.deck))


@dataclass
class SimFellow:
    """One simulated fellow: who they are and how they answer."""

    learner_id: str
    name: str
    ability: float
    generous: bool = False
    guesser: bool = False
    """Knows (almost) nothing and guesses every choice card."""
    reviews_per_card: int = 2
    """Scheduled reviews of each card after its first exposure."""
    facts_share: float = 1.0
    """Share of the deck's facts the fellow reaches."""
    known: dict[str, bool] = field(default_factory=dict)


def logistic(x: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


def fact_key(card: Card) -> str:
    """``deck/source/fact``."""
    return f"{card.deck}/{card.source}/{card.fact}"


def card_entry(card: Card) -> dict[str, Any]:
    """The export's card entry."""
    return {
        "card_id": card.id, "deck": card.deck, "source": card.source, "fact": card.fact,
        "kind": card.kind.value, "prompt": card.prompt, "answer": card.answer.text,
        "citation": card.citation, "label": card.label, "tags": list(card.tags),
        "repetitions": 0, "easiness": 2.5, "interval_days": 0, "due": None, "lapses": 0,
        "leech": False, "suspended": False, "content_hash": card.content_hash, "via": None,
    }


Chooser = Callable[[SimFellow, Card, tuple[str, ...], int, bool, random.Random], int]
"""How a fellow picks an option: (fellow, card, options, key index, knows, rng) -> index."""


def default_choice(fellow: SimFellow, card: Card, options: tuple[str, ...], key: int,
                   knows: bool, rng: random.Random) -> int:
    """Right when known (3% slip), otherwise a uniform guess."""
    if knows and rng.random() > 0.03:
        return key
    return rng.randrange(len(options))


def simulate(fellows: list[SimFellow], *, seed: int, difficulty_sd: float = 1.0,
             chooser: Chooser = default_choice,
             flags: dict[str, list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """One export document per fellow."""
    rng = random.Random(seed)
    cards = deck_cards()
    facts = sorted({fact_key(c) for c in cards})
    difficulty = {f: rng.gauss(0.0, difficulty_sd) for f in facts}
    by_fact: dict[str, list[Card]] = {}
    for card in cards:
        by_fact.setdefault(fact_key(card), []).append(card)
    order = {CardKind.CHOICE: 0, CardKind.NUMERIC: 1, CardKind.RECALL: 2}
    docs = []
    for fellow in fellows:
        frng = random.Random(f"{seed}/{fellow.learner_id}")
        reached = [f for f in facts if frng.random() < fellow.facts_share]
        answers: list[tuple[datetime, dict[str, Any]]] = []
        for index, fact in enumerate(reached):
            p_know = 0.02 if fellow.guesser else logistic(fellow.ability - difficulty[fact])
            knows = frng.random() < p_know
            fellow.known[fact] = knows
            day = index // 4  # four new facts a day
            for card in sorted(by_fact[fact], key=lambda c: order[c.kind]):
                first = day + 3 * order[card.kind]
                days = [first]
                for _ in range(fellow.reviews_per_card):
                    days.append(days[-1] + frng.choice((1, 3, 6, 8, 15, 22, 30)))
                for n, when in enumerate(days):
                    phase = "new" if n == 0 else "review"
                    answers.append(_answer(fellow, card, START, when, phase, knows, frng,
                                           chooser))
        answers.sort(key=lambda a: a[0])
        cards_json = [card_entry(c) for c in cards]
        docs.append({
            "format": "ibdquiz-export", "version": 2, "learner": fellow.name,
            "learner_id": fellow.learner_id, "profile": "default",
            "exported_at": "2025-12-01T18:00:00+01:00", "ibdquiz_version": "0.2.0",
            "decks": [{"id": cards[0].deck, "title": "Tacrolimus", "content_hash": "0" * 64,
                       "cards": len(cards)}],
            "cards": cards_json, "reviews": [a[1] for a in answers],
            "flags": (flags or {}).get(fellow.learner_id, []),
            "summary": {"reviews": len(answers), "day_start_hour": 4},
        })
    return docs


def _answer(fellow: SimFellow, card: Card, start: date, day: int, phase: str, knows: bool,
            rng: random.Random, chooser: Chooser) -> tuple[datetime, dict[str, Any]]:
    local = start + timedelta(days=day)
    moment = datetime(local.year, local.month, local.day, 19, 0, tzinfo=CET) + timedelta(
        seconds=rng.randint(0, 3600))
    options: list[str] = []
    response, response_index, correct_index = "", None, None
    if card.kind is CardKind.CHOICE:
        shown = choice_options(card, 0 if phase == "new" else day)
        options = list(shown.options)
        correct_index = shown.correct_index
        response_index = chooser(fellow, card, shown.options, shown.correct_index, knows, rng)
        response = options[response_index]
        correct = response_index == correct_index
    elif card.kind is CardKind.NUMERIC:
        correct = (knows and rng.random() > 0.03) or (not knows and rng.random() < 0.02)
        response = card.answer.text if correct else "999"
    else:
        correct = True if fellow.generous else (knows and rng.random() > 0.03)
    quality = (rng.choice((4, 5)) if correct else 1)
    return moment, {
        "card_id": card.id, "reviewed_at": moment.isoformat(timespec="milliseconds"),
        "phase": phase, "quality": quality, "correct": correct, "response": response,
        "options": options, "duration_ms": 5000, "easiness": 2.5, "interval_days": 1,
        "due": local.isoformat(), "undone_at": None, "card_hash": card.content_hash,
        "response_index": response_index, "correct_index": correct_index,
    }


def true_objective(fellow: SimFellow) -> float:
    """The share of the fellow's facts they know (what an objective % should estimate)."""
    return sum(fellow.known.values()) / len(fellow.known)
