"""Grading agrees with the distractors: the answer typed scores 5, every distractor typed fails."""

from __future__ import annotations

from hypothesis import given, settings

from ibdquiz.core.cards import CardKind, cards_for_deck, choice_options
from ibdquiz.core.grading import grade_numeric
from ibdquiz.core.model import Deck
from tests.test_distractors_props import random_decks


@settings(deadline=None, max_examples=60)
@given(random_decks())
def test_typing_the_answer_scores_5_and_typing_a_distractor_fails(d: Deck) -> None:
    cards = cards_for_deck(d)
    numeric = {c.id.rsplit("/", 1)[0]: c for c in cards if c.kind is CardKind.NUMERIC}
    for card in numeric.values():
        assert grade_numeric(card, card.answer.text).quality == 5, card.answer.text
    for card in cards:
        twin = numeric.get(card.id.rsplit("/", 1)[0])
        if card.kind is not CardKind.CHOICE or twin is None:
            continue
        for option in choice_options(card, 1).options:
            if option != card.answer.text:
                result = grade_numeric(twin, option)
                assert not result.correct, (card.answer.text, option, result)
