"""Regression tests for issue 9's findings 1-7, and the rules settled with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.card import Card, CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options
from ibdquiz.core.context import context
from ibdquiz.core.deckload import load_deck, load_deck_text
from ibdquiz.core.grading import grade_choice, grade_numeric
from ibdquiz.core.judge import accepts, judge
from ibdquiz.core.leaks import gives_answer
from ibdquiz.core.queue import CardStatus, new_card_order
from ibdquiz.core.teaching import feedback_lines, provenance, teaching_note
from ibdquiz.paths import bundled_decks_dir

BUNDLED = bundled_decks_dir() / "tacrolimus-refractory-crohns.yaml"


@pytest.fixture(scope="module")
def cards() -> dict[str, Card]:
    deck = load_deck(BUNDLED).deck
    assert deck is not None
    return {c.id.split("/", 1)[1]: c for c in cards_for_deck(deck)}


def deck_of(text: str) -> list[Card]:
    result = load_deck_text(text, "d.yaml")
    assert result.deck is not None, [str(d) for d in result.errors]
    return cards_for_deck(result.deck)


# 1. the answer is on screen ------------------------------------------------------------------

def test_header_hides_n_on_a_card_that_asks_n(cards: dict[str, Card]) -> None:
    patients = cards["mayo-2013/patients/numeric"]
    assert "n=24" not in context(patients) and "24" not in context(patients).split(" · ")[1:3]
    assert "n=24" in context(cards["mayo-2013/female/numeric"])


def test_no_size_card_when_a_fact_asks_n() -> None:
    text = "deck: d\ntitle: t\nsources:\n" + "".join(
        f"  - id: s{i}\n    citation: c{i}\n    n: {20 + i}\n    facts:\n"
        f"      - id: f\n        ask: How many?\n        answer: \"{20 + i if i == 0 else 3}\"\n"
        f"        explain: e\n" for i in range(4))
    facts = {(c.source, c.fact) for c in deck_of(text)}
    assert ("s0", "_n") not in facts and ("s1", "_n") in facts


def test_header_hides_the_design_when_it_is_the_answer() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    design: retrospective\n"
            "    facts:\n      - id: f\n        ask: What design?\n        answer: retrospective\n"
            "        explain: e\n")
    card = deck_of(text)[0]
    assert "retrospective" not in context(card)


def test_validate_warns_when_a_question_holds_its_own_answer() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            "      - id: f\n        ask: Did 54% of patients need surgery?\n        answer: 54%\n"
            "        explain: e\n")
    warnings = [str(d) for d in load_deck_text(text, "d.yaml").warnings]
    assert any("contains its own answer" in w and ":7:9:" in w for w in warnings)


# 2. the key sits in the middle -----------------------------------------------------------------

def test_key_rank_takes_every_place_over_five_seeds(cards: dict[str, Card]) -> None:
    card = cards["mayo-2013/surgery/choice"]
    ranks = {choice_options(card, seed).correct_index for seed in range(5)}
    assert ranks == {0, 1, 2, 3, 4}


def test_four_authored_choices_show_three_of_them_chosen_by_seed() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            "      - id: f\n        ask: Age?\n        answer: 38 years\n        explain: e\n"
            "        choices: [28 years, 48 years, 58 years, 68 years]\n")
    card = next(c for c in deck_of(text) if c.kind is CardKind.CHOICE)
    shown = {choice_options(card, seed).options for seed in range(8)}
    assert len(shown) > 1 and all(len(o) == 4 for o in shown)
    assert all(set(o) <= {"28 years", "38 years", "48 years", "58 years", "68 years"}
               for o in shown)


def test_validate_warns_when_authored_numbers_fix_the_keys_rank() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            "      - id: f\n        ask: Trough?\n        answer: 10-15 ng/mL\n        explain: e\n"
            "        choices: [5-10 ng/mL, 15-20 ng/mL, 20-25 ng/mL]\n")
    assert any("same place every time" in str(d) for d in load_deck_text(text, "d.yaml").warnings)


# 3. eliminable options -------------------------------------------------------------------------

def test_generated_options_stay_plausible(cards: dict[str, Card]) -> None:
    for seed in range(20):
        dose = choice_options(cards["mayo-2013/dose-reduction/choice"], seed).options
        assert not any(o.startswith(("0/24", "24/24")) for o in dose)
        remission = choice_options(cards["mayo-2013/remission-to-immunomodulator/choice"], seed)
        assert not {"0/5", "5/5"} & set(remission.options)
        count = choice_options(cards["mayo-2013/remission-count/choice"], seed).options
        assert all(int(o) < 24 for o in count)
        trough = choice_options(cards["mayo-2013/best-trough/choice"], seed).options
        assert not any(o.startswith("0-") for o in trough)
        months = choice_options(cards["mayo-2013/treatment-duration/choice"], seed).options
        assert "1 months" not in months and all(o == "1 month" or o.endswith("months")
                                                for o in months)


# 4. text-option cues ---------------------------------------------------------------------------

@pytest.mark.parametrize(("answer", "choices", "expected"), [
    ("the use of antibiotics for the prevention of Pneumocystis pneumonia",
     ["trough levels", "dose reductions", "thiopurines"], "much longer"),
    ("ileocolonic", ["isolated ileal", "isolated colonic", "perianal only"], "absolute words"),
    ("mostly small studies", ["large trials", "prospective trials", "meta-analyses"], "hedged"),
    ("Tacrolimus doesn't look promising.", ["Tacrolimus looks promising.", "It is cheap.",
                                            "It is new."], "opposites"),
    ("to minimize toxicity", ["paresthesias", "kidney injury", "tremor"], "grammatical form"),
])
def test_text_option_lints(answer: str, choices: list[str], expected: str) -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            f"      - id: f\n        ask: Which?\n        answer: \"{answer}\"\n"
            "        explain: e\n"
            f"        choices: [{', '.join(repr(c) for c in choices)}]\n".replace("'", '"'))
    warnings = [str(d) for d in load_deck_text(text.replace('"Tacrolimus doesn"t',
                                                            "\"Tacrolimus doesn't"), "d.yaml"
                                                ).warnings]
    assert any(expected in w and "d.yaml:7:9:" in w for w in warnings), warnings


# 5. answers leak between cards -----------------------------------------------------------------

def test_written_forms_give_the_answer() -> None:
    assert gives_answer(parse_answer("8/24 (33%)"), "8 (33%) required dose reduction")
    assert gives_answer(parse_answer("8/24"), "a third, 33%, of them")
    assert gives_answer(parse_answer("54%"), "54 percent needed surgery")
    assert gives_answer(parse_answer("azathioprine"), "(tacrolimus with Azathioprine ...)",
                        as_text=True)
    assert not gives_answer(parse_answer("8%"), "58% of patients")


def test_leaking_facts_are_never_new_on_the_same_day() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: a\n    citation: c\n    facts:\n"
            "      - id: x\n        ask: Share with surgery?\n        answer: 54%\n"
            "        explain: 54% needed surgery within 10 months.\n"
            "      - id: y\n        ask: Median time to surgery?\n        answer: 10 months\n"
            "        explain: e\n"
            "  - id: b\n    citation: d\n    facts:\n"
            "      - id: z\n        ask: Dose?\n        answer: 4 mg\n        explain: e\n")
    statuses = [CardStatus(c, i) for i, c in enumerate(deck_of(text))]
    chosen = {s.card.fact for s in new_card_order(statuses, allowance=10)}
    assert chosen == {"x", "z"}  # y waits: x's explanation gives it; b is interleaved
    later = new_card_order(statuses, allowance=10, new_today={("d", "a", "x")})
    assert "y" not in {s.card.fact for s in later}
    warnings = [str(d) for d in load_deck_text(text, "d.yaml").warnings]
    assert any("gives the answer of 'a/y'" in w for w in warnings)


def test_bundled_deck_new_cards_alternate_sources(cards: dict[str, Card]) -> None:
    statuses = [CardStatus(c, i) for i, c in enumerate(cards.values())]
    first = new_card_order(statuses, allowance=8)
    assert len({s.card.source for s in first}) >= 4


# 6. tolerance that does not cross facts ----------------------------------------------------------

def test_a_count_is_exact_and_its_percent_on_the_same_scale(cards: dict[str, Card]) -> None:
    female = cards["mayo-2013/female/numeric"]
    assert not grade_numeric(female, "18").correct  # the ileocolonic count
    assert not grade_numeric(female, "67%").correct  # 16 of 24
    assert grade_numeric(female, "71%").correct
    assert "exact count out of 24" in grade_numeric(female, "17").tolerance


def test_one_width_for_a_range_and_decimals_keep_precision() -> None:
    assert judge(parse_answer("10-15 ng/mL"), None, "11-15").correct  # ±1.5 from 15, both ends
    assert judge(parse_answer("4.0 mg"), None, "4.2 mg").quality == 4  # ±10%, not "exact"
    assert judge(parse_answer("4 mg"), None, "4.2 mg").quality == 1
    assert judge(parse_answer("4 months"), None, "4 mo").quality == 5
    assert judge(parse_answer("24"), None, "24 patients").quality == 5


def test_verdict_states_the_tolerance(cards: dict[str, Card]) -> None:
    result = grade_numeric(cards["mayo-2013/surgery/numeric"], "55")
    assert result.tolerance == "within ±2 points"
    assert "Graded within ±2 points." in feedback_lines(cards["mayo-2013/surgery/numeric"],
                                                        "55", True)


def test_two_right_answers_are_compared_by_value() -> None:
    assert accepts(parse_answer("5/5 (100%)"), None, "5")
    assert accepts(parse_answer("0%"), None, "0")
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            "      - id: f\n        ask: Share?\n        answer: 0%\n        explain: e\n"
            "        choices: [\"1\", \"25\", \"50\"]\n")
    result = load_deck_text(text, "d.yaml")
    assert any("would also be correct" in str(d) for d in result.warnings)
    card = next(c for c in deck_of(text) if c.kind is CardKind.CHOICE)
    assert "1" not in card.pool
    options = choice_options(card, 0)
    assert grade_choice(options.correct_index, options, 100, card) == 5


# 7. fidelity and provenance -----------------------------------------------------------------------

def test_teaching_feedback_names_the_other_fact(cards: dict[str, Card]) -> None:
    female = cards["mayo-2013/female/numeric"]
    note = teaching_note(female, "18")
    assert note.startswith("18/24 (75%)") and "ileocolonic" in note
    assert teaching_note(female, "17") == ""
    choice = cards["mayo-2013/concurrent-thiopurines/choice"]
    assert "antibiotics" in teaching_note(choice, "46%")


def test_via_is_shown_and_every_fact_has_an_explanation(cards: dict[str, Card]) -> None:
    assert "as summarised by the gutsandgrowth commentary" in provenance(
        cards["mayo-2013/female/numeric"])
    assert all(card.explain for card in cards.values())
    remark = cards["gutsandgrowth-commentary/not-described/choice"]
    assert remark.via is None and "gutsandgrowth" in remark.citation
    assert load_deck(Path(BUNDLED)).warnings == []


# issue 15 items 3 and 12 (grading and authoring) ---------------------------------------------

def test_numeric_looking_choices_of_a_text_answer_are_checked() -> None:
    text = ("deck: d\ntitle: t\nsources:\n  - id: s\n    citation: c\n    facts:\n"
            "      - id: f\n        ask: Share?\n        answer: 83% (10/12)\n        explain: e\n"
            "        choices: [82%, 50%, 60%]\n")
    warnings = [str(d) for d in load_deck_text(text, "d.yaml").warnings]
    assert any("compares the options as text" in w for w in warnings)
    assert any("'82%' would also look right" in w for w in warnings)
    assert any("only option written with a fraction" in w for w in warnings)


def test_typed_abbreviations_and_a_huge_count() -> None:
    assert judge(parse_answer("4 months"), None, "4 mo").correct
    assert judge(parse_answer("24"), None, "24 patients").correct
    from ibdquiz.errors import UnparseableResponse

    with pytest.raises(UnparseableResponse) as caught:
        judge(parse_answer("7/11"), None, "121212121212")
    assert "121212121212%" not in str(caught.value) and "from 0 to 11" in str(caught.value)
