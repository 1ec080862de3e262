"""Grading agrees with the distractors: the answer typed scores 5, every distractor typed fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ibdquiz.core.answers import parse_answer, percent_of
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.grading import grade_numeric
from ibdquiz.core.model import Deck
from tests.helpers_cards import deck, fact, source
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


UNITS_SHOWN = ["", "months", "mg", "ng/mL", "mg/kg/day", "µg/mL", "IU/L", "patients", "years"]


@st.composite
def displayed_answers(draw: st.DrawFn) -> str:
    """An authored numeric answer in any style the deck grammar accepts (docs/deck-format.md)."""
    kind = draw(st.sampled_from(["percent", "fraction", "number", "range"]))
    decimals = draw(st.sampled_from([0, 0, 1, 2]))

    def number(low: int, high: int) -> str:
        return f"{draw(st.integers(low, high)) / 10**decimals:.{decimals}f}"

    if kind == "percent":
        return f"{number(0, 100 * 10**decimals)}{draw(st.sampled_from(['%', ' %']))}"
    if kind == "fraction":
        denominator = draw(st.integers(1, 300))
        count = draw(st.integers(0, denominator))
        slash = draw(st.sampled_from(["/", " / "]))
        if not draw(st.booleans()):
            return f"{count}{slash}{denominator}"
        stated = percent_of(count, denominator, decimals)
        return f"{count}{slash}{denominator} ({stated}%)"
    if kind == "number":
        sign = draw(st.sampled_from(["", "", "-"]))
        unit = draw(st.sampled_from(UNITS_SHOWN))
        return f"{sign}{number(0, 5000)} {unit}".strip()
    low = draw(st.integers(0, 500))
    high = low + draw(st.integers(1, 100))
    dash = draw(st.sampled_from(["-", "–", "—", " to ", " - ", " – "]))
    unit = draw(st.sampled_from([*UNITS_SHOWN, "%"]))
    scale = 10**decimals
    text = f"{low / scale:.{decimals}f}{dash}{high / scale:.{decimals}f}"
    return text + unit if unit == "%" else f"{text} {unit}".strip()


@settings(deadline=None, max_examples=150)
@given(displayed_answers(), st.sampled_from(["", " ", "  "]))
def test_typing_the_answer_exactly_as_displayed_always_scores_5(answer: str, pad: str) -> None:
    parsed = parse_answer(answer)
    assert parsed.kind.numeric, answer
    cards = cards_for_deck(deck(source("s", fact("f", answer))))
    (card,) = [c for c in cards if c.kind is CardKind.NUMERIC]
    result = grade_numeric(card, f"{pad}{card.answer.text}{pad}")
    assert result.quality == 5, (card.answer.text, result)
    assert result.correct
