"""Golden tests for grading (docs/deck-format.md): typed-answer grammar, tolerances, qualities."""

from __future__ import annotations

import pytest

from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import ChoiceOptions, cards_for_deck
from ibdquiz.core.grading import (
    FAST_ANSWER_MS,
    grade_choice,
    grade_numeric,
    grade_recall,
    input_hint,
    is_correct,
)
from ibdquiz.errors import IbdquizError, UnparseableResponse
from tests.helpers_cards import deck, fact, source


def numeric_card(answer: str, tolerance: str | None = None) -> Card:
    cards = cards_for_deck(deck(source("s", fact("f", answer, tolerance=tolerance))))
    return next(c for c in cards if c.kind is CardKind.NUMERIC)


def quality(answer: str, typed: str, tolerance: str | None = None) -> int:
    return grade_numeric(numeric_card(answer, tolerance), typed).quality


@pytest.mark.parametrize(
    ("typed", "expected", "parsed"),
    [
        ("54", 5, "54%"), ("54%", 5, "54%"), ("54.0", 5, "54%"), (" 54 % ", 5, "54%"),
        ("54 percent", 5, "54%"), ("0.54", 1, "0.54%"),
        ("55", 4, "55%"), ("52", 4, "52%"), ("57", 2, "57%"), ("50", 2, "50%"), ("59", 1, "59%"),
    ],
)
def test_percent(typed: str, expected: int, parsed: str) -> None:
    result = grade_numeric(numeric_card("54%"), typed)
    assert (result.quality, result.parsed_text) == (expected, parsed)
    assert result.correct is (expected >= 3)


@pytest.mark.parametrize(
    ("typed", "expected", "parsed"),
    [
        ("8", 5, "8/24"), ("8/24", 5, "8/24"), ("8 / 24", 5, "8/24"), ("33%", 5, "33%"),
        ("33.3%", 5, "33.3%"), ("35%", 4, "35%"), ("31%", 1, "31%"), ("37%", 1, "37%"),
        ("40%", 1, "40%"), ("9", 1, "9/24"), ("7/24", 1, "7/24"), ("1/3", 5, "1/3"),
        ("3/8", 1, "3/8"), ("8/24 (33%)", 5, "8/24"), ("35/100", 4, "35/100"),
        ("36/100", 1, "36/100"), ("8 patients", 5, "8/24"),
    ],
)
def test_fraction_is_judged_on_the_count_or_on_a_typed_percent(
    typed: str, expected: int, parsed: str
) -> None:
    result = grade_numeric(numeric_card("8/24 (33%)"), typed)
    assert (result.quality, result.parsed_text) == (expected, parsed)


def test_a_count_out_of_n_is_exact_and_a_percent_is_read_as_a_count() -> None:
    # issue 9 finding 6: 18 is the neighbouring fact (the ileocolonic count), never right here
    assert quality("17/24 (71%)", "18") == 1
    assert quality("17/24 (71%)", "17") == 5
    assert quality("17/24 (71%)", "67%") == 1  # 16 of 24, on the same scale as the count
    assert quality("17/24 (71%)", "70%") == 4  # round-half-up(16.8) = 17
    assert quality("17/24 (71%)", "18", tolerance="1") == 4
    assert quality("7/15", "47%") == 5  # 46.67 rounds half up to 47


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10-15", 5), ("10–15", 5), ("10 to 15", 5), ("10 TO 15 ng/mL", 5), ("10-15ng/ml", 5),
        ("15-10", 5), ("10-16", 4), ("10-18", 2), ("10-19", 1), ("11-15", 4), ("12-15", 2),
        ("14-15", 1),
    ],
)
def test_range_compares_each_end(typed: str, expected: int) -> None:
    assert quality("10-15 ng/mL", typed) == expected


@pytest.mark.parametrize(
    ("answer", "typed", "expected"),
    [
        ("10 months", "10", 5), ("10 months", "10 months", 5), ("10 months", "10 Month", 5),
        ("10 months", "11", 1),  # an integer up to 10 is exact
        ("2.5 years", "2.5", 5), ("2.5 years", "2.6", 4), ("2.5 years", "2.9", 2),
        ("2.5 years", "3.1", 1), ("38 years", "40", 4), ("24", "24", 5), ("24", "25", 4),
        ("54%", "59", 1), ("200 mg", "220", 4), ("200 mg", "241", 1),
    ],
)
def test_numbers_with_units(answer: str, typed: str, expected: int) -> None:
    assert quality(answer, typed) == expected


def test_authored_tolerance_overrides_the_default() -> None:
    assert quality("54%", "59", tolerance="5") == 4
    assert quality("54%", "64", tolerance="5") == 2
    assert quality("54%", "65", tolerance="5") == 1
    assert quality("200 mg", "240", tolerance="10%") == 2
    assert quality("200 mg", "241", tolerance="10%") == 1
    assert quality("10 months", "11", tolerance="1") == 4


@pytest.mark.parametrize("typed", ["", "   ", "abc", "5o", "five", "1/0", "--3"])
def test_unparseable_input_raises_with_a_hint(typed: str) -> None:
    with pytest.raises(UnparseableResponse) as info:
        grade_numeric(numeric_card("10 months"), typed)
    assert info.value.hint == "Type a number of months, such as 12"
    assert isinstance(info.value, IbdquizError)


def test_a_different_unit_is_refused_with_a_hint() -> None:
    with pytest.raises(UnparseableResponse, match="in years, not months") as info:
        grade_numeric(numeric_card("2.5 years"), "2.5 months")
    assert "Type a number of years" in info.value.hint
    with pytest.raises(UnparseableResponse, match="a percent, not mg"):
        grade_numeric(numeric_card("54%"), "54 mg")
    with pytest.raises(UnparseableResponse, match="in ng/mL"):
        grade_numeric(numeric_card("10-15 ng/mL"), "10-15 mg")
    with pytest.raises(UnparseableResponse, match="Type a count out of 24"):
        grade_numeric(numeric_card("8/24 (33%)"), "8 mg")
    with pytest.raises(UnparseableResponse, match="Type a range of ng/mL"):
        grade_numeric(numeric_card("10-15 ng/mL"), "12")


def test_input_hints_say_the_format_and_never_give_the_answer() -> None:
    assert input_hint(numeric_card("54%")) == "Type a percent, such as 40 or 40%"
    assert input_hint(numeric_card("40%")) == "Type a percent, such as 60 or 60%"
    assert input_hint(numeric_card("8/24 (33%)")) == (
        "Type a count out of 24 (such as 12), a fraction such as 12/24, or a percent such as 50%")
    assert input_hint(numeric_card("10-15 ng/mL")) == "Type a range of ng/mL, such as 5-10"
    assert input_hint(numeric_card("5-10")) == "Type a range, such as 20-40"
    assert input_hint(numeric_card("10-15%")) == "Type a range of percents, such as 5-10%"
    assert input_hint(numeric_card("12 months")) == "Type a number of months, such as 20"
    assert input_hint(numeric_card("2.5 years")) == "Type a number of years, such as 1.5"
    assert input_hint(numeric_card("24")) == "Type a number, such as 12"


def test_grade_choice() -> None:
    options = ChoiceOptions(("17%", "21%", "54%", "67%"), 2)
    assert grade_choice(0, options, 1000) == 1
    assert grade_choice(0, options, 60_000) == 1
    assert grade_choice(2, options, 1000) == 5
    assert grade_choice(2, options, FAST_ANSWER_MS) == 5
    assert grade_choice(2, options, FAST_ANSWER_MS + 1) == 4
    with pytest.raises(ValueError):
        grade_choice(4, options, 1000)


def test_recall_is_graded_as_chosen_and_correct_means_three_or_more() -> None:
    assert [grade_recall(q) for q in range(6)] == [0, 1, 2, 3, 4, 5]
    for bad in (-1, 6, True):
        with pytest.raises(ValueError):
            grade_recall(bad)
    assert [is_correct(q) for q in range(6)] == [False, False, False, True, True, True]


def test_grading_a_text_card_as_numeric_is_a_programming_error() -> None:
    card = cards_for_deck(deck(source("s", fact("f", "ileocolonic", explain="e"))))[0]
    with pytest.raises(ValueError):
        grade_numeric(card, "5")


def test_a_number_too_big_to_be_the_count_is_not_graded_but_asked_again_as_a_percent() -> None:
    with pytest.raises(UnparseableResponse) as caught:
        grade_numeric(numeric_card("8/24 (33%)"), "33")
    assert "33 is not a count out of 24" in caught.value.hint
    assert "type 33%" in caught.value.hint


@pytest.mark.parametrize(
    ("answer", "typed"),
    [
        ("3 mg/kg/day", "3 mg/kg/day"), ("3 mg/kg/day", "3"), ("10 µg/mL", "10 µg/mL"),
        ("10–15 ng/mL", "10-15"), ("10 to 15 ng/mL", "10–15 ng/mL"), ("5-10%", "5 to 10"),
        ("1/8 (12.5%)", "1/8 (12.5%)"), ("1/8 (12.5%)", "12.5%"), ("-3", "-3"),
        ("10-15 ng/mL", "10 ng/mL - 15 ng/mL"), ("5-10%", "5% to 10%"),
        ("10 to 15 months", "10 months to 15 months"),
    ],
)
def test_the_answer_as_displayed_and_its_usual_spellings_score_5(answer: str, typed: str) -> None:
    assert quality(answer, typed) == 5


def test_a_range_typed_with_two_different_units_is_not_graded() -> None:
    with pytest.raises(UnparseableResponse, match="Type a range of ng/mL"):
        grade_numeric(numeric_card("10-15 ng/mL"), "10 mg - 15 ng/mL")
