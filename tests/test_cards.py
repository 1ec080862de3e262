"""Card generation (docs/deck-format.md): which cards a fact gives; ids, order, prompts, hashes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.card import CardKind
from ibdquiz.core.cards import cards_for_deck, choice_options, content_hash
from ibdquiz.core.model import AnswerKind, Fact
from tests.helpers_cards import card_by_id, deck, fact, mayo_source, source


def test_numeric_fact_gives_choice_numeric_recall_in_that_order() -> None:
    cards = cards_for_deck(deck(mayo_source()))
    ids = [c.id for c in cards if c.fact == "surgery"]
    assert ids == [
        "test-deck/mayo-2013/surgery/choice",
        "test-deck/mayo-2013/surgery/numeric",
        "test-deck/mayo-2013/surgery/recall",
    ]


def test_cards_follow_deck_order_fact_by_fact_then_appraisal_per_source() -> None:
    d = deck(
        source("a", fact("one", "10%"), fact("two", "30%"), n=10, design="cohort"),
        source("b", fact("three", "50%"), n=20, design="case series"),
        source("c", fact("four", "70%"), n=30, design="randomized trial"),
    )
    facts = []
    for card in cards_for_deck(d):
        if not facts or facts[-1] != (card.source, card.fact):
            facts.append((card.source, card.fact))
    assert facts == [
        ("a", "one"), ("a", "two"), ("a", "_n"),
        ("b", "three"), ("b", "_n"),
        ("c", "four"), ("c", "_n"),
    ]  # three designs only: no design cards


def test_card_carries_source_details_and_fact_tags() -> None:
    d = deck(source("s", fact("f", "54%", tags=["outcomes"], explain="Why."), design="cohort",
                    n=24, label="The S study"))
    card = card_by_id(cards_for_deck(d), "test-deck/s/f/numeric")
    assert (card.deck, card.source, card.fact, card.kind) == ("test-deck", "s", "f",
                                                              CardKind.NUMERIC)
    assert card.label == "The S study"
    assert card.citation == "Citation of s"
    assert (card.design, card.n, card.tags, card.explain) == ("cohort", 24, ("outcomes",), "Why.")
    assert card.prompt == "What is the f?"
    assert card.line > 0 and card.col == 9


def test_cloze_card_prompt_is_the_sentence_with_a_blank() -> None:
    cloze = Fact(
        id="trough-remission",
        ask="Patients with troughs of 10 to 15 ng/mL had a remission rate of _____.",
        answer=parse_answer("57%"),
        cloze="Patients with troughs of 10 to 15 ng/mL had a remission rate of {{57%}}.",
    )
    d = deck(source("s", cloze, fact("x", "21%"), fact("y", "67%"), fact("z", "86%")))
    cards = [c for c in cards_for_deck(d) if c.fact == "trough-remission"]
    assert {c.kind for c in cards} == {CardKind.CHOICE, CardKind.NUMERIC, CardKind.RECALL}
    assert all(c.prompt.endswith("rate of _____.") for c in cards)
    assert all("57%" not in c.prompt for c in cards)


def test_text_fact_gets_recall_only_without_choices() -> None:
    d = deck(source("s", fact("loc", "ileocolonic", explain="18 of 24.")))
    assert [c.kind for c in cards_for_deck(d)] == [CardKind.RECALL]


def test_text_fact_with_authored_choices_gets_a_choice_card() -> None:
    d = deck(source("s", fact("loc", "ileocolonic",
                              choices=["isolated ileal", "isolated colonic", "perianal only"])))
    cards = cards_for_deck(d)
    assert [c.kind for c in cards] == [CardKind.CHOICE, CardKind.RECALL]
    options = choice_options(cards[0], 0)
    assert sorted(options.options) == sorted(
        ["ileocolonic", "isolated ileal", "isolated colonic", "perianal only"])
    assert options.options[options.correct_index] == "ileocolonic"


def test_force_text_means_no_numeric_card_and_a_text_answer() -> None:
    d = deck(source("s", fact("dose", "4 mg", force_text=True, explain="e"),
                    fact("a", "2 mg"), fact("b", "8 mg"), fact("c", "16 mg")))
    cards = [c for c in cards_for_deck(d) if c.fact == "dose"]
    assert [c.kind for c in cards] == [CardKind.RECALL]
    assert cards[0].answer.kind is AnswerKind.TEXT
    assert cards[0].answer.text == "4 mg"
    # and a forced-text fact is not offered as a distractor to the numeric ones
    other = card_by_id(cards_for_deck(d), "test-deck/s/a/choice")
    confusables = [t for t, tier in zip(other.pool, other.pool_tiers, strict=True) if tier == 1]
    assert confusables == ["8 mg", "16 mg"]


def test_force_text_with_choices_gets_choice_and_recall() -> None:
    d = deck(source("s", fact("dose", "4 mg", force_text=True, explain="e",
                              choices=["a", "b", "c", "d"])))
    cards = cards_for_deck(d)
    assert [c.kind for c in cards] == [CardKind.CHOICE, CardKind.RECALL]
    # 4 authored choices: the key and 3 of them, chosen by (card id, seed) (issue 9)
    assert len(choice_options(cards[0], 3).options) == 4


def test_numeric_fact_without_three_distractors_has_no_choice_card() -> None:
    d = deck(source("s", fact("half", "1/2")))  # only 0/2 and 2/2 are possible
    assert [c.kind for c in cards_for_deck(d)] == [CardKind.NUMERIC, CardKind.RECALL]


def test_size_cards_need_three_sources_with_n() -> None:
    two = deck(source("a", fact("f", "10%"), n=24), source("b", n=19))
    assert not [c for c in cards_for_deck(two) if c.fact == "_n"]
    three = deck(source("a", fact("f", "10%"), n=24, label="Mayo series"), source("b", n=19),
                 source("c", n=14))
    sizes = [c for c in cards_for_deck(three) if c.fact == "_n"]
    assert [c.id for c in sizes] == ["test-deck/a/_n/choice", "test-deck/b/_n/choice",
                                     "test-deck/c/_n/choice"]
    mayo = sizes[0]
    assert mayo.prompt == "How many patients were in Mayo Clinic series?".replace(
        "Mayo Clinic series", "Mayo series")
    shown = {o for seed in range(10) for o in choice_options(mayo, seed).options}
    assert "19" in shown and "14" in shown  # the other sources' sizes take slots near them
    options = choice_options(mayo, 0)
    assert options.options[options.correct_index] == "24"
    values = [int(o) for o in options.options]
    assert values == sorted(values) and all(v > 0 for v in values)


def test_design_cards_need_four_distinct_designs_and_are_not_topped_up() -> None:
    three = deck(source("a", fact("f", "10%"), design="retrospective"),
                 source("b", design="prospective"), source("c", design="Retrospective"),
                 source("d", design="randomized trial"))
    assert not [c for c in cards_for_deck(three) if c.fact == "_design"]  # case-insensitive
    four = deck(source("a", fact("f", "10%"), design="retrospective", label="Mayo series"),
                source("b", design="prospective"), source("c", design="case report"),
                source("d", design="randomized trial"), source("e"))
    designs = [c for c in cards_for_deck(four) if c.fact == "_design"]
    assert [c.source for c in designs] == ["a", "b", "c", "d"]
    card = designs[0]
    assert card.id == "test-deck/a/_design/choice"
    assert card.prompt == "What kind of study was Mayo series?"
    options = choice_options(card, 0)
    assert sorted(options.options) == sorted(
        ["retrospective", "prospective", "case report", "randomized trial"])
    assert options.options[options.correct_index] == "retrospective"


def test_content_hash_ignores_wording_but_follows_answer_choices_tolerance() -> None:
    base = fact("f", "54%", choices=["10%", "20%", "30%"])
    d = deck(source("s", base))
    original = cards_for_deck(d)[0].content_hash

    def hash_of(f: Fact) -> str:
        return cards_for_deck(deck(source("s", f)))[0].content_hash

    assert hash_of(replace(base, ask="Reworded?", explain="New explanation")) == original
    assert hash_of(replace(base, answer=parse_answer("55%"))) != original
    assert hash_of(replace(base, choices=("10%", "20%", "40%"))) != original
    assert hash_of(fact("f", "54%", choices=["10%", "20%", "30%"], tolerance="5")) != original
    assert original == content_hash("54%", ["10%", "20%", "30%"], "")


def test_choice_options_refuses_other_kinds() -> None:
    recall = cards_for_deck(deck(source("s", fact("f", "text", explain="e"))))[0]
    with pytest.raises(ValueError, match="not a choice card"):
        choice_options(recall, 0)
