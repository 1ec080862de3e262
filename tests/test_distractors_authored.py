"""The author warnings read only the authored tier of each numeric fact's pool (issue 13).

``cards.has_choice_card`` counts the pool's authored tier only (with fewer than 3 valid authored
choices the generated options fill the rest), so the warnings need no other fact: no deck pools.
"""

from __future__ import annotations

from hypothesis import given, settings

from ibdquiz.core import distractors
from ibdquiz.core.cards import count_cap, has_choice_card
from ibdquiz.core.distractors import DeckPools, authored_pool, deck_pools, is_text_only
from ibdquiz.core.model import Deck
from tests.helpers_cards import deck, fact, source
from tests.test_distractors_props import random_decks


@settings(deadline=None, max_examples=60)
@given(random_decks())
def test_the_authored_pool_is_the_first_tier_of_the_full_pool(d: Deck) -> None:
    """The warnings read ``authored_pool`` (no other fact): the same answer as the full pool."""
    pools = DeckPools(d)
    for src, f in d.facts():
        if is_text_only(f):
            continue
        full = pools.pool(src.id, f.id)
        authored = authored_pool(f)
        first = [i for i, tier in enumerate(full.tiers) if tier == distractors.TIER_AUTHORED]
        assert first == list(range(len(first)))  # the authored tier comes first ...
        assert authored.texts == full.texts[:len(first)]  # ... and is exactly authored_pool
        assert set(authored.tiers) <= {distractors.TIER_AUTHORED}
        cap = count_cap(f.answer, src.n)
        assert has_choice_card(f, authored, cap) == has_choice_card(f, full, cap)


def test_the_authored_pool_of_a_fact_with_fewer_valid_choices() -> None:
    # '30%' is within the grader's window of the answer: left out, as the full pool leaves it
    f = fact("f", "29%", choices=["30%", "50%", "70%"])
    d = deck(source("s", f, fact("g", "90%"), fact("h", "10%")))
    assert authored_pool(f).texts == ("50%", "70%")
    assert deck_pools(d).pool("s", "f").texts[:2] == ("50%", "70%")
    assert authored_pool(fact("bare", "29%")) == distractors.Pool()
