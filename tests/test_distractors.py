"""Distractors that teach (docs/deck-format.md): tiers, de-duplication, tolerance, neighbours."""

from __future__ import annotations

from decimal import Decimal

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.distractors import (
    TIER_AUTHORED,
    TIER_DECK,
    TIER_NEIGHBOUR,
    TIER_SOURCE,
    numeric_pool,
)
from ibdquiz.core.neighbours import neighbours, nice
from tests.helpers_cards import card_by_id, deck, fact, mayo_source, source


def _tiers(card_id: str, d: object) -> dict[int, list[str]]:
    card = card_by_id(cards_for_deck(d), card_id)  # type: ignore[arg-type]
    out: dict[int, list[str]] = {}
    for text, tier in zip(card.pool, card.pool_tiers, strict=True):
        out.setdefault(tier, []).append(text)
    return out


def test_mayo_surgery_draws_the_same_series_confusable_numbers_first() -> None:
    d = deck(mayo_source(), source("other", fact("x", "90%"), fact("y", "5%")))
    tiers = _tiers("test-deck/mayo-2013/surgery/choice", d)
    # the same source's percents, each value once (29% and 17% appear twice in the series)
    assert tiers == {TIER_SOURCE: ["67%", "21%", "75%", "29%", "17%"]}
    card = card_by_id(cards_for_deck(d), "test-deck/mayo-2013/surgery/choice")
    for seed in range(20):
        options = choice_options(card, seed).options
        assert len(options) == 5
        assert set(options) <= {"54%", "67%", "21%", "75%", "29%", "17%"}


def test_deck_tier_then_neighbours_when_the_source_has_too_few() -> None:
    d = deck(source("a", fact("f", "54%"), fact("g", "67%")),
             source("b", fact("h", "21%"), fact("i", "53%")))
    tiers = _tiers("test-deck/a/f/choice", d)
    assert tiers[TIER_SOURCE] == ["67%"]
    assert tiers[TIER_DECK] == ["21%"]  # 53% is within ±2 points of 54%: never an option
    assert tiers[TIER_NEIGHBOUR][:4] == ["34%", "74%", "14%", "94%"]
    card = card_by_id(cards_for_deck(d), "test-deck/a/f/choice")
    for seed in range(10):
        options = choice_options(card, seed).options
        assert "67%" in options and "21%" in options  # better tiers are always used


def test_neighbours_keep_the_authors_style() -> None:
    def texts(answer: str) -> list[str]:
        return [t for t, _ in neighbours(parse_answer(answer), None)]

    assert texts("2.5 years")[:2] == ["1.5 years", "3.5 years"]
    assert texts("10-15 ng/mL")[:3] == ["5-10 ng/mL", "15-20 ng/mL", "0-5 ng/mL"]
    assert texts("10 to 15 ng/mL")[0] == "5 to 10 ng/mL"
    assert texts("8/24 (33%)")[:2] == ["6/24 (25%)", "10/24 (42%)"]  # percent recomputed
    assert texts("7/15")[:2] == ["5/15", "9/15"]
    assert texts("1.10 mg")[0] == "0.60 mg"  # decimals as written
    assert all(0 <= Decimal(t.rstrip("%")) <= 100 for t in texts("95%") + texts("3%"))
    counts = texts("3")
    assert all(t.isdigit() and int(t) > 0 for t in counts)


def test_fraction_neighbours_round_half_up_and_stay_within_the_denominator() -> None:
    texts = [t for t, _ in neighbours(parse_answer("1/8 (12.5%)"), None)]
    assert "3/8 (37.5%)" in texts
    assert all(0 <= int(t.split("/")[0]) <= 8 for t in texts)
    # 1/40 = 2.5% rounds half up to 3%
    assert "1/40 (3%)" in [t for t, _ in neighbours(parse_answer("3/40 (8%)"), None)]


def test_nice_steps() -> None:
    assert [nice(Decimal(x)) for x in ("0.83", "18", "3.3", "2.6", "8", "0.05")] == [
        Decimal("1"), Decimal("20"), Decimal("2"), Decimal("2"), Decimal("10"), Decimal("0.05")]


def test_no_candidate_within_tolerance_of_the_answer_or_of_another() -> None:
    pool = numeric_pool(
        parse_answer("40 months"), None, (),
        [parse_answer(t) for t in ("42 months", "60 months", "63 months", "20 months")], (),
    )
    # 42 is within ±10% of 40; 63 within ±10% of 60 (the earlier one wins)
    assert pool.texts[:2] == ("60 months", "20 months")


def test_authored_tolerance_governs_validity() -> None:
    d = deck(source("s", fact("f", "54%", tolerance="10"), fact("g", "60%"), fact("h", "30%"),
                    fact("i", "80%"), fact("j", "88%")))
    tiers = _tiers("test-deck/s/f/choice", d)
    # 60% is within ±10 points of 54%; 88% within ±10 points of 80%, which came first
    assert tiers[TIER_SOURCE] == ["30%", "80%"]
    assert all(abs(int(t.rstrip("%")) - 54) > 10 for t in tiers[TIER_NEIGHBOUR])


def test_authored_choices_used_exactly_and_topped_up_for_numbers() -> None:
    d = deck(mayo_source())
    card = card_by_id(cards_for_deck(d), "test-deck/mayo-2013/best-trough/choice")
    assert card.pool[:3] == ("5-10 ng/mL", "15-20 ng/mL", "20-25 ng/mL")
    assert card.pool_tiers[:3] == (TIER_AUTHORED,) * 3
    for seed in range(10):
        options = choice_options(card, seed)
        assert len(options.options) == 5
        assert {"5-10 ng/mL", "15-20 ng/mL", "20-25 ng/mL", "10-15 ng/mL"} <= set(options.options)
        lows = [Decimal(o.split("-")[0]) for o in options.options]
        assert lows == sorted(lows)
        assert options.options[options.correct_index] == "10-15 ng/mL"


def test_authored_choice_that_would_also_be_correct_is_left_out() -> None:
    d = deck(source("s", fact("f", "54%", choices=["55%", "20%", "30%", "70%"])))
    card = cards_for_deck(d)[0]
    assert "55%" not in card.pool
    assert card.pool[:3] == ("20%", "30%", "70%")


def test_seed_varies_which_distractors_but_is_reproducible() -> None:
    d = deck(source("s", *[fact(f"f{i}", f"{10 * i}%") for i in range(1, 10)]))
    card = card_by_id(cards_for_deck(d), "test-deck/s/f5/choice")
    seen = {choice_options(card, seed).options for seed in range(30)}
    assert len(seen) > 3
    assert choice_options(card, 7) == choice_options(card, 7)


def test_text_options_order_varies_with_the_seed() -> None:
    d = deck(source("s", fact("loc", "ileocolonic", explain="e",
                              choices=["isolated ileal", "isolated colonic", "perianal only"])))
    card = cards_for_deck(d)[0]
    orders = {choice_options(card, seed).options for seed in range(20)}
    assert len(orders) > 2
    for order in orders:
        assert sorted(order) == sorted([*card.pool, "ileocolonic"])
