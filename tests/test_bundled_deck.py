"""The bundled deck against the seed article it was written from.

Every number the deck shows a fellow (in an ask, answer, cloze, explain, text choice, label,
citation or a source's ``n``) must be the article's own, and must come from the part of the
article that speaks of that source (see tests/helpers_deck.py). A typo (55% for 54%) or a number
moved to the wrong study makes these tests fail; ``test_checker_catches_*`` prove it.
"""

from __future__ import annotations

import copy
import hashlib
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import yaml

from ibdquiz.core.answers import parse_answer
from ibdquiz.core.model import AnswerKind
from tests.helpers_deck import (
    ARTICLE_PATH,
    CITATION_PARTS,
    DECK_PATH,
    FRACTION_PERCENT,
    Article,
    all_texts,
    cloze_span,
    deck_problems,
    normalize,
)


@pytest.fixture(scope="module")
def article() -> Article:
    return Article.read()


@pytest.fixture(scope="module")
def raw_deck() -> dict[str, Any]:
    loaded = yaml.safe_load(DECK_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture()
def deck(raw_deck: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy per test, so a mutation test cannot leak into another test."""
    return copy.deepcopy(raw_deck)


def _fact(deck: dict[str, Any], source_id: str, fact_id: str) -> dict[str, Any]:
    source = next(s for s in deck["sources"] if s["id"] == source_id)
    fact: dict[str, Any] = next(f for f in source["facts"] if f["id"] == fact_id)
    return fact


def _source(deck: dict[str, Any], source_id: str) -> dict[str, Any]:
    source: dict[str, Any] = next(s for s in deck["sources"] if s["id"] == source_id)
    return source


SEED_SHA256 = "ffea05c5ff72b131ca91ad39fecad228730429b5a8d0317d6002e489a74996fe"
"""The seed article's bytes as received (``seed/000_6c9cca339ad1ff6f.txt``); the deck's source."""


def test_seed_article_is_the_copy_received() -> None:
    assert hashlib.sha256(ARTICLE_PATH.read_bytes()).hexdigest() == SEED_SHA256


def test_deck_header_and_shape(raw_deck: dict[str, Any]) -> None:
    first_line = DECK_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/deck.schema.json"
    assert raw_deck["deck"] == DECK_PATH.stem == "tacrolimus-refractory-crohns"
    facts = [f for s in raw_deck["sources"] for f in s.get("facts") or []]
    assert 35 <= len(facts) <= 60
    ids = re.compile(r"^[a-z0-9][a-z0-9-]*$")
    assert all(ids.match(s["id"]) for s in raw_deck["sources"])
    assert all(ids.match(f["id"]) for f in facts)


def test_every_number_is_the_articles(deck: dict[str, Any], article: Article) -> None:
    problems = deck_problems(deck, article)
    assert not problems, "\n".join(map(str, problems))


def test_checker_catches_a_mistyped_percent(deck: dict[str, Any], article: Article) -> None:
    _fact(deck, "mayo-2013", "surgery")["answer"] = "55%"
    assert [(p.where, p.token) for p in deck_problems(deck, article)] == [
        ("mayo-2013/surgery/answer", "55%")
    ]


def test_checker_catches_a_number_from_another_study(
    deck: dict[str, Any], article: Article
) -> None:
    # 67% is in the article (the Mayo response rate) but not on the Gut 2006 line.
    _fact(deck, "gut-2006", "partial-response-week-2")["answer"] = "67%"
    assert [p.token for p in deck_problems(deck, article)] == ["67%"]


@pytest.mark.parametrize(
    ("source_id", "fact_id", "key", "mutated", "token"),
    [
        ("mayo-2013", "dose-reduction", "answer", "9/24 (33%)", "9/24 (33%)"),
        ("mayo-2013", "dose-reduction", "answer", "8/24 (34%)", "8/24 (34%)"),
        ("mayo-2013", "best-trough", "answer", "10-16 ng/mL", "10-16ng/mL"),
        ("mayo-2013", "median-age", "answer", "39 years", "39years"),
        ("mayo-2013", "remission-longest-therapy", "answer", "2.6 years", "2.6years"),
        ("mayo-2013", "remission-to-immunomodulator", "answer", "3/5", "3/5"),
        ("mayo-2013", "remission-count", "answer", "6", "6"),
        ("mayo-2013", "patients", "answer", "25", "25"),
        ("ibd-2008", "uc-response", "answer", "22/33", "22/33"),
        ("ibd-2009", "enema-dose-high", "answer", "5 mg", "5mg"),
        ("ibd-2009", "enema-volume", "ask", "In IBD 2009, what was in 150 mL of water?", "150mL"),
        (
            "mayo-2013",
            "trough-response",
            "cloze",
            "Troughs of 10 to 16 ng/mL gave {{86%}}.",
            "10-16ng/mL",
        ),
        ("mayo-2013", "response", "explain", "Only 22% reached steroid-free remission.", "22%"),
    ],
)
def test_checker_catches_each_kind_of_token(
    deck: dict[str, Any],
    article: Article,
    source_id: str,
    fact_id: str,
    key: str,
    mutated: str,
    token: str,
) -> None:
    _fact(deck, source_id, fact_id)[key] = mutated
    assert token in [p.token for p in deck_problems(deck, article)]


def test_checker_catches_a_wrong_source_size(deck: dict[str, Any], article: Article) -> None:
    _source(deck, "mayo-2013")["n"] = 25
    _source(deck, "gut-2006")["n"] = 14  # J Pediatr 2000's size, not Gut 2006's
    problems = {(p.where, p.token) for p in deck_problems(deck, article)}
    assert ("mayo-2013/n", "25") in problems
    assert ("gut-2006/n", "14") in problems


def test_checker_catches_a_number_in_a_text_distractor(
    deck: dict[str, Any], article: Article
) -> None:
    _fact(deck, "gutsandgrowth-commentary", "evidence-base")["choices"][0] = (
        "3 large randomized trials"
    )
    assert [p.token for p in deck_problems(deck, article)] == ["3"]


def test_every_citation_is_in_the_article(deck: dict[str, Any], article: Article) -> None:
    for source in deck["sources"]:
        parts = CITATION_PARTS.get(source["id"], (str(source["citation"]),))
        for part in parts:
            assert normalize(part) in article.text, f"{source['id']}: {part!r} not in the article"


def test_every_additional_reference_is_a_source(deck: dict[str, Any], article: Article) -> None:
    assert len(article.references) == 10
    citations = [normalize(str(s["citation"])) for s in deck["sources"]]
    for line in article.references:
        assert sum(c in line for c in citations) == 1, f"no single source for {line!r}"


def test_count_percent_pairs_agree(deck: dict[str, Any]) -> None:
    pairs = 0
    for where, text in all_texts(deck):
        for count, total, percent in FRACTION_PERCENT.findall(normalize(text)):
            stated = Decimal(percent)
            places = Decimal(1).scaleb(int(stated.as_tuple().exponent))
            exact = Decimal(count) * 100 / Decimal(total)
            assert exact.quantize(places, rounding=ROUND_HALF_UP) == stated, where
            pairs += 1
    assert pairs >= 4  # female, ileocolonic, dose reduction, discontinuation


def test_authoring_rules(deck: dict[str, Any]) -> None:
    asks: list[str] = []
    for source in deck["sources"]:
        for fact in source.get("facts") or []:
            where = f"{source['id']}/{fact['id']}"
            if "cloze" in fact:
                assert len(re.findall(r"\{\{.+?\}\}", fact["cloze"])) == 1, where
                answer = cloze_span(fact["cloze"])
            else:
                assert str(fact["ask"]).endswith("?"), where
                asks.append(" ".join(str(fact["ask"]).lower().split()))
                answer = str(fact["answer"])
            parsed = parse_answer(answer)  # raises when a count and its percent disagree
            if parsed.kind is AnswerKind.TEXT:
                assert fact.get("explain"), f"{where}: a text answer needs an explain"
            choices = [str(c) for c in fact.get("choices") or []]
            if choices:
                assert 3 <= len(choices) <= 4, where
                assert len(set(choices)) == len(choices), where
                assert answer not in choices, where
    assert len(asks) == len(set(asks)), "two facts ask the same question"


def test_project_loader_accepts_the_deck(raw_deck: dict[str, Any]) -> None:
    from ibdquiz.core.deckload import load_deck  # the project loader (docs/deck-format.md)

    result = load_deck(DECK_PATH)
    assert result.errors == [], "\n".join(map(str, result.errors))
    assert result.deck is not None
    assert result.deck.id == "tacrolimus-refractory-crohns"
    assert len(result.deck.facts()) == sum(len(s.get("facts") or []) for s in raw_deck["sources"])
