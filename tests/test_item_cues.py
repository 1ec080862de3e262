"""Issue 9: choice items measure knowledge, not test-wiseness.

Over every choice card of every bundled deck and a synthetic deck of generated numeric cards,
seeds 0-19: the key's position is uniform (each position within 1/k ± 5 points), and a
knowledge-free cue solver (tests/cue_solver.py) scores no more than chance + 3 points, combined
and cue by cue.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.context import context
from ibdquiz.core.deckload import load_deck, load_deck_text
from ibdquiz.core.distractors import TIER_AUTHORED
from ibdquiz.core.model import Deck
from ibdquiz.paths import bundled_decks_dir
from tests.cue_solver import CUES, score

SEEDS = range(20)


def synthetic_deck(facts: int = 240, seed: int = 9) -> Deck:
    """A deck of numeric facts of every kind, none with authored choices."""
    rng = random.Random(seed)
    lines = ["deck: synthetic", "title: Synthetic", "sources:"]
    for s in range(facts // 10):
        n = rng.randint(8, 400)
        lines += [f"  - id: s{s}", f"    citation: Study {s}", f"    n: {n}", "    facts:"]
        for f in range(10):
            kind = rng.choice(["percent", "fraction", "number", "unit", "decimal", "range"])
            if kind == "percent":
                answer = f"{rng.randint(3, 97)}%"
            elif kind == "fraction":
                k = rng.randint(1, n - 1)
                answer = f"{k}/{n}"
            elif kind == "number":
                answer = str(rng.randint(2, n - 1))
            elif kind == "unit":
                answer = f"{rng.randint(2, 60)} {rng.choice(['months', 'weeks', 'mg', 'mL'])}"
            elif kind == "decimal":
                answer = f"{rng.randint(5, 300) / 10:.1f} {rng.choice(['years', 'weeks', 'mg'])}"
            else:
                low = rng.randint(2, 40)
                answer = f"{low}-{low + rng.choice([3, 5, 10])} ng/mL"
            lines += [f"      - id: f{f}", f"        ask: What was value {f} of study {s}?",
                      f"        answer: \"{answer}\"", "        explain: e"]
    result = load_deck_text("\n".join(lines) + "\n", "synthetic.yaml")
    assert result.deck is not None, [str(d) for d in result.errors]
    return result.deck


def _bundled() -> list[Deck]:
    decks = []
    for path in sorted(bundled_decks_dir().glob("*.yaml")):
        loaded = load_deck(Path(path)).deck
        assert loaded is not None
        decks.append(loaded)
    return decks


def _choice_cards(deck: Deck) -> list[Card]:
    return [c for c in cards_for_deck(deck) if c.kind is CardKind.CHOICE]


def _generated(card: Card) -> bool:
    return sum(1 for tier in card.pool_tiers if tier == TIER_AUTHORED) < 3


@pytest.fixture(scope="module")
def cards() -> list[Card]:
    synthetic = _choice_cards(synthetic_deck())
    assert len(synthetic) >= 200
    return [card for deck in _bundled() for card in _choice_cards(deck)] + synthetic


def _items(cards: list[Card]) -> list[tuple[str, str, tuple[str, ...], int]]:
    out = []
    for card in cards:
        for seed in SEEDS:
            options = choice_options(card, seed)
            out.append((context(card), card.prompt, options.options, options.correct_index))
    return out


def position_table(cards: list[Card]) -> dict[int, Counter[int]]:
    """For each number of options, how often the key is at each position."""
    table: dict[int, Counter[int]] = {}
    for card in cards:
        if not _generated(card):
            continue
        for seed in SEEDS:
            options = choice_options(card, seed)
            table.setdefault(len(options.options), Counter())[options.correct_index] += 1
    return table


def test_the_keys_position_is_uniform(cards: list[Card]) -> None:
    table = position_table(cards)
    for k in (4, 5):
        counts = table.get(k)
        if not counts or sum(counts.values()) < 100:
            continue
        total = sum(counts.values())
        for place in range(k):
            share = 100 * counts[place] / total
            assert abs(share - 100 / k) <= 5, (k, place, share, dict(counts))


def test_a_cue_solver_scores_no_better_than_chance(cards: list[Card]) -> None:
    items = _items(cards)
    combined, chance = score(items)
    assert combined <= chance + 0.03, (combined, chance)
    for name, cue in CUES.items():
        rate, _ = score(items, cue)
        assert rate <= chance + 0.03, (name, rate, chance)


def test_the_bundled_deck_alone_gives_no_cue() -> None:
    items = _items([card for deck in _bundled() for card in _choice_cards(deck)])
    combined, chance = score(items)
    assert combined <= chance + 0.03, (combined, chance)


def test_options_vary_between_reviews(cards: list[Card]) -> None:
    varied = sum(1 for card in cards if len({choice_options(card, s).options for s in SEEDS}) > 1)
    assert varied >= 0.9 * len(cards)
