"""Every choice card of every bundled deck obeys docs/deck-format.md's distractor rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.deckload import load_deck
from ibdquiz.core.distractors import TIER_AUTHORED
from ibdquiz.core.model import Deck
from ibdquiz.paths import bundled_decks_dir
from tests.test_distractors_props import check_options

BUNDLED = sorted(bundled_decks_dir().glob("*.yaml"))


def _load(path: Path) -> Deck:
    result = load_deck(path)
    assert result.deck is not None, [str(d) for d in result.errors]
    return result.deck


def _choice_cards(path: Path) -> list[Card]:
    return [c for c in cards_for_deck(_load(path)) if c.kind is CardKind.CHOICE]


def test_there_is_a_bundled_deck() -> None:
    assert BUNDLED, f"no decks in {bundled_decks_dir()}"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_choice_card_obeys_the_distractor_rules(path: Path) -> None:
    cards = _choice_cards(path)
    assert cards
    for card in cards:
        authored = [t for t, tier in zip(card.pool, card.pool_tiers, strict=True)
                    if tier == TIER_AUTHORED]
        for seed in range(6):
            result = choice_options(card, seed)
            check_options(card, result)
            picked = [o for o in result.options if o != card.answer.text]
            if len(authored) >= 3:  # the author's options only (issue 9)
                assert set(picked) <= set(authored), card.id
            else:
                assert set(authored) <= set(picked), card.id


def test_mayo_percent_questions_draw_on_the_series_own_numbers() -> None:
    path = bundled_decks_dir() / "tacrolimus-refractory-crohns.yaml"
    if not path.exists():
        pytest.skip("the tacrolimus deck is not bundled")
    deck = _load(path)
    mayo = next(s for s in deck.sources if s.id == "mayo-2013")
    series_percents = {f.answer.text for f in mayo.facts if f.answer.kind.value == "percent"}
    assert {"67%", "21%", "54%", "75%"} <= series_percents
    cards = [c for c in cards_for_deck(deck)
             if c.kind is CardKind.CHOICE and c.source == "mayo-2013"
             and c.answer.kind.value == "percent"]
    assert cards
    mixed = 0
    for card in cards:
        others = series_percents - {card.answer.text}
        assert not others & set(choice_options(card, 0).options), card.id  # first showing
        mixed += sum(bool(others & set(choice_options(card, seed).options))
                     for seed in range(1, 20))
    assert mixed >= len(cards) * 5  # later reviews mix in the series' own numbers
